"""What a server can do, remembered between runs.

The transport probes each endpoint (base_url + model) for the structured-
output mode it accepts; llama.cpp's server refuses `json_schema` with HTTP
500 before `json_object` works. Without a memory every run pays that refused
request again. This table, in the translation memory's SQLite file, keeps
the mode found (and the modes refused, and the request fields the server
turned down) so the next run starts with what works. A stored mode the server
later refuses is probed again and the answer replaces the stored one.

    store = CapabilityStore(memory_path)      # None: remember nothing
    attach(engine, memory_path)               # what the CLI does

Within a process, what was learnt is an `Endpoint`, shared by every transport
talking to the same server and model.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODES = ("json_schema", "json_object", "tools", "plain")
OPENAI = "https://api.openai.com/v1"


@dataclass
class Endpoint:
    """What we learned about one server and model; shared by the whole process."""

    mode: str | None = None  # None until the first call has found one
    send_max_tokens: bool = True
    send_temperature: bool = True  # reasoning models reject any but the default
    refused: list[str] = field(default_factory=list)  # modes the server turned down

    def state(self) -> dict[str, Any]:
        return {"mode": self.mode, "refused": self.refused, "send_max_tokens": self.send_max_tokens,
                "send_temperature": self.send_temperature}

    def adopt(self, state: dict[str, Any] | None) -> None:
        """Start from what an earlier run stored (when nothing is known yet)."""
        if self.mode is None and state and state["mode"] in MODES:
            self.mode, self.refused = state["mode"], list(state["refused"])
            self.send_max_tokens = self.send_max_tokens and state["send_max_tokens"]
            self.send_temperature = self.send_temperature and state["send_temperature"]


_ENDPOINTS: dict[tuple[str, str], Endpoint] = {}


def endpoint(base_url: str | None, model: str) -> Endpoint:
    key = (base_url or OPENAI, model)
    if key not in _ENDPOINTS:
        official = base_url is None or "api.openai.com" in base_url
        _ENDPOINTS[key] = Endpoint(send_max_tokens=not official)
    return _ENDPOINTS[key]


def forget_endpoints() -> None:
    """Forget what was learnt about servers (for a server restarted with
    another backend on the same address; tests use it between fake servers)."""
    _ENDPOINTS.clear()


_SCHEMA = """
create table if not exists llm_endpoints (
    base_url text not null,
    model text not null,
    mode text not null,
    refused text not null,
    send_max_tokens integer not null,
    send_temperature integer not null,
    updated real not null,
    primary key (base_url, model)
)
"""


class CapabilityStore:
    """Endpoint capabilities in a SQLite file; `CapabilityStore(None)` keeps nothing.
    Each operation opens the file briefly: a store never holds a lock for a run."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), timeout=30)
            db.execute(_SCHEMA)
            return db
        except (OSError, sqlite3.Error):
            return None  # an unusable cache costs one probe, never the run

    def load(self, base_url: str, model: str) -> dict[str, Any] | None:
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("select mode, refused, send_max_tokens, send_temperature from llm_endpoints "
                             "where base_url = ? and model = ?", (base_url, model)).fetchone()
        except sqlite3.Error:
            return None
        finally:
            db.close()
        if row is None:
            return None
        try:
            refused = [m for m in json.loads(row[1]) if isinstance(m, str)]
        except (ValueError, TypeError):
            refused = []
        return {"mode": row[0], "refused": refused, "send_max_tokens": bool(row[2]),
                "send_temperature": bool(row[3])}

    def save(self, base_url: str, model: str, state: dict[str, Any]) -> None:
        db = self._connect()
        if db is None:
            return
        try:
            with db:
                db.execute("insert or replace into llm_endpoints values (?, ?, ?, ?, ?, ?, ?)",
                           (base_url, model, state["mode"], json.dumps(state["refused"]),
                            int(state["send_max_tokens"]), int(state["send_temperature"]), time.time()))
        except sqlite3.Error:
            pass
        finally:
            db.close()


def attach(engine: Any, path: Path | None) -> None:
    """Let `engine`'s transport (LLM engines only) remember what its server
    can do in the SQLite file at `path` (the translation memory; None: not)."""
    transport = getattr(engine, "transport", None)
    if transport is not None and path is not None:
        transport.capabilities = CapabilityStore(path)
