"""The one retry policy of every request we send to an OpenAI-compatible
server: chat calls (transport.py) and the Batch API's files and batches calls
(batch/jobs.py). The SDK's and LangChain's own retries are off (`max_retries=0`)
so a 429 is never waited for twice.

A 429 or 503 that says how long to wait (Retry-After in seconds or as an HTTP
date, or retry-after-ms) is waited for that long, capped; anything else gets
exponential backoff with jitter. Sleeping goes through an injectable coroutine
so tests never wait.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, TypeVar

Sleep = Callable[[float], Awaitable[Any]]
T = TypeVar("T")


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


@dataclass
class Backoff:
    """How many times to try again and how long to wait before each."""

    retries: int = 3
    sleep: Sleep = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)
    base: float = 1.0
    cap: float = 30.0
    retry_after_cap: float = 60.0

    def delay(self, attempt: int, headers: Any = None) -> float:
        """The wait before retry number `attempt + 1` (attempt counts from 0)."""
        wait = retry_after(headers)
        if wait is not None:
            return min(wait, self.retry_after_cap)
        return min(self.cap, self.base * 2**attempt) * (0.5 + self.rng.random() / 2)

    async def wait(self, attempt: int, headers: Any = None) -> None:
        await self.sleep(self.delay(attempt, headers))

    async def run(self, call: Callable[[], Awaitable[T]]) -> T:
        """`call()` until it succeeds, retrying what the SDK calls passing
        (429, 408, 409, 5xx, timeouts, connection errors) up to the budget."""
        attempt = 0
        while True:
            try:
                return await call()
            except Exception as e:
                if attempt >= self.retries or not transient(e):
                    raise
                await self.wait(attempt, _headers(e))
            attempt += 1


def transient(e: BaseException) -> bool:
    """An SDK error that trying again may cure."""
    import openai

    if isinstance(e, openai.APIConnectionError):  # includes timeouts
        return True
    if isinstance(e, openai.APIStatusError):
        return e.status_code in (408, 409, 429) or e.status_code >= 500
    return False


def _headers(e: BaseException) -> Any:
    response = getattr(e, "response", None)
    return response.headers if response is not None else None
