"""A glossary entry (`Term`): the data every terminology module shares."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    source: str
    target: str
    note: str = ""
    pos: str = ""
    case_sensitive: bool = False
    dnt: bool = False
    forbidden: tuple[str, ...] = ()
    where: str = field(default="", compare=False)  # "glossaries/ai.en-es.csv, line 12"
    # `|`-separated words, one of which must be near an occurrence for the entry to apply
    # ("training" is "entrenamiento" near "model|data|GPU", not in "train drivers")
    context: tuple[str, ...] = ()

    @property
    def rendering(self) -> str:
        """What the translation must contain: the target, or the source for dnt."""
        return self.target or self.source

