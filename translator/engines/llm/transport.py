"""One chat call through LangChain's ChatOpenAI, made robust for any
OpenAI-compatible server.

Structured output: servers differ in what they accept, so each endpoint
(base_url + model) is probed once, with the first real call, in the order

    json_schema (strict)  →  json_object + schema  →  tools  →  plain

A server that refuses a mode (llama.cpp answers `json_schema` with HTTP 500
"response_format type must be … json_object") moves the probe to the next
one; the first mode the server accepts is remembered for the process, and,
with a capabilities store (capabilities.py, in the translation memory's file),
for later runs too. Replies
are parsed the same way in every mode (fences, prose and <think> blocks are
tolerated), so a server that accepts a mode but ignores it still works.

Output cap: ChatOpenAI sends its `max_tokens` as `max_completion_tokens`,
which llama-cpp-python's server ignores (checked against a real one), as do
llama.cpp's server before early 2026 and llamafile (by their issue trackers).
For any base_url other than api.openai.com we also send `max_tokens` in the
body; a server that rejects it (OpenAI reasoning models do) gets it dropped,
once, and the same for `temperature`.

Retries: 429 (Retry-After / retry-after-ms honoured, capped), 408, 5xx,
timeouts and connection errors, with exponential backoff and jitter. Sleeping
goes through an injectable coroutine so tests never wait.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Sequence

from translator.document import Usage
from translator.errors import EngineError
from translator.engines.llm.jsonparse import ReplyNotJSON, extract_json
from translator.engines.llm.schemas import Task, reply_schema, schema_name
from translator.engines.llm.tokens import estimate_tokens

MODES = ("json_schema", "json_object", "tools", "plain")
Sleep = Callable[[float], Awaitable[Any]]


@dataclass
class Endpoint:
    """What we learned about one server and model; shared by the whole process."""

    mode: str | None = None  # None until the first call has found one
    send_max_tokens: bool = True
    send_temperature: bool = True  # reasoning models reject any but the default
    refused: list[str] = field(default_factory=list)  # modes the server turned down


_ENDPOINTS: dict[tuple[str, str], Endpoint] = {}


def endpoint(base_url: str | None, model: str) -> Endpoint:
    key = (base_url or "https://api.openai.com/v1", model)
    if key not in _ENDPOINTS:
        official = base_url is None or "api.openai.com" in base_url
        _ENDPOINTS[key] = Endpoint(send_max_tokens=not official)
    return _ENDPOINTS[key]


def forget_endpoints() -> None:
    """Forget what was learnt about servers (for a server restarted with
    another backend on the same address; tests use it between fake servers)."""
    _ENDPOINTS.clear()


@dataclass
class Reply:
    data: Any = None  # the parsed JSON value, or None
    error: str | None = None  # why there is no data
    truncated: bool = False  # the server stopped at the output cap
    usage: Usage = field(default_factory=Usage)
    mode: str = ""


class CallFailed(Exception):
    """The call did not get a reply: retries spent, or a request the server rejects."""

    def __init__(self, message: str, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage or Usage()


class TooLarge(CallFailed):
    """The request exceeds the model's context: send fewer segments."""


class _Refused(Exception):
    pass


