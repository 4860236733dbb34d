"""One chat call through LangChain's ChatOpenAI, made robust for any
OpenAI-compatible server.

Structured output: servers differ in what they accept, so each endpoint
(base_url + model) is probed once, with the first real call, in the order

    json_schema (strict)  →  json_object + schema  →  tools  →  plain

A server that refuses a mode (llama.cpp answers `json_schema` with HTTP 500
"response_format type must be … json_object") moves the probe to the next
one; the first mode the server accepts is remembered for the process, and,
with a capabilities store (capabilities.py, in the translation memory's file),
for later runs too. Replies are parsed the same way in every mode
(replies.py: fences, prose and <think> blocks are tolerated), so a server
that accepts a mode but ignores it still works.

The request is built here, not by `with_structured_output(schema, method=…,
include_raw=True)` (tried against tests/fake_openai.py with langchain-openai
1.7): its `json_mode` sends `{"type": "json_object"}` without the schema
llama.cpp turns into a grammar; `function_calling` adds `parallel_tool_calls`;
its parsers give a partial object for a reply cut at the cap, and None with
no parsing_error for broken tool arguments, so the raw message has to be
read by replies.py all the same; and the Batch API (batch/transport.py) must
send the very body an online call sends, which `request_kwargs` gives both.

Output cap: ChatOpenAI sends its `max_tokens` as `max_completion_tokens`,
which llama-cpp-python's server ignores (checked against a real one), as do
llama.cpp's server before early 2026 and llamafile (by their issue trackers).
For any base_url other than api.openai.com we also send `max_tokens` in the
body; a server that rejects it (OpenAI reasoning models do) gets it dropped,
once, and the same for `temperature`.

Retries: 429 (Retry-After / retry-after-ms honoured, capped), 408, 5xx,
timeouts and connection errors, by the one policy of retry.py; the SDK's own
retries are off.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any, Sequence

from translator.document import Usage
from translator.errors import EngineError
from translator.engines.llm import replies
from translator.engines.llm.capabilities import MODES, OPENAI, Endpoint, endpoint, forget_endpoints
from translator.engines.llm.failures import (CallFailed, Refused, TooLarge, error_text, is_overflow,
                                             refuses)
from translator.engines.llm.replies import Reply
from translator.engines.llm.retry import Backoff, Sleep, retry_after
from translator.engines.llm.schemas import Task, reply_schema, schema_name

__all__ = ["MODES", "CallFailed", "Endpoint", "Reply", "TooLarge", "Transport", "endpoint", "forget_endpoints",
           "retry_after"]


class Transport:
    def __init__(self, model: str, *, base_url: str | None, api_key: str | None, timeout: float = 120.0,
                 retries: int = 3, max_tokens: int = 4096, temperature: float | None = 0.2, jobs: int = 4,
                 sleep: Sleep = asyncio.sleep, rng: random.Random | None = None, backoff: float = 1.0,
                 backoff_cap: float = 30.0, retry_after_cap: float = 60.0) -> None:
        self.model, self.base_url, self.api_key = model, base_url, api_key
        self.timeout, self.retries, self.max_tokens = timeout, retries, max_tokens
        self.temperature, self.jobs = temperature, max(1, jobs)
        self.backoff = Backoff(retries, sleep, rng or random.Random(), backoff, backoff_cap, retry_after_cap)
        self.endpoint = endpoint(base_url, model)
        self._llm: Any = None
        self._loop: Any = None
        self._sem: asyncio.Semaphore | None = None
        self._probe_lock: asyncio.Lock | None = None
        self.capabilities: Any = None  # a capabilities.CapabilityStore: the mode found, kept between runs
        self._recalled = False

    # -- plumbing ---------------------------------------------------------------

    def _chat(self) -> Any:
        """The ChatOpenAI client for the running event loop. LangChain caches its
        default httpx client process-wide, which breaks once that client's loop is
        closed (a second asyncio.run); so each loop gets a client of its own."""
        self._locks()
        if self._llm is None:
            import openai
            from langchain_openai import ChatOpenAI

            self._llm = ChatOpenAI(
                http_async_client=openai.DefaultAsyncHttpxClient(timeout=self.timeout),
                model=self.model,
                base_url=self.base_url,
                api_key=self.api_key,  # type: ignore[arg-type]
                timeout=self.timeout,
                max_retries=0,  # retries are retry.py's: one policy, Retry-After, injectable sleep
                max_tokens=self.max_tokens,  # type: ignore[call-arg]  # sent as max_completion_tokens
                temperature=self.temperature if self.endpoint.send_temperature else None,
                use_responses_api=False,
            )
        return self._llm

    def _locks(self) -> tuple[asyncio.Semaphore, asyncio.Lock]:
        """The semaphore shared by every batch and document using this engine
        (re-made if the caller starts a new event loop)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._sem is None or self._probe_lock is None:
            self._loop, self._sem, self._probe_lock = loop, asyncio.Semaphore(self.jobs), asyncio.Lock()
            self._llm = None
        return self._sem, self._probe_lock

    def request_kwargs(self, mode: str, schema: dict, name: str, cap: int) -> dict[str, Any]:
        """The request fields of `mode` (besides model, messages, temperature)."""
        kwargs: dict[str, Any] = {}
        if mode == "json_schema":
            kwargs["response_format"] = {
                "type": "json_schema", "json_schema": {"name": name, "strict": True, "schema": schema}}
        elif mode == "json_object":
            kwargs["response_format"] = {"type": "json_object", "schema": schema}
        elif mode == "tools":
            kwargs["tools"] = [{"type": "function", "function": {
                "name": name, "description": "Submit the answer.", "parameters": schema}}]
            kwargs["tool_choice"] = {"type": "function", "function": {"name": name}}
        kwargs["max_completion_tokens"] = cap
        if self.endpoint.send_max_tokens:
            kwargs["extra_body"] = {"max_tokens": cap}
        return kwargs

    def _recall(self) -> None:
        """Start from what an earlier run learnt about this endpoint (once)."""
        self._recalled = True
        if self.endpoint.mode is None:
            self.endpoint.adopt(self.capabilities.load(self.base_url or OPENAI, self.model))

    def _remember(self) -> None:
        if self.capabilities is not None and self.endpoint.mode is not None:
            self.capabilities.save(self.base_url or OPENAI, self.model, self.endpoint.state())

    # -- the call ---------------------------------------------------------------

    async def call(self, system: str, user: str, task: Task, ids: Sequence[str], cap: int | None = None) -> Reply:
        """Send one request, its output capped at `cap` tokens (at most
        max_tokens); return the parsed reply (or why it has none).
        Raises CallFailed/TooLarge when no reply came, EngineError when the
        engine cannot work at all (bad key, unknown model, unreachable server)."""
        request = _Request(system, user, reply_schema(task, ids), schema_name(task),
                           min(cap or self.max_tokens, self.max_tokens))
        _, probe_lock = self._locks()
        if self.capabilities is not None and not self._recalled:
            self._recall()
        for _ in range(2):
            mode = self.endpoint.mode
            if mode is None:
                async with probe_lock:
                    if self.endpoint.mode is None:
                        return await self._probe(request)
                    mode = self.endpoint.mode
            try:
                return await self._attempts(mode, request, probing=False)
            except Refused:
                # the server stopped accepting the mode it accepted before (restarted
                # with another backend, a proxy in front…): probe again, once
                if self.endpoint.mode == mode:
                    self.endpoint.mode, self.endpoint.refused = None, []
        raise CallFailed("the server keeps refusing the structured-output mode it accepted before", request.usage)

    async def _probe(self, request: _Request) -> Reply:
        for mode in MODES:
            if mode in self.endpoint.refused:
                continue
            try:
                reply = await self._attempts(mode, request, probing=True)
            except Refused:
                self.endpoint.refused.append(mode)
                continue
            self.endpoint.mode = mode
            self._remember()
            return reply
        raise CallFailed("the server accepted none of json_schema, json_object, tools or plain requests",
                         request.usage)

    async def _attempts(self, mode: str, request: _Request, *, probing: bool) -> Reply:
        """One request in `mode`, retried on 429/5xx/timeouts up to the budget."""
        last, attempt = "no attempt made", 0
        while attempt <= self.retries:
            outcome = await self._send(mode, request, probing)
            if isinstance(outcome, Reply):
                return outcome
            if outcome is not None:  # None: the request was fixed, send it again at once
                last, headers = outcome
                if attempt < self.retries:
                    await self.backoff.wait(attempt, headers)
                attempt += 1
        if last.startswith("connection failed"):
            raise EngineError(f"cannot reach {self.base_url or 'OpenAI'} ({last}); is the server running?")
        raise CallFailed(f"no reply after {self.retries + 1} attempts (last: {last})", request.usage)

    async def _send(self, mode: str, request: _Request, probing: bool) -> Reply | tuple[str, Any] | None:
        """One request: its Reply, or (what went wrong, headers) for a retry,
        or None when the request was adjusted and is to be sent again."""
        import openai
        from langchain_core.messages import HumanMessage, SystemMessage

        sem, _ = self._locks()
        messages = [SystemMessage(content=request.system), HumanMessage(content=request.user)]
        usage, prompt = request.usage, request.system + request.user
        try:
            async with sem:
                usage.calls += 1  # every request sent counts, refused or failed ones too
                msg = await self._chat().ainvoke(messages, **self.request_kwargs(
                    mode, request.schema, request.name, request.cap))
        except openai.LengthFinishReasonError as e:  # raised by the SDK's parse() path
            return replies.from_completion(e.completion, mode, usage, prompt)
        except openai.ContentFilterFinishReasonError:
            return Reply(error="the server's content filter stopped the reply", usage=usage, mode=mode)
        except openai.APIStatusError as e:
            return self._on_status(e, mode, usage, probing)
        except openai.APIConnectionError as e:  # includes timeouts
            return ("timed out" if isinstance(e, openai.APITimeoutError) else f"connection failed: {e}"), None
        except (ValueError, TypeError, KeyError, AttributeError) as e:  # an unreadable response body
            return Reply(error=f"the response could not be read ({type(e).__name__}: {e})", usage=usage, mode=mode)
        return replies.from_message(msg, mode, usage, prompt)

    def _on_status(self, e: Any, mode: str, usage: Usage, probing: bool) -> tuple[str, Any] | None:
        """What an HTTP error means: raise when retrying cannot help, None when
        the request was adjusted, else (what went wrong, headers) for a retry."""
        status, text = e.status_code, error_text(e)
        low = text.lower()
        self._raise_fatal(status, text)
        if self._adjusted(status, low):
            return None
        if is_overflow(e, low):
            raise TooLarge(f"the request is larger than the model's context: {text[:200]}", usage) from None
        if mode != "plain" and refuses(mode, status, low, probing):
            raise Refused(text) from None
        if status in (408, 409, 429) or status >= 500:
            return f"HTTP {status}: {text[:200]}", (e.response.headers if e.response is not None else None)
        raise CallFailed(f"the server rejected the request (HTTP {status}): {text[:300]}", usage) from None

    def _raise_fatal(self, status: int, text: str) -> None:
        """Errors no request of this engine will get past: a bad key, no such model."""
        where = self.base_url or "OpenAI"
        if status in (401, 403):
            raise EngineError(f"{where} rejected the API key (HTTP {status}): check OPENAI_API_KEY") from None
        if status == 404:
            what = f"model {self.model!r} not found" if "model" in text.lower() else "no chat completions endpoint"
            raise EngineError(f"{what} at {where} (HTTP 404: {text[:200]}); check the model name and "
                              "that OPENAI_BASE_URL ends in /v1") from None

    def _adjusted(self, status: int, low: str) -> bool:
        """Drop a request field the server rejects (once); True when one was."""
        ep = self.endpoint
        if status == 400 and "max_tokens" in low and ep.send_max_tokens and (
                "max_completion_tokens" in low or "unsupported" in low or "not supported" in low):
            ep.send_max_tokens = False  # e.g. OpenAI reasoning models
            return True
        if status == 400 and "temperature" in low and ep.send_temperature and self.temperature is not None:
            ep.send_temperature, self._llm = False, None  # rebuilt without it
            return True
        return False


class _Request:
    """One request's content and the usage of every attempt at it."""

    __slots__ = ("system", "user", "schema", "name", "cap", "usage")

    def __init__(self, system: str, user: str, schema: dict, name: str, cap: int) -> None:
        self.system, self.user, self.schema, self.name, self.cap = system, user, schema, name, cap
        self.usage = Usage()
