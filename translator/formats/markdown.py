"""Markdown (CommonMark + GFM tables + footnotes + raw HTML + front matter) → blocks.

markdown-it-py parses the structure; it gives line ranges for blocks but no
positions for inline tokens, so each inline token is aligned back onto the
source here (escapes and entities included). Raw HTML blocks go through the
HTML scanner; fenced and indented code, reference definitions, and Hugo code
shortcodes ({{< highlight >}}) are never translated. A paragraph that cannot
be aligned is left untranslated with a warning rather than guessed at.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from translator.document import Block, Markup, Piece, Text
from translator.formats import frontmatter
from translator.formats.html import ATOMIC_INLINE, VOID_TAGS, parse_html

_CODE_SHORTCODE = re.compile(
    r"\{\{[<%]\s*(highlight|code|raw|mermaid|math|katex)\b.*?[>%]\}\}.*?\{\{[<%]\s*/\1\s*[>%]\}\}", re.S
)
_PREFIX = re.compile(
    r"(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])|#{1,6}(?=[ \t]|$)|\[\^[^\]\s]+\]:))*[ \t]*"
)
_QUOTE_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*")
_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HTML_OPEN = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>\Z", re.S)
_HTML_CLOSE = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>\Z")


class AlignError(Exception):
    pass


@dataclass
class Parsed:
    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)


def parser():
    """The Markdown dialect of newsletters: CommonMark with raw HTML, GFM
    tables and strikethrough, footnotes. Every module that parses Markdown
    (this one, the writer, the structure gate) uses this one."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    return (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .enable("strikethrough")
        .use(footnote_plugin)
    )


def parse_markdown(text: str, translate_lists: bool = False) -> Parsed:
    blocks: list[Block] = []
    masked = text
    excluded: list[tuple[int, int]] = []
    fm = frontmatter.find(text)
    if fm:
        blocks.extend(frontmatter.blocks(text, fm, translate_lists))
        excluded.append((0, fm.stop))
    for m in _CODE_SHORTCODE.finditer(text):
        excluded.append(m.span())
    for a, b in excluded:  # blank them out, keeping line numbers
        masked = masked[:a] + re.sub(r"[^\n]", " ", masked[a:b]) + masked[b:]
    aligner = _Aligner(text)
    warnings: list[str] = []
    tokens = parser().parse(masked)
    containers: list[str] = []
    row_cells: dict[int, list[tuple[int, int]]] = {}
    cell_index: dict[int, int] = {}
    for i, tok in enumerate(tokens):
        if tok.nesting == 1 and tok.type.endswith("_open"):
            containers.append(tok.type[:-5])
        elif tok.nesting == -1:
            if containers:
                containers.pop()
        if tok.type == "html_block" and tok.map:
            a, b = aligner.line_span(*tok.map)
            blocks.extend(parse_html(text[a:b], base=a))
            continue
        if tok.type != "inline" or not tok.map:
            continue
        parent = containers[-1] if containers else "paragraph"
        kind = _kind(containers, tokens[i - 1])
        try:
            if parent in ("th", "td"):
                line = tok.map[0]
                cells = row_cells.setdefault(line, _table_cells(text, aligner.line_starts, line))
                k = cell_index.get(line, 0)
                cell_index[line] = k + 1
                start, end = cells[k]
                pieces = aligner.align(tok.children or [], start, end, in_quote=False)
                escape = "markdown-table"
            else:
                start = aligner.content_start(tok.map[0], tok.content)
                pieces = aligner.align(tok.children or [], start, None, in_quote="blockquote" in containers)
                escape = "markdown"
        except (AlignError, IndexError):
            warnings.append(f"line {tok.map[0] + 1}: could not map this {kind} onto the source; left untranslated")
            continue
        pieces = _close_unpaired(pieces)
        if pieces and any(isinstance(p, Text) and re.search(r"[^\W\d_]", p.text) for p in pieces):
            blocks.append(Block(0, kind, pieces[0].start, pieces[-1].end, tuple(pieces), escape))
    blocks = [b for b in blocks if not any(a <= b.start < z for a, z in excluded[1 if fm else 0:])]
    blocks.sort(key=lambda b: b.start)
    return Parsed([_reindex(b, i) for i, b in enumerate(blocks)], warnings)


def _reindex(b: Block, i: int) -> Block:
    return Block(i, b.kind, b.start, b.end, b.pieces, b.escape, b.indent)


def _kind(containers: list[str], opener) -> str:
    if opener.type == "heading_open":
        return opener.tag
    for c in reversed(containers):
        if c in ("th", "td"):
            return c
        if c == "list_item":
            return "li"
        if c == "blockquote":
            return "blockquote"
        if c == "footnote":
            return "footnote"
    return "p"


def _atomic_open(content: str) -> str | None:
    """The tag name when `content` opens an element kept whole (<kbd>, <code> …)."""
    m = _HTML_OPEN.match(content)
    if m and not m.group(2) and m.group(1).lower() in ATOMIC_INLINE:
        return m.group(1).lower()
    return None


