"""Plain text → blocks.

Ordinary text: every non-empty line is a block (newsletters saved as text
keep a paragraph per line). Transcripts (caption-style lines with no
punctuation, like auto-generated video subtitles) are different: a sentence
runs over several lines, so each paragraph (lines up to a blank line) is one
block whose line breaks are soft; segmentation cuts it into sentence-sized
units.
"""

from __future__ import annotations

import re
from statistics import median

from translator.document import Block, Text
from translator.formats.base import Format, Parsed
from translator.formats.escape import escape

_END_PUNCT = re.compile(r"[.!?;:。！？；：…\"”’)»]\s*$")


def is_transcript(text: str) -> bool:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if len(lines) < 8:
        return False
    punctuated = sum(1 for ln in lines if _END_PUNCT.search(ln))
    return punctuated / len(lines) < 0.25 and median(len(ln.split()) for ln in lines) <= 12


def parse_text(text: str, transcript: bool | None = None) -> tuple[list[Block], bool]:
    if transcript is None:
        transcript = is_transcript(text)
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    if transcript:
        return _paragraph_blocks(text, spans), True
    blocks: list[Block] = []
    for start, end in spans:
        a, b = _strip(text, start, end)
        if a < b:
            blocks.append(Block(len(blocks), "line", a, b, (Text(a, b, text[a:b]),), "text"))
    return blocks, False


def _paragraph_blocks(text: str, spans: list[tuple[int, int]]) -> list[Block]:
    """A block per paragraph (lines up to a blank line), its line breaks soft spaces."""
    blocks: list[Block] = []
    para: list[tuple[int, int]] = []
    for start, end in spans + [(len(text), len(text))]:
        a, b = _strip(text, start, end)
        if a < b:
            para.append((a, b))
            continue
        if para:
            pieces = []
            for i, (pa, pb) in enumerate(para):
                if i:
                    pieces.append(Text(para[i - 1][1], pa, " "))
                pieces.append(Text(pa, pb, text[pa:pb]))
            blocks.append(Block(len(blocks), "transcript", para[0][0], para[-1][1], tuple(pieces), "text"))
            para = []
    return blocks


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\r\f\ufeff":
        start += 1
    while end > start and text[end - 1] in " \t\r\f":
        end -= 1
    return start, end


def _parse(text: str, translate_lists: bool = False) -> Parsed:
    blocks, transcript = parse_text(text)
    return Parsed(tuple(blocks), transcript=transcript)


FORMATS = (Format(
    name="text", suffixes=(".txt", ".text", ".transcript"), aliases=("txt",), order=30,
    parse=_parse, escape=lambda text: escape(text, "text"), plain=True,
),)
