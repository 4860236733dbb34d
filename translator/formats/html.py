"""HTML → blocks, by source offsets.

A tree parser (bs4 with lxml or html5lib) would re-serialise the document and
change bytes we must keep (attribute quoting, entities, whitespace). So this
module scans the source with the standard library's tolerant HTMLParser and
records where every tag, text run and attribute value sits; blocks are
regions of the original text. bs4 is used later to re-parse and compare.

Block-level elements delimit blocks; inline elements inside them become
Markup pieces (placeholders later); script/style/pre/code/textarea/svg/math
content and comments are never translated; `alt`, `title`, `placeholder`,
`aria-label` and `<meta name=description content=…>` values are blocks of
their own.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from html.parser import HTMLParser

from translator.document import Block, Escape, Markup, Piece, Text
from translator.errors import InputError
from translator.formats.base import LOOKS_LIKE, NO, SAYS_SO, Format, Parsed, lang_value
from translator.formats.escape import escape

BLOCK_TAGS = frozenset(
    """address article aside blockquote body caption center col colgroup dd details dialog dir
    div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header
    hgroup hr html iframe legend li link main menu meta nav noframes ol optgroup option p
    picture section select source summary table tbody td tfoot th thead title tr track ul
    video audio embed object canvas base body""".split()
)
# Content never sent to an engine.
SKIP_TAGS = frozenset("script style pre textarea svg math template noscript iframe object canvas".split())
VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Inline elements whose whole content is kept verbatim (one placeholder).
ATOMIC_INLINE = frozenset("code kbd samp var script style svg math".split())
TRANSLATABLE_ATTRS = frozenset("alt title placeholder aria-label".split())
META_NAMES = frozenset(
    "description og:title og:description twitter:title twitter:description".split()
)

_ATTR_RE = re.compile(
    r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_LETTER_RE = re.compile(r"[^\W\d_]")


def parse_html(text: str, base: int = 0) -> list[Block]:
    """The blocks of an HTML document or fragment. `base` shifts offsets
    (for HTML embedded in Markdown). Raises InputError on markup that is
    too broken to reassemble safely."""
    scanner = _Scanner(text, base)
    scanner.run()
    return scanner.blocks


@dataclass
class _Open:
    name: str
    pair: int
    index: int  # position in the current pieces list


@dataclass
class _State:
    pieces: list[Piece] = field(default_factory=list)
    opens: list[_Open] = field(default_factory=list)
    kind: str = "p"


class _Scanner(HTMLParser):
    def __init__(self, text: str, base: int):
        super().__init__(convert_charrefs=False)
        self.src = text
        self.base = base
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.blocks: list[Block] = []
        self.attr_blocks: list[Block] = []
        self.cur = _State()
        self.kinds: list[str] = []  # stack of block-level element names
        self.skip: list[str] = []  # open skip elements (content not translated)
        self.atomic: tuple[str, int, int] | None = None  # (tag, start offset, depth)
        self.next_pair = 0

    # --- driving ---------------------------------------------------------
    def run(self) -> None:
        self.feed(self.src)
        self.close()
        if self.atomic is not None:
            name, start, _ = self.atomic
            raise InputError(f"malformed HTML: <{name}> opened at line {self._line(start)} is never closed")
        if self.skip:
            raise InputError(
                f"malformed HTML: <{self.skip[-1]}> is never closed, so nothing after it could be translated"
            )
        self._flush()
        blocks = sorted(self.blocks + self.attr_blocks, key=lambda b: b.start)
        self.blocks = [
            Block(i, b.kind, b.start, b.end, b.pieces, b.escape) for i, b in enumerate(blocks)
        ]

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _line(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    # --- HTMLParser callbacks -----------------------------------------------
    def handle_starttag(self, tag, attrs):
        self._start(tag, self.get_starttag_text() or "", closed=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, self.get_starttag_text() or "", closed=True)

    def handle_endtag(self, tag):
        start = self._pos()
        end = self.src.find(">", start) + 1 or len(self.src)
        self._end(tag, start, end)

    def handle_data(self, data):
        start = self._pos()
        self._text(start, start + len(data), data)

    def handle_entityref(self, name):
        self._entity(f"&{name}")

    def handle_charref(self, name):
        self._entity(f"&#{name}")

    def handle_comment(self, data):
        start = self._pos()
        end = self.src.find("-->", start)
        if end < 0:
            raise InputError(f"malformed HTML: comment at line {self._line(start)} is never closed")
        self._void(start, end + 3, "comment")

    def handle_decl(self, decl):
        self._flush()

    def handle_pi(self, data):
        self._flush()

    def unknown_decl(self, data):
        start = self._pos()
        end = self.src.find("]]>", start)
        self._void(start, (end + 3) if end >= 0 else start + len(data) + 4, "cdata")

    # --- building blocks -----------------------------------------------------
    def _entity(self, ref: str) -> None:
        start = self._pos()
        end = start + len(ref)
        if end < len(self.src) and self.src[end] == ";":
            end += 1
        self._text(start, end, html.unescape(self.src[start:end]))

    def _text(self, start: int, end: int, decoded: str) -> None:
        if self.skip or self.atomic:
            return
        if decoded == "<" and re.match(r"<[A-Za-z!/?]", self.src[start:start + 2]):
            # HTMLParser hands back a tag or comment it could not finish as text
            raise InputError(f"malformed HTML: the tag at line {self._line(start)} is never closed (missing '>')")
        self.cur.pieces.append(Text(self.base + start, self.base + end, decoded))

    def _void(self, start: int, end: int, name: str) -> None:
        if self.skip or self.atomic:
            return
        self.cur.pieces.append(Markup(self.base + start, self.base + end, "void", name))

    def _start(self, tag: str, raw: str, closed: bool) -> None:
        start = self._pos()
        end = start + len(raw)
        if self.atomic:
            name, astart, depth = self.atomic
            if tag == name and not closed:
                self.atomic = (name, astart, depth + 1)
            return
        self._attr_blocks(tag, raw, start)
        if self.skip:
            if tag in SKIP_TAGS and not closed and tag not in VOID_TAGS:
                self.skip.append(tag)
            return
        if tag in SKIP_TAGS and not closed:
            self._flush()
            self.skip.append(tag)
            return
        if tag in BLOCK_TAGS:
            self._flush()
            if tag not in VOID_TAGS and not closed:
                self.kinds.append(tag)
            return
        if tag in ATOMIC_INLINE and not closed:
            self.atomic = (tag, start, 1)
            return
        self._inline_start(tag, start, end, closed)

    def _inline_start(self, tag: str, start: int, end: int, closed: bool) -> None:
        """An inline tag: a break, a single tag, or one that opens a pair."""
        if tag == "br":
            self.cur.pieces.append(Markup(self.base + start, self.base + end, "break", tag))
        elif tag in VOID_TAGS or closed:
            self.cur.pieces.append(Markup(self.base + start, self.base + end, "void", tag))
        else:
            pair = self.next_pair
            self.next_pair += 1
            self.cur.opens.append(_Open(tag, pair, len(self.cur.pieces)))
            self.cur.pieces.append(Markup(self.base + start, self.base + end, "open", tag, pair))

    def _end(self, tag: str, start: int, end: int) -> None:
        if self.atomic:
            self._end_atomic(tag, end)
            return
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            elif tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag in BLOCK_TAGS or tag in SKIP_TAGS:
            self._flush()
            if tag in self.kinds:
                while self.kinds and self.kinds.pop() != tag:
                    pass
            return
        self._inline_end(tag, start, end)

    def _end_atomic(self, tag: str, end: int) -> None:
        """Inside an element kept whole: its own closing tag ends it (nested ones counted)."""
        assert self.atomic is not None
        name, astart, depth = self.atomic
        if tag != name:
            return
        if depth > 1:
            self.atomic = (name, astart, depth - 1)
            return
        self.atomic = None
        if not self.skip:
            self.cur.pieces.append(Markup(self.base + astart, self.base + end, "void", name))

    def _inline_end(self, tag: str, start: int, end: int) -> None:
        """An inline closing tag: it closes the last open pair of its name, else stays single markup."""
        for k in range(len(self.cur.opens) - 1, -1, -1):
            if self.cur.opens[k].name == tag:
                op = self.cur.opens.pop(k)
                self.cur.pieces.append(Markup(self.base + start, self.base + end, "close", tag, op.pair))
                return
        # a close tag with no open tag in this block: keep it, as markup
        self.cur.pieces.append(Markup(self.base + start, self.base + end, "void", "/" + tag))

    def _flush(self) -> None:
        state, self.cur = self.cur, _State()
        pieces = state.pieces
        for op in state.opens:  # opened here, closed in another block: keep as is
            m = pieces[op.index]
            assert isinstance(m, Markup)
            pieces[op.index] = Markup(m.start, m.end, "void", m.name)
        if not any(isinstance(p, Text) and _LETTER_RE.search(p.text) for p in pieces):
            return
        kind = self.kinds[-1] if self.kinds else "p"
        pieces = _trim_space(pieces)
        self.blocks.append(Block(0, kind, pieces[0].start, pieces[-1].end, tuple(pieces), "html"))

    def _attr_blocks(self, tag: str, raw: str, start: int) -> None:
        """Translatable attribute values of this start tag become blocks."""
        if not raw:
            return
        inner_start = len(tag) + 1
        attrs = {}
        spans = []
        for m in _ATTR_RE.finditer(raw, inner_start):
            name = m.group(1).lower()
            for g, quote in ((2, '"'), (3, "'"), (4, "")):
                if m.group(g) is not None:
                    attrs[name] = m.group(g)
                    spans.append((name, m.start(g), m.end(g), quote))
                    break
        for name, s, e, quote in spans:
            wanted = name in TRANSLATABLE_ATTRS or (
                tag == "meta" and name == "content"
                and (attrs.get("name", "") or attrs.get("property", "")).lower() in META_NAMES
            )
            value = html.unescape(raw[s:e])
            if not wanted or not _LETTER_RE.search(value) or self.skip:
                continue
            a, b = self.base + start + s, self.base + start + e
            quoting: dict[str, Escape] = {'"': "html-attr-dq", "'": "html-attr-sq", "": "html-attr-uq"}
            kind = f"attr:{name}" if tag != "meta" else "meta:" + attrs.get("name", attrs.get("property", ""))
            self.attr_blocks.append(Block(0, kind, a, b, tuple(text_pieces(raw[s:e], a)), quoting[quote]))


_CHARREF = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def text_pieces(raw: str, base: int) -> list[Text]:
    """Text pieces for raw HTML text: plain runs, and each character
    reference as a piece of its own (its raw form differs from its meaning)."""
    out, pos = [], 0
    for m in _CHARREF.finditer(raw):
        decoded = html.unescape(m.group(0))
        if decoded == m.group(0):
            continue
        if pos < m.start():
            out.append(Text(base + pos, base + m.start(), raw[pos:m.start()]))
        out.append(Text(base + m.start(), base + m.end(), decoded))
        pos = m.end()
    if pos < len(raw):
        out.append(Text(base + pos, base + len(raw), raw[pos:]))
    return out


def _trim_space(pieces: list[Piece]) -> list[Piece]:
    """Drop whitespace-only text at the edges of a block; trim edge text."""
    pieces = list(pieces)
    while pieces and isinstance(pieces[0], Text) and not pieces[0].text.strip():
        pieces.pop(0)
    while pieces and isinstance(pieces[-1], Text) and not pieces[-1].text.strip():
        pieces.pop()
    return pieces


# --- the format ----------------------------------------------------------------

_HTML_ROOT = re.compile(r"<html\b[^>]*>", re.I)
_HTML_TAGS = re.compile(r"<(p|div|table|body|h[1-6]|ul|ol|li|span|a)\b[^>]*>")


def _sniff(text: str) -> int:
    head = text.lstrip()[:2000].lower()
    if head.startswith(("<!doctype html", "<html")):
        return SAYS_SO
    return LOOKS_LIKE if _HTML_TAGS.search(head) else NO


def _declare_language(text: str, source_lang: str, target_lang: str) -> str:
    """`<html lang>` and `xml:lang` of the page."""
    m = _HTML_ROOT.search(text)
    if not m:
        return text
    tag = re.sub(rf'(\s(?:xml:)?lang\s*=\s*["\']?){lang_value(source_lang)}(?=["\'\s>])', rf"\g<1>{target_lang}",
                 m.group(0), flags=re.I)
    return text[:m.start()] + tag + text[m.end():]


FORMATS = (Format(
    name="html", suffixes=(".html", ".htm", ".xhtml"), order=10, sniff=_sniff,
    parse=lambda text, translate_lists: Parsed(tuple(parse_html(text))),
    escape=lambda text: escape(text, "html"), markup=True, xliff_datatype="html",
    declare_language=_declare_language,
),)
