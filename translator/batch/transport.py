"""The Batch API behind the engine's usual interface.

`BatchTransport` stands in for `llm.transport.Transport` inside an LLMEngine:
the engine, its batching and `llm/steps.py` (validation, re-asking what
failed, splitting what was cut off) are unchanged. Instead of calling, it
queues the request with the `Coordinator`, which waits until every document
of the run is blocked on the model, then sends what is queued as one Batch API
job: JSONL uploaded through `files` (purpose "batch"), a batch created for
/v1/chat/completions within 24 h, polled with back-off, its output and error
files downloaded, and each line handed back as the Reply the online call
would have given. So documents progress in lockstep, step by step: all first
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
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from translator.document import Usage
from translator.errors import EngineError
from translator.engines.llm.schemas import reply_schema, schema_name
from translator.engines.llm.transport import CallFailed, Reply, TooLarge, Transport, _is_overflow
from translator.batch.state import TERMINAL, State

ENDPOINT = "/v1/chat/completions"
MODE = "json_schema"  # every model the Batch API serves takes strict JSON schemas
TASK_ORDER = {"translate": 0, "critique": 1, "revise": 2}
MAX_LINES = 50_000  # the Batch API's limits per input file
MAX_BYTES = 190 * 1024 * 1024
TRANSIENT = {408, 409, 429, 500, 502, 503, 504}

current_doc: contextvars.ContextVar[str | None] = contextvars.ContextVar("batch_doc", default=None)

Report = Callable[[str], None]


def request_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _custom_id(doc: str | None, task: str, ids: Sequence[str], h: str) -> str:
    """Names the document and the segments of the request: readable in the
    JSONL and in the provider's dashboard, unique by the hash."""
    stem = (doc or "call").rsplit("/", 1)[-1][:32]
    span = f"{ids[0]}-{ids[-1]}" if ids else "none"
    return f"{stem}|{task}|{span}|{h[:12]}{h[64:]}"


@dataclass
class _Call:
    hash: str
    custom_id: str
    task: str
    body: dict
    system: str
    user: str
    ids: list[str]
    cap: int | None
    futures: list[asyncio.Future] = field(default_factory=list)
    failures: int = 0  # lines that came back failed (not invalid: those the Step re-asks)
    last_error: str = ""


def poll_delays() -> tuple[float, float]:
    first = float(os.environ.get("TRANSLATOR_BATCH_POLL") or 10)
    cap = float(os.environ.get("TRANSLATOR_BATCH_POLL_MAX") or max(first, 300))
    return first, cap


