"""The glossary part of a review: its findings (terms.verify, or
verify_target_only without a source) and the per-term tally for the
report: where each term was found, kept, broken."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from translator.document import Suggestion
from translator.qa.checks import Pair, dedupe


@dataclass
class _Row:
    source: str
    target: str
    found: int = 0
    satisfied: int = 0
    violations: int = 0
    segments: list[str] = field(default_factory=list)

    def as_dict(self, *keys: str) -> dict[str, Any]:
        data = {"source": self.source, "target": self.target, "found": self.found, "satisfied": self.satisfied,
                "violations": self.violations, "segments": self.segments}
        return {k: data[k] for k in keys} if keys else data


class _Tally:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], _Row] = {}

    def row(self, source: str, target: str) -> _Row:
        return self.rows.setdefault((source, target), _Row(source, target))

    def ordered(self) -> list[_Row]:
        return sorted(self.rows.values(), key=lambda r: (-r.violations, r.source.lower()))


def glossary_review(glossary, pairs: Sequence[Pair]) -> tuple[list[Suggestion], dict | None]:
    """Glossary findings and the tally of the report's `terms`."""
    if glossary is None:
        return [], None
    found: list[Suggestion] = []
    tally = _Tally()
    for p in pairs:
        found.extend(_target_only(glossary, p, tally) if p.source is None else _with_source(glossary, p, tally))
    rows = tally.ordered()
    head: dict[str, Any]
    if any(p.source is not None for p in pairs):
        n = sum(r.found for r in rows)
        ok = sum(r.satisfied for r in rows)
        head = {"found": n, "satisfied": ok, "violations": n - ok,
                "success_rate": round(ok / n, 4) if n else None}
        table = [r.as_dict() for r in rows]
    else:
        head = {"forbidden_found": sum(r.violations for r in rows)}
        table = [r.as_dict("source", "target", "violations", "segments") for r in rows]
    return found, {**head, "glossaries": list(getattr(glossary, "paths", ())), "terms": table}


def _with_source(glossary, p: Pair, tally: _Tally) -> list[Suggestion]:
    from translator.terms import match as terms

    rep = terms.verify(glossary, p.source or "", p.target, p.id)
    for t in rep.found:
        r = tally.row(t.source, t.rendering)
        r.found += 1
        if t in rep.satisfied:
            r.satisfied += 1
        else:
            r.violations += 1
            r.segments.append(p.id)
    return list(rep.suggestions)


def _target_only(glossary, p: Pair, tally: _Tally) -> list[Suggestion]:
    """Forbidden renderings, each counted against the glossary entry it is
    a variant of (the hit's own term, not a parse of the explanation)."""
    from translator.terms import match as terms

    notes = dedupe(list(terms.verify_target_only(glossary, p.target, p.id)))
    term_of = {h.text: h.term for h in glossary.forbidden_index.find(p.target, longest=False)}
    for s in notes:
        t = term_of.get(s.original)
        r = tally.row(t.source, t.rendering) if t is not None else tally.row(s.original, s.suggestion)
        r.violations += 1
        r.segments.append(p.id)
    return notes
