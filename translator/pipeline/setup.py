"""What a run is built from, shared by `translate`, `translate --batch` and the
dry run: the glossary of each language pair, the engine checked once per pair."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from translator.engines.base import Engine

if TYPE_CHECKING:
    from translator.terms.glossary import Glossary

GlossaryFor = Callable[[str, str], "Glossary | None"]
EngineFor = Callable[[str, str], Engine]


def glossary_resolver(mod: Any, paths: list[Path] | None, none: bool) -> GlossaryFor:
    """A function (src, tgt) → Glossary | None. Explicit glossaries are loaded
    (and checked) now, before any translation starts. `mod` is the glossary
    module (translator.terms.glossary)."""
    if none:
        return lambda src, tgt: None
    cache: dict[tuple[str, str], Glossary | None] = {}
    for p in paths or []:  # fail early, before any translation, on a missing or malformed file
        for f in ([p] if not p.is_dir() else sorted(p.glob("*.csv"))):
            mod.read_csv(f) if f.exists() else mod.resolve_paths([f], "", "")

    def get(src: str, tgt: str) -> Glossary | None:
        if (src, tgt) not in cache:
            g = mod.load_glossary(paths or [], src, tgt)
            cache[(src, tgt)] = g if g.terms else None
        return cache[(src, tgt)]

    return get


def checked(engine: Engine) -> EngineFor:
    """A function (src, tgt) → `engine`, which checks the pair the first time it is asked."""
    seen: set[tuple[str, str]] = set()

    def engine_for(src: str, tgt: str) -> Engine:
        if (src, tgt) not in seen:
            engine.check(src, tgt)
            seen.add((src, tgt))
        return engine

    return engine_for
