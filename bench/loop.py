"""Does the critique → revise loop earn its cost? Translate-only (--rounds 0)
and the loop (--rounds 1) on the same paragraphs, through the CLI, against the
server in OPENAI_BASE_URL.

    OPENAI_BASE_URL=http://127.0.0.1:8765/v1 .venv/bin/python bench/loop.py \\
        ../shared/data/wmt24-en-es-dev/src.en.txt --ref ../shared/data/wmt24-en-es-dev/ref.es.txt \\
        --n 10 --model openai:qwen-1.5b

Prints, per run, chrF against the reference (when given), calls and tokens;
per paragraph, chrF of the single pass, of the loop's own draft and of the
loop's final text, and whether the loop made it better / worse / same than
its draft; then a few accepted and rejected revisions with the gate's reason.
Both runs share one fresh cache folder (the second run reuses the server's
structured-output mode; the translation memory keys differ by --rounds, so
nothing is served from it). With --paired the loop post-edits the single
pass's output (`--draft`), so both start from one draft and a slow server
translates once. Never run in CI: a real model takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import sacrebleu

ROOT = Path(__file__).resolve().parents[1]
CLI = [str(Path(sys.executable).parent / "translator")]


def run_cli(src: Path, out: Path, rounds: int, args: argparse.Namespace, env: dict,
            draft: Path | None = None) -> tuple[dict, float]:
    out.mkdir(parents=True, exist_ok=True)
    cmd = CLI + ["translate", str(src), "--to", args.to, "--rounds", str(rounds), "--out", str(out),
                 "--report", str(out), "--no-glossary", "-q"]
    if draft is not None:
        cmd += ["--draft", str(draft)]
    if args.model:
        cmd += ["--model", args.model]
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    print(f"$ translator {' '.join(cmd[1:])}  → exit {done.returncode}, {seconds:.0f}s", flush=True)
    if done.stderr.strip():
        print("  " + done.stderr.strip().replace("\n", "\n  "))
    report = next(out.glob("*.report.json"), None)
    if report is None:
        sys.exit(f"no report written in {out}")
    return json.loads(report.read_text(encoding="utf-8")), seconds


def paragraphs(report: dict, drafts: dict[str, str] | None = None) -> list[str]:
    """The report's segments joined per block (the loop's draft where `drafts` has one)."""
    blocks: dict[int, list[str]] = defaultdict(list)
    for s in report["segments"]:
        blocks[s["block"]].append((drafts or {}).get(s["id"], s["translation"]))
    return [" ".join(t.strip() for t in blocks[b]) for b in sorted(blocks)]


def chrf(hyp: str, ref: str) -> float:
    return sacrebleu.sentence_chrf(hyp, [ref]).score


def usage_line(report: dict) -> str:
    parts, total = [], [0, 0, 0]
    for step, u in report["usage"].items():
        if u["calls"]:
            parts.append(f"{step} {u['calls']} calls {u['prompt_tokens']}+{u['completion_tokens']} tok")
            total = [total[0] + u["calls"], total[1] + u["prompt_tokens"], total[2] + u["completion_tokens"]]
    return f"{total[0]} calls, {total[1]} in / {total[2]} out tokens ({'; '.join(parts)})"


def loop_counts(loop: dict) -> str:
    """The critic's suggestions and the revision gate's verdicts, told apart:
    a suggestion ends "rejected" when the reviser ignored it (no revision, so
    no verdict) as well as when the gate refused the revision."""
    rev, crit = loop.get("revisions", {}), loop["usage"].get("critique", {})
    sug = rev.get("suggestions", {})
    return (f"critic:      {sum(sug.get(k, 0) for k in ('open', 'applied', 'rejected'))} suggestions kept "
            f"({sug.get('mapped', 0)} mapped to the draft from a quote of the source or a whole-sentence rewrite), "
            f"{crit.get('discarded', 0)} discarded by the sanity filter\n"
            f"reviser:     asked about {rev.get('asked', 0)} segments, gave {rev.get('unchanged', 0)} back unchanged\n"
            f"gate:        {rev.get('accepted', 0)} revisions accepted, {rev.get('rejected', 0)} rejected (draft kept)\n"
            f"suggestions: {sug.get('applied', 0)} applied, {sug.get('rejected', 0)} rejected "
            f"(ignored by the reviser or refused by the gate), {sug.get('open', 0)} left open")


def show_revisions(loop: dict, per_status: int = 6) -> None:
    """Accepted and rejected revisions with their source, draft, the
    suggestions the reviser had, and the gate's reason."""
    source = {s["id"]: s["source"] for s in loop["segments"]}
    asked: dict[str, list[dict]] = defaultdict(list)
    for s in loop["suggestions"]:
        if s["origin"] == "llm" and s["status"] in ("applied", "rejected"):
            asked[s["id"]].append(s)
    for status in ("accepted", "rejected"):
        shown = [it for it in loop.get("revisions", {}).get("items", []) if it["status"] == status][:per_status]
        if shown:
            print(f"\n{status} revisions:")
        for it in shown:
            why = f"  [{it['reason']}]" if it["reason"] else ""
            print(f"  {it['id']}{why}\n    source: {source.get(it['id'], '')}\n    draft: {it['draft']}")
            for s in asked.get(it["id"], []):
                via = {"source-span": " (quoted the source)", "rewrite": " (from a whole-sentence rewrite)"}.get(
                    s["check"], "")
                print(f"    suggestion{via}: «{s['original']}» → «{s['suggestion']}» "
                      f"[{s['severity']} {s['category']}: {s['explanation']}]")
            print(f"    revised: {it['proposed']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src", type=Path, help="one paragraph per line")
    ap.add_argument("--ref", type=Path, help="reference, line-aligned")
    ap.add_argument("--n", type=int, default=10, help="paragraphs (from --start)")
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--to", default="es")
    ap.add_argument("--model", default=os.environ.get("TRANSLATOR_ENGINE"))
    ap.add_argument("--work", type=Path, help="keep inputs, outputs and reports here")
    ap.add_argument("--reuse", action="store_true", help="reuse a single pass already in --work")
    ap.add_argument("--paired", action="store_true",
                    help="run the loop on the single pass's output (--draft): same draft, half the translate cost")
    args = ap.parse_args()
    if not os.environ.get("OPENAI_BASE_URL"):
        sys.exit("set OPENAI_BASE_URL to the server to measure")
    lines = args.src.read_text(encoding="utf-8").splitlines()[args.start:args.start + args.n]
    refs = args.ref.read_text(encoding="utf-8").splitlines()[args.start:args.start + args.n] if args.ref else None
    work = args.work or Path(tempfile.mkdtemp(prefix="loop-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / f"input.{args.src.name.split('.')[-2] if args.src.name.count('.') >= 2 else 'en'}.txt"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"), OPENAI_API_KEY=os.environ.get("OPENAI_API_KEY", ""))
    done0 = next((work / "rounds0").glob("*.report.json"), None) if args.reuse else None
    if done0 is not None:  # a single pass already made in this work folder
        single, t0 = json.loads(done0.read_text(encoding="utf-8")), float("nan")
        print(f"single pass reused from {done0}")
    else:
        single, t0 = run_cli(src, work / "rounds0", 0, args, env)
    if args.paired:  # the loop post-edits the single pass's own output: one draft, compared exactly
        loop, t1 = run_cli(src, work / "rounds1", 1, args, env, draft=Path(single["output"]))
    else:
        loop, t1 = run_cli(src, work / "rounds1", 1, args, env)

    first_draft: dict[str, str] = {}
    for item in loop.get("revisions", {}).get("items", []):
        first_draft.setdefault(item["id"], item["draft"])
    single_p, final_p, draft_p = paragraphs(single), paragraphs(loop), paragraphs(loop, first_draft)
    print()
    print(f"single pass: {usage_line(single)}, {t0:.0f}s")
    print(f"loop:        {usage_line(loop)}, {t1:.0f}s")
    rev = loop.get("revisions", {})
    print(loop_counts(loop))
    fallback = [s["id"] for r in (single, loop) for s in r["segments"] if s["status"] == "fallback"]
    print(f"fallback segments (untranslated): single {sum(s['status'] == 'fallback' for s in single['segments'])}, "
          f"loop {sum(s['status'] == 'fallback' for s in loop['segments'])}")
    summary: dict = {"paragraphs": len(lines), "single_usage": single["usage"], "loop_usage": loop["usage"],
                     "revisions": rev, "fallback": fallback}
    if refs:
        c0 = sacrebleu.corpus_chrf(single_p, [refs]).score
        cd = sacrebleu.corpus_chrf(draft_p, [refs]).score
        c1 = sacrebleu.corpus_chrf(final_p, [refs]).score
        print(f"chrF corpus: single pass {c0:.2f}, loop draft {cd:.2f}, loop final {c1:.2f}")
        print(f"\n{'para':>4} {'single':>7} {'draft':>7} {'final':>7} {'Δdraft':>7}  vs draft")
        tally: dict[str, int] = defaultdict(int)
        rows = []
        for i, (a, d, f, r) in enumerate(zip(single_p, draft_p, final_p, refs)):
            s0, sd, s1 = chrf(a, r), chrf(d, r), chrf(f, r)
            verdict = "same" if f == d else ("better" if s1 > sd else "worse" if s1 < sd else "same")
            tally[verdict] += 1
            rows.append({"para": args.start + i, "single": s0, "draft": sd, "final": s1, "verdict": verdict})
            print(f"{args.start + i:>4} {s0:7.2f} {sd:7.2f} {s1:7.2f} {s1 - sd:+7.2f}  {verdict}")
        worst = min((r["final"] - r["draft"] for r in rows), default=0.0)
        print(f"\nvs its draft: {dict(tally)}; worst paragraph {worst:+.2f} chrF")
        vs_single = defaultdict(int)
        for r in rows:
            vs_single["better" if r["final"] > r["single"] else "worse" if r["final"] < r["single"] else "same"] += 1
        print(f"vs the single pass: {dict(vs_single)}")
        summary.update(chrf_single=c0, chrf_draft=cd, chrf_loop=c1, per_paragraph=rows, worst_vs_draft=worst)
    show_revisions(loop)
    (work / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\noutputs, reports and summary.json in {work}")


if __name__ == "__main__":
    main()
