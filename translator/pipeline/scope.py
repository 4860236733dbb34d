"""What a revision changed beyond what it was asked to fix.

The reviser is told to change the spans its suggestions name, and the words
grammar then requires next to them, and nothing else. A small model often
rewrites the whole segment instead; the rewrite may fix the span and break
three other things no check can see. `outside(...)` counts the draft's
words a revision changed that lie further than `NEAR` words from every
asked span, so the gate can refuse such a rewrite and keep the draft.

A suggestion about the whole text (no span, or a span that is the whole
draft: "untranslated", "length", a sentence in the wrong language covering
it all) allows any change.
"""

from __future__ import annotations

import difflib
import re
from typing import Sequence

from translator.document import Suggestion

NEAR = 2  # words either side of a span that grammar may require to change (articles, agreement, prepositions)
# a revision may change this share of the draft's words outside the asked spans (punctuation, a stray
# article) before it counts as a rewrite
SLACK = 0.15

_WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(text)]


def _windows(draft: str, words: list[tuple[int, int, str]], asked: Sequence[Suggestion]) -> list[tuple[int, int]] | None:
    """Word-index windows [a, b) of the draft each asked span allows to change;
    None when a suggestion is about the whole text."""
    out = []
    for s in asked:
        span = s.original
        if not span or span.strip() == draft.strip():
            return None
        # every place the span occurs: a word left untranslated is fixed wherever it is ("the tin, the rim tin")
        starts = occurrences(span, draft)
        if not starts:
            return None  # a span not in the draft (an omission, a quote of the source): judged as a whole
        for at in starts:
            end = at + len(span)
            idx = [i for i, (a, b, _) in enumerate(words) if a < end and b > at]
            if idx:
                out.append((max(0, idx[0] - NEAR), min(len(words), idx[-1] + 1 + NEAR)))
    return out


def outside(draft: str, revised: str, asked: Sequence[Suggestion]) -> int:
    """The number of draft words the revision changed (or words it inserted)
    outside every asked span's window; 0 when the suggestions are about the
    whole text."""
    dw, rw = _words(draft), _words(revised)
    windows = _windows(draft, dw, asked)
    if windows is None:
        return 0
    count = 0
    matcher = difflib.SequenceMatcher(None, [w for *_, w in dw], [w for *_, w in rw], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if i1 == i2:  # words inserted: a fix when next to an asked span
            count += 0 if any(a <= i1 <= b for a, b in windows) else j2 - j1
        else:  # words replaced or deleted: those outside every window (and what replaced them, when all are)
            away = sum(1 for i in range(i1, i2) if not any(a <= i < b for a, b in windows))
            count += max(away, j2 - j1) if away == i2 - i1 else away
    return count


def deletes(draft: str, revised: str, asked: Sequence[Suggestion]) -> bool:
    """True when a span an automatic check asked to fix (a word left in the
    source language, a non-word) was cut with nothing in its place: it occurs
    fewer times than in the draft and the revision has no word the draft did
    not have (a fix moved elsewhere in the sentence is still a fix). The
    finding disappears, and so does what the source said. (A critic may ask
    for a deletion, an addition the source does not have; a check never does.)"""
    new = {w for *_, w in _words(revised)} - {w for *_, w in _words(draft)}
    if any(w[:1].isalnum() for w in new):
        return False
    for s in asked:
        if s.origin == "llm" or not s.original or s.original.strip() == draft.strip():
            continue
        if len(occurrences(s.original, revised)) < len(occurrences(s.original, draft)):
            return True
    return False


def occurrences(span: str, text: str, *, any_case: bool = True) -> list[int]:
    """Where `span` occurs in `text` as whole words (any case, unless told)."""
    edge = (r"(?<!\w)" if span[:1].isalnum() else "", r"(?!\w)" if span[-1:].isalnum() else "")
    flags = re.IGNORECASE if any_case else 0
    return [m.start() for m in re.finditer(edge[0] + re.escape(span) + edge[1], text, flags)]


def rewrites(draft: str, revised: str, asked: Sequence[Suggestion]) -> bool:
    """True when the revision changes more of the draft, away from the asked
    spans, than the slack allows: a rewrite, not a fix."""
    n = outside(draft, revised, asked)
    return n > max(1, int(SLACK * len(_words(draft))))