def _table_cells(text: str, line_starts: list[int], line: int) -> list[tuple[int, int]]:
    a = line_starts[line]
    b = line_starts[line + 1] - 1 if line + 1 < len(line_starts) else len(text)
    row = text[a:b]
    bars = [m.start() for m in re.finditer(r"(?<!\\)\|", row)]
    stripped = row.strip()
    edges = []
    lo = 0
    for bar in bars:
        edges.append((lo, bar))
        lo = bar + 1
    edges.append((lo, len(row)))
    if stripped.startswith("|"):
        edges = edges[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        edges = edges[:-1]
    cells = []
    for s, e in edges:
        while s < e and row[s] in " \t":
            s += 1
        while e > s and row[e - 1] in " \t":
            e -= 1
        cells.append((a + s, a + e))
    return cells


def _close_unpaired(pieces: list[Piece]) -> list[Piece]:
    """Pairs whose other half is not in this block become single markup."""
    opens = {p.pair for p in pieces if isinstance(p, Markup) and p.role == "open"}
    closes = {p.pair for p in pieces if isinstance(p, Markup) and p.role == "close"}
    out = []
    for p in pieces:
        if isinstance(p, Markup) and p.role in ("open", "close") and (p.pair not in opens or p.pair not in closes):
            p = Markup(p.start, p.end, "void", p.name)
        out.append(p)
    return out


class _Aligner:
    def __init__(self, text: str):
        self.src = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.next_pair = 0

    def line_span(self, first: int, last: int) -> tuple[int, int]:
        a = self.line_starts[first]
        b = self.line_starts[last] if last < len(self.line_starts) else len(self.src)
        return a, b

    def content_start(self, line: int, content: str) -> int:
        a = self.line_starts[line]
        first = content.split("\n", 1)[0]
        m = _PREFIX.match(self.src, a)
        pos = m.end() if m else a
        if self.src.startswith(first, pos):
            return pos
        line_end = self.src.find("\n", a)
        found = self.src.find(first, a, line_end if line_end >= 0 else len(self.src))
        if found < 0 or not first:
            raise AlignError(f"line {line + 1}")
        return found

    def align(self, children, start: int, end: int | None, in_quote: bool) -> list[Piece]:
        self.in_quote = in_quote
        self.pos = start
        self.stack: list[tuple[str, int]] = []
        pieces: list[Piece] = []
        self._children(children, pieces)
        if end is not None and self.pos > end:
            raise AlignError("ran past the cell")
        return pieces

    def _children(self, children, pieces: list[Piece]) -> None:
        i = 0
        while i < len(children):
            tok = children[i]
            t = tok.type
            if t == "text":
                pieces.extend(self._text(tok.content))
            elif t == "softbreak":
                pieces.append(self._newline(" "))
            elif t == "hardbreak":
                start = self.pos
                m = re.compile(r"(?: {2,}|\\)?[ \t]*\n").match(self.src, self.pos)
                if not m:
                    raise AlignError("hard break")
                self.pos = m.end()
                self._skip_prefix()
                pieces.append(Markup(start, self.pos, "break", "br"))
            elif t in ("em_open", "strong_open", "s_open"):
                self._expect(tok.markup)
                pieces.append(self._open(t[:-5], self.pos - len(tok.markup)))
            elif t in ("em_close", "strong_close", "s_close"):
                self._expect(tok.markup)
                pieces.append(self._close(t[:-6], self.pos - len(tok.markup)))
            elif t == "link_open" and tok.markup in ("autolink", "linkify"):
                start = self.pos
                if self.src.startswith("<", start):
                    self.pos = self.src.index(">", start) + 1
                else:
                    self.pos = start + len(str(tok.attrs.get("href", "")))
                pieces.append(Markup(start, self.pos, "void", "url"))
                while i < len(children) and children[i].type != "link_close":
                    i += 1
            elif t == "link_open":
                self._expect("[")
                pieces.append(self._open("link", self.pos - 1))
            elif t == "link_close":
                start = self.pos
                self._expect("]")
                self._link_tail()
                pieces.append(self._close("link", start))
            elif t == "image":
                start = self.pos
                self._expect("![")
                pieces.append(self._open("image", start))
                self._children(tok.children or [], pieces)
                close = self.pos
                self._expect("]")
                self._link_tail()
                pieces.append(self._close("image", close))
            elif t == "code_inline":
                start = self.pos
                ticks = re.compile("`+").match(self.src, start)
                if not ticks:
                    raise AlignError("code span")
                run = ticks.group(0)
                close = re.compile(r"(?<!`)" + run + r"(?!`)").search(self.src, ticks.end())
                if not close:
                    raise AlignError("code span")
                self.pos = close.end()
                pieces.append(Markup(start, self.pos, "void", "code"))
            elif t == "html_inline" and (atomic := _atomic_open(tok.content)):
                start = self.pos
                self._expect(tok.content)
                close = re.compile(rf"</{atomic}\s*>", re.I).search(self.src, self.pos)
                if not close:
                    raise AlignError(f"<{atomic}> without its closing tag")
                self.pos = close.end()
                pieces.append(Markup(start, self.pos, "void", atomic))
                while i + 1 < len(children) and not (
                    children[i + 1].type == "html_inline" and _HTML_CLOSE.match(children[i + 1].content)
                    and _HTML_CLOSE.match(children[i + 1].content).group(1).lower() == atomic
                ):
                    i += 1
                i += 1  # the closing tag
            elif t == "html_inline":
                pieces.append(self._html(tok.content))
            elif t == "footnote_ref":
                start = self.pos
                m = re.compile(r"\[\^[^\]]*\]").match(self.src, start)
                if not m:
                    raise AlignError("footnote")
                self.pos = m.end()
                pieces.append(Markup(start, self.pos, "void", "footnote"))
            else:
                raise AlignError(f"unexpected inline token {t}")
            i += 1

    # --- pieces ------------------------------------------------------------
    def _expect(self, s: str) -> None:
        if not self.src.startswith(s, self.pos):
            raise AlignError(f"expected {s!r} at {self.pos}")
        self.pos += len(s)

    def _open(self, name: str, start: int) -> Markup:
        pair = self.next_pair
        self.next_pair += 1
        self.stack.append((name, pair))
        return Markup(start, self.pos, "open", name, pair)

    def _close(self, name: str, start: int) -> Markup:
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == name:
                _, pair = self.stack.pop(k)
                return Markup(start, self.pos, "close", name, pair)
        return Markup(start, self.pos, "void", name)

    def _html(self, content: str) -> Markup:
        start = self.pos
        self._expect(content)
        m = _HTML_CLOSE.match(content)
        if m:
            return self._close("html:" + m.group(1).lower(), start)
        m = _HTML_OPEN.match(content)
        if m and not content.startswith("<!") and not content.startswith("<?"):
            tag = m.group(1).lower()
            if tag == "br":
                return Markup(start, self.pos, "break", "br")
            if m.group(2) or tag in VOID_TAGS:
                return Markup(start, self.pos, "void", tag)
            return self._open("html:" + tag, start)
        return Markup(start, self.pos, "void", "html")

    def _newline(self, text: str) -> Text:
        start = self.pos
        m = re.compile(r"[ \t]*\n").match(self.src, self.pos)
        if not m:
            raise AlignError("soft break")
        self.pos = m.end()
        self._skip_prefix()
        return Text(start, self.pos, text)

    def _skip_prefix(self) -> None:
        pattern = _QUOTE_PREFIX if self.in_quote else re.compile(r"[ \t]*")
        self.pos = pattern.match(self.src, self.pos).end()

    def _link_tail(self) -> None:
        """Consume `(dest "title")`, `[ref]` or nothing after a link's `]`."""
        src, p = self.src, self.pos
        if src.startswith("(", p):
            depth, i = 0, p
            quote = None
            while i < len(src):
                c = src[i]
                if c == "\\":
                    i += 2
                    continue
                if quote:
                    if c == quote:
                        quote = None
                elif c in "\"'" and src[i - 1] in " \t\n":
                    quote = c
                elif c == "<" and src[i - 1] in "( \t\n":
                    close = src.find(">", i)
                    i = close if close > 0 else i
                elif c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                    if depth == 0:
                        self.pos = i + 1
                        return
                i += 1
            raise AlignError("unterminated link")
        if src.startswith("[", p):
            close = src.find("]", p)
            if close < 0:
                raise AlignError("reference")
            self.pos = close + 1

    def _text(self, text: str) -> list[Text]:
        """Match decoded text against the source from the cursor; escapes
        and entities become pieces of their own (their raw form differs)."""
        src, pos = self.src, self.pos
        out: list[Text] = []
        run = pos
        k = 0
        n = len(src)
        while k < len(text):
            ch = text[k]
            c = src[pos] if pos < n else ""
            escape = c == "\\" and pos + 1 < n and src[pos + 1] in _ASCII_PUNCT
            entity = _ENTITY.match(src, pos) if c == "&" else None
            if c == ch and not escape and not (entity and text.startswith(html.unescape(entity.group(0)), k)
                                               and entity.group(0) != html.unescape(entity.group(0))):
                pos += 1
                k += 1
                continue
            if run < pos:
                out.append(Text(run, pos, src[run:pos]))
            if escape and src[pos + 1] == ch:
                out.append(Text(pos, pos + 2, ch))
                pos += 2
                k += 1
            elif entity:
                decoded = html.unescape(entity.group(0))
                if not text.startswith(decoded, k):
                    raise AlignError("entity")
                out.append(Text(pos, entity.end(), decoded))
                pos = entity.end()
                k += len(decoded)
            elif ch == "\ufffd" and c == "\x00":
                out.append(Text(pos, pos + 1, ch))
                pos += 1
                k += 1
            else:
                raise AlignError(f"text {text!r} does not match the source at {pos}")
            run = pos
        if run < pos:
            out.append(Text(run, pos, src[run:pos]))
        self.pos = pos
        return out
