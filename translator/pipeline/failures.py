"""Segments an engine could not translate, counted so that a run says so.

A segment whose translation fell back to the source (the model never gave a
usable reply, the server failed every retry, Apertium could not run it) is
*untranslated*. The pipeline counts them per file; the CLI prints one
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

from translator.document import Document

FALLBACK_CHECKS = ("engine-fallback",)  # an engine's own record of a segment it left in the source language
_WHY = re.compile(r"attempt\(s\) \((.*)\); the source text was kept", re.S)


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


def untranslated(doc: Document, outcome) -> Untranslated:
    """The segments of `outcome` (an agents.Outcome) left in the source language by a failure."""
    failed: dict[str, str] = {}
    for s in outcome.suggestions:
        if s.status != "open":
            continue
        if s.check == "llm-failed" and "translate reply" in s.explanation:
            m = _WHY.search(s.explanation)
            failed.setdefault(s.id, m.group(1) if m else s.explanation)
        elif s.check in FALLBACK_CHECKS:
            failed.setdefault(s.id, s.explanation.rstrip("."))
    for sid, t in outcome.translations.items():
        if t.status == "fallback":
            failed.setdefault(sid, "no usable reply")
    ids = tuple(s.id for s in doc.segments if s.id in failed)
    reason = Counter(failed[i] for i in ids).most_common(1)[0][0] if ids else ""
    if len(reason) > 160:
        reason = reason[:159] + "…"
    from translator.engines.llm.validate import needs_model

    done = [s for s in doc.segments if s.id not in failed and needs_model(s.source)]
    answered = bool(ids) and all(failed[i].startswith("the text is a copy") for i in ids)
    return Untranslated(ids, len(doc.segments), reason, len(done), answered)
