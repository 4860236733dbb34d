"""One run of `translator translate`: many files, one engine, concurrently.

Per file: read → (memory) → agents loop → assemble → verify → write the
output and its report. A file that fails gets its error recorded and the
others go on; nothing is written for it (writes are atomic).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from translator.pipeline import agents

from translator.memory import edits

from translator.pipeline import failures

from translator.terms import index as glossary_index

from translator import formats
from translator.formats import localise

from translator.io import outputs

from translator.io import reader

from translator.transcripts import flow as transcripts

from translator.qa import unsafe

from translator.io import writer
from translator.formats.assemble import assemble
from translator.transcripts.clean import clean as clean_transcript
from translator.document import Document, Suggestion
from translator.io.encoding import encode
from translator.engines.base import Context, Engine
from translator.errors import TranslatorError
from translator.memory.store import Memory

Progress = Callable[[str, int], None]  # (event, amount): "file" done


@dataclass(frozen=True)
class Job:
    target_lang: str
    source_lang: str | None = None
    rounds: int = 1
    fmt: str | None = None
    output_format: str | None = None
    translate_lists: bool = False
    out_dir: Path | None = None
    report_dir: Path | None = None
    drafts: dict[str, Path] = field(default_factory=dict)  # input path → draft file
    subdirs: dict[Path, Path] = field(default_factory=dict)  # input → its folder under out_dir/report_dir (folder inputs)
    overwrite: bool = False  # discard hand edits in existing outputs
    xliff: bool = False  # also write STEM.LANG.xlf beside each output


@dataclass
class FileResult:
    path: Path
    output: Path | None = None
    report: Path | None = None
    doc: Document | None = None
    outcome: agents.Outcome | None = None
    cached: int = 0
    edited: int = 0  # segments kept from hand edits of the output
    xliff: Path | None = None
    seconds: float = 0.0
    error: str | None = None
    untranslated: object | None = None  # failures.Untranslated: segments left in the source language


class Runner:
    def __init__(
        self,
        engine_for: Callable[[str, str], Engine],
        glossary_for: Callable[[str, str], object | None],
        job: Job,
        memory: Memory | None = None,
        progress: Progress | None = None,
    ):
        self.engine_for = engine_for
        self.glossary_for = glossary_for
        self.job = job
        self.memory = memory or Memory(None)
        self.progress = progress or (lambda event, n: None)

    async def run(self, paths: list[Path]) -> list[FileResult]:
        """Read and plan every file (see `prepare`), then translate them."""
        results, targets = await self.prepare(paths)
        await asyncio.gather(*(self.one(r, targets.get(r.path)) for r in results if r.error is None))
        return results

    async def prepare(self, paths: list[Path]) -> tuple[list[FileResult], dict[Path, outputs.Target]]:
        """Read every file and plan every output path (outputs.plan: no input
        is overwritten, no two inputs write one path). A file refused here
        has its error set and is counted as done."""
        results = [FileResult(p) for p in paths]
        await asyncio.gather(*(self._guard(r, self._read(r)) for r in results))
        candidates = {r.path: self._target(r.path, r.doc) for r in results
                      if r.error is None and r.doc.source_lang != self.job.target_lang}
        targets, refused = outputs.plan(candidates, list(paths) + list(self.job.drafts.values()))
        for r in results:
            r.error = r.error or refused.get(r.path)
        for r in results:
            if r.error is not None:
                self.progress("file", 1)
        return results, targets

    async def _guard(self, result: FileResult, work) -> None:
        """Run `work`, turning an exception into the file's error."""
        path = result.path
        started = time.perf_counter()
        try:
            await work
        except TranslatorError as e:
            result.error = str(e) if str(e).startswith(str(path)) else f"{path}: {e}"
        except Exception as e:  # a bug must not cost the rest of the batch
            result.error = f"{path}: unexpected error ({type(e).__name__}: {e}); please report it"
        result.seconds += time.perf_counter() - started

    async def _read(self, result: FileResult) -> None:
        job = self.job
        result.doc = await asyncio.to_thread(
            reader.read, result.path, fmt=job.fmt, source_lang=job.source_lang, translate_lists=job.translate_lists
        )

    def _target(self, path: Path, doc: Document) -> outputs.Target:
        """Where `path` would be written by default (outputs.plan may rename its reports)."""
        job = self.job
        fmt = job.output_format or doc.format
        sub = job.subdirs.get(path, Path())
        out = writer.output_path(path, doc.source_lang, job.target_lang,
                                 job.out_dir / sub if job.out_dir is not None else None, fmt)
        if job.report_dir is None:
            return outputs.Target(out)
        folder = job.report_dir / sub
        return outputs.Target(out, folder / f"{out.stem}.report.json", folder / f"{out.stem}.report.html")

    async def one(self, result: FileResult, target: outputs.Target | None) -> FileResult:
        """Translate one file that was read (and planned) already."""
        await self._guard(result, self._translate(result.path, result, target))
        self.progress("file", 1)
        return result

    async def _translate(self, path: Path, result: FileResult, target: outputs.Target | None) -> None:
        job = self.job
        doc = result.doc
        src, tgt = doc.source_lang, job.target_lang
        if src == tgt:
            raise TranslatorError(f"{path}: is already in {tgt} (use --from if the language was misdetected)")
        engine = self.engine_for(src, tgt)
        glossary = self.glossary_for(src, tgt)
        doc, prepared = await asyncio.to_thread(transcripts.repair_terms, doc, glossary)
        glossary = transcripts.protect_terms(doc, glossary, src, tgt)
        result.doc = doc
        # only the entries this document can contain (a 100k-row glossary); the fingerprint keeps them all
        ctx = Context(src, tgt, glossary_index.for_document(glossary, (s.source for s in doc.segments)),
                      summary=_summary(doc))
        drafts = None
        if path in job.drafts:
            from translator.engines.draft import align_draft

            doc, drafts, notes = align_draft(doc, job.drafts[path], tgt)
            result.doc = doc
        else:
            doc, cleaned, clean_usage = await clean_transcript(doc, engine, ctx, glossary)
            prepared += cleaned
            result.doc = doc
        recovered = None
        if drafts is None and not job.overwrite:  # the editor's changes to the output, if any
            doc, recovered = await edits.prepare(self.memory, doc, target.output, tgt)
            result.doc = doc
        fingerprint = _fingerprint(engine, glossary, job)
        keys = {s.id: Memory.key(engine.name, src, tgt, fingerprint, s.source) for s in doc.segments}
        cached = {} if drafts is not None else self.memory.get_many(keys.values())
        cached_texts = {sid: cached[k] for sid, k in keys.items() if k in cached}
        result.cached = len(cached_texts)
        if drafts is None and not job.overwrite:
            cached_texts = edits.prefer(self.memory, doc, tgt, cached_texts, recovered)
            result.cached = len(cached_texts) - (len(recovered.edits) if recovered else 0)
        outcome = await agents.run(doc, engine, ctx, rounds=job.rounds, drafts=drafts, cached=cached_texts)
        if drafts is not None:
            outcome.suggestions[:0] = notes
        outcome.suggestions[:0] = prepared
        if drafts is None and clean_usage.calls:
            outcome.usage["clean"] = clean_usage
        localise.apply(outcome, doc, src, tgt)
        result.edited = edits.mark(outcome, recovered)  # after every automatic step: the editor's text as written
        result.untranslated = lost = failures.untranslated(doc, outcome)
        if lost.unwritable:  # a copy of the source under a translated name helps no one
            raise TranslatorError(f"{path}: {lost.message(written=False)}")
        texts = {sid: t.text for sid, t in outcome.translations.items()}
        built = assemble(doc, texts, tgt)
        for sid in built.kept_source:
            outcome.suggestions.append(_kept_source(sid))
        fmt = job.output_format or doc.format
        built, special, media_notes = transcripts.finish(doc, texts, built, tgt, fmt)
        outcome.suggestions.extend(media_notes)
        out_text = special if special is not None else writer.convert(built.text, doc, fmt, tgt)
        if fmt == doc.format:
            out_text = localise.set_language(out_text, doc.text, fmt, src, tgt)
        result.outcome = outcome
        result.output = target.output
        if fmt == doc.format and formats.get(doc.format).markup:
            await asyncio.to_thread(_verify, doc, built.text)
        unsafe.check_output(path, doc.text, out_text, fmt, doc.format)  # no script the source lacks
        enc = doc.encoding if fmt == doc.format else replace(doc.encoding, name="utf-8", bom=False)
        data = encode(out_text, enc)
        await asyncio.to_thread(writer.write_bytes, result.output, data)
        if drafts is None:
            self.memory.put_many(_memory_rows(doc, outcome, keys, engine.name, src, tgt, set(cached_texts)))
            edits.after_write(self.memory, result.output, path, doc, texts, data, tgt, fmt, recovered)
        if job.xliff:
            from translator.memory.xliff import write_xliff

            result.xliff = await asyncio.to_thread(write_xliff, doc, outcome, result.output, tgt)
        if target.report_json is not None:
            result.report = await asyncio.to_thread(
                _write_report, doc, outcome, engine.name, tgt, result.output, target
            )


