"""A fake OpenAI-compatible server for tests: real HTTP on 127.0.0.1, in a thread.

    def test_x(fake_openai):
        fake_openai.responder = prefix("ES: ")     # how replies are built
        fake_openai.refuse = {"json_schema"}       # behave like llama.cpp's server
        fake_openai.enqueue("429", "fenced")       # the next two replies are faults
        fake_openai.fault_rate = 0.3               # then 30% faulty (seeded)
        engine = LLMEngine("fake", base_url=fake_openai.base_url)
        ...
        fake_openai.requests                       # every request, parsed

A responder gets a FakeRequest (the parsed body, its mode, the JSON user
message) and returns the reply data (a dict, sent as JSON) or raw content (a
str). Faults are applied after the responder, so every responder gets them.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

import pytest

# Faults a reply can carry. "slow" needs a client timeout below slow_seconds.
HTTP_FAULTS = ("429", "500", "slow")
CONTENT_FAULTS = ("truncated", "fenced", "prose")
DATA_FAULTS = ("missing_id", "extra_id", "duplicate_id", "drop_placeholder", "invent_placeholder", "empty_text")
FAULT_KINDS = HTTP_FAULTS + CONTENT_FAULTS + DATA_FAULTS

PLACEHOLDER = re.compile(r"</?\d{1,3}/?>")

REFUSALS = {  # (status, message) a server sends for a mode it does not support
    "json_schema": 'response_format type must be one of "text" or "json_object", but got: json_schema',
    "json_object": "response_format is not supported by this server",
    "tools": "tools are not supported by this model",
}


@dataclass
class FakeRequest:
    path: str
    body: dict
    headers: dict
    status: int = 200  # what the fake answered
    fault: str | None = None

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", [])

    @property
    def system(self) -> str:
        return next((m["content"] for m in self.messages if m["role"] in ("system", "developer")), "")

    @property
    def user(self) -> str:
        return next((m["content"] for m in reversed(self.messages) if m["role"] == "user"), "")

    @property
    def payload(self) -> dict:
        """The JSON user message of the LLM contract."""
        try:
            return json.loads(self.user)
        except (json.JSONDecodeError, TypeError):
            return {}

    @property
    def task(self) -> str:
        return self.payload.get("task", "")

    @property
    def segments(self) -> list[dict]:
        return self.payload.get("segments", [])

    @property
    def mode(self) -> str:
        rf = self.body.get("response_format") or {}
        if rf.get("type") == "json_schema":
            return "json_schema"
        if rf.get("type") == "json_object":
            return "json_object"
        if self.body.get("tools"):
            return "tools"
        return "plain"

    @property
    def schema(self) -> dict | None:
        rf = self.body.get("response_format") or {}
        if rf.get("type") == "json_schema":
            return rf["json_schema"]["schema"]
        if rf.get("type") == "json_object":
            return rf.get("schema")
        if self.body.get("tools"):
            return self.body["tools"][0]["function"]["parameters"]
        return None


# --- responders -----------------------------------------------------------------


def apply_suggestions(draft: str, suggestions: list[dict]) -> str:
    for s in suggestions:
        if s.get("original") and s["original"] in draft:
            draft = draft.replace(s["original"], s.get("suggestion", ""), 1)
    return draft


def prefix(p: str, critic: Callable[[dict], list[dict]] | None = None) -> Callable[[FakeRequest], Any]:
    """translate: p + source; critique: critic(segment) per segment (default none);
    revise: the draft with each suggestion's original replaced."""

    def respond(req: FakeRequest) -> Any:
        segs = req.segments
        if req.task == "critique":
            found = [dict(s, id=seg["id"]) for seg in segs for s in (critic(seg) if critic else [])]
            return {"suggestions": found}
        if req.task == "revise":
            return {"segments": [{"id": s["id"], "text": apply_suggestions(s["draft"], s.get("suggestions", []))}
                                 for s in segs]}
        return {"segments": [{"id": s["id"], "text": p + s["source"]} for s in segs]}

    return respond


identity = prefix("")


# --- a misbehaving small model (issue 11) --------------------------------------------

INVENTED = "Esto creará un nuevo ejemplo para todos los lectores."  # text no source asked for


