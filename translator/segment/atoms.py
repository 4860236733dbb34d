"""A block as atoms: its text and markup in order, with what must come back
exactly (URLs, shortcodes, emoji, inline code, footnote marks) turned into
one-piece markup. The segmenter cuts atoms into sentences and segments."""

from __future__ import annotations

import re
from dataclasses import dataclass

from translator.document import PLACEHOLDER_RE, Block, Markup, Text

_EMOJI = (
    r"(?:[0-9#*]\ufe0f?\u20e3"
    r"|[\U0001F1E6-\U0001F1FF]{2}"
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u231A\u231B\u23E9-\u23FA\u3030\u303D]"
    r"[\ufe0f\U0001F3FB-\U0001F3FF]*"
    r"(?:\u200d[\U0001F000-\U0001FAFF\u2600-\u27BF\u2640\u2642\u2695\u2696\u2708\u2764][\ufe0f\U0001F3FB-\U0001F3FF]*)*)"
)
PROTECT = re.compile(
    "|".join(
        [
            r"(?P<shortcode>\{\{[<%].*?[%>]\}\}|\{\{.*?\}\}|\{%.*?%\})",
            r"(?P<url>\b(?:https?|ftp)://[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]}）。，]|\bwww\.[\w-]+\.[^\s<>\"'`]*[\w/])",
            r"(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)",
            r"(?P<code>`[^`\n]+`)",
            r"(?P<footnote>\[\^[^\]\s]+\])",
            r"(?P<emojicode>(?<![\w:/]):[a-z0-9_+-]*[a-z][a-z0-9_+-]*:(?![\w/]))",
            r"(?P<placeholder>" + PLACEHOLDER_RE.pattern + ")",
            r"(?P<emoji>" + _EMOJI + ")",
        ]
    )
)


@dataclass
class Atom:
    start: int
    end: int
    text: str = ""  # decoded text; "" for markup
    code: Markup | None = None
    linear: bool = True  # text whose decoded form is its raw form (may be cut anywhere)


def block_atoms(text: str, block: Block) -> list[Atom]:
    atoms: list[Atom] = []
    run: list[Atom] = []
    for piece in block.pieces:
        if isinstance(piece, Text):
            linear = text[piece.start:piece.end] == piece.text
            run.append(Atom(piece.start, piece.end, piece.text, None, linear))
            continue
        atoms.extend(protect(run))
        run = []
        atoms.append(Atom(piece.start, piece.end, "", piece))
    atoms.extend(protect(run))
    return atoms


def protect(run: list[Atom]) -> list[Atom]:
    """Turn URLs, shortcodes, emoji … inside a run of text atoms into void markup."""
    if not run:
        return []
    joined = "".join(a.text for a in run)
    matches = [m for m in PROTECT.finditer(joined)]
    if not matches:
        return run
    # offsets of atom boundaries in `joined`
    bounds, pos = [], 0
    for atom in run:
        bounds.append(pos)
        pos += len(atom.text)
    out: list[Atom] = []
    cursor = 0  # position in joined already emitted
    for m in matches:
        a, b = m.span()
        sa, sb = to_source(run, bounds, a), to_source(run, bounds, b)
        if sa is None or sb is None or a < cursor:
            continue
        out.extend(cut_run(run, bounds, cursor, a))
        out.append(Atom(sa, sb, "", Markup(sa, sb, "void", m.lastgroup or "protected")))
        cursor = b
    out.extend(cut_run(run, bounds, cursor, len(joined)))
    return out


def to_source(run, bounds, i: int) -> int | None:
    """Source offset of position i of the joined text, if it can be cut there."""
    for atom, start in zip(run, bounds):
        if start <= i <= start + len(atom.text):
            if i == start:
                return atom.start
            if i == start + len(atom.text):
                return atom.end
            return atom.start + (i - start) if atom.linear else None
    return None


def cut_run(run, bounds, a: int, b: int) -> list[Atom]:
    """The atoms covering joined[a:b], cut at the edges (cuts are valid)."""
    out = []
    for atom, start in zip(run, bounds):
        end = start + len(atom.text)
        lo, hi = max(a, start), min(b, end)
        if lo >= hi:
            continue
        if lo == start and hi == end:
            out.append(atom)
        else:
            out.append(Atom(atom.start + lo - start, atom.start + hi - start, atom.text[lo - start:hi - start]))
    return out
