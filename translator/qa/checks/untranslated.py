"""A translation identical to its source (names, titles and codes may stay)."""

from __future__ import annotations

from translator.document import Suggestion
from translator.qa.checks.base import CheckContext, Pair, _norm, _s
from translator.qa.checks.languages import _name_like, lang_name

NAME = "untranslated"
NEEDS_SOURCE = True
ORDER = 20
QUIET_AFTER = ("empty",)


def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]:
    return tuple(untranslated(pair, ctx.source_lang))


def untranslated(p: Pair, source_lang: str) -> list[Suggestion]:
    if p.source is None or _norm(p.source) != _norm(p.target) or _name_like(p.source):
        return []
    return [_s(p.id, "accuracy", "major", p.target, "",
               f"Left untranslated: the text is identical to the {lang_name(source_lang)} source.",
               "untranslated")]
