"""Preparing one file for translation, the same for a run and its dry run:
read it, pick the engine and glossary of its language pair, repair speech
recognition terms against the glossary, protect English names inside
Chinese, and build the prompt context and the run's signature."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from translator.document import Document, Suggestion
from translator.engines.base import Context, Engine
from translator.errors import PairUnavailable, TranslatorError
from translator.io import reader
from translator.pipeline.setup import EngineFor, GlossaryFor
from translator.pipeline.signature import RunSignature
from translator.terms import index as glossary_index
from translator.transcripts import flow as transcripts

if TYPE_CHECKING:
    from translator.terms.glossary import Glossary


class ReadOptions(Protocol):
    """What reading and preparing a file needs of a job (pipeline.run.Job)."""

    @property
    def target_lang(self) -> str: ...
    @property
    def source_lang(self) -> str | None: ...
    @property
    def fmt(self) -> str | None: ...
    @property
    def translate_lists(self) -> bool: ...
    @property
    def rounds(self) -> int: ...


@dataclass(frozen=True)
class Prepared:
    doc: Document  # as it will be translated (a transcript's terms repaired)
    engine: Engine
    glossary: Glossary | None  # the run's glossary, English names inside Chinese included
    ctx: Context  # the prompt context: only the glossary entries this document can contain
    signature: RunSignature
    notes: tuple[Suggestion, ...]  # what was repaired in the source

    def memory_keys(self, doc: Document | None = None) -> dict[str, str]:
        """Segment id → translation memory key, for `doc` (default: the prepared one)."""
        return {s.id: self.signature.memory_key(s.source) for s in (doc or self.doc).segments}


async def read(path: Path, job: ReadOptions) -> Document:
    return await asyncio.to_thread(reader.read, path, fmt=job.fmt, source_lang=job.source_lang,
                                   translate_lists=job.translate_lists)


def already_in_target(doc: Document, target_lang: str, given: str | None = None) -> str | None:
    """Why `doc` is not translated when it is in the target language already
    (`given`: the --from of the command line), else None."""
    if doc.source_lang != target_lang:
        return None
    if given:
        return f"{doc.path}: --from {given} and --to {target_lang} are one language: nothing to translate"
    return f"{doc.path}: is already in {target_lang} (use --from if the language was misdetected)"


async def prepare(doc: Document, job: ReadOptions, engine_for: EngineFor, glossary_for: GlossaryFor,
                  draft: Path | None = None) -> Prepared:
    """Everything a file needs before its first engine call. A file with a
    `draft` needs no engine that translates its pair: Apertium without zh→en
    still lets a zh→en draft be post-edited against the glossary and checked."""
    src, tgt = doc.source_lang, job.target_lang
    refused = already_in_target(doc, tgt, job.source_lang)
    if refused is not None:
        raise TranslatorError(refused)
    try:
        engine = engine_for(src, tgt)
    except PairUnavailable:
        if draft is None:
            raise
        from translator.engines.draft import DraftEngine

        engine = DraftEngine(draft)
    glossary = glossary_for(src, tgt)
    doc, notes = await asyncio.to_thread(transcripts.repair_terms, doc, glossary)
    glossary = transcripts.protect_terms(doc, glossary, src, tgt)
    # only the entries this document can contain (a 100k-row glossary); the signature keeps them all
    ctx = Context(src, tgt, glossary_index.for_document(glossary, (s.source for s in doc.segments)),
                  summary=summary(doc))
    signature = RunSignature.of(engine, glossary, job.rounds, src, tgt)
    return Prepared(doc, engine, glossary, ctx, signature, tuple(notes))


def summary(doc: Document) -> str:
    """A short description of the document for prompts: its title and first lines."""
    heads = [s.source for s in doc.segments if doc.blocks[s.block].kind in ("title", "h1", "meta:title")][:1]
    first = [s.source for s in doc.segments[:3]]
    return " / ".join(heads + first)[:400]
