"""A `--batch` run: the usual pipeline (read, memory, agents loop, assemble,
structure gate, atomic write, report) for every document at once, with the
engine's calls going through the Batch API (transport.py), and every step
recorded in the state (state.py) so `batch resume` can finish it.

Options are a plain dict (JSON in the state), so a new process can rebuild the
run from it alone: the files, the job options, the model and its server, the
output folder.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from translator.errors import EngineError
from translator.batch.state import State
from translator.batch.transport import BatchTransport, Coordinator, current_doc

OPTION_KEYS = ("files", "to", "from", "model", "base_url", "glossary", "no_glossary", "rounds", "out", "report",
               "jobs", "fmt", "output_format", "translate_tags", "cache", "no_cache")


class SnapshotMemory:
    """The translation memory as the run first saw it: each document's look-up
    is recorded in the state, so a resumed document asks the model exactly
    what it asked before (even after other documents filled the memory)."""

    def __init__(self, memory: Any, state: State, run: int) -> None:
        self.memory, self.state, self.run = memory, state, run

    def get_many(self, keys) -> dict[str, str]:
        keys = list(keys)
        k = hashlib.sha256("\n".join(keys).encode()).hexdigest()
        found = self.state.lookup(self.run, k)
        if found is None:
            found = self.memory.get_many(keys)
            self.state.save_lookup(self.run, k, found)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.memory, name)


@dataclass
class Setup:
    engine: Any
    engine_for: Callable
    glossaries: Callable
    job: Any
    memory: Any
    files: list[Path]


def build(options: dict) -> Setup:
    """Engine, glossaries, job and memory of a run, from its options."""
    from translator.terms import glossary as glossary_mod
    from translator.pipeline.setup import checked, glossary_resolver as _glossary_resolver
    from translator.memory.store import Memory, default_path

    engine = _engine(options)
    glossaries = _glossary_resolver(glossary_mod, [Path(p) for p in options["glossary"]] or None,
                                    options.get("no_glossary", False))
    engine_for = checked(engine)
    cache = options.get("cache")
    memory = Memory(None if options.get("no_cache") else (Path(cache) if cache else default_path()))
    return Setup(engine, engine_for, glossaries, _job(options), memory, [Path(f) for f in options["files"]])


def _engine(options: dict) -> Any:
    """The run's LLM engine; EngineError for any other."""
    from translator import engines
    from translator.engines.llm.engine import LLMEngine

    extra = {"base_url": options["base_url"]} if options.get("base_url") else {}
    spec = options.get("model")
    if spec == "apertium" or (spec is None and not engines.default_spec().startswith("openai:")):
        raise EngineError("--batch and --dry-run need an LLM engine (openai:MODEL) and OPENAI_API_KEY "
                          "(or OPENAI_BASE_URL for a compatible Batch API)")
    engine = engines.make_engine(spec, jobs=options.get("jobs", 4), **extra)
    if not isinstance(engine, LLMEngine):
        raise EngineError("--batch and --dry-run need an LLM engine (openai:MODEL)")
    return engine


def _job(options: dict) -> Any:
    from translator.io.reader import FORMAT_NAMES
    from translator.pipeline.run import Job

    output_format = options.get("output_format")
    return Job(
        target_lang=options["to"], source_lang=options.get("from"), rounds=options.get("rounds", 1),
        fmt=options.get("fmt"), output_format=FORMAT_NAMES.get(output_format) if output_format else None,
        translate_lists=options.get("translate_tags", False),
        out_dir=Path(options["out"]) if options.get("out") else None,
        report_dir=Path(options["report"]) if options.get("report") else None,
    )


async def run(options: dict, state: State, run_id: int, *, report: Callable[[str], None] | None = None,
              progress: Callable[[str, int], None] | None = None, client: Any = None,
              setup: Setup | None = None) -> tuple[list, Any, Any]:
    """Translate the documents of run `run_id` not done yet; returns their
    FileResults, the engine and the coordinator (its waves)."""
    from translator.pipeline.run import Runner

    setup = setup or build(options)  # the caller's, already checked, or one built from the stored options
    engine = setup.engine
    coordinator = Coordinator(state, run_id, engine.transport, client=client, report=report)
    engine.transport = BatchTransport(engine.transport, coordinator)
    memory: Any = SnapshotMemory(setup.memory, state, run_id)  # a Memory to the Runner
    runner = Runner(setup.engine_for, setup.glossaries, setup.job, memory, progress)
    prepared, targets = await runner.prepare(_todo(setup, state, run_id))  # every output path planned first

    serve = asyncio.create_task(coordinator.serve())
    try:
        results = await asyncio.gather(*(asyncio.create_task(
            _translate(runner, coordinator, r, targets.get(r.path), state, run_id)) for r in prepared))
    finally:
        await _close(coordinator, serve)
        setup.memory.close()
    if coordinator.fatal is not None:
        raise coordinator.fatal  # one message, not one per document; the run stays resumable
    state.finish_run(run_id, "failed" if any(r.error for r in results) else "done")
    return list(results), engine, coordinator


def _todo(setup: Setup, state: State, run_id: int) -> list[Path]:
    """The run's files not done yet (a resumed run skips the finished ones)."""
    done = {p for p, status, _, _ in state.docs(run_id) if status == "done"}
    return [f for f in setup.files if str(f) not in done]


async def _translate(runner: Any, coordinator: Coordinator, result: Any, target: Any, state: State,
                     run_id: int) -> Any:
    """One document, its model calls queued for the coordinator's waves; its
    end recorded in the state."""
    path = str(result.path)
    if result.error is None:
        current_doc.set(path)
        coordinator.enter(path)
        try:
            await runner.one(result, target)
        finally:
            coordinator.leave(path)
    state.doc_done(run_id, path, str(result.output) if result.output and not result.error else None, result.error)
    return result


async def _close(coordinator: Coordinator, serve: asyncio.Task) -> None:
    """No document will queue more: let the coordinator send what is left and stop."""
    coordinator.closed = True
    coordinator._changed()
    try:
        await serve
    except Exception:
        pass


def new_options(**kw: Any) -> dict:
    missing = set(OPTION_KEYS) - set(kw)
    assert not missing, missing
    return {k: kw[k] for k in OPTION_KEYS}


def started_at(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))
