"""Segments an engine could not translate, counted so that a run says so.

A segment whose translation fell back to the source (the model never gave a
usable reply, the server failed every retry, Apertium could not run it) is
*untranslated*. The agents loop records a typed `Failure` per segment when
the engine hands its result over (`from_engine`); the pipeline counts them
per file; the CLI prints one
`Error: FILE: N of M segments could not be translated (why)` line per file
and exits non-zero. A file where no segment was translated at all because the calls failed is
not written (it would be a copy of the source under a translated name, perhaps
over a good earlier translation); one the model answered with copies of the
source is written as answered, flagged; a file
with some untranslated segments is written, those segments are open
critical issues in its report, and the exit code says so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Literal, Mapping, Protocol

from translator.document import Document, Suggestion, Translation

FALLBACK_CHECKS = ("engine-fallback",)  # an engine's own record of a segment it left in the source language
DRAFT_MISSING = "draft-missing"  # a part of the source the given --draft has no translation of
FailureKind = Literal["call-failed", "copied-source", "engine-fallback", "no-reply"]

# The engines report a failed segment as an open critical Suggestion whose
# explanation holds the last error (engines/llm/steps.failure); this is read
# once, here, when the result is handed over.
_WHY = re.compile(r"attempt\(s\) \((.*)\); the source text was kept", re.S)
_COPY = "the text is a copy"  # llm/sanity: the model answered with its source


@dataclass(frozen=True)
class Failure:
    """One segment left in the source language, and why."""

    id: str
    kind: FailureKind
    reason: str  # for people: the last error, the engine's note

    @property
    def answered(self) -> bool:
        """The model did answer, with a copy of the source (not a failed call)."""
        return self.kind == "copied-source"


def from_engine(suggestions: Iterable[Suggestion]) -> dict[str, Failure]:
    """The failures a translate step's result records, by segment id (the first one per id)."""
    found: dict[str, Failure] = {}
    for s in suggestions:
        failure = _failure(s)
        if failure is not None:
            found.setdefault(s.id, failure)
    return found


def _failure(s: Suggestion) -> Failure | None:
    if s.status != "open":
        return None
    if s.check == "llm-failed" and "translate reply" in s.explanation:
        m = _WHY.search(s.explanation)
        reason = m.group(1) if m else s.explanation
        return Failure(s.id, "copied-source" if reason.startswith(_COPY) else "call-failed", reason)
    if s.check in FALLBACK_CHECKS:
        return Failure(s.id, "engine-fallback", s.explanation.rstrip("."))
    if s.check == DRAFT_MISSING:
        return Failure(s.id, "engine-fallback", "the draft has no translation of them")
    return None


def no_reply(sid: str) -> Failure:
    """A segment the engine marked failed without saying why."""
    return Failure(sid, "no-reply", "no usable reply")


class Outcome(Protocol):
    """What `untranslated` reads of an agents.Outcome."""

    @property
    def failures(self) -> Mapping[str, Failure]: ...
    @property
    def translations(self) -> Mapping[str, Translation]: ...


@dataclass(frozen=True)
class Untranslated:
    ids: tuple[str, ...]  # in document order
    total: int  # segments in the document
    reason: str  # the most frequent cause, for the error line
    translated: int  # segments with words that did get a translation
    answered: bool = False  # every one of them was answered, with a copy of its source (not a failed call)

    def __bool__(self) -> bool:
        return bool(self.ids)

    @property
    def unwritable(self) -> bool:
        """Nothing was translated because the calls failed: writing the source
        under a translated name could replace a good earlier translation. (A
        model that answered with the source is written as it answered, flagged.)"""
        return self.nothing_translated and not self.answered

    @property
    def nothing_translated(self) -> bool:
        """Every segment with words to translate fell back to the source."""
        return bool(self.ids) and self.translated == 0

    def message(self, written: bool, reported: bool = False) -> str:
        tail = ("nothing was written" if not written else
                "the output keeps the source text for them" + (", flagged in its report" if reported else ""))
        return f"{len(self.ids)} of {self.total} segments could not be translated ({self.reason}); {tail}"


def untranslated(doc: Document, outcome: Outcome) -> Untranslated:
    """The segments of `outcome` left in the source language by a failure."""
    failed = dict(outcome.failures)
    for sid, t in outcome.translations.items():
        if t.status == "fallback":
            failed.setdefault(sid, no_reply(sid))
    ids = tuple(s.id for s in doc.segments if s.id in failed)
    reason = Counter(failed[i].reason for i in ids).most_common(1)[0][0] if ids else ""
    if len(reason) > 160:
        reason = reason[:159] + "…"
    from translator.engines.llm.validate import needs_model

    done = [s for s in doc.segments if s.id not in failed and needs_model(s.source)]
    answered = bool(ids) and all(failed[i].answered for i in ids)
    return Untranslated(ids, len(doc.segments), reason, len(done), answered)
