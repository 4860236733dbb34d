"""What a `--batch` run has done, in SQLite beside the translation memory, so
that `translator batch status` and `translator batch resume` work from a new
process after a crash or a reboot.

A run replays deterministically: the same documents, options and replies give
the same requests. So the state keeps, per request (keyed by the hash of its
body), the batch it was submitted in and, once downloaded, its reply; a
resumed run asks again only what was never submitted, and waits for (or reads)
the rest. It also keeps the memory look-ups each document made at the start,
so a resumed document sends exactly the requests it sent before, even after
other documents of the run have filled the memory.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
create table if not exists runs (
    id integer primary key autoincrement,
    created real not null,
    finished real,
    status text not null,            -- running | done | failed
    options text not null            -- JSON: files, job options, model, base_url, out folder
);
create table if not exists docs (
    run integer not null,
    path text not null,
    status text not null,            -- pending | done | failed
    output text,
    error text,
    primary key (run, path)
);
create table if not exists batches (
    local integer primary key autoincrement,
    run integer not null,
    task text not null,
    wave integer not null,
    requests integer not null,
    input_file text,                 -- set once uploaded
    batch_id text,                   -- set once created
    status text not null,            -- uploading | submitted | validating | in_progress | … | done
    output_file text,
    error_file text,
    created real not null,
    finished real
);
create table if not exists requests (
    hash text primary key,           -- "RUN:sha256 of the body" (#n for the n-th identical request)
    run integer not null,
    custom_id text not null,
    task text not null,
    batch integer,                   -- batches.local; null for online calls
    reply text,                      -- JSON {"status_code", "body"} or {"error"}; null until known
    prompt_tokens integer not null default 0,
    completion_tokens integer not null default 0,
    via text not null default 'batch'
);
create index if not exists requests_batch on requests (batch);
create table if not exists lookups (
    run integer not null,
    key text not null,
    found text not null,
    primary key (run, key)
);
"""

TERMINAL = ("completed", "failed", "expired", "cancelled")


def default_path() -> Path:
    from translator.memory.store import default_path as memory_path

    return memory_path().parent / "batch.sqlite"


@dataclass(frozen=True)
class BatchRow:
    local: int
    run: int
    task: str
    wave: int
    requests: int
    input_file: str | None
    batch_id: str | None
    status: str
    output_file: str | None
    error_file: str | None
    created: float
    finished: float | None


@dataclass(frozen=True)
class RunRow:
    id: int
    created: float
    finished: float | None
    status: str
    options: dict


