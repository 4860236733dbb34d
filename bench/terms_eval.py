"""Glossary enforcement, measured on the shared development data.

1. terms-en-es/dev.jsonl: English → Spanish with Apertium; the glossary of each
   line is its `terms`. Raw Apertium vs Apertium with term protection and
   enforcement: term success rate and chrF against the reference `es`.
2. postedit-en-es/dev.jsonl: post-edit the given `mt` with the glossary
   source → target (no LLM); term success and chrF against the human `pe`.
   The `mt` field of the terms is used for nothing but this docstring.

    .venv/bin/python bench/terms_eval.py [--data ../shared/data] [--limit N]

Skips (exit 0) when the data or Apertium is missing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from sacrebleu.metrics import CHRF

from translator.engines.apertium import ApertiumHints, Job, apertium_mode, translate_jobs
from translator.terms.glossary import Glossary, Term
from translator.terms.lemmas import lemmatizer
from translator.terms.match import NoHints, enforce, term_success

ROOT = Path(__file__).resolve().parents[1]


def glossary_of(pairs) -> Glossary:
    terms: dict[str, Term] = {}
    for source, target in pairs:
        terms.setdefault(source.lower(), Term(source, target))
    return Glossary("en", "es", tuple(terms.values()))


def exact_success(pairs) -> float:
    """Share of terms whose target appears verbatim (ignoring case): the
    strict measure, without inflection."""
    found = total = 0
    for _, hyp, terms in pairs:
        for target in terms.values():
            total += 1
            found += target.lower() in hyp.lower()
    return found / total if total else 0.0


def chrf(hyps: list[str], refs: list[str]) -> tuple[float, str]:
    metric = CHRF()
    return metric.corpus_score(hyps, [refs]).score, str(metric.get_signature())


def enforce_all(rows, glossaries, hyps, hints) -> tuple[list[str], int, int]:
    out, applied, left = [], 0, 0
    for i, (row, g, hyp) in enumerate(zip(rows, glossaries, hyps)):
        text, sugg = enforce(g, row["en"], hyp, f"s{i}", target_lang="es", hints=hints)
        out.append(text)
        applied += sum(s.status == "applied" for s in sugg)
        left += sum(s.status == "open" for s in sugg)
    return out, applied, left


def prefetch(hints, rows, glossaries, hyps) -> None:
    """Batch the engine calls for all lines (each line has its own glossary,
    so this does per line what `prepare_enforcement` does per document)."""
    if not isinstance(hints, ApertiumHints):
        return
    hints.prefetch_terms({t: None for g in glossaries for t in g.terms})
    drafts, words = [], []
    for row, g, hyp in zip(rows, glossaries, hyps):
        todo = [h for h in g.find(row["en"]) if not g.target_index.find_term(hyp, h.term)]
        drafts += [(row["en"], (h.start, h.end)) for h in todo]
        words += [t.text for t in lemmatizer("es").tokens(hyp)] if todo else []
    hints.prefetch_drafts(drafts)
    hints.back_translations(words)


def terms_task(path: Path, limit: int | None) -> list[tuple]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")][:limit]
    glossaries = [glossary_of(r["terms"].items()) for r in rows]
    refs = [r["es"] for r in rows]
    pairs = lambda hyps: [(r["en"], h, r["terms"]) for r, h in zip(rows, hyps)]
    table = []
    t = time.time()
    raw = translate_jobs([Job(f"s{i}", r["en"]) for i, r in enumerate(rows)], "en", "es").texts
    raw = [raw[f"s{i}"] for i in range(len(rows))]
    table.append(("terms-en-es", "Apertium (raw)", (term_success(pairs(raw)), exact_success(pairs(raw))), chrf(raw, refs)[0], time.time() - t))
    hints = ApertiumHints("en", "es")
    t = time.time()
    prefetch(hints, rows, glossaries, raw)
    fixed, applied, left = enforce_all(rows, glossaries, raw, hints)
    table.append(("terms-en-es", f"Apertium + enforce ({applied} repairs, {left} open)",
                  (term_success(pairs(fixed)), exact_success(pairs(fixed))), chrf(fixed, refs)[0], time.time() - t))
    t = time.time()
    jobs = [Job(f"s{i}", r["en"], g) for i, (r, g) in enumerate(zip(rows, glossaries))]
    prot = translate_jobs(jobs, "en", "es").texts
    prot = [prot[f"s{i}"] for i in range(len(rows))]
    prefetch(hints, rows, glossaries, prot)
    fixed, applied, left = enforce_all(rows, glossaries, prot, hints)
    table.append(("terms-en-es", f"Apertium + protection + enforce ({applied} repairs, {left} open)",
                  (term_success(pairs(fixed)), exact_success(pairs(fixed))), chrf(fixed, refs)[0], time.time() - t))
    return table


def postedit_task(path: Path, limit: int | None) -> list[tuple]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")][:limit]
    glossaries = [glossary_of((t["source"], t["target"]) for t in r["terms"]) for r in rows]
    refs = [r["pe"] for r in rows]
    pairs = lambda hyps: [(r["en"], h, {t["source"]: t["target"] for t in r["terms"]}) for r, h in zip(rows, hyps)]
    mt = [r["mt"] for r in rows]
    table = [("postedit-en-es", "given MT (raw)", (term_success(pairs(mt)), exact_success(pairs(mt))), chrf(mt, refs)[0], 0.0)]
    for name, hints in (("no engine (forbidden variants only)", NoHints()), ("with Apertium hints", ApertiumHints("en", "es"))):
        if isinstance(hints, ApertiumHints) and not hints.mode:
            continue
        t = time.time()
        prefetch(hints, rows, glossaries, mt)
        fixed, applied, left = enforce_all(rows, glossaries, mt, hints)
        table.append(("postedit-en-es", f"MT + enforce, {name} ({applied} repairs, {left} open)",
                      (term_success(pairs(fixed)), exact_success(pairs(fixed))), chrf(fixed, refs)[0], time.time() - t))
    return table


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    if not args.data.is_dir():
        print(f"skip: no data at {args.data}")
        return 0
    if not apertium_mode("en", "es"):
        print("skip: Apertium eng-spa is not installed (sudo apt-get install apertium apertium-eng-spa)")
        return 0
    table = []
    for task, fn in (("terms-en-es", terms_task), ("postedit-en-es", postedit_task)):
        path = args.data / task / "dev.jsonl"
        if path.is_file():
            table += fn(path, args.limit)
    _, signature = chrf(["a"], ["a"])
    print(f"{'data':<16} {'system':<72} {'terms':>6} {'exact':>6} {'chrF':>6} {'secs':>5}")
    for data, system, (ts, exact), score, secs in table:
        print(f"{data:<16} {system:<72} {ts:6.3f} {exact:6.3f} {score:6.2f} {secs:5.1f}")
    print(f"chrF: {signature}; terms: share of terms whose target (lemma-aware) is in the output; "
          "exact: the target verbatim, ignoring case")
    return 0


if __name__ == "__main__":
    sys.exit(main())
