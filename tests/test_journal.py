"""kill -9 half way through a long LLM run loses nothing that was paid for:
every model reply is journaled as it arrives, and the re-run sends only the
requests that had no answer yet."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from fake_openai import prefix
from translator.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "ai-weekly-042.en.html"


def chat_users(fake, start=0) -> list[str]:
    return [q.user for q in fake.requests[start:] if q.path.endswith("/chat/completions")]


def kill_after(fake, answered: int, proc_box: list) -> None:
    """SIGKILL the translating process when request number answered+1 arrives."""
    handle = fake._handle
    seen = [0]

    def wrapped(path, body, headers):
        if path.endswith("/chat/completions"):
            seen[0] += 1
            if seen[0] == answered + 1 and proc_box:
                os.kill(proc_box[0].pid, signal.SIGKILL)
                proc_box[0].wait()
                return 500, {"error": {"message": "gone"}}, {}
        return handle(path, body, headers)

    fake._handle = wrapped


def test_kill_9_half_way_then_rerun_sends_only_the_unfinished_requests(tmp_path, fake_openai):
    fake_openai.responder = prefix("ES: ")
    env = dict(os.environ, OPENAI_BASE_URL=fake_openai.base_url, OPENAI_API_KEY="",
               XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    args = ["translate", str(SAMPLE), "--to", "es", "--jobs", "1", "-q"]

    # the whole job, uninterrupted, with no memory: every request it takes
    r = CliRunner().invoke(app, args + ["--no-cache", "--out", str(tmp_path / "full")], env=env)
    assert r.exit_code == 0, r.output
    full = chat_users(fake_openai)
    assert len(full) >= 6, "a multi-request job"
    assert not list((tmp_path / "cache").rglob("*.sqlite"))  # --no-cache: no memory, no journal
    assert not list((tmp_path / "cache").rglob("stage-cache*"))  # nor the stage cache
    expected = (tmp_path / "full" / "ai-weekly-042.es.html").read_text(encoding="utf-8")

    # run it again, killed with SIGKILL when half the requests are answered
    half = len(full) // 2
    start = len(fake_openai.requests)
    box: list = []
    kill_after(fake_openai, half, box)
    out = tmp_path / "out"
    box.append(subprocess.Popen([sys.executable, "-m", "translator.cli.main", *args, "--out", str(out)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    assert box[0].wait(timeout=300) == -signal.SIGKILL
    killed_run = chat_users(fake_openai, start)
    assert killed_run == full[:half]  # the request that killed it is not counted: it was never answered
    assert not (out / "ai-weekly-042.es.html").exists()

    # the re-run: the answered half comes from the journal, only the rest is sent
    box.clear()
    start = len(fake_openai.requests)
    r = CliRunner().invoke(app, args + ["--out", str(out)], env=env)
    assert r.exit_code == 0, r.output
    rerun = chat_users(fake_openai, start)
    # the same requests as the unfinished half of the full run (in another order: the
    # batches served from the journal no longer wait their turn)
    assert len(rerun) == len(full) - half and Counter(rerun) == Counter(full[half:])
    assert (out / "ai-weekly-042.es.html").read_text(encoding="utf-8") == expected

    # a run that ended normally leaves no journal behind (a later run asks afresh
    # for what the memory does not hold)
    import sqlite3

    db = sqlite3.connect(tmp_path / "cache" / "newsletter-translator" / "memory.replies.sqlite")
    assert db.execute("select count(*) from replies").fetchone()[0] == 0


def test_the_journal_commits_without_an_fsync_per_reply(tmp_path):
    """WAL with synchronous=normal: a commit survives kill -9 (the test above)
    without an fsync per reply, which cost more than the reply itself."""
    from translator.engines.llm.journal import Journal

    journal = Journal(tmp_path / "memory.replies.sqlite")
    assert journal.db is not None
    assert journal.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert journal.db.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL
    journal.put("k", {"texts": []}, False, "json_schema")
    journal.close()
    assert Journal(tmp_path / "memory.replies.sqlite").get("k") == ({"texts": []}, False, "json_schema")
