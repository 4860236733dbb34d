"""What every check shares: the unit it looks at (`Pair`), the run's
languages and glossary (`CheckContext`), and the Suggestion it emits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from translator import document
from translator.document import Category, Origin, Severity, Suggestion, strip_placeholders


@dataclass(frozen=True)
class Pair:
    """One unit to check: a segment, or a whole block when the two sides do
    not split into the same number of sentences. `source` is None in
    target-only review."""

    id: str
    source: str | None
    target: str


@dataclass(frozen=True)
class CheckContext:
    """What a check may need besides the pair: the languages and the glossary."""

    source_lang: str
    target_lang: str
    glossary: Any = None  # translator.terms.glossary.Glossary | None
    memo: Any = field(default=None, compare=False)  # a memo.Memo: the glossary's reports computed once per run

    def verify(self, source: str, target: str, seg_id: str) -> Any:
        """terms.verify against the glossary (through the memo when there is one)."""
        if self.memo is not None:
            return self.memo.verify(self.glossary, source, target, seg_id)
        from translator.terms import match as terms

        return terms.verify(self.glossary, source, target, seg_id)

    @property
    def target_base(self) -> str:
        """The target language without its region ("es" for "es-MX")."""
        return self.target_lang.split("-")[0]


def _s(id_: str, category: Category, severity: Severity, original: str, suggestion: str, explanation: str,
       check: str, origin: Origin = "check") -> Suggestion:
    return Suggestion(id_, category, severity, original, suggestion, explanation, origin, "open", check)


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _norm(text: str) -> str:
    return " ".join(strip_placeholders(text).split()).casefold()


def _words(text: str) -> list[str]:
    return _WORD.findall(strip_placeholders(text))


def dedupe(items: list[Suggestion]) -> list[Suggestion]:
    """The suggestions in order, each said once (same segment, span, fix, check and words)."""
    return document.dedupe(items, lambda s: (s.id, s.category, s.severity, s.original, s.suggestion, s.check,
                                             s.explanation))
