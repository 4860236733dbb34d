"""A journal of model replies: what was paid for is not lost to a crash.

The translation memory is written when a file is finished; a run killed half
way (kill -9, a lost SSH session, an out-of-memory killer) used to lose every
reply it had paid for. The journal stores each usable model reply the moment
it arrives, committed per call, in SQLite beside the memory
(`memory.replies.sqlite`). A re-run plans the same batches and so sends the
same requests; those already answered are served from the journal, and only
the unfinished work goes to the server.

The key is a hash of the model, the server and the request content (system
prompt + user message): not the structured-output mode, which only changes
how the same request travels. A run that ends normally removes the entries it
used or wrote, so the journal holds only the work of interrupted runs, and a
later run that wants a fresh answer (a failed segment retried) gets one.

    journal = Journal(path)              # Journal(None) stores nothing
    attach(engine, journal)              # the engine's transport goes through it
    ...
    journal.finish()                     # the run ended normally
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Any, Sequence

_SCHEMA = """
create table if not exists replies (
    key text primary key,
    data text not null,
    truncated integer not null,
    mode text not null,
    created real not null
)
"""


KEEP_DAYS = 30


def path_beside(memory_path: Path) -> Path:
    """The journal file for a memory file: `memory.sqlite` → `memory.replies.sqlite`."""
    return memory_path.with_name(f"{memory_path.stem}.replies{memory_path.suffix or '.sqlite'}")


class Journal:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        self._touched: set[str] = set()
        self.served = 0  # replies given from the journal in this run
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
            self.db.execute("pragma journal_mode=wal")
            # a commit per reply survives kill -9 and the OOM killer without an
            # fsync per commit (WAL + normal loses only on power loss): the fsync
            # cost 15 ms per request against an instant server
            self.db.execute("pragma synchronous=normal")
            self.db.execute(_SCHEMA)
            # what an interrupted run left and nobody resumed within a month is stale
            self.db.execute("delete from replies where created < ?", (time.time() - KEEP_DAYS * 86400,))
            self.db.commit()

    @staticmethod
    def key(model: str, base_url: str | None, system: str, user: str) -> str:
        raw = "\x1f".join((model, base_url or "https://api.openai.com/v1", system, user))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def get(self, key: str) -> tuple[Any, bool, str] | None:
        if self.db is None:
            return None
        row = self.db.execute("select data, truncated, mode from replies where key = ?", (key,)).fetchone()
        if row is None:
            return None
        self._touched.add(key)
        self.served += 1
        return json.loads(row[0]), bool(row[1]), row[2]

    def put(self, key: str, data: Any, truncated: bool, mode: str) -> None:
        if self.db is None:
            return
        self.db.execute("insert or replace into replies values (?, ?, ?, ?, ?)",
                        (key, json.dumps(data, ensure_ascii=False), int(truncated), mode or "", time.time()))
        self.db.commit()  # at once: the next thing that happens may be kill -9
        self._touched.add(key)

    def finish(self) -> None:
        """The run ended normally: forget the replies it used, then close."""
        if self.db is not None and self._touched:
            keys = list(self._touched)
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                self.db.execute(f"delete from replies where key in ({','.join('?' * len(chunk))})", chunk)
            self.db.commit()
        self.close()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


class Repeats:
    """A retry repeats its request word for word and hopes for another
    answer: the n-th identical request of a run is a request of its own, keyed
    `KEY#n` (a re-run asks them in the same order, so each gets back the reply
    it had). The journal and the Batch API's state (batch/transport.py) key
    their replies so."""

    def __init__(self) -> None:
        self._asked: dict[str, int] = {}  # request key → times asked in this run

    def key(self, base: str) -> str:
        n = self._asked.get(base, 0)
        self._asked[base] = n + 1
        return base if n == 0 else f"{base}#{n}"


class JournaledTransport:
    """A Transport whose successful replies are journaled and, on a re-run, replayed."""

    def __init__(self, inner: Any, journal: Journal) -> None:
        self.inner = inner
        self.journal = journal
        self._repeats = Repeats()

    def _key(self, system: str, user: str) -> str:
        model, base_url = str(getattr(self.inner, "model", "")), getattr(self.inner, "base_url", None)
        return self._repeats.key(Journal.key(model, base_url, system, user))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def call(self, system: str, user: str, task: str, ids: Sequence[str], cap: int | None = None) -> Any:
        from translator.document import Usage
        from translator.engines.llm.replies import Reply

        key = self._key(system, user)
        hit = self.journal.get(key)
        if hit is not None:
            data, truncated, mode = hit
            return Reply(data=data, truncated=truncated, usage=Usage(), mode=mode)
        reply = await self.inner.call(system, user, task, ids, cap)
        if reply.data is not None:
            self.journal.put(key, reply.data, reply.truncated, reply.mode)
        return reply


def attach(engine: Any, journal: Journal) -> None:
    """Route an LLM engine's calls through the journal (other engines have no transport)."""
    transport = getattr(engine, "transport", None)
    if transport is not None and journal.db is not None and not isinstance(transport, JournaledTransport):
        engine.transport = JournaledTransport(transport, journal)
