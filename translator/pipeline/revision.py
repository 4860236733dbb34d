"""Revisions are accepted, not assumed.

A revised segment replaces its draft only when it does what it was asked and
breaks nothing the draft had right:

- the span it was asked to fix changed (or the fix is in it);
- it changed little else: no more than a few words away from the asked
  spans (`scope`: a rewrite is refused, a fix and its agreement accepted),
  and it did not just cut a span it was asked to fix without a replacement;
- it is in the target language and not a copy of the source;
- it duplicates no other segment, and adds no sentence that the reviser also
  wrote into another segment (a template sentence pasted everywhere);
- its length stays plausible, against the source and against the draft;
- the deterministic checks find no major or critical issue the draft did not have;
- its quality estimate, when an estimator is plugged in, is not worse.

Otherwise the draft stays and the suggestions it was asked to apply are
marked "rejected". Each decision is a `Verdict`, kept in the outcome and the
report (accepted / rejected counts and reasons).

The estimator hook: `estimate(source, text) -> float`, lower is better
(e.g. the review's per-segment penalty). Pass it to `judge`, or set the
module default `revision.estimator`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from translator.qa import checks
from translator.pipeline import scope
from translator.document import Segment, Suggestion, severity_at_least, strip_placeholders

Estimate = Callable[[str, str], float]

estimator: Estimate | None = None  # the review's quality estimate plugs in here

# a revision may grow or shrink its draft this much (a fixed omission, a cut addition)
MIN_RATIO, MAX_RATIO = 0.5, 2.0
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class Verdict:
    id: str
    accepted: bool
    reason: str  # why not, or "" when accepted
    draft: str
    revised: str


def _sentences(text: str) -> list[str]:
    return [checks._norm(s) for s in _SENTENCE.split(strip_placeholders(text))
            if len(checks._words(s)) >= 4]


def span_changed(asked: Sequence[Suggestion], draft: str, revised: str) -> bool:
    """Did the revision touch what it was asked to fix? A finding about the
    whole text ("untranslated", "length"), or an omission (empty original),
    is answered by any change."""
    spans = [s for s in asked if s.original and s.original != draft]
    if not spans:
        return revised != draft

    def count(words: str, text: str) -> int:  # as whole words, so «tin» is not found in «tintero»
        return len(scope.occurrences(words, text, any_case=False))

    for s in spans:
        before = count(s.original, draft)
        if before == 0:  # not whole words of the draft (part of a word, a quote of the source)
            if s.original not in revised:
                return True
        elif count(s.original, revised) < before:
            return True
        if s.suggestion and count(s.suggestion, revised) > count(s.suggestion, draft):
            return True
    return False


def _major(findings: Sequence[Suggestion]) -> set[str]:
    return {f.check or f.category for f in findings if severity_at_least(f.severity, "major")}


def judge(
    segments: Mapping[str, Segment],
    texts: Mapping[str, str],
    revised: Mapping[str, str],
    asked: Mapping[str, Sequence[Suggestion]],
    source_lang: str,
    target_lang: str,
    glossary=None,
    *,
    doc=None,
    estimate: Estimate | None = None,
) -> dict[str, Verdict]:
    """A verdict for each id in `revised` whose text differs from its draft
    (`texts` holds the drafts of every segment of the document)."""
    estimate = estimate or estimator
    changed = {sid: t for sid, t in revised.items() if t != texts.get(sid)}
    # sentences the reviser added, and in how many segments it added each
    added: dict[str, set[str]] = {}
    for sid, text in changed.items():
        before = set(_sentences(texts[sid]))
        for sentence in set(_sentences(text)) - before:
            added.setdefault(sentence, set()).add(sid)
    others = {checks._norm(t): sid for sid, t in texts.items() if len(checks._words(t)) >= 4}
    # the revised texts by their normal form, in order (a twin among the other revisions, in one look-up)
    revised_as: dict[str, list[str]] = {}
    for sid, text in changed.items():
        revised_as.setdefault(checks._norm(text), []).append(sid)
    memo = checks.memo.for_document(doc) if doc is not None else None  # the drafts were checked by the loop
    verdicts: dict[str, Verdict] = {}
    for sid, text in changed.items():
        seg, draft = segments[sid], texts[sid]
        reason = _problem(seg, draft, text, asked.get(sid, ()), added, others, revised_as, segments,
                          source_lang, target_lang, glossary, doc, estimate, memo)
        verdicts[sid] = Verdict(sid, reason is None, reason or "", draft, text)
    return verdicts


def _problem(seg: Segment, draft: str, text: str, asked: Sequence[Suggestion], added: dict[str, set[str]],
             others: dict[str, str], revised_as: Mapping[str, list[str]], segments: Mapping[str, Segment],
             source_lang: str, target_lang: str, glossary, doc, estimate: Estimate | None,
             memo: checks.Memo | None = None) -> str | None:
    """Why the revision `text` of `draft` is refused (the first reason), or None."""
    if not span_changed(asked, draft, text):
        return "the span it was asked to fix is unchanged"
    if scope.deletes(draft, text, asked):
        return "it deletes the words it was asked to fix instead of translating them"
    if scope.rewrites(draft, text, asked):
        return "it rewrites words no suggestion was about"
    pair, before = checks.Pair(seg.id, seg.source, text), checks.Pair(seg.id, seg.source, draft)
    return (_language_problem(pair, before, source_lang, target_lang)
            or _copy_problem(seg, draft, text, added, others, revised_as, segments)
            or _length_problem(seg, draft, text, pair, before, source_lang, target_lang)
            or _quality_problem(seg, draft, text, source_lang, target_lang, glossary, doc, estimate, memo))


def _language_problem(pair: checks.Pair, before: checks.Pair, source_lang: str, target_lang: str) -> str | None:
    if checks.untranslated(pair, source_lang) and not checks.untranslated(before, source_lang):
        return f"it is a copy of the {checks.lang_name(source_lang)} source"
    if checks.wrong_language(pair, target_lang) and not checks.wrong_language(before, target_lang):
        return f"it is not in {checks.lang_name(target_lang)}"
    return None


def _copy_problem(seg: Segment, draft: str, text: str, added: dict[str, set[str]], others: dict[str, str],
                  revised_as: Mapping[str, list[str]], segments: Mapping[str, Segment]) -> str | None:
    """The text of another segment, or a sentence the reviser pasted elsewhere too.
    (`revised_as`: the ids of the revised texts by their normal form, in order.)"""
    sid, key = seg.id, checks._norm(text)
    twin = others.get(key)
    if twin is None:
        twin = next((o for o in revised_as.get(key, ()) if o != sid), None)
    if twin is not None and twin != sid and len(checks._words(text)) >= 4 and \
            checks._norm(segments[twin].source) != checks._norm(seg.source):
        return f"it is the same text as {twin}, whose source differs"
    for sentence in set(_sentences(text)) - set(_sentences(draft)):
        also = added.get(sentence, set()) - {sid}
        if also:
            return f"it adds a sentence the reviser also put into {', '.join(sorted(also)[:3])}"
    return None


def _length_problem(seg: Segment, draft: str, text: str, pair: checks.Pair, before: checks.Pair,
                    source_lang: str, target_lang: str) -> str | None:
    core_draft, core_text = strip_placeholders(draft).strip(), strip_placeholders(text).strip()
    # a stuck or truncated draft brought back to the source's length
    mends_length = not _fits(seg.source, core_draft, source_lang, target_lang) and \
        _fits(seg.source, core_text, source_lang, target_lang)
    if len(core_draft) >= 20 and not MIN_RATIO <= len(core_text) / len(core_draft) <= MAX_RATIO and not mends_length:
        return f"its length is implausible ({len(core_text)} characters for a draft of {len(core_draft)})"
    if checks.length_ratio(pair, source_lang, target_lang) and not checks.length_ratio(before, source_lang, target_lang):
        return "its length no longer matches the source"
    return None


def _quality_problem(seg: Segment, draft: str, text: str, source_lang: str, target_lang: str, glossary, doc,
                     estimate: Estimate | None, memo: checks.Memo | None = None) -> str | None:
    """A new major issue by the checks, or a worse quality estimate."""
    sid = seg.id
    new = _major(checks.run([seg], {sid: text}, source_lang, target_lang, glossary, doc=doc, memo=memo)) - \
        _major(checks.run([seg], {sid: draft}, source_lang, target_lang, glossary, doc=doc, memo=memo))
    if new:
        return "the checks find a new issue in it (" + ", ".join(sorted(new)) + ")"
    if estimate is not None:
        try:
            worse = estimate(seg.source, text) > estimate(seg.source, draft) + 1e-9
        except Exception:  # an estimator failing must not cost the run; the check above stands
            worse = False
        if worse:
            return "its quality estimate is worse than the draft's"
    return None


def _fits(source: str, text: str, source_lang: str, target_lang: str) -> bool:
    """A length the source makes plausible (within the checks' bounds around the expected ratio)."""
    r = len(text) / max(1, len(strip_placeholders(source).strip())) / checks.expected_ratio(source_lang, target_lang)
    return 0.5 <= r <= 2.2


def gate_note(results, step: str) -> str:
    """" (N suggestions discarded, M revisions rejected…)" for the CLI's per-step line."""
    done = [r.outcome.usage[step] for r in results if r.outcome is not None and step in r.outcome.usage]
    discarded, rejected = sum(u.discarded for u in done), sum(u.rejected for u in done)
    notes = ([f"{discarded} suggestions discarded"] if discarded else []) + \
            ([f"{rejected} revisions rejected, drafts kept"] if rejected else [])
    return f" ({', '.join(notes)})" if notes else ""
