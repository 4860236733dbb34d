"""Markup around words (a link, bold) that a draft lost, put back around the
draft's words that translate the marked ones.

The marked words as they are, where the draft has them once (a footnote's
number, a name: `verbatim`); else the evidence glossary enforcement uses to
find a term's words: the engine's (Apertium's) translation of the source
with the marked words protected, aligned with the draft by lemma
(`locate`), else its translation of the marked words alone, found in the
draft in any order. Punctuation at the edges goes where the source has it
("[Package?](url)." keeps «?» inside, «.» outside). Without an engine for
the language pair only the verbatim words are placed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Callable

from translator.document import PLACEHOLDER_RE, Code, Segment
from translator.terms.align import align_span, content_tokens, is_function
from translator.terms.lemmas import Token
from translator.terms.spans import Hints, default_hints

Span = tuple[int, int]

_UNSPACED = {"zh", "ja"}
_LABELS = {"a": "link", "strong": "bold", "b": "bold", "em": "emphasis", "i": "italics"}
_OPENING = "¿¡\"'“‘«([<"
_CLOSING = "?!\"'”’»)]>.:;,"


@dataclass(frozen=True)
class Placed:
    label: str  # "link", "bold", …
    source: str  # the marked words of the source
    words: str  # the draft's words now inside the markup
    sentence: bool = False  # no evidence placed it: it was put around the whole sentence


def wrap(seg: Segment, text: str, source_lang: str, target_lang: str) -> tuple[str, list[Placed]]:
    """`text` (the draft's segment, placeholders numbered as in `seg`) with
    each pair of `seg` that it lacks put around the words found for it; what
    was placed. A pair whose words are not found (or whose place would cross
    other markup) goes around the whole sentence: the draft's words are kept
    and the link's target is not lost; the note asks for its place."""
    missing = [c for c in seg.codes if c.kind == "pair" and c.open and c.close
               and f"<{c.n}>" not in text and f"</{c.n}>" not in text]
    if not missing:
        return text, []
    plain, inner = plain_spans(seg.source)
    hints = default_hints(source_lang, target_lang)
    found: list[tuple[int, int, int]] = []
    placed: list[Placed] = []
    left: list[tuple[Code, str]] = []
    for c in missing:
        span = inner.get(c.n)
        marked = plain[span[0]:span[1]] if span else ""
        allowed = _inside_tokens(seg.source, c.n)

        def fits(where: Span) -> bool:
            s, e = where
            return s < e and all(m.group(0) in allowed for m in PLACEHOLDER_RE.finditer(text, s, e)) and not any(
                a < s < b < e or s < a < e < b for a, b, _ in found)  # crossing other markup

        if span is None or not marked.strip():
            where = _only_codes(text, allowed)  # a link around inline code: `[`x`](url)`
        else:
            where = verbatim(marked, seg.source, text, target_lang)
            if where is None or not fits(where):
                where = _by_engine(hints, plain, span, text, target_lang, fits)
        if where is None or not fits(where):
            left.append((c, marked))
            continue
        s, e = _with_codes(text, where, allowed)
        found.append((s, e, c.n))
        placed.append(Placed(_label(c.label), marked, text[s:e]))
    body = text.strip().rstrip(".!?;:…。！？；：").rstrip()
    if left and body:  # around the whole sentence, and around what was placed in it
        s = min([text.index(body)] + [a for a, _, _ in found])
        e = max([text.index(body) + len(body)] + [b for _, b, _ in found])
        found += [(s, e, c.n) for c, _ in left]
        placed += [Placed(_label(c.label), marked, text[s:e], sentence=True) for c, marked in left]
    return insert_pairs(text, found), placed


def _label(tag: str) -> str:
    return _LABELS.get(tag, tag or "markup")


def verbatim(marked: str, source: str, text: str, lang: str) -> Span | None:
    """The one place `text` has the marked words as they are (a footnote's
    number, a name), when the source has them once and they are not a
    function word."""
    words = marked.strip()
    if not words or all(is_function(w, lang) for w in words.split()):
        return None
    # a footnote's number may be glued to the word before it; Chinese has no spaces between words
    edge = r"\d" if words.isdigit() else r"[A-Za-z0-9]" if lang in _UNSPACED else r"\w"
    pattern = re.compile(rf"(?<!{edge})" + re.escape(words) + rf"(?!{edge})")
    hits = [m.span() for m in pattern.finditer(_masked(text))]
    return hits[0] if len(hits) == 1 and len(pattern.findall(_masked(source))) == 1 else None


def _masked(text: str) -> str:
    """`text` with its placeholders blanked (same length): "año<1>1</1>" has one «1»."""
    return PLACEHOLDER_RE.sub(lambda m: " " * len(m.group(0)), text)


def _by_engine(hints: Hints, plain: str, span: Span, text: str, lang: str, fits: Callable[[Span], bool]) -> Span | None:
    """Where the engine's translation of the sentence puts the marked words
    (`locate`), else where its translation of them alone is, in any order."""
    marked = plain[span[0]:span[1]]
    got = hints.draft(plain, span)
    edges = (not _has_word(plain[:span[0]]), not _has_word(plain[span[1]:]))
    where = locate(got[0], got[1], text, lang, marked, fits, edges) if got else None
    if where is not None:
        return where
    for rendering in hints.source_renderings(marked)[:1]:
        alone = _edges(rendering, (0, len(rendering)), text, same_words(rendering, (0, len(rendering)), text, lang),
                       lang)
        if alone is not None and fits(alone := _punctuation(marked, text, alone)):
            return alone
    return None


def locate(draft: str, span: Span, text: str, lang: str, marked: str,
           fits: Callable[[Span], bool] = lambda _: True,
           sentence_edges: tuple[bool, bool] | None = None) -> Span | None:
    """Where the words of `draft[span]` (the engine's translation of the
    source's `marked` words) are in `text`: the span aligned word by word,
    else its words in another order; widened to where the span's neighbours
    went when only function words and punctuation lie between, or up to the
    sentence's edge where the span begins or ends the sentence (in the
    engine's draft; in the source, over one word at most). Without an
    alignment that `fits`, what lies between the neighbours when it has
    about as many words as the span. Punctuation at the edges as `marked`
    has it."""
    words = _within(content_tokens(draft, lang), span)
    text_words = content_tokens(text, lang)
    lo, hi, at_start, at_end = _neighbours(draft, span, text, lang)
    # the words the engine's span has before its first content word and after its last
    lead = _count(draft[span[0]:words[0].start]) if words else 0
    trail = _count(draft[words[-1].end:span[1]]) if words else 0
    first, last = sentence_edges or (False, False)

    def few(a: int, b: int, most: int) -> bool:
        return not _within(text_words, (a, b)) or _count(text[a:b]) <= most

    def one_word(a: int, b: int) -> bool:
        return len(_within(text_words, (a, b))) <= 1

    for where in (align_span(draft, span, text, lang)[0], same_words(draft, span, text, lang)):
        where = _edges(draft, span, text, where, lang)
        if where is None:
            continue
        s, e = where
        if lo is not None and lo <= s and (at_start or few(lo, s, lead)):
            s = lo
        elif first and one_word(0, s):
            s = 0  # the marked words begin the source's sentence: a word the engine put before them is theirs
        if hi is not None and hi >= e and (at_end or few(e, hi, trail)):
            e = hi
        elif last and one_word(e, len(text)):
            e = len(text)  # «nuestra cobertura anterior» for "our earlier coverage." at the end
        for candidate in ((s, e), where):
            candidate = _punctuation(marked, text, candidate)
            if fits(candidate):
                return candidate
    if lo is None or hi is None or abs(len(_within(text_words, (lo, hi))) - len(words)) > 1:
        return None
    candidate = _punctuation(marked, text, (lo, hi))
    return candidate if fits(candidate) else None


def _only_codes(text: str, allowed: set[str]) -> Span | None:
    """Where `text` has the pair's inner placeholders, in a row."""
    tokens = [m for m in PLACEHOLDER_RE.finditer(text) if m.group(0) in allowed]
    if not tokens or len(tokens) != len(allowed) or any(
            text[a.end():b.start()].strip() for a, b in zip(tokens, tokens[1:])):
        return None
    return tokens[0].start(), tokens[-1].end()


def _with_codes(text: str, where: Span, allowed: set[str]) -> Span:
    """`where` widened over the placeholders next to it that the source has
    inside the pair ("Empezados 🎉" when the link ends with the emoji)."""
    s, e = where
    for m in PLACEHOLDER_RE.finditer(text):
        if m.group(0) in allowed and m.start() >= e and not text[e:m.start()].strip():
            e = m.end()
    for m in reversed(list(PLACEHOLDER_RE.finditer(text, 0, s))):
        if m.group(0) in allowed and not text[m.end():s].strip():
            s = m.start()
    return s, e


def _neighbours(draft: str, span: Span, text: str, lang: str) -> tuple[int | None, int | None, bool, bool]:
    """Where in `text` the span may begin and end by its neighbours: just
    after the place the content word before it went, and just before the
    place the one after it went (each when that word lies in a stretch both
    texts share; None otherwise), the sentence's edges when the span is at
    one; and whether each side is such an edge. Of the function words
    between a neighbour and the span, as many stay outside as the engine's
    draft has there ("es en [esta lima de R]"); the rest go with the span
    ("blog [Lo que significa…]")."""
    a, b = content_tokens(draft, lang), content_tokens(text, lang)
    ia = [i for i, t in enumerate(a) if t.start >= span[0] and t.end <= span[1]]
    if not ia or not b:
        return None, None, False, False
    image: dict[int, int] = {}
    for tag, a1, a2, b1, _ in difflib.SequenceMatcher(None, [t.key for t in a], [t.key for t in b],
                                                      autojunk=False).get_opcodes():
        if tag == "equal":
            image.update({i: b1 + i - a1 for i in range(a1, a2)})
    left, right = ia[0] - 1, ia[-1] + 1
    lo = image.get(left) if left >= 0 else -1
    hi = image.get(right) if right < len(a) else len(b)
    start = end = None
    if lo is not None and lo + 1 < len(b):
        gap = draft[a[left].end if left >= 0 else 0:span[0]]
        after = b[lo].end if lo >= 0 else 0
        start = min(_skip_words(text, after, _count(gap)), b[lo + 1].start)
        while start < len(text) and text[start].isspace():
            start += 1
    if hi is not None and hi >= 1:
        gap = draft[span[1]:a[right].start if right < len(a) else len(draft)]
        before = b[hi].start if hi < len(b) else len(text)
        end = max(_skip_words(text, before, -_count(gap)), b[hi - 1].end)
        while end > 0 and text[end - 1].isspace():
            end -= 1
    if start is not None and end is not None and start >= end:
        return None, None, False, False
    return start, end, left < 0, right >= len(a)


def same_words(draft: str, span: Span, text: str, lang: str) -> Span | None:
    """The one run of `text` whose content words are those of the span in another order."""
    want = sorted(t.key for t in _within(content_tokens(draft, lang), span))
    toks = content_tokens(text, lang)
    runs = [(toks[i].start, toks[i + len(want) - 1].end) for i in range(len(toks) - len(want) + 1)
            if want and sorted(t.key for t in toks[i:i + len(want)]) == want]
    return runs[0] if len(runs) == 1 else None


def _edges(draft: str, span: Span, text: str, where: Span | None, lang: str) -> Span | None:
    """`where` widened by the function words the engine's span has outside
    its content words where `text` has the same ("en nuestro blog")."""
    inside = _within(content_tokens(draft, lang), span)
    if where is None or not inside:
        return where
    s, e = where
    lead, trail = draft[span[0]:inside[0].start], draft[inside[-1].end:span[1]]
    if _has_word(lead) and text[:s].lower().endswith(lead.lower()):
        s -= len(lead)
    if _has_word(trail) and text[e:].lower().startswith(trail.lower()):
        e += len(trail)
    return s, e


def _punctuation(inner: str, text: str, where: Span) -> Span:
    """`where` with the punctuation at its edges that the source's marked
    words have, and without what they do not (Spanish «¿» with «?»)."""
    stripped = inner.strip()
    lead = stripped[:len(stripped) - len(stripped.lstrip(_OPENING))]
    trail = stripped[len(stripped.rstrip(_CLOSING)):]
    lead += "¿" * ("?" in trail) + "¡" * ("!" in trail)
    s, e = where
    for opening, closing in ("()", "[]", "«»", "“”"):  # a bracket the marked words have not closes the span
        if opening not in inner and closing not in inner:
            inside = text[s:e]
            if opening in inside and closing not in inside[inside.index(opening):]:
                e = s + inside.index(opening)
            if closing in text[s:e] and opening not in text[s:s + text[s:e].index(closing)]:
                s += text[s:e].index(closing) + 1
    while e > s and not text[e - 1].isalnum() and text[e - 1] not in trail and not _ends_in_token(text, e):
        e -= 1
    while s < e and not text[s].isalnum() and text[s] not in lead and not PLACEHOLDER_RE.match(text, s):
        s += 1
    while e < len(text) and text[e] in trail:
        e += 1
    while s > 0 and text[s - 1] in lead:
        s -= 1
    return s, e


def _ends_in_token(text: str, e: int) -> bool:
    return text[e - 1] == ">" and any(m.end() == e for m in PLACEHOLDER_RE.finditer(text, max(0, e - 8), e))


def _skip_words(text: str, at: int, n: int) -> int:
    """The position `n` words after `at` in `text` (before it when n < 0),
    at the start (end) of the next word; `at` when n is 0."""
    if n == 0:
        return at
    if n > 0:
        words = [m for m in _WORD.finditer(text, at)]
        return words[n].start() if n < len(words) else len(text)
    words = [m for m in _WORD.finditer(text, 0, at)]
    return words[n - 1].end() if -n < len(words) else 0


_WORD = re.compile(r"(?!</?\d+/?>)\S*\w\S*")  # a word, not a placeholder


def _count(text: str) -> int:
    return len([w for w in text.split() if any(ch.isalnum() for ch in w)])


def _has_word(gap: str) -> bool:
    return any(ch.isalnum() for ch in gap)


def _inside_tokens(source: str, n: int) -> set[str]:
    """The placeholder tokens that the source has inside pair `n`."""
    s, e = source.find(f"<{n}>"), source.find(f"</{n}>")
    return {m.group(0) for m in PLACEHOLDER_RE.finditer(source, s + len(f"<{n}>"), e)} if 0 <= s < e else set()


def _within(tokens: list[Token], span: Span) -> list[Token]:
    return [t for t in tokens if t.start >= span[0] and t.end <= span[1]]


def plain_spans(source: str) -> tuple[str, dict[int, Span]]:
    """A segment's source without placeholders, and where each pair's words lie in it."""
    out: list[str] = []
    opened: dict[int, int] = {}
    spans: dict[int, Span] = {}
    at = length = 0
    for m in PLACEHOLDER_RE.finditer(source):
        out.append(source[at:m.start()])
        length += m.start() - at
        at = m.end()
        n = int(m.group(2))
        if not m.group(1) and not m.group(3):
            opened[n] = length
        elif m.group(1) and n in opened:
            spans[n] = (opened[n], length)
    out.append(source[at:])
    return "".join(out), spans


def insert_pairs(text: str, spans: list[tuple[int, int, int]]) -> str:
    """`<n>`…`</n>` around each (start, end, n) of `text` (spans nest or are apart)."""
    events = sorted([(s, 1, -(e - s), n, f"<{n}>") for s, e, n in spans]
                    + [(e, 0, e - s, -n, f"</{n}>") for s, e, n in spans])
    out, at = [], 0
    for pos, *_, token in events:
        out += [text[at:pos], token]
        at = pos
    return "".join(out) + text[at:]
