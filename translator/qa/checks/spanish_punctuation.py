"""Spanish ¿…? and ¡…! that do not open or do not close."""

from __future__ import annotations

import re

from translator.document import Suggestion, strip_placeholders
from translator.qa.checks.base import CheckContext, Pair, _s

NAME = "spanish-punctuation"
NEEDS_SOURCE = False
LANGUAGES = frozenset({"es"})
ORDER = 90
QUIET_AFTER = ("empty",)


def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]:
    return tuple(spanish_pairs(pair))


_SENT_CUT = re.compile(r"[.!?¡¿;:\n…]")
_SENT_END = re.compile(r"[.!?…\n]")


def spanish_pairs(p: Pair) -> list[Suggestion]:
    """¿…? and ¡…! must open and close in Spanish."""
    text = strip_placeholders(p.target)
    out = []
    for open_, close, what in (("¿", "?", "question"), ("¡", "!", "exclamation")):
        out.extend(_unpaired(p.id, text, open_, close, what))
    return out


def _unpaired(id_: str, text: str, open_: str, close: str, what: str) -> list[Suggestion]:
    out = []
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == open_:
            stack.append(i)
        elif ch == close:
            if stack:
                stack.pop()
                continue
            start = _clause_start(text, i, open_)
            span = text[start:i + 1]
            out.append(_s(id_, "fluency", "minor", span, open_ + span,
                          f"Spanish {what} without the opening '{open_}'.", "spanish-punctuation"))
    for i in stack:
        m = _SENT_END.search(text, i + 1)
        end = m.start() if m else len(text.rstrip())
        span = text[i:end + 1] if m else text[i:end]
        fixed = text[i:end].rstrip() + close
        out.append(_s(id_, "fluency", "minor", span, fixed,
                      f"Spanish {what} opened with '{open_}' but not closed with '{close}'.",
                      "spanish-punctuation"))
    return out


def _clause_start(text: str, end: int, opener: str) -> int:
    start = 0
    for m in _SENT_CUT.finditer(text, 0, end):
        if m.start() < end:
            start = m.end()
    while start < end and text[start] in " \t\"“«'(":
        start += 1
    return start

