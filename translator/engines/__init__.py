"""Engines, chosen by name: `apertium`, `openai:MODEL` (or a bare model name)."""

from __future__ import annotations

import os

from ..errors import EngineError
from .base import Engine

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


def default_spec() -> str:
    """openai:… when an API key or a compatible server is configured, else apertium."""
    if os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"):
        return "openai:" + os.environ.get("TRANSLATOR_MODEL", DEFAULT_OPENAI_MODEL)
    return "apertium"


def make_engine(spec: str | None, *, jobs: int = 4, **options) -> Engine:
    spec = (spec or default_spec()).strip()
    if spec == "apertium":
        from .apertium import ApertiumEngine

        return ApertiumEngine()
    if spec in ("draft", "none"):
        raise EngineError("use --draft FILE to post-edit an existing translation")
    model = spec.split(":", 1)[1] if spec.startswith("openai:") else spec
    if not model:
        raise EngineError("--model openai: needs a model name, e.g. openai:gpt-4o-mini")
    from .llm import LLMEngine

    return LLMEngine(model, jobs=jobs, **options)
