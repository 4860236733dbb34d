"""The translate → critique → revise loop, and the deterministic stages
that follow every engine.

With an LLM: draft every segment, then per round the critic (LLM) and the
deterministic checks (placeholders, numbers, URLs, glossary …) list issues in
one Suggestion format; only segments with an open major or critical issue go
to the reviser; the loop stops when none is left or after `rounds`.
Without one (Apertium, or someone else's draft): the glossary is enforced
deterministically and the checks report what is left for the editor.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Mapping

from translator.qa import checks
from translator.qa.qe import REVISABLE

from translator.pipeline import failures, renderings, revision
from translator.pipeline.failures import Failure

from translator.terms import match as terms
from translator.terms.stats import TermStats, TermViolation, term_stats as stats_of
from translator.document import Document, Segment, SegmentStatus, Suggestion, Translation, Usage, dedupe, severity_at_least
from translator.engines.base import CRITIQUE, REVISE, Context, Engine, Item, supports

STEPS = ("translate", "critique", "revise")


@dataclass
class Outcome:
    translations: dict[str, Translation]
    suggestions: list[Suggestion]
    usage: dict[str, Usage] = field(default_factory=lambda: {s: Usage() for s in STEPS})
    rounds: int = 0
    terms: TermStats | None = None  # glossary terms found / satisfied / violations (see term_stats)
    revisions: list[revision.Verdict] = field(default_factory=list)  # each revision accepted or rejected
    asked: set[str] = field(default_factory=set)  # segments sent to the reviser (an open major issue)
    unchanged: set[str] = field(default_factory=set)  # of those, the ones the reviser gave back as they were
    failures: dict[str, Failure] = field(default_factory=dict)  # segments left in the source language


def is_critic(engine: Engine) -> bool:
    return supports(engine, CRITIQUE, REVISE)


async def run(
    doc: Document,
    engine: Engine | None,
    ctx: Context,
    *,
    rounds: int = 1,
    drafts: Mapping[str, str] | None = None,
    cached: Mapping[str, str] | None = None,
) -> Outcome:
    """Translate (or post-edit `drafts`) every segment of `doc`. Segments in
    `cached` are done already and are not sent anywhere."""
    cached = dict(cached or {})
    todo = [s for s in doc.segments if s.id not in cached]
    out = Outcome({}, [])
    texts: dict[str, str] = dict(cached)
    failed: set[str] = set()
    if drafts is not None:
        texts.update({s.id: drafts.get(s.id, s.source) for s in todo})
    elif todo:
        assert engine is not None, "without drafts, an engine translates"
        failed = await _draft(engine, todo, ctx, texts, out)
    todo_ids = {s.id for s in todo}
    if engine is not None and is_critic(engine) and rounds > 0 and todo:
        await _rounds(engine, doc, ctx, rounds, texts, failed, todo_ids, out)
    await _final_checks(doc, ctx, texts, todo_ids - failed, out)
    for seg in doc.segments:
        text = texts.get(seg.id, seg.source)
        out.translations[seg.id] = Translation(seg.id, text, _status(seg, text, cached, failed, drafts))
    return out


async def _draft(engine: Engine, todo: list[Segment], ctx: Context, texts: dict[str, str], out: Outcome) -> set[str]:
    """The engine's translation of `todo` into `texts`; returns the ids it could not translate."""
    result = await engine.translate([Item(s.id, s.block, s.source) for s in todo], ctx)
    texts.update(result.texts)
    out.suggestions.extend(result.suggestions)
    out.usage["translate"].add(result.usage)
    out.failures.update(failures.from_engine(result.suggestions))
    return set(result.failed) | {s.id for s in result.suggestions if s.check == "llm-failed"}


