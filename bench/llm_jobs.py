"""Wall time of `translator translate` on 10 newsletters against a fake
OpenAI-compatible server that answers every call after 1 s (issue 3).

Compares one document, ten with --jobs 1 and ten with --jobs 8.
Usage: .venv/bin/python bench/llm_jobs.py [--latency 1.0]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fake_openai import FakeOpenAI, prefix  # noqa: E402

SAMPLES = ["ai-weekly-042.en.html", "hugo-digest-2026-03.en.md"]


def run(files: list[Path], jobs: int, base_url: str, out: Path) -> float:
    env = {"OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": "", "PATH": "/usr/bin:/bin"}
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv/bin/translator"), "translate", *map(str, files), "--to", "fr", "--model", "openai:fake",
         "--jobs", str(jobs), "--out", str(out), "--no-cache", "-q"],
        check=True, env=env,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=1.0)
    args = parser.parse_args()
    fake = FakeOpenAI().start()
    fake.latency = args.latency
    fake.responder = prefix("FR ")
    tmp = Path(tempfile.mkdtemp())
    try:
        files = []
        for i in range(10):
            src = ROOT / "samples" / SAMPLES[i % 2]
            dst = tmp / f"issue{i:02d}.en{src.suffix}"
            shutil.copy(src, dst)
            files.append(dst)
        rows = []
        for label, subset, jobs in (("1 document, --jobs 8", files[:1], 8), ("10 documents, --jobs 1", files, 1),
                                    ("10 documents, --jobs 8", files, 8)):
            before = len(fake.chat_requests())
            fake.max_in_flight = 0
            seconds = run(subset, jobs, fake.base_url, tmp / f"out-{jobs}-{len(subset)}")
            rows.append((label, seconds, len(fake.chat_requests()) - before, fake.max_in_flight))
        print(f"fake server latency {args.latency:.1f} s per call")
        for label, seconds, calls, in_flight in rows:
            print(f"{label:<24} {seconds:6.1f} s  {calls:3d} calls  max in flight {in_flight}")
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
