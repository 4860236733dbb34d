"""Findings computed once per run (issue 8: the translate loop checked the
same source/translation pair two or three times: the loop's round, the
revision gate on the draft, the last word on the final text; and the
glossary was verified again for the report's term statistics).

A `Memo` keeps what the per-pair checks found for a pair and what the
glossary said about a (source, translation), keyed on everything the answer
depends on: the pair (id, source, translation), the languages, the
glossary (by identity: the memo holds it, so the identity stays its own)
and the checks selected. The checks are pure functions of those, so a memo
answer is the answer a fresh run gives (tests/test_checks_cache.py).

One memo per source Document (`for_document`): the loop, the revision gate
and the final checks see the same document and so share it, without passing
it through the stages in between; it goes with the document (or `forget`).
Not a registered check (no NAME).
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Callable, Hashable

from translator.document import Suggestion

__all__ = ["Memo", "for_document", "forget"]


class Memo:
    """Per-pair findings and glossary reports already computed, with counts
    of what was computed (`computed`) and what was answered from memory
    (`reused`), by kind ("pair", "verify")."""

    def __init__(self) -> None:
        self._pairs: dict[Hashable, tuple[Suggestion, ...]] = {}
        self._reports: dict[Hashable, Any] = {}
        self._held: dict[int, Any] = {}  # the glossaries keyed by id(): held, so no other object takes the id
        self.computed: dict[str, int] = {"pair": 0, "verify": 0}
        self.reused: dict[str, int] = {"pair": 0, "verify": 0}

    def _ref(self, obj: Any) -> int | None:
        if obj is None:
            return None
        self._held.setdefault(id(obj), obj)
        return id(obj)

    def pair(self, key: tuple, glossary: Any, compute: Callable[[], list[Suggestion]]) -> list[Suggestion]:
        """The per-pair findings for `key` (with `glossary`), computed once."""
        full = (self._ref(glossary),) + key
        found = self._pairs.get(full)
        if found is None:
            found = tuple(compute())
            self._pairs[full] = found
            self.computed["pair"] += 1
        else:
            self.reused["pair"] += 1
        return list(found)

    def verify(self, glossary: Any, source: str, translation: str, seg_id: str) -> Any:
        """terms.verify(glossary, source, translation, seg_id), computed once
        (a TermReport is frozen: the same object serves every caller)."""
        key = (self._ref(glossary), source, translation, seg_id)
        report = self._reports.get(key)
        if report is None:
            from translator.terms import match as terms

            report = terms.verify(glossary, source, translation, seg_id)
            self._reports[key] = report
            self.computed["verify"] += 1
        else:
            self.reused["verify"] += 1
        return report


_MEMOS: dict[int, Memo] = {}
_LOCK = threading.Lock()


def for_document(doc: Any) -> Memo:
    """The memo of the run over `doc` (made on first use; dropped with the
    document, or by `forget`)."""
    with _LOCK:
        memo = _MEMOS.get(id(doc))
        if memo is None:
            memo = _MEMOS[id(doc)] = Memo()
            weakref.finalize(doc, _MEMOS.pop, id(doc), None)
        return memo


def forget(doc: Any) -> None:
    """Drop the memo of `doc` (the run is over: its findings are in the outcome)."""
    with _LOCK:
        _MEMOS.pop(id(doc), None)