def retry_after(headers: Any) -> float | None:
    """Seconds to wait according to a 429/503 response's headers."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _message_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in content)
    return ""


class Transport:
    def __init__(
        self,
        model: str,
        *,
        base_url: str | None,
        api_key: str | None,
        timeout: float = 120.0,
        retries: int = 3,
        max_tokens: int = 4096,
        temperature: float | None = 0.2,
        jobs: int = 4,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        backoff: float = 1.0,
        backoff_cap: float = 30.0,
        retry_after_cap: float = 60.0,
    ) -> None:
        self.model, self.base_url, self.api_key = model, base_url, api_key
        self.timeout, self.retries, self.max_tokens = timeout, retries, max_tokens
        self.temperature, self.jobs = temperature, max(1, jobs)
        self.sleep, self.rng = sleep, rng or random.Random()
        self.backoff, self.backoff_cap, self.retry_after_cap = backoff, backoff_cap, retry_after_cap
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
                api_key=self.api_key,
                timeout=self.timeout,
                max_retries=0,  # retries are ours: backoff, Retry-After, injectable sleep
                max_tokens=self.max_tokens,  # sent as max_completion_tokens
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

    def _request_kwargs(self, mode: str, schema: dict, name: str, cap: int) -> dict[str, Any]:
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
        ep = self.endpoint
        if ep.mode is not None:
            return
        state = self.capabilities.load(self.base_url or "https://api.openai.com/v1", self.model)
        if state and state["mode"] in MODES:
            ep.mode, ep.refused = state["mode"], list(state["refused"])
            ep.send_max_tokens = ep.send_max_tokens and state["send_max_tokens"]
            ep.send_temperature = ep.send_temperature and state["send_temperature"]

    def _remember(self) -> None:
        if self.capabilities is not None and self.endpoint.mode is not None:
            ep = self.endpoint
            self.capabilities.save(self.base_url or "https://api.openai.com/v1", self.model, {
                "mode": ep.mode, "refused": ep.refused, "send_max_tokens": ep.send_max_tokens,
                "send_temperature": ep.send_temperature})

    def _delay(self, attempt: int, headers: Any) -> float:
        wait = retry_after(headers)
        if wait is not None:
            return min(wait, self.retry_after_cap)
        return min(self.backoff_cap, self.backoff * 2**attempt) * (0.5 + self.rng.random() / 2)

    # -- the call ---------------------------------------------------------------

    async def call(self, system: str, user: str, task: Task, ids: Sequence[str], cap: int | None = None) -> Reply:
        """Send one request, its output capped at `cap` tokens (at most
        max_tokens); return the parsed reply (or why it has none).
        Raises CallFailed/TooLarge when no reply came, EngineError when the
        engine cannot work at all (bad key, unknown model, unreachable server)."""
        schema, name = reply_schema(task, ids), schema_name(task)
        cap = min(cap or self.max_tokens, self.max_tokens)
        usage = Usage()  # every request sent counts, refused or failed ones too
        _, probe_lock = self._locks()
        if self.capabilities is not None and not self._recalled:
            self._recall()
        for _ in range(2):
            mode = self.endpoint.mode
            if mode is None:
                async with probe_lock:
                    if self.endpoint.mode is None:
                        return await self._probe(system, user, schema, name, usage, cap)
                    mode = self.endpoint.mode
            try:
                return await self._attempts(mode, system, user, schema, name, usage, cap, probing=False)
            except _Refused:
                # the server stopped accepting the mode it accepted before (restarted
                # with another backend, a proxy in front…): probe again, once
                if self.endpoint.mode == mode:
                    self.endpoint.mode, self.endpoint.refused = None, []
        raise CallFailed("the server keeps refusing the structured-output mode it accepted before", usage)

    async def _probe(self, system: str, user: str, schema: dict, name: str, usage: Usage, cap: int) -> Reply:
        for mode in MODES:
            if mode in self.endpoint.refused:
                continue
            try:
                reply = await self._attempts(mode, system, user, schema, name, usage, cap, probing=True)
            except _Refused:
                self.endpoint.refused.append(mode)
                continue
            self.endpoint.mode = mode
            self._remember()
            return reply
        raise CallFailed("the server accepted none of json_schema, json_object, tools or plain requests", usage)

    async def _attempts(self, mode: str, system: str, user: str, schema: dict, name: str, usage: Usage,
                        cap: int, *, probing: bool) -> Reply:
        """One request in `mode`, retried on 429/5xx/timeouts up to the budget."""
        import openai
        from langchain_core.messages import HumanMessage, SystemMessage

        sem, _ = self._locks()
        messages = [SystemMessage(content=system), HumanMessage(content=user)]
        last, attempt = "no attempt made", 0
        while attempt <= self.retries:
            headers = None
            try:
                async with sem:
                    usage.calls += 1
                    msg = await self._chat().ainvoke(messages, **self._request_kwargs(mode, schema, name, cap))
            except openai.LengthFinishReasonError as e:  # raised by the SDK's parse() path
                return self._reply_from_completion(e.completion, mode, usage, system, user)
            except openai.ContentFilterFinishReasonError:
                return Reply(error="the server's content filter stopped the reply", usage=usage, mode=mode)
            except openai.APIStatusError as e:
                verdict = self._on_status(e, mode, usage, probing)
                if verdict is None:
                    continue  # the request was fixed: send it again at once
                last, headers = verdict
            except openai.APIConnectionError as e:  # includes timeouts
                last = "timed out" if isinstance(e, openai.APITimeoutError) else f"connection failed: {e}"
            except (ValueError, TypeError, KeyError, AttributeError) as e:  # an unreadable response body
                return Reply(error=f"the response could not be read ({type(e).__name__}: {e})", usage=usage,
                             mode=mode)
            else:
                return self._reply_from_message(msg, mode, usage, system, user)
            if attempt < self.retries:
                await self.sleep(self._delay(attempt, headers))
            attempt += 1
        if last.startswith("connection failed"):
            raise EngineError(f"cannot reach {self.base_url or 'OpenAI'} ({last}); is the server running?")
        raise CallFailed(f"no reply after {self.retries + 1} attempts (last: {last})", usage)

    def _on_status(self, e: Any, mode: str, usage: Usage, probing: bool) -> tuple[str, Any] | None:
        """What an HTTP error means: raise when retrying cannot help, None when
        the request was adjusted, else (what went wrong, headers) for a retry."""
        status, text = e.status_code, _error_text(e)
        low, where = text.lower(), self.base_url or "OpenAI"
        if status in (401, 403):
            raise EngineError(f"{where} rejected the API key (HTTP {status}): check OPENAI_API_KEY") from None
        if status == 404:
            what = f"model {self.model!r} not found" if "model" in low else "no chat completions endpoint"
            raise EngineError(f"{what} at {where} (HTTP 404: {text[:200]}); check the model name and "
                              "that OPENAI_BASE_URL ends in /v1") from None
        if status == 400 and "max_tokens" in low and self.endpoint.send_max_tokens and (
                "max_completion_tokens" in low or "unsupported" in low or "not supported" in low):
            self.endpoint.send_max_tokens = False  # e.g. OpenAI reasoning models
            return None
        if status == 400 and "temperature" in low and self.endpoint.send_temperature and self.temperature is not None:
            self.endpoint.send_temperature, self._llm = False, None  # rebuilt without it
            return None
        if _is_overflow(e, low):
            raise TooLarge(f"the request is larger than the model's context: {text[:200]}", usage) from None
        if mode != "plain" and _refuses(mode, status, low, probing):
            raise _Refused(text) from None
        if status in (408, 409, 429) or status >= 500:
            return f"HTTP {status}: {text[:200]}", (e.response.headers if e.response is not None else None)
        raise CallFailed(f"the server rejected the request (HTTP {status}): {text[:300]}", usage) from None

    # -- reading replies --------------------------------------------------------

    def _finish(self, reply: Reply, text: str | None, parsed: Any, usage: Usage, prompt_tokens: int | None,
                completion_tokens: int | None, system: str, user: str) -> Reply:
        usage.prompt_tokens += prompt_tokens if prompt_tokens is not None else estimate_tokens(system + user)
        usage.completion_tokens += (completion_tokens if completion_tokens is not None
                                    else estimate_tokens(text or ""))
        reply.usage = usage
        if parsed is not None:
            reply.data = parsed
            return reply
        try:
            reply.data = extract_json(text or "")
        except ReplyNotJSON as e:
            reply.error = str(e) + (" (cut off at the output limit)" if reply.truncated else "")
        return reply

    def _reply_from_message(self, msg: Any, mode: str, usage: Usage, system: str, user: str) -> Reply:
        meta = msg.response_metadata or {}
        reply = Reply(truncated=meta.get("finish_reason") == "length", mode=mode)
        parsed, text = None, _message_text(msg.content)
        if msg.tool_calls:
            parsed = msg.tool_calls[0].get("args")
        elif getattr(msg, "invalid_tool_calls", None):
            text = msg.invalid_tool_calls[0].get("args") or text
        um = msg.usage_metadata
        return self._finish(reply, text, parsed, usage, um["input_tokens"] if um else None,
                            um["output_tokens"] if um else None, system, user)

    def _reply_from_completion(self, completion: Any, mode: str, usage: Usage, system: str, user: str) -> Reply:
        choice = completion.choices[0]
        reply = Reply(truncated=choice.finish_reason == "length", mode=mode)
        u = completion.usage
        return self._finish(reply, choice.message.content, None, usage, u.prompt_tokens if u else None,
                            u.completion_tokens if u else None, system, user)


def _error_text(e: Any) -> str:
    body = getattr(e, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
        if isinstance(err, str):
            return err
    return str(getattr(e, "message", "") or e)


def _is_overflow(e: Exception, low: str) -> bool:
    try:
        from langchain_core.exceptions import ContextOverflowError  # type: ignore[attr-defined]

        if isinstance(e, ContextOverflowError):
            return True
    except ImportError:
        pass
    return any(k in low for k in ("context_length_exceeded", "context length", "maximum context",
                                  "exceeds the context", "exceeds the available context", "context size",
                                  "too many tokens", "prompt is too long"))


def _refuses(mode: str, status: int, low: str, probing: bool) -> bool:
    """Does this error mean the server does not support `mode` (rather than a
    passing failure)? While probing, any 4xx that is not about the cap or the
    context counts; once a mode is known, only an error that names it."""
    if mode in ("json_schema", "json_object"):
        keys = ("response_format", "json_schema", "json_object", "schema", "structured", "grammar")
    else:
        keys = ("tool", "function")
    if status == 429:
        return False
    mentioned = any(k in low for k in keys)
    if not probing:
        return mentioned and status in (400, 415, 422, 500, 501)
    mentioned = mentioned or "not supported" in low or "unsupported" in low
    return mentioned if status >= 500 else status in (400, 405, 415, 422) or mentioned
