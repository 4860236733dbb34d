"""Subtitle text → blocks: runs of cues up to one that ends a sentence;
line and cue breaks are soft spaces, inline styling becomes markup."""

from __future__ import annotations

import html
import re

from translator.document import Block, Markup, Piece, Text
from translator.errors import InputError
from translator.formats.subtitles.cues import _ENTITY, _TAG, Cue, find_cues, validate

_MAX_CUES_PER_BLOCK = 12
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"”’»)\]]*$")


def parse_subtitles(text: str, fmt: str) -> tuple[list[Block], list[Cue]]:
    cues = find_cues(text, fmt)
    if not cues:
        raise InputError(f"not a valid {fmt.upper()} file: no cues found")
    validate(text, fmt, cues)
    blocks: list[Block] = []
    run: list[Cue] = []
    for cue in cues:
        if not _cue_has_text(text, cue):
            continue
        run.append(cue)
        content = _plain(text, cue).rstrip()
        if _SENTENCE_END.search(content) or len(run) >= _MAX_CUES_PER_BLOCK:
            blocks.append(_block(text, len(blocks), run))
            run = []
    if run:
        blocks.append(_block(text, len(blocks), run))
    return blocks, cues


def _cue_has_text(text: str, cue: Cue) -> bool:
    return any(text[a:b].strip() for a, b in cue.lines)


def _plain(text: str, cue: Cue) -> str:
    return " ".join(_TAG.sub("", text[a:b]).strip() for a, b in cue.lines)


def _block(text: str, index: int, cues: list[Cue]) -> Block:
    pieces: list = []
    pair_no = [0]
    prev_end = None
    prev_dialogue = False
    for cue in cues:
        for a, b in cue.lines:
            if prev_end is not None and (cue.dialogue or prev_dialogue):
                pieces.append(Markup(prev_end, a, "break"))  # another speaker: another sentence
            elif prev_end is not None:
                pieces.append(Text(prev_end, a, " "))  # a line or cue break: a soft space
            pieces.extend(_line_pieces(text, a, b, pair_no))
            prev_end = b
        prev_dialogue = cue.dialogue
    kind = "cues"
    return Block(index, kind, pieces[0].start, pieces[-1].end, tuple(pieces), "text")


def _line_pieces(text: str, a: int, b: int, pair_no: list[int]) -> list[Piece]:
    """Text and markup pieces of one line's inner span; pairs matched inside the line."""
    out: list[Piece] = []
    stack: list[tuple[str, int]] = []  # (tag name, index in out) of tags not yet closed
    pos = a
    tokens = list(_TAG.finditer(text, a, b)) + list(_ENTITY.finditer(text, a, b))
    tokens.sort(key=lambda m: m.start())
    for m in tokens:
        if m.start() < pos:
            continue
        if m.start() > pos:
            out.append(Text(pos, m.start(), text[pos:m.start()]))
        raw = m.group(0)
        if raw.startswith("&"):
            out.append(Text(m.start(), m.end(), html.unescape(raw)))
        elif raw.startswith("</"):
            _close(out, stack, m, pair_no)
        elif raw.startswith("<") and not raw[1].isdigit():
            opening = re.match(r"<([A-Za-z]+)", raw)
            name = opening.group(1) if opening else ""
            stack.append((name, len(out)))
            out.append(Markup(m.start(), m.end(), "void", name))  # becomes "open" when its close is found
        else:
            out.append(Markup(m.start(), m.end(), "void", "timestamp" if raw.startswith("<") else "override"))
        pos = m.end()
    if pos < b:
        out.append(Text(pos, b, text[pos:b]))
    return out


def _close(out: list[Piece], stack: list[tuple[str, int]], m: re.Match, pair_no: list[int]) -> None:
    """A closing tag: it pairs with the last open tag of its name, else stays single markup."""
    name = m.group(0)[2:-1].split(".")[0].strip()
    k = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == name), None)
    if k is None:
        out.append(Markup(m.start(), m.end(), "void", name))
        return
    _, idx = stack.pop(k)
    opener = out[idx]
    assert isinstance(opener, Markup)
    pair_no[0] += 1
    out[idx] = Markup(opener.start, opener.end, "open", opener.name, pair_no[0])
    out.append(Markup(m.start(), m.end(), "close", name, pair_no[0]))
