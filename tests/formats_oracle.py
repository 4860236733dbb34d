"""An independent check that a translated file kept its structure.

The "translation" swaps the case of every letter outside placeholders. Then
the input and the output are parsed by other parsers (bs4, markdown-it,
PyYAML) and compared node by node: every tag, attribute, link, code span and
front-matter key must be equal, and every translatable text must be exactly
the swapped text — so every text node changed and nothing else did.
"""

from __future__ import annotations

import re

import yaml
from bs4 import BeautifulSoup, Comment, Doctype, NavigableString

from translator.document import PLACEHOLDER_RE, Document
from translator.formats.frontmatter import TRANSLATED_KEYS, find
from translator.formats.html import META_NAMES, TRANSLATABLE_ATTRS
from translator.segment.atoms import PROTECT

CODE_SHORTCODE = re.compile(r"\{\{[<%]\s*(highlight|code|raw)\b")
VERBATIM = {"script", "style", "pre", "code", "textarea", "kbd", "samp", "var", "svg", "math", "template", "noscript", "iframe"}


def swap(text: str) -> str:
    """Swap case outside placeholder tokens."""
    out, pos = [], 0
    for m in PLACEHOLDER_RE.finditer(text):
        out.append(text[pos:m.start()].swapcase())
        out.append(m.group(0))
        pos = m.end()
    out.append(text[pos:].swapcase())
    return "".join(out)


def swap_protected(text: str) -> str:
    """What the output should hold for a text node: swapped outside protected spans."""
    out, pos = [], 0
    for m in PROTECT.finditer(text):
        out.append(text[pos:m.start()].swapcase())
        out.append(m.group(0))
        pos = m.end()
    out.append(text[pos:].swapcase())
    return "".join(out)


def norm(s: str) -> str:
    return " ".join(s.split())


def swapped_translations(doc: Document) -> dict[str, str]:
    return {s.id: swap(s.source) for s in doc.segments}


# --- HTML --------------------------------------------------------------------


def html_nodes(text: str):
    soup = BeautifulSoup(text, "html.parser")
    for node in soup.descendants:
        if isinstance(node, (Comment, Doctype)):
            yield ("comment", str(node))
        elif isinstance(node, NavigableString):
            parents = {p.name for p in node.parents}
            yield ("verbatim" if parents & VERBATIM else "text", str(node))
        else:
            yield ("tag", node)


def compare_html(before: str, after: str) -> None:
    a, b = list(html_nodes(before)), list(html_nodes(after))
    assert [k for k, _ in a] == [k for k, _ in b], "node sequence differs"
    for (kind, x), (_, y) in zip(a, b):
        if kind == "tag":
            assert x.name == y.name
            assert set(x.attrs) == set(y.attrs), x.name
            meta = x.name == "meta" and (x.get("name") or x.get("property") or "").lower() in META_NAMES
            for name, value in x.attrs.items():
                value = " ".join(value) if isinstance(value, list) else value
                other = y.attrs[name]
                other = " ".join(other) if isinstance(other, list) else other
                if (name in TRANSLATABLE_ATTRS or (meta and name == "content")) and re.search(r"[^\W\d_]", value):
                    assert norm(other) == norm(swap_protected(value)), (name, value, other)
                else:
                    assert other == value, (x.name, name)
        elif kind == "text":
            assert norm(y) == norm(swap_protected(x)), (x, y)
        else:
            assert x == y


# --- Markdown -----------------------------------------------------------------


def md_tokens(text: str):
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    fm = find(text)
    body = text if fm is None else "\n" * text[:fm.stop].count("\n") + text[fm.stop:]
    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").use(footnote_plugin)
    for tok in md.parse(body):
        if tok.type == "inline":
            yield from _merge_soft_breaks(tok.children or [])
        else:
            yield tok


def _merge_soft_breaks(children):
    """A soft line break renders as a space: "a", softbreak, "b" ≡ "a b"."""
    out = []
    for child in children:
        if child.type == "softbreak":
            child = child.copy(type="text", content=" ")
        if child.type == "text" and out and out[-1].type == "text":
            out[-1] = out[-1].copy(content=out[-1].content + child.content)
        else:
            out.append(child)
    return out


def compare_markdown(before: str, after: str) -> None:
    a, b = list(md_tokens(before)), list(md_tokens(after))
    assert [t.type for t in a] == [t.type for t in b], "token sequence differs"
    verbatim = None  # inside inline <kbd>…</kbd> and the like
    for x, y in zip(a, b):
        if x.type == "html_inline":
            m = re.match(r"<(/?)([a-zA-Z]+)", x.content)
            if m and m.group(2).lower() in VERBATIM:
                verbatim = None if m.group(1) else m.group(2).lower()
        if x.type == "text" and (verbatim or CODE_SHORTCODE.search(x.content)):
            assert x.content == y.content
        elif x.type == "text":
            alt_x = "".join(c.content for c in _merge_soft_breaks(x.children or []))
            alt_y = "".join(c.content for c in _merge_soft_breaks(y.children or []))
            assert norm(alt_y) == norm(swap_protected(alt_x)), (x.content, y.content)
        elif x.type == "image":
            assert y.attrs.get("src") == x.attrs.get("src")
            alt_x = "".join(c.content for c in _merge_soft_breaks(x.children or []))
            alt_y = "".join(c.content for c in _merge_soft_breaks(y.children or []))
            assert norm(alt_y) == norm(swap_protected(alt_x))
        elif x.type in ("html_block",):
            compare_html(x.content, y.content)
        elif x.type in ("fence", "code_block", "code_inline", "html_inline"):
            assert x.content == y.content
        else:
            assert x.attrs == y.attrs, x.type
            assert x.markup == y.markup, x.type
    fa, fb = find(before), find(after)
    assert (fa is None) == (fb is None)
    if fa is not None and fa.kind == "yaml":
        ya = yaml.safe_load(before[fa.start:fa.end]) or {}
        yb = yaml.safe_load(after[fb.start:fb.end]) or {}
        assert list(ya) == list(yb)
        for key, value in ya.items():
            if key in TRANSLATED_KEYS and isinstance(value, str) and re.search(r"[^\W\d_]", value):
                assert norm(yb[key]) == norm(swap_protected(value)), key
            else:
                assert yb[key] == value, key
