"""The glossary: required terms missing and forbidden renderings used
(terms.verify; without a source, only forbidden renderings). The findings
keep the glossary's origin and names ("glossary-term", "glossary-forbidden")."""

from __future__ import annotations

from translator.document import Suggestion
from translator.qa.checks.base import CheckContext, Pair

NAME = "glossary"
NEEDS_SOURCE = False
ORDER = 100
QUIET_AFTER = ("empty",)


def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]:
    if ctx.glossary is None:
        return ()
    if pair.source is None:
        return tuple(glossary_issues(pair, ctx.glossary))
    return ctx.verify(pair.source, pair.target, pair.id).suggestions


def glossary_issues(p: Pair, glossary) -> list[Suggestion]:
    from translator.terms import match as terms

    if p.source is None:
        return list(terms.verify_target_only(glossary, p.target, p.id))
    return list(terms.verify(glossary, p.source, p.target, p.id).suggestions)

