"""Property tests: for generated HTML and Markdown, the identity translation
reproduces the input byte for byte, and a changed translation changes every
text node and nothing else (checked with bs4 / markdown-it)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formats_oracle import compare_html, compare_markdown, swapped_translations
from translator.formats.assemble import assemble
from translator.io.reader import parse

WORDS = st.sampled_from(
    ["model", "Transformer", "tokens", "GPU", "año", "niño", "大模型", "3.5%", "$25M", "e.g.", "U.S.",
     "¿Qué?", "¡Sí!", "it’s", "🚀", "AT&amp;T", "a &lt; b", "&nbsp;", "Dr.", "v0.2", "x"]
)
PUNCT = st.sampled_from([" ", " ", " ", ". ", ", ", "! ", "? ", "; ", "\n"])
settings.register_profile("ci", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


@st.composite
def plain(draw, min_words=1):
    words = draw(st.lists(WORDS, min_size=min_words, max_size=8))
    seps = draw(st.lists(PUNCT, min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps)).strip() or "word"


def inline_html(depth=2):
    leaf = plain()
    if depth == 0:
        return leaf

    @st.composite
    def build(draw):
        kind = draw(st.sampled_from(["text", "b", "em", "a", "span", "code", "img", "br", "comment", "mix"]))
        inner = draw(inline_html(depth - 1))
        if kind == "b":
            return f"<b>{inner}</b>"
        if kind == "em":
            return f"<em>{inner}</em>"
        if kind == "a":
            return f'<a href="https://example.com/{draw(st.integers(0, 99))}?a=1&amp;b=2" title="Read more">{inner}</a>'
        if kind == "span":
            return f"<span class='c'>{inner}</span>"
        if kind == "code":
            return f"<code>x &lt; {draw(st.integers(0, 9))}</code> {inner}"
        if kind == "img":
            return f'{inner} <img src="i.png" alt="{draw(plain())}"/>'
        if kind == "br":
            return f"{inner}<br>{draw(plain())}"
        if kind == "comment":
            return f"{inner}<!-- note -->"
        if kind == "mix":
            return f"{inner} {draw(inline_html(depth - 1))}"
        return inner

    return build()


@st.composite
def html_doc(draw):
    blocks = draw(st.lists(
        st.tuples(st.sampled_from(["p", "h2", "li", "td", "div", "blockquote"]), inline_html()),
        min_size=1, max_size=6,
    ))
    body = "\n".join(f"<{tag}>{inner}</{tag}>" for tag, inner in blocks)
    if draw(st.booleans()):
        body = f"<!DOCTYPE html>\n<html><head><title>{draw(plain())}</title></head>\n<body>\n{body}\n</body></html>\n"
    return body


@given(html_doc())
def test_html_round_trip_and_skeleton(text):
    doc = parse(text, "html", source_lang="en")
    assert assemble(doc, {s.id: s.source for s in doc.segments}).text == text
    compare_html(text, assemble(doc, swapped_translations(doc)).text)


MD_WORDS = st.sampled_from(
    ["model", "Transformer", "tokens", "año", "3.5%", "e.g.", "it’s", "🚀", "AT&amp;T", "\\*", "a_b", ":wink:",
     "Dr.", "x"]
)


@st.composite
def md_plain(draw):
    words = draw(st.lists(MD_WORDS, min_size=1, max_size=7))
    seps = draw(st.lists(st.sampled_from([" ", " ", ". ", ", ", "? "]), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps)).strip() or "word"


@st.composite
def md_inline(draw):
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "strong", "em", "link", "code", "image", "html", "ref"]))
        t = draw(md_plain())
        parts.append({
            "text": t,
            "strong": f"**{t}**",
            "em": f"*{t}*",
            "link": f"[{t}](https://example.com/a_(b) \"T\")",
            "code": f"`x {t}`",
            "image": f"![{t}](img.png)",
            "html": f"<span>{t}</span>",
            "ref": f"[{t}][r]",
        }[kind])
    return " ".join(parts)


@st.composite
def md_doc(draw):
    out = []
    if draw(st.booleans()):
        out.append(f'---\ntitle: "{draw(md_plain()).replace(chr(92), "")}"\ndraft: false\n---\n')
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["p", "h", "list", "quote", "fence", "table", "multi"]))
        line = draw(md_inline())
        if kind == "p":
            out.append(line + "\n")
        elif kind == "multi":
            out.append(line + "\n" + draw(md_inline()) + "\n")
        elif kind == "h":
            out.append(f"## {line}\n")
        elif kind == "list":
            out.append(f"- {line}\n- {draw(md_inline())}\n")
        elif kind == "quote":
            out.append(f"> {line}\n> {draw(md_inline())}\n")
        elif kind == "fence":
            out.append("```\nprint('no')\n```\n")
        else:
            out.append(f"| a | b |\n|---|---|\n| {draw(md_plain())} | {draw(md_plain())} |\n")
    out.append("[r]: https://example.com/ref\n")
    return "\n".join(out)


@given(md_doc())
def test_markdown_round_trip_and_skeleton(text):
    doc = parse(text, "markdown", source_lang="en")
    assert not doc.warnings
    assert assemble(doc, {s.id: s.source for s in doc.segments}).text == text
    compare_markdown(text, assemble(doc, swapped_translations(doc)).text)
