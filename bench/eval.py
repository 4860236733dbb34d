"""Run the offline engines over ../shared/data and print one table.

- ntrex (news, 400 lines): Apertium en→es, scored against the Spanish reference;
- terms-en-es (200 lines, a term dictionary per sentence): Apertium alone,
  and Apertium with each sentence's terms as its glossary (protected and
  enforced by the engine);
- postedit-en-es (300 lines, raw MT with wrong terms): the raw MT, and the
  MT after glossary enforcement (`terms.enforce`, no LLM) with each line's
  terms, both scored against the human post-edit.

Scores: BLEU, chrF, TER (sacrebleu; signatures printed below the table) and
term success (share of the line's terms whose target is in the output,
inflection-aware). Nothing is downloaded; the data stays in ../shared.

Usage: .venv/bin/python bench/eval.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from translator.qa.evaluate import line_term_success, metrics
from translator.terms.glossary import Glossary

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
DATA = ROOT.parent / "shared" / "data"


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def term_pairs(row: dict) -> list[tuple[str, str]]:
    t = row.get("terms") or {}
    if isinstance(t, dict):
        return list(t.items())
    return [(x["source"], x["target"]) for x in t]


def apertium(sources: list[str], glossaries: list[Glossary | None] | None = None) -> list[str]:
    from translator.engines.apertium import Job, translate_jobs

    glossaries = glossaries or [None] * len(sources)
    jobs = [Job(f"s{i + 1}", s, g) for i, (s, g) in enumerate(zip(sources, glossaries))]
    result = translate_jobs(jobs, "en", "es")
    return [result.texts[j.id] for j in jobs]


def enforce(sources: list[str], drafts: list[str], per_line: list[list[tuple[str, str]]]) -> list[str]:
    """Glossary enforcement exactly as bench/terms_eval.py runs it (one
    glossary per line, Apertium evidence fetched in a few batched calls)."""
    from terms_eval import ApertiumHints, NoHints, enforce_all, glossary_of, prefetch

    rows = [{"en": s} for s in sources]
    glossaries = [glossary_of(pairs) for pairs in per_line]
    hints = ApertiumHints("en", "es")
    hints = hints if hints.mode else NoHints()
    prefetch(hints, rows, glossaries, drafts)
    fixed, _, _ = enforce_all(rows, glossaries, drafts, hints)
    return fixed


def row(name: str, system: str, hyps, refs, per_line_terms=None, seconds: float = 0.0) -> dict:
    m = metrics(hyps, refs, "es")
    ts = line_term_success(per_line_terms, [""] * len(hyps), hyps, "es") if per_line_terms else None
    return {"data": name, "system": system, "n": len(hyps), **m, "term_success": ts, "seconds": round(seconds, 1)}


def engine_version() -> str:
    if not shutil.which("dpkg-query"):
        return "unknown"
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Package}=${Version} ", "apertium", "apertium-eng-spa"],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="only the first N lines of each set")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    if not shutil.which("apertium"):
        print("Apertium is not installed (sudo apt-get install apertium apertium-eng-spa)", file=sys.stderr)
        return 1
    cut = (lambda xs: xs[: args.limit]) if args.limit else (lambda xs: xs)
    rows = []

    en = cut((DATA / "ntrex/ntrex.en.txt").read_text(encoding="utf-8").splitlines())
    es = cut((DATA / "ntrex/ntrex.es.txt").read_text(encoding="utf-8").splitlines())
    t = time.perf_counter()
    rows.append(row("ntrex en→es", "apertium", apertium(en), es, seconds=time.perf_counter() - t))

    data = cut(jsonl(DATA / "terms-en-es/dev.jsonl"))
    src, ref = [r["en"] for r in data], [r["es"] for r in data]
    per_line = [term_pairs(r) for r in data]
    glossaries = [Glossary.from_pairs(p, "en", "es") for p in per_line]
    t = time.perf_counter()
    rows.append(row("terms-en-es", "apertium", apertium(src), ref, per_line, time.perf_counter() - t))
    t = time.perf_counter()
    protected = apertium(src, glossaries)
    rows.append(row("terms-en-es", "apertium + glossary", enforce(src, protected, per_line), ref, per_line,
                    time.perf_counter() - t))

    data = cut(jsonl(DATA / "postedit-en-es/dev.jsonl"))
    src, mt, pe = [r["en"] for r in data], [r["mt"] for r in data], [r["pe"] for r in data]
    per_line = [term_pairs(r) for r in data]
    rows.append(row("postedit-en-es", "raw MT", mt, pe, per_line))
    t = time.perf_counter()
    rows.append(row("postedit-en-es", "MT + glossary enforce", enforce(src, mt, per_line), pe, per_line,
                    time.perf_counter() - t))

    print(f"{'data':<16} {'system':<24} {'n':>4} {'BLEU':>6} {'chrF':>6} {'TER':>6} {'terms':>6} {'time s':>7}")
    for r in rows:
        ts = "–" if r["term_success"] is None else f"{r['term_success']:.1%}"
        print(f"{r['data']:<16} {r['system']:<24} {r['n']:>4} {r['bleu']:>6.2f} {r['chrf']:>6.2f} "
              f"{r['ter']:>6.2f} {ts:>6} {r['seconds']:>7.1f}")
    print()
    print(f"BLEU  {rows[0]['bleu_signature']}")
    print(f"chrF  {rows[0]['chrf_signature']}")
    print(f"TER   {rows[0]['ter_signature']}")
    print(f"engine: {engine_version()} · glossary: the per-line terms of each set · "
          f"term success: translator.terms.match.term_success")
    return 0


if __name__ == "__main__":
    sys.exit(main())
