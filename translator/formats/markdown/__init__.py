"""Markdown (CommonMark + GFM tables + footnotes + raw HTML + front matter) → blocks.

markdown-it-py parses the structure; it gives line ranges for blocks but no
positions for inline tokens, so each inline token is aligned back onto the
source (`align`, escapes and entities included). Raw HTML blocks go through
the HTML scanner; fenced and indented code, reference definitions, and Hugo
code shortcodes ({{< highlight >}}) are never translated. A paragraph that
cannot be aligned is left untranslated with a warning rather than guessed at.
"""

from __future__ import annotations

import re

from translator.document import Block, Escape, Markup, Piece, Text
from translator.formats import frontmatter
from translator.formats.base import LOOKS_LIKE, NO, SAYS_SO, Format, Parsed, lang_value
from translator.formats.escape import escape
from translator.formats.html import parse_html
from translator.formats.markdown.align import AlignError, _Aligner

__all__ = ["AlignError", "FORMATS", "parse_markdown", "parser"]

_CODE_SHORTCODE = re.compile(
    r"\{\{[<%]\s*(highlight|code|raw|mermaid|math|katex)\b.*?[>%]\}\}.*?\{\{[<%]\s*/\1\s*[>%]\}\}", re.S
)


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


class _Tables:
    """The cells of each table row, handed out in order to its inline tokens."""

    def __init__(self, text: str, line_starts: list[int]):
        self.text, self.line_starts = text, line_starts
        self.rows: dict[int, list[tuple[int, int]]] = {}
        self.used: dict[int, int] = {}

    def next_cell(self, line: int) -> tuple[int, int]:
        cells = self.rows.setdefault(line, _table_cells(self.text, self.line_starts, line))
        k = self.used.get(line, 0)
        self.used[line] = k + 1
        return cells[k]


def parse_markdown(text: str, translate_lists: bool = False) -> Parsed:
    blocks: list[Block] = []
    fm = frontmatter.find(text)
    if fm:
        blocks.extend(frontmatter.blocks(text, fm, translate_lists))
    excluded = ([(0, fm.stop)] if fm else []) + [m.span() for m in _CODE_SHORTCODE.finditer(text)]
    warnings: list[str] = []
    blocks.extend(_body_blocks(text, _masked(text, excluded), warnings))
    blocks = [b for b in blocks if not any(a <= b.start < z for a, z in excluded[1 if fm else 0:])]
    blocks.sort(key=lambda b: b.start)
    return Parsed(tuple(_reindex(b, i) for i, b in enumerate(blocks)), tuple(warnings))


def _body_blocks(text: str, masked: str, warnings: list[str]) -> list[Block]:
    """The blocks of the Markdown body: raw HTML blocks through the HTML
    scanner, each inline token aligned onto the source (or a warning)."""
    aligner = _Aligner(text)
    tables = _Tables(text, aligner.line_starts)
    tokens = parser().parse(masked)
    blocks: list[Block] = []
    containers: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.nesting == 1 and tok.type.endswith("_open"):
            containers.append(tok.type[:-5])
        elif tok.nesting == -1 and containers:
            containers.pop()
        if tok.type == "html_block" and tok.map:
            a, b = aligner.line_span(*tok.map)
            blocks.extend(parse_html(text[a:b], base=a))
        elif tok.type == "inline" and tok.map:
            kind = _kind(containers, tokens[i - 1])
            try:
                block = _inline_block(aligner, tables, tok, containers, kind)
            except (AlignError, IndexError):
                warnings.append(f"line {tok.map[0] + 1}: could not map this {kind} onto the source; left untranslated")
                continue
            if block:
                blocks.append(block)
    return blocks


def _masked(text: str, excluded: list[tuple[int, int]]) -> str:
    """The text with the excluded spans blanked out, keeping line numbers."""
    for a, b in excluded:
        text = text[:a] + re.sub(r"[^\n]", " ", text[a:b]) + text[b:]
    return text


def _inline_block(aligner: _Aligner, tables: _Tables, tok, containers: list[str], kind: str) -> Block | None:
    """The block of one inline token (a paragraph, heading, cell …), or None
    when it has no letters to translate. Raises AlignError."""
    parent = containers[-1] if containers else "paragraph"
    escape_kind: Escape
    if parent in ("th", "td"):
        start, end = tables.next_cell(tok.map[0])
        pieces = aligner.align(tok.children or [], start, end, in_quote=False)
        escape_kind = "markdown-table"
    else:
        start = aligner.content_start(tok.map[0], tok.content)
        pieces = aligner.align(tok.children or [], start, None, in_quote="blockquote" in containers)
        escape_kind = "markdown"
    pieces = _close_unpaired(pieces)
    if pieces and any(isinstance(p, Text) and re.search(r"[^\W\d_]", p.text) for p in pieces):
        return Block(0, kind, pieces[0].start, pieces[-1].end, tuple(pieces), escape_kind)
    return None


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


# --- the format ----------------------------------------------------------------

_LOOKS_LIKE = re.compile(r"(?m)^(#{1,6} |[-*] |\d+\. |```)|\[[^\]]+\]\([^)]+\)")


def _sniff(text: str) -> int:
    if re.match(r"(---|\+\+\+)[ \t]*\n", text):
        return SAYS_SO  # front matter
    return LOOKS_LIKE if _LOOKS_LIKE.search(text[:5000]) else NO


def _declare_language(text: str, source_lang: str, target_lang: str) -> str:
    """`lang:`, `language:`, `languageCode:` or `locale:` in front matter."""
    fm = frontmatter.find(text)
    if not fm:
        return text
    body = re.sub(rf"(?m)^((?:lang|language|languageCode|locale)\s*[:=]\s*[\"']?){lang_value(source_lang)}"
                  r"(?=[\"']?\s*$)", rf"\g<1>{target_lang}", text[fm.start:fm.end])
    return text[:fm.start] + body + text[fm.end:]


FORMATS = (Format(
    name="markdown", suffixes=(".md", ".markdown", ".mdown", ".mkd", ".rmd"), aliases=("md",), order=20,
    sniff=_sniff, parse=parse_markdown, escape=lambda text: escape(text, "markdown"),
    markup=True, link_references=True, front_matter=True, xliff_datatype="x-markdown", declare_language=_declare_language,
),)
