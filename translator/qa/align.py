"""Alignment of a source and its translation through their structure, never
by line numbers: blocks by a scored sequence alignment over what survives
translation (block kind, inline markup, links, numbers and names, length),
sentences the same way inside a block. Used by `review`, `evaluate`, the
post-edit mode and the editor's edits."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence, TypeVar

from translator import formats
from translator.document import Block, Document, Markup, Segment, Text, strip_placeholders
from translator.qa import checks
from translator.qa.checks.markup import VERBATIM
from translator.qa.words import count_words

A = TypeVar("A")
B = TypeVar("B")

_NAME = re.compile(r"\S*(?:\d|[a-z][A-Z]|[A-Z]{2})\S*|(?<=[^\s.!?:¿¡\"“«(]\s)[A-Z][\w-]+")


@dataclass(frozen=True)
class BlockInfo:
    block: Block
    segs: tuple[Segment, ...]
    text_ph: str  # segment sources joined (with placeholders)
    plain: str  # the same without placeholders
    tags: Counter  # inline markup: tag names; (name, raw) for verbatim pieces
    links: tuple[str, ...]
    anchors: frozenset[str]
    length: int
    words: int

    @property
    def kind(self) -> str:
        return self.block.kind


@dataclass(frozen=True)
class SentenceInfo:
    anchors: frozenset[str]
    length: int


def anchors(text: str) -> frozenset[str]:
    """What a translation keeps: numbers (every reading), names and codes
    ("FlashAttention", "GPT-4o", capitalised words inside a sentence)."""
    plain = strip_placeholders(text)
    out: set[str] = set()
    for n in checks.extract_numbers(plain):
        out.update(f"#{v}" for v in n.values)
    for m in _NAME.finditer(plain):
        word = m.group(0).strip(".,;:!?()[]\"'“”«»")
        if len(word) > 1 and not word.isdigit():
            out.add(word.lower())
    return frozenset(out)


def sentence_info(text: str) -> SentenceInfo:
    plain = strip_placeholders(text)
    return SentenceInfo(anchors(plain), len(plain.strip()))


def blocks_info(doc: Document) -> list[BlockInfo]:
    by_block: dict[int, list[Segment]] = {}
    for s in doc.segments:
        by_block.setdefault(s.block, []).append(s)
    refs = checks.markdown_refs(doc.text) if formats.get(doc.format).link_references else None
    out = []
    for b in doc.blocks:
        segs = tuple(by_block.get(b.index, ()))
        tags, links = _markup_of(doc, b, refs)
        text_ph = " ".join(s.source for s in segs)
        plain = " ".join(strip_placeholders(text_ph).split())
        out.append(BlockInfo(b, segs, text_ph, plain, tags, tuple(links), anchors(plain), len(plain),
                             count_words(plain)))
    return out


def _markup_of(doc: Document, block: Block, refs: dict[str, str] | None) -> tuple[Counter, list[str]]:
    """A block's inline markup (tag names; (label, raw) for verbatim pieces
    and protected spans such as code) and its links, in order."""
    from translator.segment.atoms import PROTECT

    tags: Counter = Counter()
    links: list[str] = []
    texts = []
    for p in block.pieces:
        if isinstance(p, Markup):
            raw = doc.text[p.start:p.end]
            if p.role != "close":
                tags[(p.name, raw) if p.name in VERBATIM else p.name] += 1
            links.extend(checks.urls_in_markup(raw, refs))
        elif isinstance(p, Text):
            texts.append(p.text)
    for m in PROTECT.finditer("".join(texts)):
        label = m.lastgroup or ""
        if label in ("url", "email"):
            links.append(m.group(0))
        elif label not in ("placeholder",):
            tags[(label, m.group(0))] += 1
    return tags, links


def _dice(a, b) -> float:
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def _counter_dice(a: Counter, b: Counter) -> float:
    if a == b:
        return 1.0
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total


def _length_fit(la: int, lb: int, exp: float) -> float:
    r = (lb + 10) / ((la + 10) * exp)
    return min(r, 1 / r)


def block_similarity(a: BlockInfo, b: BlockInfo, exp: float) -> float:
    if a.kind == b.kind:
        kind = 1.0
    elif a.kind[:1] == b.kind[:1] == "h" or a.kind.split(":")[0] == b.kind.split(":")[0] != a.kind:
        kind = 0.5
    else:
        kind = 0.0
    anchor = 0.5 if not a.anchors and not b.anchors else _dice(a.anchors, b.anchors)
    return (0.3 * kind + 0.15 * _counter_dice(a.tags, b.tags) + 0.3 * anchor
            + 0.25 * _length_fit(a.length, b.length, exp))


def sentence_similarity(a: SentenceInfo, b: SentenceInfo, exp: float) -> float:
    anchor = 0.5 if not a.anchors and not b.anchors else _dice(a.anchors, b.anchors)
    return 0.5 * anchor + 0.5 * _length_fit(a.length, b.length, exp)


def align(a: Sequence[A], b: Sequence[B], sim: Callable[[A, B], float], threshold: float,
          band: int = 60) -> list[tuple[int | None, int | None]]:
    """Monotone alignment of two sequences maximising Σ (sim − threshold)
    over the matched pairs; unmatched items pair with None. Cells far from
    the diagonal (beyond `band` plus the length difference) are not
    explored, so long documents stay fast."""
    return _trace(_moves(a, b, sim, threshold, band), len(a), len(b))


def _moves(a: Sequence[A], b: Sequence[B], sim: Callable[[A, B], float], threshold: float,
           band: int) -> list[list[int]]:
    """The best move into each cell of the score table: 1 diagonal (a
    match), 2 up (skip an item of `a`), 3 left (skip one of `b`)."""
    n, m = len(a), len(b)
    width = band + abs(n - m)
    neg = float("-inf")
    score = [[neg] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    score[0][0] = 0.0
    for i in range(n + 1):
        center = i * m / n if n else 0
        lo, hi = max(0, int(center - width)), min(m, int(center + width) + 1)
        row, prev = score[i], score[i - 1] if i else score[0]
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, how = neg, 0
            if i and prev[j] > best:
                best, how = prev[j], 2
            if j and row[j - 1] > best:
                best, how = row[j - 1], 3
            if i and j and prev[j - 1] > neg:
                s = sim(a[i - 1], b[j - 1])
                if s >= threshold and prev[j - 1] + s - threshold > best:
                    best, how = prev[j - 1] + s - threshold, 1
            row[j], move[i][j] = best, how
    return move


def _trace(move: list[list[int]], n: int, m: int) -> list[tuple[int | None, int | None]]:
    out: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i or j:
        how = move[i][j]
        if how == 1:
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif how == 2 or (how == 0 and i):
            out.append((i - 1, None))
            i -= 1
        else:
            out.append((None, j - 1))
            j -= 1
    out.reverse()
    return out


def align_blocks(src: Document, tgt: Document, target_lang: str) -> list[tuple[int | None, int | None]]:
    """Source and translation blocks paired through the document structure
    (positions in `blocks_info` order, i.e. block indices); None on the
    side where a block has no counterpart. Also used by post-edit mode."""
    if line_by_line(src, tgt):
        return [(b.index, b.index) for b in src.blocks]
    exp = checks.expected_ratio(src.source_lang or "en", target_lang)
    return align(blocks_info(src), blocks_info(tgt), lambda a, b: block_similarity(a, b, exp), threshold=0.5)


def line_by_line(src: Document, tgt: Document) -> bool:
    """Plain text with as many lines (paragraphs) on both sides: they pair as
    written. A reply that is no translation (a model's refusal, three times
    the source's length) then stays in its place and is judged there, instead
    of the next line's translation being paired with its source."""
    return src.format == tgt.format and formats.get(src.format).plain and len(src.blocks) == len(tgt.blocks)
