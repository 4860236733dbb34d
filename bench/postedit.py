"""Post-editing and glossary enforcement measured the way a user meets them:
through the CLI (`translator translate`), one merged glossary per file (as an
editor has one glossary), a fresh memory, default options. The same protocol
as ../shared/tools/quality.sh terms|postedit.

- postedit: postedit-en-es/dev.jsonl, `--draft` on the given MT; glossary
  compliance, chrF against the human post-edit (and of the raw MT), harm
  (changed lines whose sentence chrF fell by more than 0.5), non-words the
  tool introduced (unknown to Apertium's analyser and to Hunspell).
- terms: terms-en-es/dev.jsonl translated by Apertium with the glossary;
  compliance, chrF against the reference (and of raw Apertium), non-words.

    .venv/bin/python bench/postedit.py [--data ../shared/data] [--set postedit|terms|both] [--keep DIR]
                                       [--show N] [--lines A:B] [--per-line]

--keep leaves the outputs and reports there; --show N prints N changed lines
(picked with a fixed seed) before and after; --lines A:B measures only rows
A to B-1 of each set (one glossary merged from those rows), to check that a
rule derived on one half of dev also holds on the other. --per-line also runs
postedit once per line with that line's own terms as the glossary (what the
post-editor followed; one CLI run a line, so minutes): it separates what the
repairs do from what one file-wide glossary does to lines that do not list a
term. Skips (exit 0) when the data is missing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from sacrebleu.metrics import CHRF

ROOT = Path(__file__).resolve().parents[1]
TR = ROOT / ".venv" / "bin" / "translator"


def merged_glossary(rows: list[dict], path: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    for r in rows:
        terms = r["terms"]
        pairs = terms.items() if isinstance(terms, dict) else [(t["source"], t["target"]) for t in terms]
        for s, t in pairs:
            entries.setdefault(s, t)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["source", "target"])
        for s, t in sorted(entries.items()):
            w.writerow([s, t])
    return entries


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s).lower())


def _stem(w: str) -> str:
    if len(w) > 4 and w[-2:] in ("ar", "er", "ir"):
        return re.escape(w[:-2]) + r"\w*"
    if len(w) > 3 and w[-1] in "aeo":
        return re.escape(w[:-1]) + r"\w*"
    return re.escape(w) + r"(?:s|es)?"


def compliance(rows: list[dict], hyps: list[str], merged: dict[str, str]) -> tuple[int, int]:
    hit = tot = 0
    for h, r in zip(hyps, rows):
        terms = r["terms"]
        pairs = terms.items() if isinstance(terms, dict) else [(t["source"], t["target"]) for t in terms]
        for s, t in pairs:
            t = merged.get(s, t)
            tot += 1
            pat = r"(?<!\w)" + r"\s+".join(_stem(w) for w in _norm(t).split()) + r"(?!\w)"
            hit += bool(re.search(pat, _norm(h)))
    return hit, tot


def non_words(rows: list[dict], hyps: list[str], merged: dict[str, str], before_key: str) -> list[str]:
    from translator.terms import lexicon

    words = lambda s: re.findall(r"[^\W\d_]+", s)
    known = {w.lower() for t in merged.values() for w in words(t)}
    new = []
    for r, h in zip(rows, hyps):
        before = r.get(before_key, "")
        if h.strip() == before.strip():
            continue
        have = {w.lower() for w in words(before) + words(r["en"])} | known
        new += [w for w in words(h) if w.lower() not in have]
    return lexicon.non_words(sorted(set(new)), "es")


def run_cli(args: list[str], cache: Path) -> None:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    done = subprocess.run([str(TR), *args], env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"translator failed ({done.returncode}): {done.stderr[-500:] or done.stdout[-500:]}")


def read_rows(path: Path, lines: slice) -> list[dict]:
    return [json.loads(line) for line in open(path, encoding="utf-8")][lines]


def bench_postedit(data: Path, work: Path, show: int, lines: slice = slice(None)) -> None:
    rows = read_rows(data / "postedit-en-es" / "dev.jsonl", lines)
    work.mkdir(parents=True, exist_ok=True)
    merged = merged_glossary(rows, work / "glossary.en-es.csv")
    hyps = run_draft(rows, work, work / "cache", "--report", str(work / "out"))
    score_postedit("postedit ", rows, hyps, merged, merged, show)


def run_draft(rows: list[dict], work: Path, cache: Path, *extra: str) -> list[str]:
    """`translator translate --draft` of the rows' MT with work/glossary.en-es.csv; the output lines."""
    (work / "src.txt").write_text("\n".join(r["en"] for r in rows) + "\n", encoding="utf-8")
    (work / "mt.txt").write_text("\n".join(r["mt"] for r in rows) + "\n", encoding="utf-8")
    run_cli(["translate", str(work / "src.txt"), "--from", "en", "--to", "es", "--draft", str(work / "mt.txt"),
             "--glossary", str(work / "glossary.en-es.csv"), "--out", str(work / "out"), *extra], cache)
    hyps = (work / "out" / "src.es.txt").read_text(encoding="utf-8").split("\n")[: len(rows)]
    return hyps + [""] * (len(rows) - len(hyps))