class Coordinator:
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
        self.queue: dict[str, _Call] = {}
        self.seen: dict[str, int] = {}
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

    # -- the OpenAI client ---------------------------------------------------------

    @property
    def client(self) -> Any:
        if self._client is None:
            import openai

            self._client = openai.AsyncOpenAI(base_url=self.online.base_url, api_key=self.online.api_key,
                                              max_retries=4, timeout=300)
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

    def body(self, system: str, user: str, task: str, ids: Sequence[str], cap: int | None) -> dict:
        """The chat request, exactly as the online transport would send it."""
        o = self.online
        cap = min(cap or o.max_tokens, o.max_tokens)
        kwargs = o._request_kwargs(MODE, reply_schema(task, list(ids)), schema_name(task), cap)  # type: ignore[arg-type]
        extra = kwargs.pop("extra_body", {})
        body: dict = {"model": o.model, "messages": [{"role": "system", "content": system},
                                                     {"role": "user", "content": user}]}
        if o.temperature is not None and o.endpoint.send_temperature:
            body["temperature"] = o.temperature
        body.update(kwargs)
        body.update(extra)
        return body

    async def ask(self, system: str, user: str, task: str, ids: Sequence[str], cap: int | None) -> Reply:
        if self.broken is not None:
            raise self.broken
        body = self.body(system, user, task, ids, cap)
        h = request_hash(body)
        # The n-th identical request of this run is a request of its own: a
        # re-ask that repeats an earlier one must reach the model again (it may
        # answer otherwise), while a resumed run replays each in the same order.
        n = self.seen.get(h, 0)
        self.seen[h] = n + 1
        h = h if n == 0 else f"{h}#{n}"
        key = f"{self.run}:{h}"  # replies belong to their run: a new run asks the model anew
        known = self.state.request(key)
        if known is not None and known[1] is not None and _answered(known[1]):
            return self._reply(known[1], system, user)  # answered before (a resumed run)
        doc = current_doc.get()
        call = _Call(key, known[2] if known else _custom_id(doc, task, ids, h), task, body, system, user,
                     list(ids), cap)
        self.queue[key] = call
        fut = asyncio.get_running_loop().create_future()
        call.futures.append(fut)
        doc = current_doc.get()
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
                for f in c.futures:
                    if not f.done():
                        f.set_exception(self.broken)
            self.queue.clear()
            raise

    async def _serve(self) -> None:
        self._wake = asyncio.Event()
        while True:
            if not await self._settle():
                return
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
                error = self.fatal = _api_error(e, self.online.base_url)
                for c in wave:
                    for f in c.futures:
                        if not f.done():
                            f.set_exception(error)

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
            blocked = all(self.outstanding.get(d, 0) > 0 for d in self.live)
            if self.events != last:
                last, stable, since = self.events, 0, time.monotonic()
            if blocked:
                stable += 1
                if stable >= 25:
                    return True
                await asyncio.sleep(0)
            elif time.monotonic() - since > self.stall_seconds:
                return True  # a document busy that long is not going to queue more soon
            else:
                await asyncio.sleep(0.01)

    # -- online waves -------------------------------------------------------------

    async def _online(self, task: str, wave: list[_Call]) -> None:
        self.report(f"{task}: {len(wave)} request(s) left after {self.max_batches} batches, sent online")
        self.waves.append((task, "online", len(wave)))

        async def one(c: _Call) -> None:
            try:
                reply = await self.online.call(c.system, c.user, task, c.ids, c.cap)  # type: ignore[arg-type]
            except Exception as e:
                for f in c.futures:
                    if not f.done():
                        f.set_exception(e)
                return
            stored = {"online": {"data": reply.data, "error": reply.error, "truncated": reply.truncated,
                                 "calls": reply.usage.calls, "prompt_tokens": reply.usage.prompt_tokens,
                                 "completion_tokens": reply.usage.completion_tokens}}
            self.state.save_replies(None, {c.hash: stored},
                                    {c.hash: (reply.usage.prompt_tokens, reply.usage.completion_tokens)},
                                    run=self.run, task=task, via="online")
            self._resolve(c, stored)

        await asyncio.gather(*(one(c) for c in wave))

    # -- batch waves --------------------------------------------------------------

    async def _batch(self, task: str, wave_no: int, wave: list[_Call]) -> None:
        # requests a previous process submitted: wait for their batches, upload nothing again
        pending: dict[int, list[_Call]] = {}
        new: list[_Call] = []
        for c in wave:
            known = self.state.request(c.hash)
            row = self.state.batch(known[0]) if known and known[0] is not None and known[1] is None else None
            if row is not None and (row.batch_id or row.input_file) and row.status != "done":
                pending.setdefault(row.local, []).append(c)
            else:
                new.append(c)
        jobs = [self._await_batch(local, calls) for local, calls in pending.items()]
        for chunk in _chunks(new):
            local = self.state.new_batch(self.run, task, wave_no, [(c.hash, c.custom_id, c.task) for c in chunk])
            jobs.append(self._submit_and_await(local, task, wave_no, chunk))
        self.waves.append((task, "batch", len(wave)))
        await asyncio.gather(*jobs)

    async def _submit_and_await(self, local: int, task: str, wave_no: int, calls: list[_Call]) -> None:
        lines = [json.dumps({"custom_id": c.custom_id, "method": "POST", "url": ENDPOINT, "body": c.body},
                            ensure_ascii=False) for c in calls]
        data = ("\n".join(lines) + "\n").encode()
        f = await self.client.files.create(file=(f"translator-run{self.run}-batch{local}.jsonl", data),
                                           purpose="batch")
        self.state.set_batch(local, input_file=f.id)
        await self._create(local, task, wave_no, f.id, len(calls))
        await self._await_batch(local, calls)

    async def _create(self, local: int, task: str, wave_no: int, file_id: str, n: int) -> str:
        b = await self.client.batches.create(
            input_file_id=file_id, endpoint=ENDPOINT, completion_window="24h",
            metadata={"translator_run": str(self.run), "translator_batch": str(local), "step": task})
        self.state.set_batch(local, batch_id=b.id, status=b.status)
        self.report(f"{task}: batch {b.id} submitted ({n} requests, wave {wave_no})")
        return b.id

    async def _adopt(self, local: int) -> str:
        """A batch whose creation a crash may have cut short: find it by its
        metadata, or create it from the file already uploaded."""
        row = self.state.batch(local)
        assert row is not None and row.input_file
        page = await self.client.batches.list(limit=100)
        for b in page.data:
            if (b.metadata or {}).get("translator_batch") == str(local) and b.input_file_id == row.input_file:
                self.state.set_batch(local, batch_id=b.id, status=b.status)
                return b.id
        return await self._create(local, row.task, row.wave, row.input_file, row.requests)

    async def _await_batch(self, local: int, calls: list[_Call]) -> None:
        row = self.state.batch(local)
        assert row is not None
        batch_id = row.batch_id or await self._adopt(local)
        delay = self.poll_first
        while True:
            b = await self.client.batches.retrieve(batch_id)
            self.state.set_batch(local, status=b.status, output_file=b.output_file_id, error_file=b.error_file_id)
            if b.status in TERMINAL:
                break
            await self.sleep(delay)
            delay = min(delay * 1.6, self.poll_cap)
        replies = await self._results(local, b)
        counts = _count(replies.values())
        self.state.set_batch(local, status="done", finished=time.time())
        self.report(f"{row.task}: batch {batch_id} {b.status}: {counts[0]} answered, {counts[1]} failed")
        for c in calls:
            self._resolve(c, replies.get(c.hash) or {"error": {"code": "missing", "message": "no result"}})

    async def _results(self, local: int, b: Any) -> dict[str, dict]:
        by_custom = self.state.batch_requests(local)
        replies: dict[str, dict] = {}
        usage: dict[str, tuple[int, int]] = {}
        if b.status == "failed":
            errors = "; ".join(f"{e.message}" + (f" (line {e.line})" if e.line else "")
                               for e in ((b.errors.data or []) if b.errors else []))
            raise EngineError(f"the Batch API rejected batch {b.id}: {errors or 'no reason given'}")
        for file_id in (b.output_file_id, b.error_file_id):
            if not file_id:
                continue
            content = await self.client.files.content(file_id)
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
                resp = entry.get("response") or {}
                if entry.get("error") or not resp:
                    replies[h] = {"error": entry.get("error") or {"code": "missing", "message": "no response"}}
                else:
                    replies[h] = {"status_code": resp.get("status_code", 0), "body": resp.get("body")}
                    u = (resp.get("body") or {}).get("usage") or {}
                    usage[h] = (int(u.get("prompt_tokens") or 0), int(u.get("completion_tokens") or 0))
        for h in by_custom.values():
            replies.setdefault(h, {"error": {"code": "missing", "message": f"batch {b.status} without a result"}})
        self.state.save_replies(local, replies, usage)
        return replies

    # -- replies ----------------------------------------------------------------

    def _resolve(self, c: _Call, stored: dict) -> None:
        """Hand a stored reply to every caller waiting on it; a failed line goes
        back in the queue for the next wave until the retry budget is spent."""
        if _answered(stored):
            for f in c.futures:
                if not f.done():
                    f.set_result(self._reply(stored, c.system, c.user))
            return
        error, status = _line_error(stored)
        c.failures += 1
        c.last_error = error
        if status is not None and status not in TRANSIENT:
            low = error.lower()
            exc: Exception = (TooLarge(f"the request is larger than the model's context: {error[:200]}",
                                       Usage(calls=c.failures))
                              if _is_overflow(Exception(error), low) else
                              CallFailed(f"the Batch API rejected the request (HTTP {status}): {error[:300]}",
                                         Usage(calls=c.failures)))
        elif c.failures > self.online.retries:
            exc = CallFailed(f"no reply after {c.failures} batches (last: {error[:200]})", Usage(calls=c.failures))
        else:
            self.queue[c.hash] = c  # next wave
            self._changed()
            return
        for f in c.futures:
            if not f.done():
                f.set_exception(exc)

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
        return self.online._reply_from_completion(completion, MODE, usage, system, user)


