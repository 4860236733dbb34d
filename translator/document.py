"""The data model shared by every stage.

A document is its decoded text plus an ordered list of blocks. A block is a
region of that text whose content is translatable; everything outside blocks
(tags, Markdown syntax, front-matter keys, code) is never sent anywhere and is
written back byte for byte. Inside a block, the format parser marks which
parts are text and which are inline markup (`Text` and `Markup` pieces);
segmentation turns those into sentence `Segment`s whose markup is replaced by
numbered placeholders (`<1>…</1>`, `<2/>`) that an engine must keep.

All positions are offsets into `Document.text` (half-open `[start, end)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Hashable, Iterable, Literal

Severity = Literal["minor", "major", "critical"]
Category = Literal["accuracy", "fluency", "terminology", "style", "locale", "markup"]
Origin = Literal["llm", "check", "glossary", "engine", "estimate"]  # "estimate": the quality estimate (qa/qe)
Status = Literal["applied", "rejected", "open"]

SEVERITIES: tuple[Severity, ...] = ("minor", "major", "critical")
CATEGORIES: tuple[Category, ...] = ("accuracy", "fluency", "terminology", "style", "locale", "markup")
SEVERITY_WEIGHT: dict[str, int] = {"minor": 1, "major": 5, "critical": 25}


def severity_at_least(severity: str, threshold: str) -> bool:
    return SEVERITIES.index(severity) >= SEVERITIES.index(threshold)


# --- what a format parser produces -------------------------------------------


@dataclass(frozen=True)
class Text:
    """Plain text inside a block: `text` is what the raw span means (entities
    and escapes decoded, soft line breaks turned into spaces)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Markup:
    """Inline markup inside a block.

    role: "open"/"close" for the two halves of a pair (`<b>` … `</b>`,
    `**` … `**`, `[` … `](url)`), sharing `pair`; "void" for self-contained
    markup (`<img>`, inline code, an HTML comment); "break" for a line break
    that should also end a sentence (`<br>`, a hard break).
    """

    start: int
    end: int
    role: Literal["open", "close", "void", "break"]
    name: str = ""
    pair: int | None = None


Piece = Text | Markup

# How changed text is escaped when it is written back into a block.
Escape = Literal[
    "html", "html-attr-dq", "html-attr-sq", "html-attr-uq", "markdown", "markdown-table",
    "yaml-plain", "yaml-dq", "yaml-sq", "yaml-block", "toml-dq", "text",
]


@dataclass(frozen=True)
class Block:
    """A translatable region: one paragraph, heading, list item, table cell,
    attribute value, front-matter value or text line."""

    index: int
    kind: str  # "p", "h2", "li", "td", "attr:alt", "meta:title", "line", "transcript" …
    start: int
    end: int
    pieces: tuple[Piece, ...]
    escape: Escape = "text"
    indent: str = ""  # for yaml-block scalars: the indentation of continuation lines


# --- what segmentation produces ----------------------------------------------


@dataclass(frozen=True)
class Code:
    """One placeholder of a segment. `n` is the number the engine sees.
    kind "pair": `<n>` (span `open`) … `</n>` (span `close`); both may not be
    in the same segment when markup spans a sentence boundary, then only
    the half that is present appears. kind "void": `<n/>` (span `open`)."""

    n: int
    kind: Literal["pair", "void"]
    open: tuple[int, int] | None
    close: tuple[int, int] | None = None
    label: str = ""  # "a", "strong", "url", "code", "emoji", "shortcode" …


@dataclass(frozen=True)
class Segment:
    id: str  # "s1", "s2", … in document order
    block: int
    start: int
    end: int
    source: str  # text with placeholder tokens; what engines see
    codes: tuple[Code, ...] = ()

    @property
    def tokens(self) -> list[str]:
        return placeholder_tokens(self.source)


PLACEHOLDER_RE = re.compile(r"<(/?)(\d{1,3})(/?)>")


def placeholder_tokens(text: str) -> list[str]:
    """The placeholder tokens of a text, in order: ["<1>", "<2/>", "</1>"]."""
    return [m.group(0) for m in PLACEHOLDER_RE.finditer(text)]


def strip_placeholders(text: str) -> str:
    return PLACEHOLDER_RE.sub("", text)


# --- documents ---------------------------------------------------------------


@dataclass(frozen=True)
class Encoding:
    name: str = "utf-8"
    bom: bool = False
    newline: str = "\n"  # "\r\n" when the file used CRLF throughout (text is stored with \n)
    repairs: tuple[str, ...] = ()  # human-readable notes of what was repaired


@dataclass(frozen=True)
class Document:
    text: str
    format: str  # a name in the format registry (translator.formats)
    blocks: tuple[Block, ...]
    path: str | None = None
    encoding: Encoding = field(default_factory=Encoding)
    source_lang: str = ""
    transcript: bool = False
    segments: tuple[Segment, ...] = ()
    warnings: tuple[str, ...] = ()
    paragraph_segments: bool = False  # a transcript whose segments are its paragraphs (a draft aligned so)

    def raw(self, start: int, end: int) -> str:
        return self.text[start:end]


# --- what translation produces -----------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """One issue found in a translation, from the critic, a check or the
    glossary. `id` is the segment id; `original` is the exact span of the
    translation it is about ("" when the issue is an absence)."""

    id: str
    category: Category
    severity: Severity
    original: str
    suggestion: str
    explanation: str
    origin: Origin = "check"
    status: Status = "open"
    check: str = ""  # machine name of the check that raised it, e.g. "placeholders"

    def with_status(self, status: Status) -> Suggestion:
        from dataclasses import replace

        return replace(self, status=status)


def dedupe(items: Iterable[Suggestion], key: Callable[[Suggestion], Hashable]) -> list[Suggestion]:
    """The suggestions in order, each `key` kept once (the first)."""
    seen: set[Hashable] = set()
    out = []
    for s in items:
        k = key(s)
        if k not in seen:
            seen.add(k)
            out.append(s)
    return out


SegmentStatus = Literal["translated", "unchanged", "fallback", "draft", "edited"]


@dataclass(frozen=True)
class Translation:
    """The outcome for one segment."""

    id: str
    text: str
    status: SegmentStatus = "translated"


@dataclass
class Usage:
    """Calls and tokens spent by one step (translate, critique, revise)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    discarded: int = 0  # critic suggestions thrown out by the sanity filter (llm/sanity.py)
    rejected: int = 0  # revisions refused by the acceptance gate (revision.py): the draft stayed

    def add(self, other: Usage) -> None:
        self.calls += other.calls
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.discarded += other.discarded
        self.rejected += other.rejected
