"""The Batch API jobs of one wave: JSONL uploaded through `files` (purpose
"batch"), a batch created for /v1/chat/completions within 24 h, polled with
back-off, its output and error files read into stored replies. A batch a
previous process submitted is waited for, never uploaded again; one whose
creation a crash cut short is found by its metadata.

`BatchJobs` is the part of the Coordinator (transport.py) that talks to the
files and batches endpoints; every such call goes through the one retry
policy of engines/llm/retry.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from typing import Any, Awaitable, Callable, TypeVar

from translator.batch.lines import Call, chunks, count, read_result
from translator.batch.state import TERMINAL, State
from translator.engines.llm.retry import Backoff
from translator.errors import EngineError

ENDPOINT = "/v1/chat/completions"
API_RETRIES = 4  # what the SDK's own retries allowed before they were turned off
T = TypeVar("T")


def poll_delays() -> tuple[float, float]:
    first = float(os.environ.get("TRANSLATOR_BATCH_POLL") or 10)
    cap = float(os.environ.get("TRANSLATOR_BATCH_POLL_MAX") or max(first, 300))
    return first, cap


class BatchJobs:
    """Submit a wave's calls as batch jobs and wait for their results."""

    state: State
    run: int
    report: Callable[[str], None]
    sleep: Callable[[float], Any]
    poll_first: float
    poll_cap: float
    waves: list[tuple[str, str, int]]

    @property
    def client(self) -> Any:
        raise NotImplementedError

    def _resolve(self, c: Call, stored: dict) -> None:
        raise NotImplementedError

    async def _api(self, call: Callable[[], Awaitable[T]]) -> T:
        return await Backoff(API_RETRIES, self.sleep).run(call)

    async def _batch(self, task: str, wave_no: int, wave: list[Call]) -> None:
        # requests a previous process submitted: wait for their batches, upload nothing again
        pending: dict[int, list[Call]] = {}
        new: list[Call] = []
        for c in wave:
            known = self.state.request(c.hash)
            row = self.state.batch(known[0]) if known and known[0] is not None and known[1] is None else None
            if row is not None and (row.batch_id or row.input_file) and row.status != "done":
                pending.setdefault(row.local, []).append(c)
            else:
                new.append(c)
        jobs = [self._await_batch(local, calls) for local, calls in pending.items()]
        for chunk in chunks(new):
            local = self.state.new_batch(self.run, task, wave_no, [(c.hash, c.custom_id, c.task) for c in chunk])
            jobs.append(self._submit_and_await(local, task, wave_no, chunk))
        self.waves.append((task, "batch", len(wave)))
        await asyncio.gather(*jobs)

    async def _submit_and_await(self, local: int, task: str, wave_no: int, calls: list[Call]) -> None:
        data = ("\n".join(c.line(ENDPOINT) for c in calls) + "\n").encode()
        name = f"translator-run{self.run}-batch{local}.jsonl"
        f = await self._api(lambda: self.client.files.create(file=(name, data), purpose="batch"))
        self.state.set_batch(local, input_file=f.id)
        await self._create(local, task, wave_no, f.id, len(calls))
        await self._await_batch(local, calls)

    async def _create(self, local: int, task: str, wave_no: int, file_id: str, n: int) -> str:
        meta = {"translator_run": str(self.run), "translator_batch": str(local), "step": task}
        b = await self._api(lambda: self.client.batches.create(
            input_file_id=file_id, endpoint=ENDPOINT, completion_window="24h", metadata=meta))
        self.state.set_batch(local, batch_id=b.id, status=b.status)
        self.report(f"{task}: batch {b.id} submitted ({n} requests, wave {wave_no})")
        return b.id

    async def _adopt(self, local: int) -> str:
        """A batch whose creation a crash may have cut short: find it by its
        metadata, or create it from the file already uploaded."""
        row = self.state.batch(local)
        assert row is not None and row.input_file
        page = await self._api(lambda: self.client.batches.list(limit=100))
        for b in page.data:
            if (b.metadata or {}).get("translator_batch") == str(local) and b.input_file_id == row.input_file:
                self.state.set_batch(local, batch_id=b.id, status=b.status)
                return b.id
        return await self._create(local, row.task, row.wave, row.input_file, row.requests)

    async def _await_batch(self, local: int, calls: list[Call]) -> None:
        row = self.state.batch(local)
        assert row is not None
        batch_id = row.batch_id or await self._adopt(local)
        b = await self._poll(local, batch_id)
        replies = await self._results(local, b)
        answered, failed = count(replies.values())
        self.state.set_batch(local, status="done", finished=time.time())
        self.report(f"{row.task}: batch {batch_id} {b.status}: {answered} answered, {failed} failed")
        for c in calls:
            self._resolve(c, replies.get(c.hash) or {"error": {"code": "missing", "message": "no result"}})

    async def _poll(self, local: int, batch_id: str) -> Any:
        """The batch once it has ended, asked after less and less often."""
        delay = self.poll_first
        while True:
            b = await self._api(lambda: self.client.batches.retrieve(batch_id))
            self.state.set_batch(local, status=b.status, output_file=b.output_file_id, error_file=b.error_file_id)
            if b.status in TERMINAL:
                return b
            await self.sleep(delay)
            delay = min(delay * 1.6, self.poll_cap)

    async def _results(self, local: int, b: Any) -> dict[str, dict]:
        """Every request of the batch → its stored reply (saved in the state)."""
        if b.status == "failed":
            errors = "; ".join(f"{e.message}" + (f" (line {e.line})" if e.line else "")
                               for e in ((b.errors.data or []) if b.errors else []))
            raise EngineError(f"the Batch API rejected batch {b.id}: {errors or 'no reason given'}")
        by_custom = self.state.batch_requests(local)
        replies: dict[str, dict] = {}
        usage: dict[str, tuple[int, int]] = {}
        for file_id in (b.output_file_id, b.error_file_id):
            if file_id:
                await self._read_file(file_id, by_custom, replies, usage)
        for h in by_custom.values():
            replies.setdefault(h, {"error": {"code": "missing", "message": f"batch {b.status} without a result"}})
        self.state.save_replies(local, replies, usage)
        return replies

    async def _read_file(self, file_id: str, by_custom: dict[str, str], replies: dict[str, dict],
                         usage: dict[str, tuple[int, int]]) -> None:
        content = await self._api(lambda: self.client.files.content(file_id))
        for line in content.text.splitlines():
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            h = by_custom.get(entry.get("custom_id", ""))
            if h is None:
                continue
            replies[h], tokens = read_result(entry)
            if tokens is not None:
                usage[h] = tokens
