"""The interface every engine implements (LLM, Apertium, …).

An engine receives the segments of one document, in order, and returns a text
for every id it was given: never fewer, never more. Failures it recovers from
become open Suggestions (origin "engine" or "llm"), not exceptions; it raises
EngineError only when it cannot run at all (missing install, no API key).

What an engine can do beyond `translate` it declares in `capabilities`
(`CRITIQUE`, `REVISE`, `CLEAN`, `BATCH`, `POST_EDIT`); callers ask `supports`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol, Sequence

from translator.document import Suggestion, Usage

if TYPE_CHECKING:
    from translator.terms.glossary import Glossary


CRITIQUE: Final = "critique"  # `critique(items, ctx)`: suggestions on drafts
REVISE: Final = "revise"  # `revise(items, ctx)`: drafts with their suggestions applied
CLEAN: Final = "clean"  # can clean a transcript (its transport takes free-form LLM calls)
BATCH: Final = "batch"  # can run as an offline batch job (translate --batch)
POST_EDIT: Final = "post-edit"  # the given draft: texts from an existing translation


@dataclass(frozen=True)
class Item:
    """One segment as an engine sees it."""

    id: str
    block: int
    source: str  # with placeholder tokens <1>…</1>, <2/>
    draft: str = ""  # the current translation (critique, revise)
    suggestions: tuple[Suggestion, ...] = ()  # what the reviser should fix


@dataclass(frozen=True)
class Context:
    source_lang: str
    target_lang: str
    glossary: Glossary | None = None
    summary: str = ""  # a short description of the document, for the prompt
    register: str = "an AI and technology newsletter"


@dataclass
class EngineResult:
    texts: dict[str, str]
    suggestions: list[Suggestion] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    failed: set[str] = field(default_factory=set)  # ids whose text is a fallback (source or draft kept)


class Engine(Protocol):
    name: str
    capabilities: frozenset[str]  # what it can do beyond translate (see CRITIQUE …)

    def check(self, source_lang: str, target_lang: str) -> None:
        """Raise EngineError, naming the fix, if this engine cannot translate the pair."""

    async def translate(self, items: Sequence[Item], ctx: Context) -> EngineResult: ...


class Critic(Protocol):
    """Engines that can also critique and revise (LLMs)."""

    async def critique(self, items: Sequence[Item], ctx: Context) -> tuple[list[Suggestion], Usage]: ...

    async def revise(self, items: Sequence[Item], ctx: Context) -> EngineResult: ...


def supports(engine: object, *capabilities: str) -> bool:
    """Whether `engine` declares every one of `capabilities` (None supports nothing)."""
    declared: frozenset[str] = getattr(engine, "capabilities", frozenset())
    return engine is not None and declared.issuperset(capabilities)