async def _final_checks(doc: Document, ctx: Context, texts: dict[str, str], enforce: set[str], out: Outcome) -> None:
    """The glossary enforced on `enforce`, then the checks and the quality
    estimate on everything that will be published."""
    by_id = {s.id: s for s in doc.segments}
    if ctx.glossary is not None and ctx.glossary.terms:
        # Without an LLM this is the repair; after one, the safety net for
        # what the reviser left: the glossary holds whichever engine drafted.
        pairs = [(by_id[i], texts[i]) for i in sorted(enforce, key=_order)
                 if not _still_in_source_language(by_id[i].source, texts[i], ctx)]
        fixed, notes = await asyncio.to_thread(_enforce_all, ctx, pairs)
        texts.update(fixed)
        out.suggestions.extend(notes)
    out.suggestions = [s for s in out.suggestions if s.status != "open" or s.origin != "glossary"
                       or s.check == "glossary-repair"]  # held repairs keep their exact span
    # the last word: checks on everything that will be published, cached segments included
    # (off the event loop: other files' requests keep flowing; each pair is checked once per run, see memo)
    out.suggestions.extend(await asyncio.to_thread(_deterministic, doc, texts, ctx, {s.id for s in doc.segments}))
    out.suggestions = terms.drop_restated(out.suggestions)
    out.suggestions.extend(await asyncio.to_thread(_estimate, doc, texts, ctx))  # the review's quality estimate
    out.suggestions = _still_open(_dedupe(out.suggestions))
    if ctx.glossary is not None and ctx.glossary.terms:
        out.terms = await asyncio.to_thread(
            term_stats, ctx.glossary, [(s.id, s.source, texts[s.id]) for s in doc.segments],
            memo=checks.memo.for_document(doc))
    checks.memo.forget(doc)  # the run's findings are in the outcome now


def _status(seg: Segment, text: str, cached: Mapping[str, str], failed: set[str],
            drafts: Mapping[str, str] | None) -> SegmentStatus:
    if seg.id in cached:
        return "translated"
    if seg.id in failed:
        return "fallback"
    if drafts is not None:
        return "draft" if text == drafts.get(seg.id) else "translated"
    return "unchanged" if text == seg.source else "translated"


async def _rounds(engine: Any, doc: Document, ctx: Context, rounds: int, texts: dict[str, str], failed: set[str],
                  todo_ids: set[str], out: Outcome) -> None:
    """Critique → revise until no major or critical issue is open or the
    rounds are spent. The first round reviews every segment; later rounds
    only what was just revised (re-reviewing good text invites rewrites)."""
    under_review = set(todo_ids)
    for _ in range(rounds):
        items = [Item(s.id, s.block, s.source, texts[s.id]) for s in doc.segments
                 if s.id in under_review and s.id not in failed]
        found, usage = await engine.critique(items, ctx)
        out.usage["critique"].add(usage)
        checked = [i for i in under_review if i not in failed]
        found = [f for f in found + await asyncio.to_thread(_deterministic, doc, texts, ctx, under_review)
                 + await asyncio.to_thread(_revisable, doc, texts, ctx, set(checked)) if f.status == "open"]
        urgent: dict[str, list[Suggestion]] = {}
        for f in found:
            if (severity_at_least(f.severity, "major") or f.check in REVISABLE) and f.id not in failed \
                    and f.check != "llm-failed":
                urgent.setdefault(f.id, []).append(f)
        out.rounds += 1
        if not urgent:
            out.suggestions.extend(found)
            break
        under_review = await _revise(engine, doc, ctx, texts, found, urgent, out)
        if not under_review:
            break
    # open check findings are recomputed on the final text by the caller
    out.suggestions[:] = [s for s in out.suggestions if s.status != "open" or s.origin == "llm"]


