"""translate --batch against the fake Batch API: the same outputs as the
online path, failed and expired lines sent again, the memory first, a run
killed with -9 and resumed from a new process, the cost dry-run."""

from __future__ import annotations

import json
from collections import Counter
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fake_batch import FakeBatchAPI, fake_batch  # noqa: F401
from fake_openai import prefix
from typer.testing import CliRunner

from translator.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

ISSUE_MD = """---
title: "Model notes {n}"
date: 2026-0{m}-01
tags: [ai]
---

# Model notes, issue {n}

This week the **model** team shipped a new tokenizer. Read the [release notes](https://example.org/{n}).

- Faster training for every model size.
- A smaller model for phones.

The evaluation covers {n} benchmarks. Thanks for reading!
"""

ISSUE_HTML = """<!DOCTYPE html>
<html><head><title>Weekly {n}</title></head><body>
<h1>Weekly digest {n}</h1>
<p>A new <a href="https://example.org/m{n}">model</a> beats the old one on {n} tasks.</p>
<p>Our <em>editors</em> picked three papers. The first explains how the model learns.</p>
<ul><li>Data pipelines.</li><li>Model cards and safety.</li></ul>
</body></html>
"""


def critic(seg: dict) -> list[dict]:
    """A major issue on every draft that says "model": the reviser fixes it."""
    if " model" in seg["draft"]:
        return [{"original": " model", "suggestion": " modelo", "category": "terminology", "severity": "major",
                 "explanation": "use the Spanish term"}]
    return []


RESPONDER = prefix("ES: ", critic)


