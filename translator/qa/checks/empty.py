"""An empty translation of a source with words (every other check is then silent)."""

from __future__ import annotations

import re

from translator.document import Suggestion, strip_placeholders
from translator.qa.checks.base import CheckContext, Pair, _s

NAME = "empty"
NEEDS_SOURCE = True
ORDER = 10

_HAS = re.compile(r"[^\W_]")


def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]:
    return tuple(empty(pair))


def empty(p: Pair) -> list[Suggestion]:
    if p.source is not None and _HAS.search(strip_placeholders(p.source)) and \
            not _HAS.search(strip_placeholders(p.target)):
        return [_s(p.id, "accuracy", "critical", "", p.source, "The translation is empty.", "empty")]
    return []