async def _revise(engine: Any, doc: Document, ctx: Context, texts: dict[str, str], found: list[Suggestion],
                  urgent: dict[str, list[Suggestion]], out: Outcome) -> set[str]:
    """One revision of the `urgent` segments, through the gate (revision.py):
    a revision replaces its draft only when it passes. Returns the ids revised."""
    by_id = {s.id: s for s in doc.segments}
    revise_items = [Item(i, by_id[i].block, by_id[i].source, texts[i], tuple(fs)) for i, fs in urgent.items()]
    result = await engine.revise(revise_items, ctx)
    out.usage["revise"].add(result.usage)
    out.suggestions.extend(result.suggestions)
    proposed = {i: t for i, t in result.texts.items() if i in urgent and i not in result.failed}
    out.asked |= set(urgent)
    # given back as it was: no verdict, nothing to judge (a failed revision is counted as a failure, not here)
    out.unchanged |= {i for i in urgent if i not in result.failed and proposed.get(i, texts[i]) == texts[i]}
    verdicts = await asyncio.to_thread(
        revision.judge, by_id, texts, proposed, urgent, ctx.source_lang, ctx.target_lang, ctx.glossary,
        doc=doc, estimate=_penalty(ctx))
    out.revisions.extend(verdicts.values())
    refused = {i for i, v in verdicts.items() if not v.accepted}
    out.usage["revise"].rejected += len(refused)
    for f in found:
        if f.id in refused:
            out.suggestions.append(f.with_status("rejected") if f in urgent[f.id] else f)
        elif f.id in urgent and f.id in result.texts and f.id not in result.failed:
            out.suggestions.append(_judge(f, texts[f.id], result.texts[f.id]))
        else:
            out.suggestions.append(f)  # minor ones are left for the editor
    texts.update({i: t for i, t in result.texts.items() if i not in refused})
    return set(urgent) - refused


def _still_in_source_language(source: str, text: str, ctx: Context) -> bool:
    """Text the engine left untranslated (as the checks judge it): splicing
    target terms into it would make it worse ("about IA still revolves
    around entrenamiento"); the checks report it instead."""
    pair = checks.Pair("", source, text)
    return bool(checks.untranslated(pair, ctx.source_lang) or checks.wrong_language(pair, ctx.target_lang))


def _order(sid: str) -> int:
    return int(sid[1:]) if sid[1:].isdigit() else 0


def _enforce_all(ctx: Context, pairs: list) -> tuple[dict[str, str], list[Suggestion]]:
    """Deterministic glossary repair of every segment (no LLM), with the
    engine lookups it needs made in a few batched calls."""
    glossary = ctx.glossary
    assert glossary is not None, "enforced only with a glossary"
    hints = terms.prepare_enforcement(glossary, [(s.source, t) for s, t in pairs], target_lang=ctx.target_lang)
    fixed: dict[str, str] = {}
    notes: list[Suggestion] = []
    for seg, text in pairs:
        new, found = terms.enforce(glossary, seg.source, text, seg.id, target_lang=ctx.target_lang, hints=hints)
        fixed[seg.id] = new
        notes.extend(found)
    return fixed, notes


def term_stats(glossary, triples: list[tuple[str, str, str]], *, memo: checks.Memo | None = None) -> TermStats:
    """Terms found in the sources, satisfied in the translations, and each
    violation. With `memo`, the reports the glossary check made already are
    reused (the same sums as terms.stats.term_stats)."""
    if memo is None:
        return stats_of(glossary, triples)
    found = satisfied = 0
    violations: list[TermViolation] = []
    for sid, source, translation in triples:
        report = memo.verify(glossary, source, translation, sid)
        found += len(report.found)
        satisfied += len(report.satisfied)
        violations += [TermViolation(sid, t.source, t.target) for t in report.violations]
    return TermStats(found, satisfied, tuple(violations))


def _deterministic(doc: Document, texts: Mapping[str, str], ctx: Context, ids: set[str]) -> list[Suggestion]:
    """The checks on the segments `ids` of `doc`; a pair already checked in
    this run (the same id, source and text) is answered from the document's
    memo. Safe to run in a thread."""
    segs = [s for s in doc.segments if s.id in ids]
    return checks.run(segs, texts, ctx.source_lang, ctx.target_lang, ctx.glossary, doc=doc,
                      memo=checks.memo.for_document(doc))