def _memory_rows(doc: Document, outcome: agents.Outcome, keys: dict[str, str], engine: str, src: str, tgt: str,
                 cached: set[str]) -> list[tuple]:
    """Finished segments worth remembering: translated, with no open critical issue."""
    doubtful = {s.id for s in outcome.suggestions if s.status == "open" and s.severity == "critical"}
    return [
        (keys[seg.id], engine, src, tgt, seg.source, outcome.translations[seg.id].text)
        for seg in doc.segments
        if seg.id not in cached and seg.id not in doubtful
        and outcome.translations[seg.id].status in ("translated", "unchanged")
    ]


def _write_report(doc: Document, outcome, engine: str, tgt: str, output: Path, target: outputs.Target) -> Path:
    """STEM.LANG.report.json and STEM.LANG.report.html for one output (as planned)."""
    from translator.report import build as report

    data = report.build(doc, outcome, target_lang=tgt, engine=engine, output=str(output))
    report.write_json(data, target.report_json)
    report.write_html(data, target.report_html)
    return target.report_json


def _verify(doc: Document, text: str) -> None:
    """Re-parse the output with an independent parser (bs4, markdown-it)
    and refuse to write it if its structure differs from the input's."""
    from translator.qa.verify import structure_problem

    problem = structure_problem(doc.text, text, doc.format)
    if problem:
        raise TranslatorError(f"{doc.path}: the translated file failed the structure check ({problem}); nothing was written")


def _kept_source(sid: str) -> Suggestion:
    return Suggestion(
        sid, "markup", "critical", "", "", "The translation damaged the markup placeholders; the source text was kept.",
        "check", "open", "placeholders",
    )


def _summary(doc: Document) -> str:
    """A short description of the document for prompts: its title and first lines."""
    heads = [s.source for s in doc.segments if doc.blocks[s.block].kind in ("title", "h1", "meta:title")][:1]
    first = [s.source for s in doc.segments[:3]]
    return " / ".join(heads + first)[:400]


def _fingerprint(engine: Engine, glossary, job: Job) -> str:
    parts = [engine.name, str(job.rounds), getattr(engine, "fingerprint", "")]
    if glossary is not None:
        parts.extend(f"{t.source}\x1e{t.target}\x1e{t.dnt}\x1e{'|'.join(t.forbidden)}" for t in glossary.terms)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
