"""What a big document holds at once (issue 8): known counts, no timings."""

from __future__ import annotations

import asyncio
import json

from translator.engines.base import Context, Item
from translator.engines.llm.engine import LLMEngine
from translator.engines.llm.replies import Reply
from translator.terms import lemmas


class CountingTransport:
    """Answers every batch (each text prefixed "ES: ") and counts the calls
    waiting at once: each one holds its built message."""

    jobs = 2

    def __init__(self) -> None:
        self.waiting = self.most = self.calls = 0

    async def call(self, system: str, user: str, task: str, ids, cap=None) -> Reply:
        self.calls += 1
        self.waiting += 1
        self.most = max(self.most, self.waiting)
        await asyncio.sleep(0)  # a server that answers after the others have had their turn
        self.waiting -= 1
        segments = json.loads(user)["segments"]
        return Reply(data={"segments": [{"id": s["id"], "text": "ES: " + s["source"]} for s in segments]},
                     mode="json_schema")


def test_a_step_holds_a_few_batches_ahead_of_the_calls_not_all_of_them():
    engine = LLMEngine("fake", base_url="http://127.0.0.1:9/v1", max_items=1)
    transport = engine.transport = CountingTransport()
    items = [Item(f"s{i}", i, f"Sentence number {i} is about models.") for i in range(1, 201)]
    result = asyncio.run(engine.translate(items, Context("en", "es")))
    assert transport.calls == 200  # one batch per item
    assert result.texts["s200"] == "ES: Sentence number 200 is about models."
    assert transport.most <= 4 * transport.jobs  # not 200 messages built and waiting


def test_cached_tokens_share_one_string_per_word():
    lem = lemmas.lemmatizer("en")
    a, b = lem.tokens_many(["the models improved", "models of the week"])
    assert a[1].text == b[0].text == "models"
    assert a[1].text is b[0].text


def test_a_transport_without_jobs_gets_every_batch_at_once():
    """The Batch API's transport queues what a step asks and sends it as one job: no bound there."""

    class Queueing(CountingTransport):
        jobs = None  # type: ignore[assignment]

    engine = LLMEngine("fake", base_url="http://127.0.0.1:9/v1", max_items=1)
    transport = engine.transport = Queueing()
    items = [Item(f"s{i}", i, f"Sentence number {i} is about models.") for i in range(1, 51)]
    asyncio.run(engine.translate(items, Context("en", "es")))
    assert transport.most == 50


def test_the_cli_never_formats_the_runs_results(tmp_path, monkeypatch):
    """asyncio.run (3.11) formats its main task's repr, result included, when it
    restores the SIGINT handler: every FileResult with its whole Document and
    Outcome. A 50 MB issue peaked at 8.1 GB for it, 4.0 GB without."""
    from typer.testing import CliRunner

    from translator.cli.main import app
    from translator.pipeline.run import FileResult

    formatted: list[str] = []
    monkeypatch.setattr(FileResult, "__repr__", lambda self: formatted.append(str(self.path)) or "FileResult")
    src = tmp_path / "note.en.md"
    src.write_text("# Notes\n\nThe model runs on one GPU.\n", encoding="utf-8")
    env = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    r = CliRunner().invoke(app, ["translate", str(src), "--to", "es", "--model", "apertium", "--out",
                                 str(tmp_path / "out"), "--quiet"], env=env)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "note.es.md").exists()
    assert formatted == []