def make_issues(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        if i % 2:
            p = folder / f"weekly-{i:02d}.en.html"
            p.write_text(ISSUE_HTML.format(n=i + 1), encoding="utf-8")
        else:
            p = folder / f"notes-{i:02d}.en.md"
            p.write_text(ISSUE_MD.format(n=i + 1, m=i % 9 + 1), encoding="utf-8")
        files.append(p)
    return files


def env_for(base_url: str, cache: Path) -> dict:
    return {"OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": "test", "XDG_CACHE_HOME": str(cache),
            "TRANSLATOR_BATCH_POLL": "0.01", "TRANSLATOR_CACHE": None}


def translate(args: list[str], env: dict):
    return runner.invoke(app, ["translate", *args, "--model", "openai:fake", "--to", "es", "--from", "en"], env=env)


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def online_outputs(tmp_path, fake_openai):
    """What the online path writes for the same inputs and the same fake model."""

    def run(src: Path) -> dict[str, bytes]:
        fake_openai.responder = RESPONDER
        out = tmp_path / "online"
        r = translate([str(src), "--out", str(out), "-q"], env_for(fake_openai.base_url, tmp_path / "cache-online"))
        assert r.exit_code == 0, r.output
        return outputs(out)

    return run


def state_rows(cache: Path, sql: str) -> list:
    db = sqlite3.connect(str(cache / "newsletter-translator" / "batch.sqlite"))
    try:
        return list(db.execute(sql))
    finally:
        db.close()


def steps_of(fake: FakeBatchAPI) -> list[str]:
    """The step of each batch, in order (every line of a batch has one task)."""
    tasks = []
    for lines in fake.uploads:
        kinds = {json.loads(line["body"]["messages"][-1]["content"])["task"] for line in lines}
        assert len(kinds) == 1, "documents progress step by step: one step per batch"
        tasks.append(kinds.pop())
    return tasks


def test_batch_gives_the_online_outputs_with_failed_and_expired_lines(tmp_path, fake_batch, online_outputs):
    src = tmp_path / "src"
    make_issues(src, 4)
    want = online_outputs(src)
    fake_batch.chat.responder = RESPONDER
    fake_batch.fail_lines = {"s1"}  # the lines asking for s1 fail once (500 in the error file)
    fake_batch.expire = {2}  # the second batch expires half done
    cache = tmp_path / "cache"
    r = translate([str(src), "--out", str(tmp_path / "batch"), "--batch"], env_for(fake_batch.base_url, cache))
    assert r.exit_code == 0, r.output
    assert outputs(tmp_path / "batch") == want
    steps = steps_of(fake_batch)
    assert steps[0] == "translate" and "critique" in steps and "revise" in steps
    for step in ("translate", "critique", "revise"):
        assert steps.count(step) <= 3
    # steps in order: every translation before any critique, every critique before any revision
    assert steps == sorted(steps, key=["translate", "critique", "revise"].index)
    ids = [line["custom_id"] for line in fake_batch.batch_lines()]
    again = Counter(ids) - Counter(set(ids))
    assert again and again <= Counter(fake_batch.failed), "a line is uploaded again only when it failed"
    assert "|translate|" in ids[0] and ids[0].startswith("notes-00.en.md|")
    assert "expired" in r.output and "failed" in r.output
    assert "cost:" not in r.output  # no price for the fake model: no dollars made up
    assert state_rows(cache, "select status from runs") == [("done",)]
    assert {s for (s,) in state_rows(cache, "select status from docs")} == {"done"}
    assert not fake_batch.chat.requests or all(r.body for r in fake_batch.chat.requests)


def test_the_memory_is_consulted_first(tmp_path, fake_batch):
    src = tmp_path / "src"
    make_issues(src, 2)
    fake_batch.chat.responder = RESPONDER
    env = env_for(fake_batch.base_url, tmp_path / "cache")
    assert translate([str(src), "--out", str(tmp_path / "a"), "--batch", "-q"], env).exit_code == 0
    uploads = len(fake_batch.uploads)
    (src / "notes-02.en.md").write_text(ISSUE_MD.format(n=3, m=3), encoding="utf-8")  # one new issue
    r = translate([str(src), "--out", str(tmp_path / "b"), "--batch", "-q"], env)
    assert r.exit_code == 0, r.output
    sent = [line for up in fake_batch.uploads[uploads:] for line in up]
    sources = [s["source"] for line in sent
               for s in json.loads(line["body"]["messages"][-1]["content"])["segments"]]
    assert sources, "the new issue is translated"
    assert all("notes-02" in line["custom_id"] for line in sent), "nothing already translated is submitted"
    assert outputs(tmp_path / "b")["notes-00.es.md"] == outputs(tmp_path / "a")["notes-00.es.md"]


def test_kill_9_mid_way_then_resume_loses_and_duplicates_nothing(tmp_path, fake_batch, online_outputs):
    src = tmp_path / "src"
    make_issues(src, 4)
    want = online_outputs(src)
    fake_batch.chat.responder = RESPONDER
    fake_batch.hold = {2}  # the critique batch stays in progress: the process is killed waiting for it
    cache, out = tmp_path / "cache", tmp_path / "batch"
    env = {**os.environ, **{k: v for k, v in env_for(fake_batch.base_url, cache).items() if v is not None}}
    env.pop("TRANSLATOR_CACHE", None)
    proc = subprocess.Popen([sys.executable, "-m", "translator.cli.main", "translate", str(src), "--to", "es",
                             "--from", "en", "--model", "openai:fake", "--out", str(out), "--batch", "-q"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240  # generous: a loaded CI machine starts the CLI slowly
        while time.monotonic() < deadline:  # until the second batch exists and is being polled
            if len(fake_batch.order) >= 2 and fake_batch.batches[fake_batch.order[1]]["_polls"] >= 2:
                break
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.02)
        else:
            pytest.fail("the run never reached its second batch")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert not out.exists() or not list(out.iterdir())
    uploaded = len(fake_batch.uploads)
    r = runner.invoke(app, ["batch", "status"], env=env_for(fake_batch.base_url, cache))
    assert r.exit_code == 0 and "critique, wave 1" in r.output and "in_progress" in r.output, r.output
    fake_batch.release()
    r = runner.invoke(app, ["batch", "status", "--no-refresh"], env=env_for(fake_batch.base_url, cache))
    assert r.exit_code == 0 and "running" in r.output and "batch resume" in r.output, r.output
    r = runner.invoke(app, ["batch", "resume"], env=env_for(fake_batch.base_url, cache))
    assert r.exit_code == 0, r.output
    assert outputs(out) == want
    steps = steps_of(fake_batch)
    assert steps[:2] == ["translate", "critique"] and len(fake_batch.uploads) > uploaded
    ids = [line["custom_id"] for line in fake_batch.batch_lines()]
    assert len(set(ids)) == len(ids), "nothing submitted before the kill is uploaded again"
    assert state_rows(cache, "select status from runs") == [("done",)]
    r = runner.invoke(app, ["batch", "resume"], env=env_for(fake_batch.base_url, cache))
    assert r.exit_code == 1 and "no unfinished batch run" in r.output


def test_a_batch_the_api_rejects_fails_its_documents_with_one_line(tmp_path, fake_batch, monkeypatch):
    src = tmp_path / "src"
    make_issues(src, 3)
    import translator.batch.transport as bt

    monkeypatch.setattr(bt, "_custom_id", lambda doc, task, ids, h: "same")  # duplicate custom_ids
    r = translate([str(src), "--out", str(tmp_path / "o"), "--batch", "-q"],
                  env_for(fake_batch.base_url, tmp_path / "cache"))
    assert r.exit_code == 1
    assert "rejected batch" in r.output and "custom_id" in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1 and "batch resume" in r.output


def test_a_server_without_the_batch_api_gets_one_clear_line(tmp_path, fake_openai):
    src = tmp_path / "src"
    make_issues(src, 3)
    r = translate([str(src), "--out", str(tmp_path / "o"), "--batch", "-q"],
                  env_for(fake_openai.base_url, tmp_path / "cache"))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.startswith("Error: the Batch API at ") and "run without --batch" in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_batch_needs_an_llm_engine(tmp_path):
    src = tmp_path / "src"
    make_issues(src, 1)
    r = runner.invoke(app, ["translate", str(src), "--to", "es", "--model", "apertium", "--batch"],
                      env={"XDG_CACHE_HOME": str(tmp_path)})
    assert r.exit_code == 1 and r.output.startswith("Error: --batch") and "Traceback" not in r.output


def test_dry_run_counts_what_a_run_sends_and_prices_it(tmp_path, fake_batch):
    src = tmp_path / "src"
    make_issues(src, 3)
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"fake": {"input": 1.0, "output": 2.0}}))
    env = env_for(fake_batch.base_url, tmp_path / "cache")
    r = translate([str(src), "--dry-run", "--prices", str(prices)], env)
    assert r.exit_code == 0, r.output
    row = next(line for line in r.output.splitlines() if line.strip("│ ").startswith("translate"))
    requests = int(row.split("│")[2])
    assert "online $" in r.output and "batch $" in r.output and "$1 in / $2 out" in r.output
    assert not fake_batch.uploads and not fake_batch.chat.requests, "a dry run calls nothing"
    fake_batch.chat.responder = RESPONDER
    assert translate([str(src), "--out", str(tmp_path / "o"), "--batch", "-q"], env).exit_code == 0
    assert requests == len(fake_batch.uploads[0]), "the first batch holds what the dry run counted"
    bad = tmp_path / "bad.json"
    bad.write_text('{"fake": {"input": "cheap"}}')
    r = translate([str(src), "--dry-run", "--prices", str(bad)], env)
    assert r.exit_code == 1 and r.output.startswith("Error: ") and "Traceback" not in r.output


