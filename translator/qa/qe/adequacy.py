"""Adequacy without a reference: translate the translation back into the
source language with Apertium (one process for every segment of a
document) and compare it with the source by chrF.

Used with care. A round trip through Apertium favours Apertium's own output
(its back-translation undoes its own choices) and penalises free but good
translations, so only a very low similarity is a finding, and only a major
one when the back-translation shares almost nothing with the source: a
translation of something else, an omission of most of the content, or
gibberish. Without Apertium for the pair the estimate is silent.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Iterator, Sequence

from translator.qa.checks import _clip
from translator.document import Severity, Suggestion, strip_placeholders
from translator.qa.qe.text import ORIGIN

MIN_WORDS = 8  # shorter segments: too little text for a character n-gram score
# a translation out of step: its back-translation matches a source segment up to STEP_REACH away
# with chrF ≥ STEP_OTHER, at least STEP_MARGIN above its own source (segments of STEP_WORDS words or more)
STEP_WORDS, STEP_REACH, STEP_OTHER, STEP_MARGIN = 3, 3, 45.0, 25.0
LOW = 25.0  # chrF of back-translation vs source below which the content is doubtful (minor)
VERY_LOW = 15.0  # … below which almost nothing of the source is left (major)
_P = re.compile(r'<p id="k(\d+)">(.*?)</p>', re.S)
_MARK = re.compile(r"(?<!\w)[*#@](?=\w)")


def back_translate(texts: Sequence[str], target_lang: str, source_lang: str) -> list[str | None]:
    """Apertium's translation of each text from `target_lang` back into
    `source_lang`, all in one process; None where unavailable. Answers are
    kept between runs (stagecache), keyed by the dictionary's version."""
    from translator.terms.apertium.process import apertium_mode, data_version
    from translator.stagecache import cached_map

    mode = apertium_mode(target_lang.split("-")[0], source_lang.split("-")[0])
    if mode is None or not texts:
        return [None] * len(texts)

    def compute(todo: list[str]) -> dict[str, str]:
        return {t: o for t, o in zip(todo, _back_translate(todo, target_lang, source_lang)) if o is not None}

    got = cached_map("back", f"{mode}|{data_version(mode)}", texts, compute)
    return [got.get(t) for t in texts]


def _back_translate(texts: Sequence[str], target_lang: str, source_lang: str) -> list[str | None]:
    from translator.terms.apertium.process import apertium_mode, run_apertium
    from translator.errors import EngineError

    mode = apertium_mode(target_lang.split("-")[0], source_lang.split("-")[0])
    if mode is None or not texts:
        return [None] * len(texts)
    out: list[str | None] = [None] * len(texts)
    for ids in _chunks(texts):
        doc = "\n".join(f'<p id="k{i}">{html.escape(" ".join(texts[i].split()))}</p>' for i in ids) + "\n"
        try:
            got = {int(n): body for n, body in _P.findall(run_apertium(mode, doc))}
        except EngineError:
            continue
        for i in ids:
            if i in got:
                out[i] = _MARK.sub("", html.unescape(re.sub(r"<[^>]+>", "", got[i])))
    return out


def _chunks(texts: Sequence[str], limit: int = 150_000) -> Iterator[list[int]]:
    """The indices of the non-blank texts, in runs of about `limit` characters
    (one Apertium process each)."""
    chunk: list[int] = []
    size = 0
    for i, t in enumerate(texts):
        if not t.strip():
            continue
        chunk.append(i)
        size += len(t)
        if size > limit:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def similarity(back: str, source: str) -> float:
    """Sentence chrF of `back` against `source`, as sacrebleu's `CHRF()`
    (character 1- to 6-grams without whitespace, beta 2, no word n-grams,
    no smoothing) computes it; without sacrebleu's import, which costs more
    than the rest of the estimate on a short file (tests/test_startup_caches.py compares)."""
    hyp, ref = "".join(back.split()), "".join(source.split())
    factor = 4.0  # beta ** 2
    avg_prec = avg_rec = 0.0
    effective = 0
    for n in range(1, 7):
        h = Counter([hyp[i:i + n] for i in range(len(hyp) - n + 1)])
        r = Counter([ref[i:i + n] for i in range(len(ref) - n + 1)])
        n_match = sum(min(c, r[g]) for g, c in h.items() if g in r)
        n_hyp, n_ref = (sum(h.values()) if r else 0), sum(r.values())
        if n_hyp > 0 and n_ref > 0:
            avg_prec += n_match / n_hyp
            avg_rec += n_match / n_ref
            effective += 1
    if effective:
        avg_prec /= effective
        avg_rec /= effective
    else:
        avg_prec = avg_rec = 0.0
    if avg_prec + avg_rec:
        return 100 * ((1 + factor) * avg_prec * avg_rec / ((factor * avg_prec) + avg_rec))
    return 0.0