def by_task(**responders: Callable[[FakeRequest], Any]) -> Callable[[FakeRequest], Any]:
    """One responder per task (translate=…, critique=…, revise=…); the others
    answer like prefix("ES: ")."""
    default = prefix("ES: ")

    def respond(req: FakeRequest) -> Any:
        return responders.get(req.task, default)(req)

    return respond


def copier(req: FakeRequest) -> Any:
    """translate (or revise): the source copied into "text", as a small model does."""
    return {"segments": [{"id": s["id"], "text": s["source"]} for s in req.segments]}


def degenerate_critic(req: FakeRequest) -> Any:
    """Every draft quoted whole as critical, with one invented template replacement."""
    return {"suggestions": [{"id": s["id"], "original": s["draft"], "explanation": "Error.", "category": "accuracy",
                             "severity": "critical", "suggestion": INVENTED} for s in req.segments]}


def inventing_reviser(sentence: str = INVENTED, append: bool = False) -> Callable[[FakeRequest], Any]:
    """revise: one invented sentence everywhere (instead of, or after, the draft)."""

    def respond(req: FakeRequest) -> Any:
        return {"segments": [{"id": s["id"], "text": (s["draft"] + " " + sentence) if append else sentence}
                             for s in req.segments]}

    return respond


# --- the server -----------------------------------------------------------------


