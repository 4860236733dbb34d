"""A 100,000-row glossary on a 2-sentence file, through the CLI (issue 8):
`translator translate note.en.md --to es --model apertium --glossary big.csv`.

Target: <= 5 s. The glossary is indexed and only the entries the document can
contain are looked at (pre-translated with Apertium, matched), so the time
should be the start-up plus reading the CSV. Each figure is the median of N
runs (default 3), wall and CPU (the command and its children):

  none   the same file without a glossary (--no-glossary), warm
  cold   a fresh XDG_CACHE_HOME per run
  warm   one XDG_CACHE_HOME reused (one untimed run fills it first)

The glossary has 99,998 synthetic entries ("widget 00017 stack" → "pila
00017 de widgets") and two the text contains ("foundation model", "GPU").

Usage: .venv/bin/python bench/big_glossary.py [--runs N] [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / ".venv" / "bin" / "translator"
TEXT = "# Notes\n\nThe new foundation model runs on one GPU.\nResearchers released the code on Monday.\n"
NOUNS = ["widget", "buffer", "kernel", "socket", "thread", "packet", "ledger", "cursor", "tensor", "vector"]
HEADS = [("stack", "pila"), ("queue", "cola"), ("table", "tabla"), ("graph", "grafo"), ("layer", "capa")]


def write_glossary(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["source", "target"])
        w.writerow(["foundation model", "modelo fundacional"])
        w.writerow(["GPU", "GPU"])
        for i in range(rows - 2):
            noun, (head, cabeza) = NOUNS[i % len(NOUNS)], HEADS[(i // len(NOUNS)) % len(HEADS)]
            w.writerow([f"{noun} {i:05d} {head}", f"{cabeza} {i:05d} de {noun}s"])


def timed(args: list[str], cache: Path) -> tuple[float, float]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([str(CLI), *args], env=env, capture_output=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"translate failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')[-2000:]}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rows", type=int, default=100_000)
    opts = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src, glossary = work / "note.en.md", work / "big.en-es.csv"
        src.write_text(TEXT, encoding="utf-8")
        write_glossary(glossary, opts.rows)
        base = ["translate", str(src), "--to", "es", "--from", "en", "--model", "apertium", "-q", "--overwrite"]
        runs: dict[str, list[tuple[float, float]]] = {"none": [], "cold": [], "warm": []}
        warm = work / "warm-cache"
        timed([*base, "--out", str(work / "w"), "--glossary", str(glossary)], warm)  # fills the warm cache
        timed([*base, "--out", str(work / "n"), "--no-glossary"], warm)
        for i in range(opts.runs):
            runs["none"].append(timed([*base, "--out", str(work / "n"), "--no-glossary"], warm))
            runs["cold"].append(timed([*base, "--out", str(work / f"c{i}"), "--glossary", str(glossary)],
                                      work / f"cold-{i}"))
            runs["warm"].append(timed([*base, "--out", str(work / "w"), "--glossary", str(glossary)], warm))
        out = (work / "w" / "note.es.md").read_text(encoding="utf-8")
    print(f"{opts.rows:,}-row glossary, 2-sentence Markdown file, --model apertium, median of {opts.runs}; "
          f"1-min load average {os.getloadavg()[0]:.2f}")
    print(f"{'':6s} {'wall':>7s} {'cpu':>7s}   wall of each run")
    for name, got in runs.items():
        walls = [w for w, _ in got]
        print(f"{name:6s} {statistics.median(walls):6.2f}s {statistics.median(c for _, c in got):6.2f}s   "
              + " ".join(f"{w:.2f}" for w in walls))
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
