"""An archive of newsletters through `translate --batch` against the fake Batch
API, compared with the online path on the same fake model (issue 15).

The archive is built here, in a temporary folder, from samples/ and (when
present) ../shared/data/newsletters-md/: each issue is one of those with its
own closing line, so no two are identical. Then:

1. online: `translate ARCHIVE --to es` against the fake chat server;
2. batch: `translate ARCHIVE --to es --batch` against the fake Batch API with
   5% of lines failing and the second batch expiring half done, killed with
   -9 while its first revise batch is in progress, then `batch resume` from a
   new process;

and checks: the same bytes in every output, at most three batches per step,
no line uploaded twice unless it had failed, one output per input.

Usage: .venv/bin/python bench/batch_archive.py [--docs 50]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fake_batch import FakeBatchAPI  # noqa: E402
from fake_openai import FakeOpenAI, prefix  # noqa: E402

TRANSLATOR = str(ROOT / ".venv/bin/translator")


def critic(seg: dict) -> list[dict]:
    if " model" in seg["draft"]:
        return [{"original": " model", "suggestion": " modelo", "category": "terminology", "severity": "major",
                 "explanation": "use the Spanish term"}]
    return []


RESPONDER = prefix("ES: ", critic)


def sources() -> list[Path]:
    found = [ROOT / "samples" / n for n in ("ai-weekly-042.en.html", "hugo-digest-2026-03.en.md")]
    shared = ROOT.parent / "shared" / "data" / "newsletters-md"
    if shared.is_dir():
        found += sorted(shared.glob("*.md"))
    return found


def build_archive(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True)
    files = []
    bases = sources()
    for i in range(n):
        base = bases[i % len(bases)]
        text = base.read_text(encoding="utf-8")
        line = f"This is issue {i + 1} of the archive, sent to every subscriber."
        if base.suffix == ".html":
            text = text.replace("</body>", f"<p>{line}</p>\n</body>", 1)
        else:
            text = text.rstrip("\n") + f"\n\n{line}\n"
        p = folder / f"issue-{i + 1:03d}.en{base.suffix}"
        p.write_text(text, encoding="utf-8")
        files.append(p)
    return files


def env(base_url: str, cache: Path) -> dict:
    e = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TRANSLATOR_"))}
    e.update(OPENAI_BASE_URL=base_url, OPENAI_API_KEY="bench", XDG_CACHE_HOME=str(cache),
             TRANSLATOR_BATCH_POLL="0.05", TRANSLATOR_BATCH_POLL_MAX="0.5")
    return e


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=50)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="batch-archive-"))
    archive = tmp / "archive"
    files = build_archive(archive, args.docs)
    size = sum(f.stat().st_size for f in files)
    print(f"archive: {len(files)} newsletters, {size / 1024:.0f} KB, from {len(sources())} sources, in {tmp}")
    common = ["--to", "es", "--from", "en", "--model", "openai:fake", "-q"]

    online = FakeOpenAI().start()
    online.responder = RESPONDER
    started = time.perf_counter()
    subprocess.run([TRANSLATOR, "translate", str(archive), *common, "--out", str(tmp / "online")],
                   env=env(online.base_url, tmp / "cache-online"), check=True)
    online_s = time.perf_counter() - started
    calls = Counter(r.task for r in online.chat_requests())
    online.stop()
    print(f"online: {online_s:.0f} s, {sum(calls.values())} calls ({dict(calls)})")

    fake = FakeBatchAPI(seed=1).start()
    fake.chat.responder = RESPONDER
    fake.fail_rate = 0.05
    fake.expire = {2}
    fake.hold_task = "revise"
    cache = tmp / "cache-batch"
    started = time.perf_counter()
    proc = subprocess.Popen([TRANSLATOR, "translate", str(archive), *common, "--out", str(tmp / "batch"), "--batch"],
                            env=env(fake.base_url, cache), stderr=subprocess.PIPE)
    while not any(b["_task"] == "revise" and b["_polls"] >= 2 for b in list(fake.batches.values())):
        if proc.poll() is not None:
            sys.exit("the batch run ended before its revise batch: " + proc.stderr.read().decode()[-2000:])
        time.sleep(0.05)
    written = len(list((tmp / "batch").glob("*"))) if (tmp / "batch").exists() else 0
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    uploads_before = len(fake.uploads)
    print(f"kill -9 while the revise batch was in progress: {len(fake.batches)} batches created, "
          f"{written} outputs already written")
    fake.release()
    subprocess.run([TRANSLATOR, "batch", "status", "--no-refresh"], env=env(fake.base_url, cache), check=True)
    subprocess.run([TRANSLATOR, "batch", "resume", "-q"], env=env(fake.base_url, cache), check=True)
    batch_s = time.perf_counter() - started
    subprocess.run([TRANSLATOR, "batch", "status"], env=env(fake.base_url, cache), check=True)

    want, got = outputs(tmp / "online"), outputs(tmp / "batch")
    same = sum(1 for k in want if got.get(k) == want[k])
    steps = []
    for lines in fake.uploads:
        steps.append({json.loads(x["body"]["messages"][-1]["content"])["task"] for x in lines}.pop())
    ids = [x["custom_id"] for lines in fake.uploads for x in lines]
    again = Counter(ids) - Counter(set(ids))
    db = sqlite3.connect(str(cache / "newsletter-translator" / "batch.sqlite"))
    docs = Counter(s for (s,) in db.execute("select status from docs"))
    print(f"batch (killed and resumed): {batch_s:.0f} s; {len(fake.uploads)} batches "
          f"({uploads_before} before the kill), per step {dict(Counter(steps))}; "
          f"{len(ids)} lines uploaded, {sum(again.values())} again (all failed before: "
          f"{again <= Counter(fake.failed)}), {len(fake.failed)} failed lines; "
          f"{len(online.requests) if False else len(fake.chat.requests)} requests answered")
    print(f"outputs: {len(got)} written for {len(files)} inputs; {same} of {len(want)} byte-identical to the online "
          f"path; documents in the state {dict(docs)}")
    ok = same == len(want) == len(got) == len(files) and max(Counter(steps).values()) <= 3 \
        and again <= Counter(fake.failed)
    print("OK" if ok else "MISMATCH")
    fake.stop()
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
