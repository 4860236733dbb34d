"""Translation memory: what was already translated is not paid for twice.

A SQLite file maps (engine, language pair, settings fingerprint, source
segment) → the final translation. Re-running a batch after an interruption
or after editing one article only sends the segments that changed. Approved
human translations (the editor's) are kept apart and found whatever the
engine. Export to TMX 1.4 for CAT tools (tmx_io.py).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Iterable

_SCHEMA = """
create table if not exists tm (
    key text primary key,
    engine text not null,
    source_lang text not null,
    target_lang text not null,
    source text not null,
    target text not null,
    created real not null
)
"""
# Approved human translations (edits kept from outputs, `translator learn`,
# XLIFF/TMX imports): found whatever the engine, before machine rows.
_HUMAN = """
create table if not exists human (
    source_lang text not null,
    target_lang text not null,
    source text not null,
    target text not null,
    origin text not null,
    created real not null,
    primary key (source_lang, target_lang, source)
)
"""


def default_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsletter-translator" / "memory.sqlite"


class Memory:
    """A translation memory; `Memory(None)` remembers nothing."""

    def __init__(self, path: Path | None):
        self.path = path
        self.db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), timeout=30)
            self.db.execute("pragma journal_mode=wal")
            self.db.execute(_SCHEMA)
            self.db.execute(_HUMAN)
            self.db.commit()

    @staticmethod
    def key(engine: str, source_lang: str, target_lang: str, fingerprint: str, source: str) -> str:
        raw = "\x1f".join((engine, source_lang, target_lang, fingerprint, source))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        if self.db is None:
            return {}
        keys = list(keys)
        found: dict[str, str] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for k, target in self.db.execute(f"select key, target from tm where key in ({marks})", chunk):
                found[k] = target
        return found

    def put_many(self, rows: Iterable[tuple[str, str, str, str, str, str]]) -> None:
        """rows: (key, engine, source_lang, target_lang, source, target)."""
        if self.db is None:
            return
        now = time.time()
        self.db.executemany(
            "insert or replace into tm values (?, ?, ?, ?, ?, ?, ?)",
            [(*row, now) for row in rows],
        )
        self.db.commit()

    def get_human(self, source_lang: str, target_lang: str, sources: Iterable[str]) -> dict[str, str]:
        """Approved human translations of these sources: source → target."""
        if self.db is None:
            return {}
        sources = list(dict.fromkeys(sources))
        found: dict[str, str] = {}
        for i in range(0, len(sources), 500):
            chunk = sources[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for source, target in self.db.execute(
                f"select source, target from human where source_lang = ? and target_lang = ? and source in ({marks})",
                [source_lang, target_lang, *chunk],
            ):
                found[source] = target
        return found

    def human_origins(self, source_lang: str, target_lang: str, sources: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Where the approved translations of these sources came from: source → (target, origin)."""
        if self.db is None:
            return {}
        sources = list(dict.fromkeys(sources))
        found: dict[str, tuple[str, str]] = {}
        for i in range(0, len(sources), 500):
            chunk = sources[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for source, target, origin in self.db.execute(
                f"select source, target, origin from human where source_lang = ? and target_lang = ? "
                f"and source in ({marks})", [source_lang, target_lang, *chunk],
            ):
                found[source] = (target, origin)
        return found

    def put_human(self, source_lang: str, target_lang: str, pairs: Iterable[tuple[str, str]], origin: str = "human") -> int:
        """Remember approved translations (the newest wins); returns how many."""
        if self.db is None:
            return 0
        now = time.time()
        rows = [(source_lang, target_lang, s, t, origin, now) for s, t in pairs if s.strip() and t.strip()]
        self.db.executemany("insert or replace into human values (?, ?, ?, ?, ?, ?)", rows)
        self.db.commit()
        return len(rows)

    def export_tmx(self, out: Path) -> int:
        """Write the memory as TMX 1.4 (placeholders as inline codes); returns the number of units."""
        if self.db is None:
            return 0
        from translator.memory.tmx import export_tmx

        return export_tmx(self, out)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
