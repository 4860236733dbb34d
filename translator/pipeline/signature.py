"""What identifies a run: the engine, its model and prompts, the glossary and
the options that change the output. Built once per file; it keys the
translation memory and is recorded in the JSON report (`"run"`)."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

from translator.memory.store import Memory


@dataclass(frozen=True)
class RunSignature:
    engine: str  # the engine's name: "apertium", "openai:gpt-4o-mini"
    model: str | None  # the model an LLM engine calls (None for Apertium, a given draft)
    engine_fingerprint: str  # what the engine's output depends on: model, server, prompt versions
    prompts: str | None  # "translate@3,critique@2,revise@1" (LLM engines)
    source_lang: str
    target_lang: str
    rounds: int
    glossary_terms: int  # entries of the run's glossary (Chinese names it protects included)
    glossary_hash: str | None  # sha256 of the entries (source, target, dnt, forbidden), 16 hex digits
    fingerprint: str  # the memory's settings fingerprint: all of the above that changes a translation

    @classmethod
    def of(cls, engine: Any, glossary: Any, rounds: int, source_lang: str, target_lang: str) -> RunSignature:
        prompts = getattr(engine, "prompts", None)
        entries = [_entry(t) for t in (glossary.terms if glossary is not None else ())]
        engine_fp = getattr(engine, "fingerprint", "")
        parts = [engine.name, str(rounds), engine_fp, *entries]  # the memory keys of earlier versions: kept
        return cls(
            engine=engine.name, model=getattr(engine, "model", None), engine_fingerprint=engine_fp,
            prompts=getattr(prompts, "signature", None), source_lang=source_lang, target_lang=target_lang,
            rounds=rounds, glossary_terms=len(entries),
            glossary_hash=_digest(entries) if glossary is not None else None,
            fingerprint=_digest(parts),
        )

    def memory_key(self, source: str) -> str:
        """The translation memory's key of one source segment under this signature."""
        return Memory.key(self.engine, self.source_lang, self.target_lang, self.fingerprint, source)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _entry(term: Any) -> str:
    """One glossary entry as the fingerprint sees it. The columns added after
    the first memories were written (case, part of speech, context) count only
    when set, so a memory built with a plain glossary keeps its keys."""
    entry = f"{term.source}\x1e{term.target}\x1e{term.dnt}\x1e{'|'.join(term.forbidden)}"
    extra = [f"case={term.case_sensitive}"] if term.case_sensitive else []
    extra += [f"pos={term.pos}"] if term.pos else []
    extra += [f"context={'|'.join(term.context)}"] if term.context else []
    return "\x1e".join([entry, *extra])


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
