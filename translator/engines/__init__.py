"""Engines, chosen by name from a registry (`registry.py`): `apertium`,
`openai:MODEL`, and the given draft (`--draft FILE`); each engine is one
module that registers itself, and declares what it can do (`base.supports`)."""

from __future__ import annotations

from translator.engines.base import Engine
from translator.engines.registry import (DEFAULT_OPENAI_MODEL, default_spec, known, make_engine, register,
                                         unknown_engine)
from translator.engines import apertium, openai_models, draft  # noqa: F401,E402  each registers itself

KNOWN = known()

__all__ = ["DEFAULT_OPENAI_MODEL", "KNOWN", "Engine", "default_spec", "known", "make_engine", "register",
           "unknown_engine"]