def bench_postedit_per_line(data: Path, work: Path, show: int, lines: slice = slice(None)) -> None:
    """The same rows, each through the CLI with its own terms as its glossary
    (what the post-editor followed): separates what the repairs do from what
    applying one file's glossary to every line does. Harm counts the same lines
    as the merged run; compliance is against each line's own targets."""
    from concurrent.futures import ThreadPoolExecutor

    rows = read_rows(data / "postedit-en-es" / "dev.jsonl", lines)
    work.mkdir(parents=True, exist_ok=True)
    merged = merged_glossary(rows, work / "merged.en-es.csv")
    workers = max(1, min(4, os.cpu_count() or 1))

    def one(i: int) -> str:
        d = work / f"{i:04d}"
        d.mkdir(parents=True, exist_ok=True)
        merged_glossary(rows[i:i + 1], d / "glossary.en-es.csv")  # the line's own terms
        return run_draft(rows[i:i + 1], d, work / f"cache{i % workers}", "-q")[0]

    with ThreadPoolExecutor(workers) as pool:
        hyps = list(pool.map(one, range(len(rows))))
    score_postedit("per line ", rows, hyps, merged, {}, show)


def score_postedit(label: str, rows: list[dict], hyps: list[str], merged: dict[str, str],
                   given: dict[str, str], show: int) -> None:
    """Print compliance (against `given`, else each line's own targets), chrF
    against the post-edit, harm over the lines whose own terms agree with the
    merged glossary, and non-words."""
    c = CHRF()
    hit, tot = compliance(rows, hyps, given)
    chrf = c.corpus_score(hyps, [[r["pe"] for r in rows]]).score
    raw = c.corpus_score([r["mt"] for r in rows], [[r["pe"] for r in rows]]).score
    changed = worse = 0
    changes = []
    for i, (r, h) in enumerate(zip(rows, hyps)):
        if h.strip() == r["mt"].strip():
            continue
        changes.append(i)
        if all(merged.get(t["source"]) == t["target"] for t in r["terms"]):
            changed += 1
            worse += c.sentence_score(h, [r["pe"]]).score < c.sentence_score(r["mt"], [r["pe"]]).score - 0.5
    bad = non_words(rows, hyps, merged, "mt")
    print(f"{label} compliance {hit}/{tot} = {hit / tot:.3f}   chrF vs pe {chrf:.1f} (raw MT {raw:.1f}, "
          f"{chrf - raw:+.1f})   harm {worse}/{changed} = {worse / max(1, changed):.3f}   "
          f"non-words {len(bad)} {' '.join(bad[:10])}")
    for i in sorted(random.Random(9).sample(changes, min(show, len(changes)))):
        print(f"  #{i} MT:  {rows[i]['mt']}\n  #{i} OUT: {hyps[i]}\n  #{i} PE:  {rows[i]['pe']}")


def bench_terms(data: Path, work: Path, lines: slice = slice(None)) -> None:
    rows = read_rows(data / "terms-en-es" / "dev.jsonl", lines)
    work.mkdir(parents=True, exist_ok=True)
    merged = merged_glossary(rows, work / "glossary.en-es.csv")
    (work / "src.txt").write_text("\n".join(r["en"] for r in rows) + "\n", encoding="utf-8")
    run_cli(["translate", str(work / "src.txt"), "--from", "en", "--to", "es", "--model", "apertium",
             "--glossary", str(work / "glossary.en-es.csv"), "--out", str(work / "out")], work / "cache")
    run_cli(["translate", str(work / "src.txt"), "--from", "en", "--to", "es", "--model", "apertium",
             "--no-glossary", "--out", str(work / "raw")], work / "cache-raw")
    hyps = (work / "out" / "src.es.txt").read_text(encoding="utf-8").split("\n")[: len(rows)]
    raw_h = (work / "raw" / "src.es.txt").read_text(encoding="utf-8").split("\n")[: len(rows)]
    c = CHRF()
    refs = [[r["es"] for r in rows]]
    hit, tot = compliance(rows, hyps, merged)
    chrf, raw = c.corpus_score(hyps, refs).score, c.corpus_score(raw_h, refs).score
    for r, h in zip(rows, raw_h):
        r["raw"] = h
    bad = non_words(rows, hyps, merged, "raw")
    print(f"terms     compliance {hit}/{tot} = {hit / tot:.3f}   chrF vs es {chrf:.1f} (raw Apertium {raw:.1f}, "
          f"{chrf - raw:+.1f})   non-words {len(bad)} {' '.join(bad[:10])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--set", choices=("postedit", "terms", "both"), default="both")
    ap.add_argument("--keep", type=Path, help="leave outputs and reports here")
    ap.add_argument("--show", type=int, default=0, help="print N changed lines (fixed seed)")
    ap.add_argument("--lines", default=":", help="only rows A:B of each set, e.g. 0:150")
    ap.add_argument("--per-line", action="store_true",
                    help="also run postedit once per line with that line's own glossary (slow: one CLI run a line)")
    args = ap.parse_args()
    a, _, b = args.lines.partition(":")
    lines = slice(int(a) if a else None, int(b) if b else None)
    if not (args.data / "postedit-en-es").is_dir():
        print(f"no data in {args.data}: skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        if args.set in ("postedit", "both"):
            bench_postedit(args.data, work / "postedit", args.show, lines)
            if args.per_line:
                bench_postedit_per_line(args.data, work / "per-line", args.show, lines)
        if args.set in ("terms", "both"):
            bench_terms(args.data, work / "terms", lines)


if __name__ == "__main__":
    main()
