"""Does `--draft` give a good translation back as it was given? Published
translations are post-edited through the CLI (default options, a fresh
memory, the default glossaries unless --glossary) and compared with what was
given: every changed line is a line the tool rewrote without a glossary
violation to fix, or a repair to judge.

- wmt24: each WMT24 en→es system's output as the draft of the English source
  (nine systems: GPT-4, Claude-3.5 with its refusals, ONLINE-B with its
  "&quot;" in plain text, Aya23 with its dialogue dashes, …);
- ntrex: the human Spanish and Chinese references of NTREX as drafts.

Per draft: lines changed, lines whose sentence chrF against the reference
fell or rose by more than 0.5, and the applied suggestions by check; with
--show, the changed words of the first N lines. A domain glossary on general
text is the hard case (`--glossary ../shared/data/glossaries/hf-course-es-glossary.mdx`:
"save" → "Guardar" meets «ahorrar dinero»).

    .venv/bin/python bench/faithful.py [--data ../shared/data] [--glossary FILE.csv|FILE.mdx] [--show N]

Skips (exit 0) when the data is missing.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from sacrebleu.metrics import CHRF

ROOT = Path(__file__).resolve().parents[1]


def run(src: Path, draft: Path, ref: Path, tgt: str, glossary: str | None, show: int) -> None:
    with tempfile.TemporaryDirectory() as work:
        w = Path(work)
        given = w / f"src.{src.name.split('.')[-2]}.txt"
        given.write_bytes(src.read_bytes())
        args = [str(ROOT / ".venv/bin/translator"), "translate", str(given), "--to", tgt, "--draft", str(draft),
                "--out", str(w / "out"), "--report", str(w / "rep"), "-q"]
        if glossary:
            args += ["--glossary", glossary]
        env = dict(os.environ, XDG_CACHE_HOME=str(w / "cache"), OPENAI_API_KEY="", OPENAI_BASE_URL="")
        done = subprocess.run(args, env=env, capture_output=True, text=True)
        out = next((w / "out").glob("*"), None)
        if out is None:
            print(f"{draft.name:22s} failed (exit {done.returncode}): {done.stdout.strip()[-200:]}")
            return
        a = draft.read_text(encoding="utf-8").split("\n")
        b = out.read_text(encoding="utf-8").split("\n")
        r = ref.read_text(encoding="utf-8").split("\n")
        chrf, changed, worse, better = CHRF(), [], 0, 0
        for i, (x, y, z) in enumerate(zip(a, b, r)):
            if x != y:
                changed.append(i)
                d = chrf.sentence_score(y, [z]).score - chrf.sentence_score(x, [z]).score
                worse, better = worse + (d < -0.5), better + (d > 0.5)
        report = json.loads(next((w / "rep").glob("*.json")).read_text(encoding="utf-8"))
        applied = Counter(s["check"] for s in report["suggestions"] if s["status"] == "applied")
        print(f"{draft.name:22s} changed {len(changed):3d}/{len(r)}  worse {worse}  better {better}  "
              f"applied {dict(applied)}")
        for i in changed[:show]:
            print(f"    {i + 1}: {_word_diff(a[i], b[i])}")


def _word_diff(a: str, b: str) -> str:
    """The changed words with two words of context: «… puedes [ahorrarte → guardarte] un poco …»."""
    x, y = a.split(" "), b.split(" ")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
        if op != "equal":
            out.append(f"… {' '.join(x[max(0, i1 - 2):i1])} [{' '.join(x[i1:i2])} → {' '.join(y[j1:j2])}] "
                       f"{' '.join(x[i2:i2 + 2])} …")
    return "  ".join(out)


def markdown_glossary(path: Path, work: Path) -> str:
    """A glossary written as a Markdown table (`| Original | Spanish |`, as the
    Hugging Face course's) as a CSV the CLI reads."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] and not set(cells[0]) <= set("-: ") and cells[0] != "Original":
            rows.append((cells[0] if cells[0].isupper() else cells[0].lower(), cells[1]))
    out = work / "glossary.en-es.csv"
    with out.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([("source", "target"), *rows])
    return str(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--glossary", help="a glossary CSV (or a Markdown table) for every run (default: the shipped ones)")
    ap.add_argument("--show", type=int, default=0, help="print this many changed lines per draft")
    opts = ap.parse_args()
    wmt, ntrex = opts.data / "wmt24-en-es-dev", opts.data / "ntrex"
    if not wmt.is_dir() or not ntrex.is_dir():
        print(f"no data in {opts.data}: skipped")
        return 0
    with tempfile.TemporaryDirectory() as work:
        glossary = opts.glossary
        if glossary and glossary.endswith((".md", ".mdx")):
            glossary = markdown_glossary(Path(glossary), Path(work))
        for system in sorted((wmt / "systems").glob("*.es.txt")):
            run(wmt / "src.en.txt", system, wmt / "ref.es.txt", "es", glossary, opts.show)
        for lang in ("es", "zh"):
            run(ntrex / "ntrex.en.txt", ntrex / f"ntrex.{lang}.txt", ntrex / f"ntrex.{lang}.txt", lang, glossary,
                opts.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
