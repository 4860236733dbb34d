"""Translation memory: what was already translated is not paid for twice.

A SQLite file maps (engine, language pair, settings fingerprint, source
segment) → the final translation. Re-running a batch after an interruption
or after editing one article only sends the segments that changed. Export
to TMX 1.4 for CAT tools.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

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

    def export_tmx(self, out: Path, pairs: Mapping[str, str] | None = None) -> int:
        """Write the memory as TMX 1.4; returns the number of units."""
        if self.db is None:
            return 0
        rows = list(self.db.execute("select source_lang, target_lang, source, target from tm order by created"))
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<tmx version="1.4"><header creationtool="newsletter-translator" creationtoolversion="1"'
            ' datatype="plaintext" segtype="sentence" adminlang="en" srclang="*all*" o-tmf="sqlite"/><body>',
        ]
        for src_lang, tgt_lang, source, target in rows:
            lines.append(
                f"<tu><tuv xml:lang={quoteattr(src_lang)}><seg>{escape(source)}</seg></tuv>"
                f"<tuv xml:lang={quoteattr(tgt_lang)}><seg>{escape(target)}</seg></tuv></tu>"
            )
        lines.append("</body></tmx>")
        from .writer import write_text

        write_text(out, "\n".join(lines) + "\n")
        return len(rows)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