def findings(ids: Sequence[str], sources: Sequence[str | None], targets: Sequence[str],
             source_lang: str, target_lang: str) -> tuple[list[Suggestion], dict[str, float]]:
    """Low-adequacy findings, translations out of step with their sources
    (`_out_of_step`), and the similarity of every segment of at least
    MIN_WORDS words."""
    todo = [k for k, (s, t) in enumerate(zip(sources, targets))
            if s is not None and len(strip_placeholders(s).split()) >= STEP_WORDS and strip_placeholders(t).strip()]
    if not todo or not source_lang or source_lang.split("-")[0] == target_lang.split("-")[0]:
        return [], {}
    backs = back_translate([strip_placeholders(targets[k]) for k in todo], target_lang, source_lang)
    plain = {k: " ".join(strip_placeholders(sources[k] or "").split()) for k in todo}
    out = _out_of_step(ids, todo, backs, plain)
    stepped = {s.id for s in out}
    sims: dict[str, float] = {}
    for k, back in zip(todo, backs):
        if back is None or len(plain[k].split()) < MIN_WORDS:
            continue
        sim = similarity(back, plain[k])
        sims[ids[k]] = round(sim, 1)
        if sim < LOW and ids[k] not in stepped:
            sev: Severity = "major" if sim < VERY_LOW else "minor"
            out.append(Suggestion(
                ids[k], "accuracy", sev, "", "",
                f"The translation may not say what the source says: translated back, it shares little with the "
                f"source (chrF {sim:.0f}). Back-translation: “{_clip(back, 120)}”.", ORIGIN, "open", "adequacy"))
    return out, sims


def _out_of_step(ids: Sequence[str], todo: list[int], backs: Sequence[str | None],
                 plain: dict[int, str]) -> list[Suggestion]:
    """Segments whose back-translation matches a neighbouring segment's source
    (up to STEP_REACH away) far better than its own: lines shifted by a
    dropped or an added line, a shuffled file. Major, never critical: a good
    translation that splits a sentence where the source does not can slip
    the review's own alignment by one (each finding adds to the penalty, and
    a file shifted throughout goes over --max-penalty)."""
    hits: dict[int, tuple[int, float, float]] = {}
    for n, (k, back) in enumerate(zip(todo, backs)):
        if back is None:
            continue
        own = similarity(back, plain[k])
        if own > STEP_OTHER - STEP_MARGIN:
            continue
        near = [todo[m] for m in range(max(0, n - STEP_REACH), min(len(todo), n + STEP_REACH + 1)) if m != n]
        best = max(near, key=lambda j: similarity(back, plain[j]), default=None)
        if best is None:
            continue
        other = similarity(back, plain[best])
        if other >= STEP_OTHER and other - own >= STEP_MARGIN:
            hits[n] = (best, own, other)
    out = []
    for n, (j, own, other) in sorted(hits.items()):
        k = todo[n]
        out.append(Suggestion(
            ids[k], "accuracy", "major", "", "",
            f"This reads as the translation of another part of the source, “{_clip(plain[j], 80)}”: translated "
            f"back, it matches that (chrF {other:.0f}) far better than its own source (chrF {own:.0f}). Is the "
            "translation out of step with its source (a line missing or added before it)?",
            ORIGIN, "open", "out-of-step"))
    return out