def test_price_table_and_batch_discount():
    from translator.batch.cost import load_prices, price_for
    from translator.document import Usage

    p = price_for("openai:gpt-4o-mini-2024-07-18", load_prices())
    assert p is not None and p.model == "gpt-4o-mini"
    u = Usage(1, 1_000_000, 1_000_000)
    assert p.cost(u, batch=False) == pytest.approx(0.75)
    assert p.cost(u, batch=True) == pytest.approx(0.375)
    assert price_for("qwen2.5-7b", load_prices()) is None


def test_a_crash_between_creating_a_batch_and_recording_it_adopts_that_batch(tmp_path, fake_batch, monkeypatch):
    """The batch was created at the provider but the process died before the
    state knew its id: resume finds it by its metadata, uploads nothing again."""
    import translator.batch.transport as bt

    src = tmp_path / "src"
    make_issues(src, 2)
    fake_batch.chat.responder = RESPONDER
    original = bt.Coordinator._create

    async def create_then_die(self, local, task, wave_no, file_id, n):
        await self.client.batches.create(input_file_id=file_id, endpoint=bt.ENDPOINT, completion_window="24h",
                                         metadata={"translator_run": str(self.run), "translator_batch": str(local)})
        raise KeyboardInterrupt

    monkeypatch.setattr(bt.Coordinator, "_create", create_then_die)
    env = env_for(fake_batch.base_url, tmp_path / "cache")
    r = translate([str(src), "--out", str(tmp_path / "o"), "--batch", "-q"], env)
    assert r.exit_code == 130 and "batch resume" in r.output
    assert len(fake_batch.uploads) == 1 and len(fake_batch.order) == 1
    monkeypatch.setattr(bt.Coordinator, "_create", original)
    r = runner.invoke(app, ["batch", "resume", "-q"], env=env)
    assert r.exit_code == 0, r.output
    first = [b for b in fake_batch.batches.values() if b["input_file_id"] == "file-0001"]
    assert len(first) == 1, "the translate batch was adopted, not created again"
    ids = [line["custom_id"] for line in fake_batch.batch_lines()]
    assert len(set(ids)) == len(ids)
    assert len(list((tmp_path / "o").iterdir())) == 2


