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
no editor pays. So the timed commands run without that variable, with their
bytecode in the work folder (PYTHONPYCACHEPREFIX; the untimed first run
writes it, nothing is written into a checkout), unless --no-bytecode.

--baseline CLI times another checkout's entry point too (e.g. the main
branch's .venv/bin/translator), its cold and warm runs interleaved with these
so that both see the same load.

Usage: .venv/bin/python bench/startup.py [--runs N] [--keep DIR] [--no-bytecode] [--baseline CLI]
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
    ap.add_argument("--baseline", type=Path, help="another translator entry point to time alongside")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="startup-", dir=args.keep)) if args.keep else Path(tempfile.mkdtemp())
    try:
        _bench(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _bench(args: argparse.Namespace, work: Path) -> None:
    src = work / "three.md"
    src.write_text(TEXT, encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TRANSLATOR_"))}
    clis = {"": CLI} | ({"-baseline": args.baseline.resolve()} if args.baseline else {})
    envs = {}
    for tag, cli in clis.items():
        env = dict(base)
        if not args.no_bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(work / f"pycache{tag}")
        envs[tag] = env
        _timed(_cmd(cli, src, work / f"out{tag}"), dict(env, XDG_CACHE_HOME=str(work / f"cache-warm{tag}")))  # fills
    load0 = os.getloadavg()[0]
    times: dict[str, list[float]] = {"apertium": []} | {f"{k}{t}": [] for t in clis for k in ("cold", "warm")}
    for i in range(args.runs):
        times["apertium"].append(_timed(["apertium", "-f", "html", "eng-spa"], base, TEXT.encode(), "apertium"))
        for tag, cli in clis.items():
            cmd = _cmd(cli, src, work / f"out{tag}")
            cold = dict(envs[tag], XDG_CACHE_HOME=str(work / f"cache-cold{tag}-{i}"))
            times[f"cold{tag}"].append(_timed(cmd, cold, name=f"cold{tag}"))
            warm = dict(envs[tag], XDG_CACHE_HOME=str(work / f"cache-warm{tag}"))
            times[f"warm{tag}"].append(_timed(cmd, warm, name=f"warm{tag}"))
    floor, cpu_floor = statistics.median(times["apertium"]), statistics.median(CPU["apertium"])
    bytecode = "off (PYTHONDONTWRITEBYTECODE=1)" if envs[""].get("PYTHONDONTWRITEBYTECODE") else "cached"
    print(f"bytecode: {bytecode}; 1-min load average before: {load0:.2f}, after: {os.getloadavg()[0]:.2f}"
          + (f"; baseline: {args.baseline}" if args.baseline else ""))
    print(f"{'':15} {'wall':>8} {'x apertium':>10} {'cpu':>8} {'x apertium':>10}   wall of each run")
    for name, ts in times.items():
        med, cpu = statistics.median(ts), statistics.median(CPU[name])
        print(f"{name:15} {med:>7.2f}s {med / floor:>9.1f}x {cpu:>7.2f}s {cpu / cpu_floor:>9.1f}x   "
              + " ".join(f"{t:.2f}" for t in ts))
    out = (work / "out" / "three.es.md").read_text(encoding="utf-8")
    if args.baseline and (work / "out-baseline" / "three.es.md").read_text(encoding="utf-8") != out:
        print("(the baseline's output differs)")
    print(out)


def _cmd(cli: Path, src: Path, out: Path) -> list[str]:
    return [str(cli), "translate", str(src), "--to", "es", "--model", "apertium", "--out", str(out), "--quiet"]


if __name__ == "__main__":
    main(sys.argv[1:])
