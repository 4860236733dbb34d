"""The registry of checks: every module of this package that declares a
`NAME` is a check, found by `pkgutil` (adding a check is one new file).

A check module declares

    NAME = "numbers"            # the machine name, also the Suggestion's `check`
    NEEDS_SOURCE = True         # silent in target-only review
    LANGUAGES = frozenset()     # target languages it applies to; empty: every one
    ORDER = 50                  # where its findings come in a pair's list
    QUIET_AFTER = ("empty",)    # silent on a pair where one of these found something
    SCOPE = "pair"              # or "pairs": it looks at all the pairs at once
    def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]   # ("pairs": run(pairs, ctx))

A run may choose its checks (`select`: `--checks`, `--skip-check`). The
translate command scopes its choice with `using` (a context variable,
copied into the pipeline's tasks and threads); `review` passes it along.
"""

from __future__ import annotations

import importlib
import pkgutil
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Callable, Iterable, Iterator, Literal

from translator.errors import InputError
from translator.qa.checks.base import Pair

Scope = Literal["pair", "pairs"]


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[..., tuple]
    needs_source: bool
    languages: frozenset[str]
    order: int
    quiet_after: tuple[str, ...]
    scope: Scope

    def applies(self, pair: Pair, target_lang: str) -> bool:
        if self.needs_source and pair.source is None:
            return False
        return not self.languages or target_lang.split("-")[0] in self.languages


def _check_of(module: ModuleType) -> Check:
    return Check(
        name=module.NAME,
        run=module.run,
        needs_source=bool(getattr(module, "NEEDS_SOURCE", True)),
        languages=frozenset(getattr(module, "LANGUAGES", ())),
        order=int(getattr(module, "ORDER", 100)),
        quiet_after=tuple(getattr(module, "QUIET_AFTER", ())),
        scope=getattr(module, "SCOPE", "pair"),
    )


@cache
def registered() -> tuple[Check, ...]:
    """Every check of the package, in order."""
    import translator.qa.checks as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if hasattr(module, "NAME") and callable(getattr(module, "run", None)):
            found.append(_check_of(module))
    return tuple(sorted(found, key=lambda c: (c.order, c.name)))


def names() -> tuple[str, ...]:
    return tuple(c.name for c in registered())


class UnknownCheck(InputError):
    """A check name that is not registered."""


@dataclass(frozen=True)
class Selection:
    """The checks a run uses, in order."""

    checks: tuple[Check, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.checks)

    def enabled(self, name: str) -> bool:
        return name in self.names

    def scoped(self, scope: Scope) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.scope == scope)


def _split(values: Iterable[str] | None) -> list[str]:
    return [n.strip() for v in values or () for n in v.split(",") if n.strip()]


def select(only: Iterable[str] | None = None, skip: Iterable[str] = ()) -> Selection:
    """The registered checks, or `only` these (names, or comma-separated
    lists of names), minus `skip`. An unknown name raises UnknownCheck,
    naming the known ones."""
    wanted, dropped = _split(only), _split(skip)
    known = names()
    unknown = [n for n in wanted + dropped if n not in known]
    if unknown:
        raise UnknownCheck(f"unknown check{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: "
                           f"the checks are {', '.join(known)}")
    keep = set(wanted) if wanted else set(known)
    return Selection(tuple(c for c in registered() if c.name in keep and c.name not in dropped))


_ACTIVE: ContextVar[Selection | None] = ContextVar("translator_checks", default=None)


def active() -> Selection:
    """The selection in force (`using`), else every check."""
    return _ACTIVE.get() or select()


@contextmanager
def using(selection: Selection) -> Iterator[Selection]:
    """Run the checks of `selection` inside this block (tasks and threads
    started in it inherit the choice)."""
    token = _ACTIVE.set(selection)
    try:
        yield selection
    finally:
        _ACTIVE.reset(token)

