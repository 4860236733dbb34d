"""The same translation for different sources (a shifted or repeated
segment); in target-only review, a long sentence repeated."""

from __future__ import annotations

from typing import Sequence

from translator.document import Suggestion
from translator.qa.checks.base import CheckContext, Pair, _norm, _s, _words

NAME = "duplicate"
NEEDS_SOURCE = False
SCOPE = "pairs"


def run(pairs: Sequence[Pair], ctx: CheckContext) -> tuple[Suggestion, ...]:
    return tuple(duplicates(pairs))


def duplicates(pairs: Sequence[Pair]) -> list[Suggestion]:
    """The same translation for different sources (a shifted or repeated
    segment); in target-only review, a long sentence repeated."""
    out: list[Suggestion] = []
    seen: dict[str, Pair] = {}
    for p in pairs:
        key = _norm(p.target)
        if len(_words(p.target)) < 4:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = p
            continue
        if p.source is None:
            if len(_words(p.target)) >= 6:
                out.append(_s(p.id, "fluency", "minor", p.target, "",
                              f"The same text appears already in {first.id}.", "duplicate"))
        elif first.source is not None and _norm(first.source) != _norm(p.source):
            out.append(_s(p.id, "accuracy", "major", p.target, "",
                          f"Same translation as {first.id}, whose source is different: a segment may be shifted or repeated.",
                          "duplicate"))
    return out
