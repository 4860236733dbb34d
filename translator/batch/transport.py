"""The Batch API behind the engine's usual interface.

`BatchTransport` stands in for `llm.transport.Transport` inside an LLMEngine:
the engine, its batching and `llm/steps.py` (validation, re-asking what
failed, splitting what was cut off) are unchanged. Instead of calling, it
queues the request with the `Coordinator`, which waits until every document
of the run is blocked on the model, then sends what is queued as one Batch API
job (jobs.py), and hands each line back as the Reply the online call would
have given. So documents progress in lockstep, step by step: all first
translations in one batch, the re-asks of what failed validation in the
next, then every critique, then every revision.

Lines that failed (5xx, 429, expired with the batch) are sent again in the
next batch, up to the retry budget; a step's waves past `max_batches` go
online (they are few, and a day's wait for them is not worth half the price).
Every reply is kept in the state (state.py) by the hash of its request, so a
resumed run gets what was already answered at once and waits for what was
submitted, without uploading it again.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import time
from typing import Any, Callable, Sequence

from translator.document import Usage
from translator.errors import EngineError
from translator.engines.llm import replies
from translator.engines.llm.failures import CallFailed, TooLarge, is_overflow
from translator.engines.llm.journal import Repeats
from translator.engines.llm.replies import Reply
from translator.engines.llm.schemas import Task, reply_schema, schema_name
from translator.engines.llm.transport import Transport
from translator.batch.jobs import ENDPOINT, BatchJobs, poll_delays
from translator.batch.lines import Call, answered, api_error, line_error, request_hash
from translator.batch.lines import custom_id as _custom_id
from translator.batch.state import State

__all__ = ["ENDPOINT", "BatchTransport", "Coordinator", "current_doc", "poll_delays", "request_hash"]

MODE = "json_schema"  # every model the Batch API serves takes strict JSON schemas
TASK_ORDER = {"translate": 0, "critique": 1, "revise": 2}
TRANSIENT = {408, 409, 429, 500, 502, 503, 504}

current_doc: contextvars.ContextVar[str | None] = contextvars.ContextVar("batch_doc", default=None)

Report = Callable[[str], None]


class Coordinator(BatchJobs):
    """Collects the requests of every document of a run and sends them in
    waves: one Batch API job per wave (or online calls past `max_batches`)."""

    def __init__(self, state: State, run: int, online: Transport, *, client: Any = None,
                 max_batches: int = 3, report: Report | None = None,
                 sleep: Callable[[float], Any] = asyncio.sleep) -> None:
        self.state, self.run, self.online = state, run, online
        self._client = client
        self.max_batches = max_batches
        self.report = report or (lambda message: None)
        self.sleep = sleep
        self.poll_first, self.poll_cap = poll_delays()
        self.queue: dict[str, Call] = {}
        self.seen = Repeats()
        self.outstanding: dict[str | None, int] = {}
        self.live: set[str] = set()
        self.events = 0
        self.closed = False
        self.broken: Exception | None = None
        self.fatal: EngineError | None = None  # the Batch API itself failed (unreachable, refused, missing)
        self._wake: asyncio.Event | None = None
        self._phase: tuple[str, int] = ("", 0)
        self.waves: list[tuple[str, str, int]] = []  # (task, "batch" | "online" | "stored", requests)
        self.stall_seconds = float(os.environ.get("TRANSLATOR_BATCH_STALL") or 120)

    @property
    def client(self) -> Any:
        if self._client is None:
            import openai

            self._client = openai.AsyncOpenAI(base_url=self.online.base_url, api_key=self.online.api_key,
                                              max_retries=0, timeout=300)  # retries: BatchJobs._api
        return self._client

    # -- documents --------------------------------------------------------------

    def enter(self, doc: str) -> None:
        self.live.add(doc)
        self._changed()

    def leave(self, doc: str) -> None:
        self.live.discard(doc)
        self._changed()

    def _changed(self) -> None:
        self.events += 1
        if self._wake is not None:
            self._wake.set()

    # -- what the transport calls -------------------------------------------------

    def body(self, system: str, user: str, task: Task, ids: Sequence[str], cap: int | None) -> dict:
        """The chat request, exactly as the online transport would send it."""
        o = self.online
        cap = min(cap or o.max_tokens, o.max_tokens)
        kwargs = o.request_kwargs(MODE, reply_schema(task, list(ids)), schema_name(task), cap)
        extra = kwargs.pop("extra_body", {})
        body: dict = {"model": o.model, "messages": [{"role": "system", "content": system},
                                                     {"role": "user", "content": user}]}
        if o.temperature is not None and o.endpoint.send_temperature:
            body["temperature"] = o.temperature
        body.update(kwargs)
        body.update(extra)
        return body

    async def ask(self, system: str, user: str, task: Task, ids: Sequence[str], cap: int | None) -> Reply:
        if self.broken is not None:
            raise self.broken
        body = self.body(system, user, task, ids, cap)
        # a re-ask that repeats an earlier request must reach the model again
        # (it may answer otherwise), while a resumed run replays each in order
        h = self.seen.key(request_hash(body))
        key = f"{self.run}:{h}"  # replies belong to their run: a new run asks the model anew
        known = self.state.request(key)
        if known is not None and known[1] is not None and answered(known[1]):
            return self._reply(known[1], system, user)  # answered before (a resumed run)
        doc = current_doc.get()
        call = Call(key, known[2] if known else _custom_id(doc, task, ids, h), task, body, system, user,
                    list(ids), cap)
        return await self._wait(call, doc)

    async def _wait(self, call: Call, doc: str | None) -> Reply:
        """Queue `call` and wait for its reply, counted as blocking `doc`."""
        self.queue[call.hash] = call
        fut: asyncio.Future = asyncio.get_running_loop().create_future()
        call.futures.append(fut)
        self.outstanding[doc] = self.outstanding.get(doc, 0) + 1
        self._changed()
        try:
            return await fut
        finally:
            self.outstanding[doc] -= 1
            self._changed()

    # -- the loop ---------------------------------------------------------------

    async def serve(self) -> None:
        try:
            await self._serve()
        except BaseException as e:  # a bug here must not leave documents waiting for ever
            self.broken = e if isinstance(e, Exception) else EngineError("the batch run was interrupted")
            for c in self.queue.values():
                c.fail(self.broken)
            self.queue.clear()
            raise

    async def _serve(self) -> None:
        self._wake = asyncio.Event()
        while await self._settle():
            task = min((c.task for c in self.queue.values()), key=lambda t: TASK_ORDER.get(t, 9))
            wave = sorted((c for c in self.queue.values() if c.task == task), key=lambda c: c.custom_id)
            for c in wave:
                del self.queue[c.hash]
            name, n = self._phase
            self._phase = (task, n + 1 if name == task else 1)
            try:
                if self._phase[1] > self.max_batches:
                    await self._online(task, wave)
                else:
                    await self._batch(task, self._phase[1], wave)
            except Exception as e:  # the Batch API itself failed: every waiting call gets the reason
                error = self.fatal = api_error(e, self.online.base_url)
                for c in wave:
                    c.fail(error)

    async def _settle(self) -> bool:
        """Wait until something is queued and every live document waits on the
        model (none is still reading, checking or writing), and the event loop
        has run dry. False when the run is over."""
        assert self._wake is not None
        stable, last, since = 0, -1, time.monotonic()
        while True:
            if self.closed and not self.queue:
                return False
            if not self.queue:
                self._wake.clear()
                await self._wake.wait()
                stable, since = 0, time.monotonic()
                continue
            if self.events != last:
                last, stable, since = self.events, 0, time.monotonic()
            if all(self.outstanding.get(d, 0) > 0 for d in self.live):  # every document blocked
                stable += 1
                if stable >= 25:
                    return True
                await asyncio.sleep(0)
            elif time.monotonic() - since > self.stall_seconds:
                return True  # a document busy that long is not going to queue more soon
            else:
                await asyncio.sleep(0.01)

    # -- online waves -------------------------------------------------------------

    async def _online(self, task: str, wave: list[Call]) -> None:
        self.report(f"{task}: {len(wave)} request(s) left after {self.max_batches} batches, sent online")
        self.waves.append((task, "online", len(wave)))
        await asyncio.gather(*(self._one_online(task, c) for c in wave))

    async def _one_online(self, task: str, c: Call) -> None:
        try:
            reply = await self.online.call(c.system, c.user, task, c.ids, c.cap)  # type: ignore[arg-type]
        except Exception as e:
            c.fail(e)
            return
        u = reply.usage
        stored = {"online": {"data": reply.data, "error": reply.error, "truncated": reply.truncated,
                             "calls": u.calls, "prompt_tokens": u.prompt_tokens,
                             "completion_tokens": u.completion_tokens}}
        self.state.save_replies(None, {c.hash: stored}, {c.hash: (u.prompt_tokens, u.completion_tokens)},
                                run=self.run, task=task, via="online")
        self._resolve(c, stored)

    # -- replies ----------------------------------------------------------------

    def _resolve(self, c: Call, stored: dict) -> None:
        """Hand a stored reply to every caller waiting on it; a failed line goes
        back in the queue for the next wave until the retry budget is spent."""
        if answered(stored):
            c.answer(self._reply(stored, c.system, c.user))
            return
        error, status = line_error(stored)
        c.failures += 1
        c.last_error = error
        usage = Usage(calls=c.failures)
        exc: Exception
        if status is not None and status not in TRANSIENT:
            exc = (TooLarge(f"the request is larger than the model's context: {error[:200]}", usage)
                   if is_overflow(Exception(error), error.lower()) else
                   CallFailed(f"the Batch API rejected the request (HTTP {status}): {error[:300]}", usage))
        elif c.failures > self.online.retries:
            exc = CallFailed(f"no reply after {c.failures} batches (last: {error[:200]})", usage)
        else:
            self.queue[c.hash] = c  # next wave
            self._changed()
            return
        c.fail(exc)

    def _reply(self, stored: dict, system: str, user: str) -> Reply:
        if "online" in stored:
            o = stored["online"]
            usage = Usage(int(o.get("calls") or 1), int(o.get("prompt_tokens") or 0),
                          int(o.get("completion_tokens") or 0))
            return Reply(data=o.get("data"), error=o.get("error"), truncated=bool(o.get("truncated")),
                         usage=usage, mode=MODE)
        from openai.types.chat import ChatCompletion

        usage = Usage(calls=1)
        try:
            completion = ChatCompletion.model_validate(stored["body"])
            if not completion.choices:
                raise ValueError("no choices")
        except (ValueError, TypeError, KeyError) as e:
            return Reply(error=f"the response could not be read ({type(e).__name__}: {e})", usage=usage, mode=MODE)
        return replies.from_completion(completion, MODE, usage, system + user)


class BatchTransport:
    """What an LLMEngine calls instead of its Transport in a --batch run."""

    def __init__(self, online: Transport, coordinator: Coordinator) -> None:
        self.online = online
        self.coordinator = coordinator
        self.endpoint = online.endpoint
        self.retries = online.retries
        self.max_tokens = online.max_tokens

    async def call(self, system: str, user: str, task: Task, ids: Sequence[str], cap: int | None = None) -> Reply:
        return await self.coordinator.ask(system, user, task, ids, cap)
