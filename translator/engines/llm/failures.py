"""What a failed chat request means: the exceptions the transport raises and
the reading of a server's error (the context exceeded, a structured-output
mode refused)."""

from __future__ import annotations

from typing import Any

from translator.document import Usage


class CallFailed(Exception):
    """The call did not get a reply: retries spent, or a request the server rejects."""

    def __init__(self, message: str, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage or Usage()


class TooLarge(CallFailed):
    """The request exceeds the model's context: send fewer segments."""


class Refused(Exception):
    """The server does not accept the structured-output mode of the request."""


def error_text(e: Any) -> str:
    """The server's own message in an SDK error."""
    body = getattr(e, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
        if isinstance(err, str):
            return err
    return str(getattr(e, "message", "") or e)


_OVERFLOW = ("context_length_exceeded", "context length", "maximum context", "exceeds the context",
             "exceeds the available context", "context size", "too many tokens", "prompt is too long")


def is_overflow(e: Exception, low: str) -> bool:
    """Does the error (its text lower-cased in `low`) say the request is
    larger than the model's context?"""
    try:
        from langchain_core.exceptions import ContextOverflowError

        if isinstance(e, ContextOverflowError):
            return True
    except ImportError:
        pass
    return any(k in low for k in _OVERFLOW)


def refuses(mode: str, status: int, low: str, probing: bool) -> bool:
    """Does this error mean the server does not support `mode` (rather than a
    passing failure)? While probing, any 4xx that is not about the cap or the
    context counts; once a mode is known, only an error that names it."""
    keys: tuple[str, ...]
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
