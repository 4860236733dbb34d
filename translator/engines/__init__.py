"""Engines, chosen by name: `apertium`, `openai:MODEL`. Any other name is an
EngineError listing these (a bare model name is not sent to a server as is)."""

from __future__ import annotations

import os

from translator.errors import EngineError
from translator.engines.base import Engine

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


def default_spec() -> str:
    """openai:… when an API key or a compatible server is configured, else apertium."""
    if os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"):
        return "openai:" + os.environ.get("TRANSLATOR_MODEL", DEFAULT_OPENAI_MODEL)
    return "apertium"


KNOWN = ("apertium", "openai:MODEL")


def unknown_engine(spec: str) -> str:
    """The error for an engine name we do not know, with the likely fix."""
    import difflib

    known = ", ".join(KNOWN)
    name, _, rest = spec.partition(":")
    if not rest:  # a bare name: most often a model name without its provider
        close = difflib.get_close_matches(spec.lower(), ["apertium"], n=1, cutoff=0.75)
        hint = f"did you mean {close[0]}?" if close else f"did you mean openai:{spec}?"
    else:
        close = difflib.get_close_matches(name.lower(), ["openai"], n=1, cutoff=0.6)
        hint = f"did you mean openai:{rest}?" if close else "a model of an OpenAI-compatible server is openai:MODEL"
    return f"unknown engine {spec!r} (--model): the engines are {known}; {hint}"


def make_engine(spec: str | None, *, jobs: int = 4, **options) -> Engine:
    spec = (spec or default_spec()).strip()
    if spec == "apertium":
        from translator.engines.apertium import ApertiumEngine

        return ApertiumEngine()
    if spec in ("draft", "none"):
        raise EngineError("use --draft FILE to post-edit an existing translation")
    if not spec.startswith("openai:"):
        raise EngineError(unknown_engine(spec))
    model = spec.split(":", 1)[1]
    if not model:
        raise EngineError("--model openai: needs a model name, e.g. openai:gpt-4o-mini")
    from translator.engines.llm.engine import LLMEngine

    return LLMEngine(model, jobs=jobs, **options)