def test_a_bad_input_fails_alone_and_the_others_are_done(tmp_path, fake_batch):
    src = tmp_path / "src"
    make_issues(src, 2)
    (src / "broken.en.md").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    fake_batch.chat.responder = RESPONDER
    env = env_for(fake_batch.base_url, tmp_path / "cache")
    r = translate([str(src), "--out", str(tmp_path / "o"), "--batch", "-q"], env)
    assert r.exit_code == 1
    errors = [line for line in r.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "broken.en.md" in errors[0] and "Traceback" not in r.output
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["notes-00.es.md", "weekly-01.es.html"]
    status = runner.invoke(app, ["batch", "status", "--no-refresh"], env=env)
    assert "2 of 3 documents done, 1 failed" in status.output and "broken.en.md" in status.output


def test_dry_run_needs_no_key_and_prices_gpt_4o_mini(tmp_path):
    src = tmp_path / "src"
    make_issues(src, 2)
    r = runner.invoke(app, ["translate", str(src), "--to", "es", "--from", "en", "--model", "openai:gpt-4o-mini",
                            "--dry-run", "--batch"],
                      env={"OPENAI_API_KEY": None, "OPENAI_BASE_URL": None, "XDG_CACHE_HOME": str(tmp_path)})
    assert r.exit_code == 0, r.output
    total = next(line for line in r.output.splitlines() if line.strip("│ ").startswith("total"))
    online, batch = (float(x) for x in total.split("│")[-3:-1])
    assert online > 0 and batch == pytest.approx(online / 2, abs=0.0001)
    assert not (tmp_path / "newsletter-translator" / "batch.sqlite").exists(), "a dry run records no run"


def test_batch_plans_every_output_before_anything_is_sent(tmp_path, fake_batch):
    """Two inputs that would write one output path: both refused, nothing uploaded (as online)."""
    a, b = tmp_path / "a", tmp_path / "b"
    make_issues(a, 1)
    make_issues(b, 1)
    fake_batch.chat.responder = RESPONDER
    r = translate([str(a / "notes-00.en.md"), str(b / "notes-00.en.md"), "--out", str(tmp_path / "o"), "--batch",
                   "-q"], env_for(fake_batch.base_url, tmp_path / "cache"))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert len([ln for ln in r.output.splitlines() if ln.startswith("Error:")]) == 2, r.output
    assert not fake_batch.uploads and not (tmp_path / "o" / "notes-00.es.md").exists()
