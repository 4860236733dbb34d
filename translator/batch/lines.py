"""The lines of a Batch API job: a queued request (`Call`), its custom_id and
hash, the JSONL input files it goes in, and the reading of a result line
(answered, failed and why)."""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from translator.errors import EngineError

MAX_LINES = 50_000  # the Batch API's limits per input file
MAX_BYTES = 190 * 1024 * 1024


def request_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def custom_id(doc: str | None, task: str, ids: Sequence[str], h: str) -> str:
    """Names the document and the segments of the request: readable in the
    JSONL and in the provider's dashboard, unique by the hash."""
    stem = (doc or "call").rsplit("/", 1)[-1][:32]
    span = f"{ids[0]}-{ids[-1]}" if ids else "none"
    return f"{stem}|{task}|{span}|{h[:12]}{h[64:]}"


@dataclass
class Call:
    """A request waiting for its reply, and whoever waits for it."""

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

    def fail(self, exc: BaseException) -> None:
        for f in self.futures:
            if not f.done():
                f.set_exception(exc)

    def answer(self, value: Any) -> None:
        for f in self.futures:
            if not f.done():
                f.set_result(value)

    def line(self, endpoint: str) -> str:
        return json.dumps({"custom_id": self.custom_id, "method": "POST", "url": endpoint, "body": self.body},
                          ensure_ascii=False)


def chunks(calls: list[Call]) -> list[list[Call]]:
    """The calls in input files within the Batch API's limits."""
    out: list[list[Call]] = []
    current: list[Call] = []
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


def read_result(entry: dict) -> tuple[dict, tuple[int, int] | None]:
    """A line of an output or error file → the stored reply and its (prompt,
    completion) tokens when the server answered."""
    resp = entry.get("response") or {}
    if entry.get("error") or not resp:
        return {"error": entry.get("error") or {"code": "missing", "message": "no response"}}, None
    u = (resp.get("body") or {}).get("usage") or {}
    stored = {"status_code": resp.get("status_code", 0), "body": resp.get("body")}
    return stored, (int(u.get("prompt_tokens") or 0), int(u.get("completion_tokens") or 0))


def answered(stored: dict) -> bool:
    return "online" in stored or stored.get("status_code") == 200


def line_error(stored: dict) -> tuple[str, int | None]:
    """What went wrong with a stored reply, and its HTTP status (None: the line failed)."""
    if "error" in stored:
        e = stored["error"] or {}
        return f"{e.get('code') or 'error'}: {e.get('message') or ''}".strip(), None
    body = stored.get("body") or {}
    err = body.get("error") if isinstance(body, dict) else None
    msg = err.get("message") if isinstance(err, dict) else str(err or body)
    return str(msg), int(stored.get("status_code") or 0)


def count(replies: Iterable[dict]) -> tuple[int, int]:
    """(answered, failed) among stored replies."""
    replies = list(replies)
    ok = sum(1 for r in replies if answered(r))
    return ok, len(replies) - ok


def api_error(e: Exception, base_url: str | None) -> EngineError:
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
