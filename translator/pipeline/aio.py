"""`asyncio.run` for coroutines that return a whole run's results.

On Python 3.11, `asyncio.run` formats the repr of its main task when it
puts back the SIGINT handler, and a task's repr includes its result: every
FileResult with its Document and Outcome, formatted in full before reprlib
cuts it to 30 characters. A 50 MB issue peaked at 8.1 GB for that string at
the very end of the run, and at 4.0 GB without it (bench/results). Here the
main task returns None and the result travels beside it.

    results = aio.run(runner.run(files))
"""

from __future__ import annotations

import asyncio
from typing import Any, Coroutine, TypeVar

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(coro)`, without a task whose result anything formats."""
    box: list[T] = []

    async def main() -> None:
        box.append(await coro)

    asyncio.run(main())
    return box[0]