class State:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        self.db.execute("pragma journal_mode=wal")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    # -- runs -------------------------------------------------------------------

    def new_run(self, options: dict, files: list[str]) -> int:
        with self.db:
            self.db.execute("begin")
            cur = self.db.execute("insert into runs (created, status, options) values (?, 'running', ?)",
                                  (time.time(), json.dumps(options)))
            assert cur.lastrowid is not None
            run = cur.lastrowid
            self.db.executemany("insert or ignore into docs (run, path, status) values (?, ?, 'pending')",
                                [(run, f) for f in files])
        return run

    def run(self, run: int) -> RunRow | None:
        row = self.db.execute("select id, created, finished, status, options from runs where id = ?",
                              (run,)).fetchone()
        return RunRow(row[0], row[1], row[2], row[3], json.loads(row[4])) if row else None

    def runs(self) -> list[RunRow]:
        return [RunRow(r[0], r[1], r[2], r[3], json.loads(r[4]))
                for r in self.db.execute("select id, created, finished, status, options from runs order by id")]

    def latest_unfinished(self) -> RunRow | None:
        row = self.db.execute("select id from runs where status = 'running' order by id desc limit 1").fetchone()
        return self.run(row[0]) if row else None

    def finish_run(self, run: int, status: str) -> None:
        self.db.execute("update runs set status = ?, finished = ? where id = ?", (status, time.time(), run))

    # -- documents --------------------------------------------------------------

    def docs(self, run: int) -> list[tuple[str, str, str | None, str | None]]:
        return list(self.db.execute("select path, status, output, error from docs where run = ? order by rowid",
                                    (run,)))

    def doc_done(self, run: int, path: str, output: str | None, error: str | None) -> None:
        self.db.execute("update docs set status = ?, output = ?, error = ? where run = ? and path = ?",
                        ("failed" if error else "done", output, error, run, path))

    # -- memory look-ups ----------------------------------------------------------

    def lookup(self, run: int, key: str) -> dict | None:
        row = self.db.execute("select found from lookups where run = ? and key = ?", (run, key)).fetchone()
        return json.loads(row[0]) if row else None

    def save_lookup(self, run: int, key: str, found: dict) -> None:
        self.db.execute("insert or replace into lookups values (?, ?, ?)", (run, key, json.dumps(found)))

    # -- batches and requests -------------------------------------------------------

    def new_batch(self, run: int, task: str, wave: int, requests: list[tuple[str, str, str]]) -> int:
        """Record a batch about to be uploaded, with its requests (hash, custom_id, task)."""
        with self.db:
            self.db.execute("begin")
            cur = self.db.execute(
                "insert into batches (run, task, wave, requests, status, created) values (?, ?, ?, ?, 'uploading', ?)",
                (run, task, wave, len(requests), time.time()))
            assert cur.lastrowid is not None
            local = cur.lastrowid
            self.db.executemany(
                "insert into requests (hash, run, custom_id, task, batch) values (?, ?, ?, ?, ?) "
                "on conflict(hash) do update set batch = excluded.batch, custom_id = excluded.custom_id, "
                "reply = null",
                [(h, run, cid, task_, local) for h, cid, task_ in requests])
        return local

    def set_batch(self, local: int, **fields: Any) -> None:
        cols = ", ".join(f"{k} = ?" for k in fields)
        self.db.execute(f"update batches set {cols} where local = ?", (*fields.values(), local))

    def batch(self, local: int) -> BatchRow | None:
        row = self.db.execute("select * from batches where local = ?", (local,)).fetchone()
        return BatchRow(*row) if row else None

    def batches(self, run: int) -> list[BatchRow]:
        return [BatchRow(*r) for r in self.db.execute("select * from batches where run = ? order by local", (run,))]

    def request(self, h: str) -> tuple[int | None, dict | None, str] | None:
        """(batch local id, reply, custom_id) of a request seen before, or None."""
        row = self.db.execute("select batch, reply, custom_id from requests where hash = ?", (h,)).fetchone()
        if row is None:
            return None
        return row[0], (json.loads(row[1]) if row[1] else None), row[2]

    def batch_requests(self, local: int) -> dict[str, str]:
        """custom_id → hash of the requests of one batch."""
        return dict(self.db.execute("select custom_id, hash from requests where batch = ?", (local,)))

    def save_replies(self, local: int | None, replies: dict[str, dict], usage: dict[str, tuple[int, int]],
                     run: int | None = None, task: str = "", via: str = "batch") -> None:
        """Store replies by request hash (with their tokens); online replies
        (local None) are inserted as new requests of `run`."""
        with self.db:
            self.db.execute("begin")
            for h, reply in replies.items():
                pt, ct = usage.get(h, (0, 0))
                if local is None:
                    self.db.execute(
                        "insert into requests (hash, run, custom_id, task, batch, reply, prompt_tokens, "
                        "completion_tokens, via) values (?, ?, ?, ?, null, ?, ?, ?, ?) on conflict(hash) do update "
                        "set reply = excluded.reply, prompt_tokens = excluded.prompt_tokens, "
                        "completion_tokens = excluded.completion_tokens, via = excluded.via",
                        (h, run, h[:16], task, json.dumps(reply), pt, ct, via))
                else:
                    self.db.execute(
                        "update requests set reply = ?, prompt_tokens = ?, completion_tokens = ? where hash = ?",
                        (json.dumps(reply), pt, ct, h))

    def tokens(self, run: int) -> dict[tuple[str, str], tuple[int, int, int]]:
        """(via, task) → (requests, prompt tokens, completion tokens) answered so far."""
        rows = self.db.execute(
            "select via, task, count(*), sum(prompt_tokens), sum(completion_tokens) from requests "
            "where run = ? and reply is not null group by via, task", (run,))
        return {(v, t): (n, p or 0, c or 0) for v, t, n, p, c in rows}