def _api_error(e: Exception, base_url: str | None) -> EngineError:
    """What a failed files/batches call means, for people."""
    import openai

    where = base_url or "OpenAI"
    if isinstance(e, EngineError):
        return e
    if isinstance(e, openai.APIConnectionError):
        return EngineError(f"cannot reach the Batch API at {where} ({e}); is the server running?")
    if isinstance(e, openai.AuthenticationError | openai.PermissionDeniedError):
        return EngineError(f"{where} rejected the API key for the Batch API: check OPENAI_API_KEY")
    if isinstance(e, openai.NotFoundError):
        return EngineError(f"{where} has no Batch API (files and batches endpoints): run without --batch, "
                           "with --jobs for a self-hosted server")
    if isinstance(e, openai.APIStatusError):
        hint = ("; does this server have OpenAI's files and batches endpoints? If not, run without --batch"
                if e.status_code in (400, 405, 415, 501) else "")
        return EngineError(f"the Batch API at {where} refused a request (HTTP {e.status_code}: {str(e)[:300]}){hint}")
    return EngineError(f"the Batch API failed ({type(e).__name__}: {e})")


def _answered(stored: dict) -> bool:
    return "online" in stored or stored.get("status_code") == 200


def _line_error(stored: dict) -> tuple[str, int | None]:
    if "error" in stored:
        e = stored["error"] or {}
        return f"{e.get('code') or 'error'}: {e.get('message') or ''}".strip(), None
    body = stored.get("body") or {}
    err = body.get("error") if isinstance(body, dict) else None
    msg = err.get("message") if isinstance(err, dict) else str(err or body)
    return str(msg), int(stored.get("status_code") or 0)


def _count(replies) -> tuple[int, int]:
    replies = list(replies)
    ok = sum(1 for r in replies if _answered(r))
    return ok, len(replies) - ok


def _chunks(calls: list[_Call]) -> list[list[_Call]]:
    out: list[list[_Call]] = []
    current: list[_Call] = []
    size = 0
    for c in calls:
        n = len(json.dumps(c.body, ensure_ascii=False).encode()) + len(c.custom_id) + 64
        if current and (len(current) >= MAX_LINES or size + n > MAX_BYTES):
            out.append(current)
            current, size = [], 0
        current.append(c)
        size += n
    if current:
        out.append(current)
    return out


class BatchTransport:
    """What an LLMEngine calls instead of its Transport in a --batch run."""

    def __init__(self, online: Transport, coordinator: Coordinator) -> None:
        self.online = online
        self.coordinator = coordinator
        self.endpoint = online.endpoint
        self.retries = online.retries
        self.max_tokens = online.max_tokens

    async def call(self, system: str, user: str, task: str, ids: Sequence[str], cap: int | None = None) -> Reply:
        return await self.coordinator.ask(system, user, task, ids, cap)
