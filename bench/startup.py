"""Start-up: a 3-line Markdown file, offline, against Apertium alone (issue 14, item 6).

Target: `translator translate three.md --to es --model apertium` in at most
5x the time of `apertium eng-spa` on the same text.

Each figure is the median of N runs (default 5), wall-clock, through the CLI
entry point `.venv/bin/translator`:

  apertium   `apertium -f html eng-spa` over the file's text (the floor)
  cold       a fresh XDG_CACHE_HOME per run (no memory, no caches)
  warm       one XDG_CACHE_HOME reused (one untimed run fills it first)

The runs are interleaved (apertium, cold, warm, apertium, ...) so a machine
whose load changes during the benchmark affects all three alike; the CPU time
(user + system, the command and its children) is printed too, being steadier
than wall time on a shared machine.

Bytecode: an installed package has its modules compiled (pip compiles a
wheel's at install time; an editable install writes them on first import).
A shell with PYTHONDONTWRITEBYTECODE=1 set (as some sandboxes are) makes every
run of an editable install compile the whole package again, ~0.3-0.8 s that
no editor pays. So the timed commands run without that variable (the untimed
first run writes the package's __pycache__), unless --no-bytecode.

Usage: .venv/bin/python bench/startup.py [--runs N] [--keep DIR] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / ".venv" / "bin" / "translator"
TEXT = """# Weekly notes

The new model is faster than the old one, and the results are good.
Researchers released the code and the data on Monday.
"""


CPU: dict[str, list[float]] = {}  # user+system seconds of each timed command and its children


def _timed(cmd: list[str], env: dict[str, str], stdin: bytes | None = None, name: str = "") -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, input=stdin, capture_output=True, check=False)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if name:
        CPU.setdefault(name, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="keep the work folder here (outputs, caches)")
    ap.add_argument("--no-bytecode", action="store_true",
                    help="keep PYTHONDONTWRITEBYTECODE as the shell has it (every run compiles the package)")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="startup-", dir=args.keep)) if args.keep else Path(tempfile.mkdtemp())
    try:
        src = work / "three.md"
        src.write_text(TEXT, encoding="utf-8")
        base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TRANSLATOR_"))
                and (args.no_bytecode or k != "PYTHONDONTWRITEBYTECODE")}
        cmd = [str(CLI), "translate", str(src), "--to", "es", "--model", "apertium", "--out", str(work / "out"),
               "--quiet"]
        warm_env = dict(base, XDG_CACHE_HOME=str(work / "cache-warm"))
        _timed(cmd, warm_env)  # fills the warm cache (and writes the package's bytecode)
        load0 = os.getloadavg()[0]
        times: dict[str, list[float]] = {"apertium": [], "cold": [], "warm": []}
        for i in range(args.runs):
            times["apertium"].append(_timed(["apertium", "-f", "html", "eng-spa"], base, TEXT.encode(), "apertium"))
            cold = work / f"cache-cold-{i}"
            times["cold"].append(_timed(cmd, dict(base, XDG_CACHE_HOME=str(cold)), name="cold"))
            times["warm"].append(_timed(cmd, warm_env, name="warm"))
        floor = statistics.median(times["apertium"])
        cpu_floor = statistics.median(CPU["apertium"])
        bytecode = "off (PYTHONDONTWRITEBYTECODE)" if "PYTHONDONTWRITEBYTECODE" in base else "cached"
        print(f"bytecode: {bytecode}; 1-min load average before: {load0:.2f}, after: {os.getloadavg()[0]:.2f}")
        print(f"{'':10} {'wall':>8} {'x apertium':>10} {'cpu':>8} {'x apertium':>10}   wall of each run")
        for name, ts in times.items():
            med, cpu = statistics.median(ts), statistics.median(CPU[name])
            print(f"{name:10} {med:>7.2f}s {med / floor:>9.1f}x {cpu:>7.2f}s {cpu / cpu_floor:>9.1f}x   "
                  + " ".join(f"{t:.2f}" for t in ts))
        print((work / "out" / "three.es.md").read_text(encoding="utf-8"))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
