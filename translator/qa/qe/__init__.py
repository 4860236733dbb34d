"""Reference-free quality estimation, per segment, offline.

One score, two uses: the review's penalty and the translate run's report
(and the loop, which may accept a revision only when its estimate is not
worse). A segment's estimate combines

- the deterministic checks (`checks.check_pair`: untranslated, wrong
  language, length, numbers, …) when asked for (`with_checks`),
- the signals of `qe.signals` (non-words, glued words, sentences in the
  source language, copies of the source, repetition, agreement),
- adequacy by Apertium back-translation (`qe.adequacy`), batched over all
  segments of a document.

    from translator.qa import qe
    est = qe.estimate("The cat sleeps.", "El gato duerme.", "en", "es")
    est.score, est.penalty, est.suggestions        # 100.0, 0, ()
    ests = qe.estimate_pairs(pairs, "en", "es")     # one back-translation run for all

`score` is 0–100: 100 minus the MQM penalty (minor 1, major 5, critical 25)
per 100 words of the source, floored at 0; `penalty` the weighted sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from translator.document import SEVERITY_WEIGHT, Suggestion
from translator.qa.words import count_words

# The signals a reviser can act on, whatever their severity: each names the exact
# words (a word left in the source language, a non-word, a determiner that
# disagrees) or a sentence left in the source language. The loop sends them to
# the reviser with the critic's suggestions; the revision gate checks the fix.
REVISABLE = frozenset({"untranslated-word", "non-word", "agreement", "foreign-sentence", "copied-source"})

__all__ = ["REVISABLE", "SegmentEstimate", "allowed_words", "estimate", "estimate_pairs", "signals_for_pairs",
           "segment_score"]


@dataclass(frozen=True)
class SegmentEstimate:
    id: str
    score: float  # 0 (unusable) … 100 (nothing found)
    penalty: int  # MQM weights of the open findings
    words: int
    suggestions: tuple[Suggestion, ...]
    adequacy: float | None = None  # chrF of the back-translation against the source, when computed


def _words(text: str | None) -> int:
    return count_words(text or "")


def segment_score(penalty: float, words: int) -> float:
    return round(max(0.0, 100.0 - penalty * 100.0 / max(words, 10)), 1)


def signals_for_pairs(pairs: Sequence, source_lang: str, target_lang: str, *, glossary=None,
                      adequacy: bool = True, allowed: frozenset[str] | None = None,
                      ) -> tuple[list[Suggestion], dict[str, float]]:
    """The estimate's own findings (not the checks) for `checks.Pair`s, and
    the adequacy similarity per id. `allowed`: `allowed_words(glossary)`,
    when the caller has it already (it reads the whole glossary)."""
    from translator.qa.qe import adequacy as adq
    from translator.qa.qe import signals

    if allowed is None:
        allowed = allowed_words(glossary)
    signals.prefetch(pairs, source_lang, target_lang)
    out: list[Suggestion] = []
    for p in pairs:
        out.extend(signals.signals(p.id, p.source, p.target, source_lang, target_lang, allowed))
    out = signals.consistent_loanwords(out)
    if pairs and all(p.source is None for p in pairs):
        out = signals.consistent_loanwords(out, check="non-word")  # no source: a recurring unknown word is a name
    sims: dict[str, float] = {}
    if adequacy and any(p.source is not None for p in pairs):
        found, sims = adq.findings([p.id for p in pairs], [p.source for p in pairs], [p.target for p in pairs],
                                   source_lang, target_lang)
        out.extend(found)
    return out, sims


def allowed_words(glossary) -> frozenset[str]:
    """The words of the glossary's entries (casefolded): never non-words."""
    from translator.qa.qe import signals

    return signals.allowed_words_of(_glossary_words(glossary))


def _glossary_words(glossary) -> list[str]:
    if glossary is None:
        return []
    out: list[str] = []
    for t in getattr(glossary, "terms", ()):
        out.extend(x for x in (getattr(t, "source", ""), getattr(t, "target", ""), getattr(t, "rendering", ""))
                   if isinstance(x, str) and x)
    return out


def estimate_pairs(pairs: Sequence, source_lang: str, target_lang: str, *, glossary=None,
                   with_checks: bool = True, adequacy: bool = True,
                   allowed: frozenset[str] | None = None) -> list[SegmentEstimate]:
    """The estimate of every pair, in order (one Apertium run for all)."""
    from translator.qa import checks

    found, sims = signals_for_pairs(pairs, source_lang, target_lang, glossary=glossary, adequacy=adequacy,
                                    allowed=allowed)
    by_id: dict[str, list[Suggestion]] = {}
    for s in found:
        by_id.setdefault(s.id, []).append(s)
    out: list[SegmentEstimate] = []
    for p in pairs:
        items = list(checks.check_pair(p, source_lang, target_lang, glossary)) if with_checks else []
        items.extend(by_id.get(p.id, []))
        penalty = sum(SEVERITY_WEIGHT[s.severity] for s in items if s.status == "open")
        words = _words(p.source if p.source is not None else p.target)
        out.append(SegmentEstimate(p.id, segment_score(penalty, words), penalty, words, tuple(items),
                                   sims.get(p.id)))
    return out


def estimate(source: str | None, target: str, source_lang: str, target_lang: str, *, id: str = "s",
             glossary=None, with_checks: bool = True, adequacy: bool = True,
             allowed: frozenset[str] | None = None) -> SegmentEstimate:
    """The estimate of one segment (`source` None: target-only)."""
    from translator.qa.checks import Pair

    return estimate_pairs([Pair(id, source, target)], source_lang, target_lang, glossary=glossary,
                          with_checks=with_checks, adequacy=adequacy, allowed=allowed)[0]
