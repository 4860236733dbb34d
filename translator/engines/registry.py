"""The engines by name. Each engine module registers itself here with a
factory; `make_engine("apertium")`, `make_engine("openai:gpt-4o-mini")`
build one. An unknown name is an EngineError listing the registered ones."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from translator.errors import EngineError

if TYPE_CHECKING:
    from translator.engines.base import Engine

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


@dataclass(frozen=True)
class Registration:
    """One engine: `name` ("apertium", "openai"), how a user writes it
    (`usage`: "openai:MODEL"), and its factory (model part, options) → Engine.
    `by_model`: chosen with --model (the given draft is chosen with --draft)."""

    name: str
    usage: str
    factory: Callable[..., Engine]
    takes_model: bool = False
    by_model: bool = True


_ENGINES: dict[str, Registration] = {}


def register(name: str, factory: Callable[..., Engine], *, usage: str = "", takes_model: bool = False,
             by_model: bool = True) -> None:
    """Make an engine known by `name` (called by the engine's own module)."""
    _ENGINES[name] = Registration(name, usage or name, factory, takes_model, by_model)


def registered() -> tuple[Registration, ...]:
    return tuple(_ENGINES.values())


def known() -> tuple[str, ...]:
    """How the --model engines are written, in registration order ("apertium", "openai:MODEL")."""
    return tuple(r.usage for r in _ENGINES.values() if r.by_model)


def default_spec() -> str:
    """openai:… when an API key or a compatible server is configured, else apertium."""
    if os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"):
        return "openai:" + os.environ.get("TRANSLATOR_MODEL", DEFAULT_OPENAI_MODEL)
    return "apertium"


def unknown_engine(spec: str) -> str:
    """The error for an engine name we do not know, with the likely fix."""
    bare = [r.name for r in _ENGINES.values() if r.by_model and not r.takes_model]
    providers = [r.name for r in _ENGINES.values() if r.by_model and r.takes_model]
    provider = providers[0] if providers else "openai"
    name, _, rest = spec.partition(":")
    if not rest:  # a bare name: most often a model name without its provider
        close = difflib.get_close_matches(spec.lower(), bare, n=1, cutoff=0.75)
        hint = f"did you mean {close[0]}?" if close else f"did you mean {provider}:{spec}?"
    else:
        close = difflib.get_close_matches(name.lower(), providers, n=1, cutoff=0.6)
        hint = (f"did you mean {close[0]}:{rest}?" if close
                else f"a model of an OpenAI-compatible server is {provider}:MODEL")
    return f"unknown engine {spec!r} (--model): the engines are {', '.join(known())}; {hint}"


def make_engine(spec: str | None, *, jobs: int = 4, **options: Any) -> Engine:
    """The engine `spec` names (default: `default_spec()`)."""
    spec = (spec or default_spec()).strip()
    name, colon, model = spec.partition(":")
    reg = _ENGINES.get(name)
    if reg is None and spec == "none":
        reg = _ENGINES.get("draft")
    if reg is None or (reg.takes_model and not colon) or (colon and not reg.takes_model):
        raise EngineError(unknown_engine(spec))
    if reg.takes_model and not model:
        raise EngineError(f"--model {name}: needs a model name, e.g. {name}:{DEFAULT_OPENAI_MODEL}")
    return reg.factory(model, jobs=jobs, **options)
