"""`openai:MODEL`: an LLM behind an OpenAI-compatible server (engines/llm),
registered here so that LangChain and the SDK load only when one is built."""

from __future__ import annotations

from typing import Any

from translator.engines.base import Engine
from translator.engines.registry import register


def _make(model: str, *, jobs: int = 4, **options: Any) -> Engine:
    from translator.engines.llm.engine import LLMEngine

    return LLMEngine(model, jobs=jobs, **options)


register("openai", _make, usage="openai:MODEL", takes_model=True)