class FakeOpenAI:
    def __init__(self, *, seed: int = 0) -> None:
        self.responder: Callable[[FakeRequest], Any] = identity
        self.refuse: set[str] = set()  # modes answered with a refusal
        self.refusal_status = 500  # llama.cpp answers json_schema with 500
        self.faults: deque[str] = deque()  # scheduled faults, consumed first
        self.fault_rate = 0.0
        self.fault_kinds: tuple[str, ...] = CONTENT_FAULTS + DATA_FAULTS + ("429", "500")
        self.rng = random.Random(seed)
        self.retry_after: str | None = "2"
        self.slow_seconds = 1.0
        self.latency = 0.0
        self.send_usage = True
        self.cap_field: str | None = "max_tokens"  # the output cap this server honours (None: none)
        self.api_key: str | None = None  # when set, other keys get 401
        self.context_chars: int | None = None  # longer prompts get 400 context_length_exceeded
        self.rejects: set[str] = set()  # body fields answered with 400 "Unsupported parameter"
        self.requests: list[FakeRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- configuration ----------------------------------------------------------

    def enqueue(self, *kinds: str) -> None:
        for k in kinds:
            assert k in FAULT_KINDS, k
        self.faults.extend(kinds)

    def like_llama_cpp(self) -> None:
        self.refuse, self.refusal_status, self.cap_field = {"json_schema"}, 500, "max_tokens"

    def tools_only(self) -> None:
        self.refuse, self.refusal_status = {"json_schema", "json_object"}, 400

    def plain_only(self) -> None:
        self.refuse, self.refusal_status = {"json_schema", "json_object", "tools"}, 400

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def chat_requests(self, task: str | None = None, status: int | None = 200) -> list[FakeRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")
                and (task is None or r.task == task) and (status is None or r.status == status)]

    # -- lifecycle --------------------------------------------------------------

    def start(self) -> FakeOpenAI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    self._send(400, {"error": {"message": "bad JSON body"}})
                    return
                with fake._lock:
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    status, payload, headers = fake._handle(self.path, body, headers)
                    self._send(status, payload, headers)
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

            def _send(self, status: int, payload: Any, headers: dict | None = None) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # clients closing kept-alive connections when their event loop ends

        self._server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- answering --------------------------------------------------------------

    def _next_fault(self) -> str | None:
        with self._lock:
            if self.faults:
                return self.faults.popleft()
            if self.fault_rate and self.rng.random() < self.fault_rate:
                return self.rng.choice(self.fault_kinds)
        return None

    def _handle(self, path: str, body: dict, headers: dict) -> tuple[int, Any, dict]:
        req = FakeRequest(path, body, headers)
        with self._lock:
            self.requests.append(req)
        if not path.rstrip("/").endswith("/chat/completions"):
            req.status = 404
            return 404, {"error": {"message": "not found"}}, {}
        if self.api_key is not None and headers.get("authorization") != f"Bearer {self.api_key}":
            req.status = 401
            return 401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}, {}
        if self.latency:
            time.sleep(self.latency)
        if self.context_chars is not None and sum(len(m.get("content") or "") for m in req.messages) > self.context_chars:
            req.status = 400
            return 400, {"error": {"message": "This model's maximum context length is exceeded.",
                                   "code": "context_length_exceeded", "type": "invalid_request_error"}}, {}
        for name in sorted(self.rejects & set(body)):
            req.status = 400
            return 400, {"error": {"message": f"Unsupported parameter: '{name}' is not supported with this model.",
                                   "type": "invalid_request_error", "param": name}}, {}
        if req.mode in self.refuse:
            req.status = self.refusal_status
            return self.refusal_status, {"error": {"message": REFUSALS[req.mode], "type": "invalid_request_error"}}, {}
        fault = req.fault = self._next_fault()
        if fault == "429":
            req.status = 429
            extra = {"retry-after": self.retry_after} if self.retry_after is not None else {}
            return 429, {"error": {"message": "rate limited", "type": "rate_limit_error"}}, extra
        if fault == "500":
            req.status = 500
            return 500, {"error": {"message": "internal server error"}}, {}
        if fault == "slow":
            time.sleep(self.slow_seconds)
        data = self.responder(req)
        if fault in DATA_FAULTS and isinstance(data, dict):
            data = self._damage(data, fault)
        content = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        if fault == "truncated":
            content = content[: max(1, len(content) // 2)]
        elif fault == "fenced":
            content = f"Sure! Here is the JSON you asked for:\n```json\n{content}\n```\nLet me know if you need more."
        elif fault == "prose":
            content = "I'm sorry, but I can't help with that request."
        finish = "stop"
        cap = body.get(self.cap_field) if self.cap_field else None
        if cap is not None and len(content) // 4 > cap:
            content, finish = content[: cap * 4], "length"
        return 200, self._completion(req, content, finish), {}

    def _damage(self, data: dict, fault: str) -> dict:
        data = json.loads(json.dumps(data))
        key = "segments" if "segments" in data else "suggestions"
        entries = data.get(key) or []
        texts = [e for e in entries if "text" in e]
        if fault == "missing_id" and entries:
            entries.pop()
        elif fault == "extra_id":
            entries.append({"id": "s999999", "text": "invented"} if key == "segments" else
                           {"id": "s999999", "category": "style", "severity": "major", "original": "x",
                            "suggestion": "y", "explanation": "invented"})
        elif fault == "duplicate_id" and entries:
            dup = dict(entries[0])
            if "text" in dup:
                dup["text"] += " (again)"
            entries.append(dup)
        elif fault == "drop_placeholder":
            for e in texts:
                if PLACEHOLDER.search(e["text"]):
                    e["text"] = PLACEHOLDER.sub("", e["text"], count=1)
                    break
        elif fault == "invent_placeholder" and texts:
            texts[0]["text"] += " <99/>"
        elif fault == "empty_text" and texts:
            texts[0]["text"] = ""
        data[key] = entries
        return data

    def _completion(self, req: FakeRequest, content: str, finish: str) -> dict:
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if req.mode == "tools":
            name = req.body["tools"][0]["function"]["name"]
            message = {"role": "assistant", "content": None, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": name, "arguments": content}}]}
            finish = "tool_calls" if finish == "stop" else finish
        reply: dict[str, Any] = {
            "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "created": int(time.time()),
            "model": req.body.get("model", "fake"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        }
        if self.send_usage:
            prompt = sum(len(m.get("content") or "") for m in req.messages) // 4 + 1
            reply["usage"] = {"prompt_tokens": prompt, "completion_tokens": len(content) // 4 + 1,
                              "total_tokens": prompt + len(content) // 4 + 1}
        return reply


@pytest.fixture
def fake_openai():
    from translator.engines.llm.transport import forget_endpoints

    forget_endpoints()  # a new server may get the port of an earlier test's server
    server = FakeOpenAI().start()
    try:
        yield server
    finally:
        server.stop()
        forget_endpoints()


def echo_ok(result) -> bool:
    """An echo run's verdict: exit 0, or exit 1 where every `Error:` is the
    honest report that the model answered with copies of the source (issue
    11: a copy is not a translation; the file is still written as answered)."""
    errors = [ln for ln in result.output.splitlines() if ln.startswith("Error:")]
    return result.exit_code == 0 or (result.exit_code == 1 and errors != []
                                     and all("the text is a copy of the" in e for e in errors))
