"""What the glossary stage says about a translated document: terms found in
the sources, satisfied in the translations, and each violation (`TermStats`).
`to_dict()` is its JSON (the report's "terms"); it also reads as that
mapping (`stats["found"]`), so readers of the old dict keep working."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from translator.terms.glossary import Glossary
from translator.terms.verify import verify


@dataclass(frozen=True)
class TermViolation:
    """A term found in a segment's source whose target the translation lacks."""

    id: str
    source: str
    target: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "source": self.source, "target": self.target}


@dataclass(frozen=True, eq=False)
class TermStats(Mapping[str, Any]):
    found: int = 0
    satisfied: int = 0
    violations: tuple[TermViolation, ...] = ()

    @property
    def success_rate(self) -> float | None:
        return round(self.satisfied / self.found, 4) if self.found else None

    def to_dict(self) -> dict[str, Any]:
        return {"found": self.found, "satisfied": self.satisfied,
                "violations": [v.to_dict() for v in self.violations]}

    # read-only mapping of `to_dict()` (and equal to it)
    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())


def term_stats(glossary: Glossary, triples: Iterable[tuple[str, str, str]]) -> TermStats:
    """Verify each (segment id, source, translation) and add up what the glossary says."""
    found = satisfied = 0
    violations: list[TermViolation] = []
    for sid, source, translation in triples:
        report = verify(glossary, source, translation, sid)
        found += len(report.found)
        satisfied += len(report.satisfied)
        violations += [TermViolation(sid, t.source, t.target) for t in report.violations]
    return TermStats(found, satisfied, tuple(violations))
