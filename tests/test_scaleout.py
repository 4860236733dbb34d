"""--jobs against a self-hosted server with several replicas behind one
address (vLLM data parallel, or replicas behind a load balancer): the calls in
flight reach --jobs, never more, and every replica does its share."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_openai import prefix
from fake_replicas import Replicas
from typer.testing import CliRunner

from translator.cli.main import app

runner = CliRunner()

PARAGRAPH = "Paragraph {i} of issue {n} explains how the team trained a small model on open data."


def make_issues(folder: Path, n: int, paragraphs: int = 3) -> list[Path]:
    folder.mkdir()
    for k in range(n):
        body = "\n\n".join(PARAGRAPH.format(i=i, n=k) for i in range(paragraphs))
        (folder / f"issue-{k}.en.md").write_text(f"# Issue {k}\n\n{body}\n", encoding="utf-8")
    return sorted(folder.iterdir())


@pytest.mark.parametrize("jobs", [1, 4])
def test_jobs_calls_in_flight_across_replicas(tmp_path, jobs):
    from translator.engines.llm.transport import forget_endpoints

    forget_endpoints()
    files = make_issues(tmp_path / "src", 6)
    with Replicas(3, gate=jobs) as rep:
        rep.set_responder(prefix("ES: "))
        env = {"OPENAI_BASE_URL": rep.base_url, "OPENAI_API_KEY": "", "XDG_CACHE_HOME": str(tmp_path / "c")}
        r = runner.invoke(app, ["translate", str(tmp_path / "src"), "--to", "es", "--from", "en", "--model",
                                "openai:fake", "--jobs", str(jobs), "--rounds", "0", "--out", str(tmp_path / "o"),
                                "-q"], env=env)
        assert r.exit_code == 0, r.output
        assert rep.max_in_flight == jobs, "the calls in flight reach --jobs and never pass it"
        served = [len(s.chat_requests()) for s in rep.servers]
    forget_endpoints()
    assert all(served), f"every replica served requests: {served}"
    assert sum(served) >= len(files)
    assert len(list((tmp_path / "o").iterdir())) == len(files)
