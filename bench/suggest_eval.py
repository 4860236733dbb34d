"""`glossary suggest`, measured on the shared post-edit data.

postedit-en-es/dev.jsonl holds (English, raw MT, human post-edit) triples and
the term corrections made (`terms`: source, mt, target). Each triple goes into
a fresh memory as an editor's edit; `glossary suggest` (through the CLI) then
lists what editors kept correcting. A suggestion is right when its chosen and
removed renderings are a correction of the data set, and its source term
right when the source matches too.

    .venv/bin/python bench/suggest_eval.py [--data ../shared/data] [--min-count 2]

Skips (exit 0) when the data is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--min-count", type=int, default=2)
    args = ap.parse_args()
    path = args.data / "postedit-en-es" / "dev.jsonl"
    if not path.is_file():
        print(f"skipped: {path} is missing")
        return 0
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "tm.sqlite"
        from translator.memory import edits
        from translator.memory.store import Memory

        memory = Memory(cache)
        edits.learn(memory, "en", "es", [edits.Edit(str(i), r["mt"], r["pe"]) for i, r in enumerate(rows)],
                    {str(i): r["en"] for i, r in enumerate(rows)}, str(path))
        memory.close()
        started = time.perf_counter()
        out = subprocess.run([str(ROOT / ".venv" / "bin" / "translator"), "glossary", "suggest", "--cache", str(cache),
                              "--min-count", str(args.min_count)], capture_output=True, text=True,
                             env={**os.environ, "OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
        seconds = time.perf_counter() - started
    truth = [(t["source"].lower(), t["mt"].lower(), t["target"].lower()) for r in rows for t in r["terms"]]
    right = right_source = n = 0
    for line in out.stdout.splitlines():
        m = re.match(r"\s*(\d+)×\s+(.*?) → (.*?)\s+\(not: (.*)\)", line)
        if not m:
            continue
        n += 1
        _, src, tgt, removed = (g.lower() for g in m.groups())
        ok = any(tgt in t and removed in mt for _, mt, t in truth)
        right += ok
        right_source += ok and bool(src) and any(src in s and tgt in t for s, _, t in truth)
    print(f"{len(rows)} edits, {n} suggestions (seen ≥ {args.min_count}×) in {seconds:.1f}s: "
          f"{right} are term corrections of the data set, {right_source} with the right source term")
    return 0


if __name__ == "__main__":
    sys.exit(main())