def _revisable(doc: Document, texts: Mapping[str, str], ctx: Context, ids: set[str]) -> list[Suggestion]:
    """The estimate's findings (`REVISABLE`) on the drafts of `ids`, for the
    reviser. Not in a draft that is still mostly its source (an echo, a short
    title left in English): a word-by-word fix would splice the target
    language into the source's ("Active parámetros"). Not a capitalised
    non-word: at a sentence start it may be a name the reviser would "fix"."""
    from translator.qa import qe

    # the whole document, so a word kept in many segments is a loanword here as in the final estimate
    every = [checks.Pair(s.id, s.source, texts.get(s.id, s.source)) for s in doc.segments]
    found, _ = qe.signals_for_pairs(every, ctx.source_lang, ctx.target_lang, glossary=ctx.glossary, adequacy=False)
    found = [f for f in found if f.id in ids
             and not (f.check == "non-word" and f.original[:1].isupper())]  # a name opening a sentence, maybe
    pairs = [p for p in every if p.id in ids]
    left: dict[str, int] = {}
    for f in found:
        if f.check == "untranslated-word":
            left[f.id] = left.get(f.id, 0) + 1
    mostly_source = {p.id for p in pairs if checks._norm(p.target) == checks._norm(p.source or "")
                     or 2 * left.get(p.id, 0) >= max(1, len(checks._words(p.target)))}
    keep = [f for f in found if f.check in REVISABLE and f.id not in mostly_source]
    return renderings.rendered(keep, ctx.source_lang, ctx.target_lang)


def _estimate(doc: Document, texts: Mapping[str, str], ctx: Context) -> list[Suggestion]:
    """The quality estimate's findings (qe) on the final text: the same per-segment signals as `review`."""
    from translator.qa import qe

    pairs = [checks.Pair(s.id, s.source, texts.get(s.id, "")) for s in doc.segments]
    return qe.signals_for_pairs(pairs, ctx.source_lang, ctx.target_lang, glossary=ctx.glossary)[0]


def _penalty(ctx: Context):
    """The revision gate's estimator: the penalty of the review's own signals
    on one segment. Not the checks (the gate compares those already) nor the
    back-translation (it favours Apertium). Each (source, text) is estimated
    once; the glossary's words are gathered once, not per call."""
    from translator.qa import qe

    allowed: list[frozenset[str]] = []
    known: dict[tuple[str, str], float] = {}

    def penalty(source: str, text: str) -> float:
        if (source, text) not in known:
            if not allowed:
                allowed.append(qe.allowed_words(ctx.glossary))
            known[(source, text)] = float(qe.estimate(
                source, text, ctx.source_lang, ctx.target_lang, glossary=ctx.glossary, with_checks=False,
                adequacy=False, allowed=allowed[0]).penalty)
        return known[(source, text)]

    return penalty


def _judge(s: Suggestion, before: str, after: str) -> Suggestion:
    """Did the reviser act on this suggestion? (Its span, or its fix, as
    whole words: the gate's own test.)"""
    return s.with_status("applied" if after != before and revision.span_changed([s], before, after) else "rejected")


def _still_open(items: list[Suggestion]) -> list[Suggestion]:
    """A check's finding the reviser was asked about and did not fix is found
    again, open, on the final text: it is listed once, as open (the gate's
    verdict and its reason are in the report's revisions)."""
    def key(s: Suggestion) -> tuple:
        return s.id, s.category, s.original, s.check

    found_again = {key(s) for s in items if s.status == "open" and s.origin != "llm"}
    return [s for s in items if not (s.status == "rejected" and s.origin != "llm" and key(s) in found_again)]


def _dedupe(items: list[Suggestion]) -> list[Suggestion]:
    return dedupe(items, lambda s: (s.id, s.category, s.original, s.suggestion, s.check, s.status))
