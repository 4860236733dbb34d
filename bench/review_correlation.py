"""How well the reference-free review tracks quality, per system and per
segment, on the WMT24 en→es dev paragraphs (../shared/data/wmt24-en-es-dev).

For each system (the 9 published outputs plus Apertium's own translation of
the source) the review runs in-process with default settings (default
glossaries, the default --max-penalty gate); then

- system level: penalty per 1000 words vs corpus chrF (Kendall tau), gate;
- segment level: each paragraph's penalty per 1000 words vs its sentence
  chrF against the human reference (Pearson r, over all systems).

    .venv/bin/python bench/review_correlation.py [--data DIR] [--plot out.svg] [--by-check]

Skips (exit 0 with a message) when the data is absent. The plot is a
hand-written SVG scatter (no plotting library needed).
"""

from __future__ import annotations

import argparse
import itertools
import math
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pearson(x, y) -> float:
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sx = math.sqrt(sum((a - mx) ** 2 for a in x))
    sy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sxy / (sx * sy) if sx and sy else float("nan")


def kendall(xs, ys) -> float:
    conc = disc = 0
    for (a, b), (c, d) in itertools.combinations(zip(xs, ys), 2):
        s = (a - c) * (b - d)
        conc += s > 0
        disc += s < 0
    return (conc - disc) / max(1, conc + disc)


def apertium_output(src: Path, work: Path) -> Path:
    out = work / "ap"
    target = out / "src.es.txt"
    if not target.exists():
        subprocess.run([str(ROOT / ".venv" / "bin" / "translator"), "translate", str(src), "--from", "en", "--to",
                        "es", "--model", "apertium", "--out", str(out), "--no-cache", "--quiet"], check=True,
                       capture_output=True)
    return target


def svg_scatter(points, path: Path, r: float) -> None:
    """points: (penalty per 1000 words, chrF, system)."""
    W, H, M = 640, 420, 50
    xmax = max(1.0, max(p for p, _, _ in points))
    xmax = min(xmax, 400.0)
    palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
               "#1f78b4", "#b2df8a"]
    systems = sorted({s for _, _, s in points})
    col = {s: palette[i % len(palette)] for i, s in enumerate(systems)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="16" text-anchor="middle" font-size="13">Segment penalty vs chrF '
           f'(WMT24 en-es dev, {len(points)} paragraphs, Pearson r = {r:.2f})</text>',
           f'<line x1="{M}" y1="{H - M}" x2="{W - 10}" y2="{H - M}" stroke="black"/>',
           f'<line x1="{M}" y1="{H - M}" x2="{M}" y2="24" stroke="black"/>',
           f'<text x="{W / 2}" y="{H - 12}" text-anchor="middle">review penalty per 1000 words (capped at {xmax:.0f})</text>',
           f'<text x="14" y="{H / 2}" transform="rotate(-90 14 {H / 2})" text-anchor="middle">sentence chrF vs reference</text>']
    for k in range(0, 6):
        x = M + (W - 10 - M) * k / 5
        out.append(f'<text x="{x:.0f}" y="{H - M + 14}" text-anchor="middle">{xmax * k / 5:.0f}</text>')
        y = H - M - (H - M - 24) * k / 5
        out.append(f'<text x="{M - 6}" y="{y + 4:.0f}" text-anchor="end">{20 * k}</text>')
    for p, c, s in points:
        x = M + (W - 10 - M) * min(p, xmax) / xmax
        y = H - M - (H - M - 24) * c / 100
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{col[s]}" fill-opacity="0.45"/>')
    for i, s in enumerate(systems):
        out.append(f'<circle cx="{W - 120}" cy="{34 + 13 * i}" r="4" fill="{col[s]}"/>'
                   f'<text x="{W - 112}" y="{38 + 13 * i}">{s}</text>')
    out.append("</svg>\n")
    path.write_text("\n".join(out), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "wmt24-en-es-dev")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "review-correlation")
    ap.add_argument("--plot", type=Path, default=None, help="write the scatter plot (SVG) here")
    ap.add_argument("--by-check", action="store_true", help="print open findings per check and system")
    ap.add_argument("--systems", nargs="*", default=None)
    args = ap.parse_args()
    if not (args.data / "src.en.txt").is_file():
        print(f"no data at {args.data}: skipped")
        return 0
    from sacrebleu.metrics import CHRF

    from translator.report import build as report
    from translator.cli.review import DEFAULT_MAX_PENALTY, _glossary
    from translator.document import SEVERITY_WEIGHT
    from translator.qa.review import review_files

    args.work.mkdir(parents=True, exist_ok=True)
    src = args.data / "src.en.txt"
    ref = src.with_name("ref.es.txt").read_text(encoding="utf-8").split("\n")
    systems = {p.name[:-7]: p for p in sorted((args.data / "systems").glob("*.es.txt"))}
    systems["Apertium"] = apertium_output(src, args.work)
    if args.systems:
        systems = {k: v for k, v in systems.items() if k in args.systems}
    chrf = CHRF()
    rows, points, checks_by = [], [], {}
    started = time.perf_counter()
    for name, path in systems.items():
        hyp = path.read_text(encoding="utf-8").split("\n")
        r = review_files(path, source=src, target_lang="es", source_lang="en",
                         glossary=lambda s, t: _glossary(None, False, s, t))
        data = report.build_review(r, fail_on="critical", max_penalty=DEFAULT_MAX_PENALTY)
        words_by_line: Counter = Counter()
        pen_by_line: Counter = Counter()
        unit_line = {u.id: u.block for u in r.units}
        for u in r.units:
            if u.source:
                words_by_line[u.block] += report.count_words(u.source)
        for s in r.suggestions:
            if s.status == "open" and s.id in unit_line:
                pen_by_line[unit_line[s.id]] += SEVERITY_WEIGHT[s.severity]
        for line in range(len(ref)):
            if line < len(hyp) and words_by_line[line]:
                c = chrf.sentence_score(hyp[line], [ref[line]]).score
                points.append((1000 * pen_by_line[line] / words_by_line[line], c, name))
        corpus = chrf.corpus_score(hyp[: len(ref)], [ref[: len(hyp)]]).score
        rows.append((corpus, name, data["score"]["mqm_per_1000_words"], data["gate"]["passed"]))
        checks_by[name] = Counter(f"{s.check}:{s.severity}" for s in r.suggestions if s.status == "open")
    elapsed = time.perf_counter() - started
    rows.sort(reverse=True)
    for c, n, pen, ok in rows:
        print(f"{n:14s} chrF {c:5.1f}  penalty/1000w {pen:7.2f}  gate {'pass' if ok else 'FAIL'}")
    tau = kendall([c for c, *_ in rows], [-p for _, _, p, _ in rows])
    r = pearson([p for p, _, _ in points], [c for _, c, _ in points])
    print(f"system level: kendall tau (penalty vs chrF, sign so that 1 = same order) {tau:.2f}")
    print(f"segment level: Pearson r(penalty per 1000 words, sentence chrF) = {r:.3f} over {len(points)} paragraphs"
          f" (|r| = {abs(r):.3f})")
    print(f"review time: {elapsed:.1f} s for {len(systems)} systems")
    if args.by_check:
        names = [n for _, n, _, _ in rows]
        keys = sorted({k for c in checks_by.values() for k in c})
        print(f"{'check':32s}" + "".join(f"{n[:9]:>10s}" for n in names))
        for k in keys:
            print(f"{k:32s}" + "".join(f"{checks_by[n][k]:10d}" for n in names))
    if args.plot:
        svg_scatter(points, args.plot, r)
        print(f"scatter plot: {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
