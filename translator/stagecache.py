"""Caches that last between runs: one SQLite file under XDG_CACHE_HOME.

Each stage keys its entries by a namespace and a version string of the data
it derives them from (a package's version, a dictionary file's size and
date), so a new dictionary or release never serves stale answers. The cache
is only a speed-up: a read-only or broken cache file is ignored.
`--no-cache` turns it off for the run (`off()`): nothing is read or kept.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable

_OFF = threading.Event()


class off:
    """`with stagecache.off():` compute everything, read and keep nothing."""

    def __enter__(self) -> None:
        self.was = _OFF.is_set()
        _OFF.set()

    def __exit__(self, *exc: object) -> None:
        if not self.was:
            _OFF.clear()


_SCHEMA = "create table if not exists kv (key blob primary key, value blob not null)"


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsletter-translator"


class DiskCache:
    """Bytes by key in one table; thread-safe; every failure is a miss."""

    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.Lock()
        self.db: sqlite3.Connection | None = None
        self.pending: dict[bytes, bytes] = {}
        atexit.register(self.flush)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), timeout=10, check_same_thread=False)
            self.db.execute("pragma journal_mode=wal")
            self.db.execute("pragma synchronous=normal")
            self.db.execute(_SCHEMA)
        except (OSError, sqlite3.Error):
            self.db = None

    @staticmethod
    def key(namespace: str, version: str, text: str) -> bytes:
        return hashlib.blake2b(f"{namespace}\0{version}\0{text}".encode("utf-8", "surrogatepass"),
                               digest_size=20).digest()

    def get_many(self, keys: Iterable[bytes]) -> dict[bytes, bytes]:
        keys = list(dict.fromkeys(keys))
        found: dict[bytes, bytes] = {}
        if self.db is None or not keys:
            return found
        try:
            with self.lock:
                for i in range(0, len(keys), 500):
                    part = keys[i:i + 500]
                    rows = self.db.execute(f"select key, value from kv where key in ({','.join('?' * len(part))})",
                                           part).fetchall()
                    found.update(rows)
                found.update((k, self.pending[k]) for k in keys if k in self.pending)
        except sqlite3.Error:
            return {}
        return found

    def put_many(self, items: dict[bytes, bytes]) -> None:
        """Kept in memory and written in one transaction at exit (or every
        FLUSH_EVERY entries): a commit per call costs more than the answer."""
        if self.db is None or not items:
            return
        with self.lock:
            self.pending.update(items)
            full = len(self.pending) >= FLUSH_EVERY
        if full:
            self.flush()

    def flush(self) -> None:
        with self.lock:
            rows, self.pending = list(self.pending.items()), {}
            if self.db is None or not rows:
                return
            try:
                with self.db:
                    self.db.executemany("insert or replace into kv values (?, ?)", rows)
            except sqlite3.Error:
                pass


FLUSH_EVERY = 5000


@lru_cache(maxsize=8)
def _open(path: Path) -> DiskCache:
    return DiskCache(path)


def disk_cache() -> DiskCache:
    """The cache of the current XDG_CACHE_HOME (opened once per path)."""
    return _open(cache_root() / "stage-cache-v1.db")


def cached_map(namespace: str, version: str, texts: Iterable[str], compute) -> dict[str, str]:
    """`compute(missing_texts) -> {text: answer}` for the texts not cached yet;
    the answers of all `texts` (strings), kept for the next run."""
    if _OFF.is_set():
        return compute(list(dict.fromkeys(texts)))
    todo = list(dict.fromkeys(texts))
    out = lookup(namespace, version, todo)
    missing = [t for t in todo if t not in out]
    if missing:
        fresh = compute(missing)
        out.update(fresh)
        wanted = set(todo)
        keep(namespace, version, {t: v for t, v in fresh.items() if t in wanted})
    return out


def lookup(namespace: str, version: str, texts: Iterable[str]) -> dict[str, str]:
    """The answers kept for those of `texts` that have one (nothing with `off()`)."""
    if _OFF.is_set():
        return {}
    keys = {t: DiskCache.key(namespace, version, t) for t in dict.fromkeys(texts)}
    hits = disk_cache().get_many(keys.values())
    return {t: hits[k].decode("utf-8", "surrogatepass") for t, k in keys.items() if k in hits}


def keep(namespace: str, version: str, answers: dict[str, str]) -> None:
    """Keep `answers` (text → answer) for the next run (written at exit; nothing with `off()`)."""
    if _OFF.is_set() or not answers:
        return
    disk_cache().put_many({DiskCache.key(namespace, version, t): v.encode("utf-8", "surrogatepass")
                           for t, v in answers.items()})
