"""One run of `translator translate`: many files, one engine, concurrently.

Per file: read → (memory) → agents loop → assemble → verify → write the
output and its report. A file that fails gets its error recorded and the
others go on; nothing is written for it (writes are atomic).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from translator import formats
from translator.document import Document, Suggestion, Usage

from translator.errors import TranslatorError
from translator.formats import localise
from translator.formats.assemble import Assembled, assemble
from translator.io import outputs, writer
from translator.io.encoding import encode
from translator.memory import edits, replaceable
from translator.memory.store import Memory
from translator.pipeline import agents, failures, prepare
from translator.qa.gate import breaking_segments, verify_structure as _verify
from translator.pipeline.prepare import Prepared
from translator.pipeline.setup import EngineFor, GlossaryFor
from translator.pipeline.signature import RunSignature
from translator.qa import unsafe
from translator.transcripts import flow as transcripts
from translator.transcripts.clean import clean as clean_transcript

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
    drafts: dict[Path, Path] = field(default_factory=dict)  # input path → draft file
    subdirs: dict[Path, Path] = field(default_factory=dict)  # input → its folder under out_dir/report_dir (folder inputs)
    overwrite: bool = False  # discard hand edits in existing outputs
    xliff: bool = False  # also write STEM.LANG.xlf beside each output


@dataclass
class FileResult:
    path: Path
    output: Path | None = None
    report: Path | None = None
    doc: Document | None = field(default=None, repr=False)  # whole documents: not in a repr
    outcome: agents.Outcome | None = field(default=None, repr=False)
    cached: int = 0
    edited: int = 0  # segments kept from hand edits of the output
    xliff: Path | None = None
    seconds: float = 0.0
    error: str | None = None
    untranslated: failures.Untranslated | None = None  # segments left in the source language
    signature: RunSignature | None = None  # what identifies the run of this file


class Runner:
    def __init__(
        self,
        engine_for: EngineFor,
        glossary_for: GlossaryFor,
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
        for r in results:  # refused before planning: it has no output to plan
            if r.error is None and r.doc is not None:
                r.error = prepare.already_in_target(r.doc, self.job.target_lang, self.job.source_lang)
        candidates = {r.path: self._target(r.path, r.doc) for r in results if r.error is None and r.doc is not None}
        targets, refused = outputs.plan(candidates, list(paths) + list(self.job.drafts.values()))
        if not self.job.overwrite:  # an existing output that is not ours as we wrote it is an editor's
            for r in results:
                if r.path in targets and r.doc is not None and r.path not in refused:
                    keeps = r.path not in self.job.drafts and (self.job.output_format or r.doc.format) == r.doc.format
                    problem = replaceable.replace_problem(self.memory, targets[r.path].output, r.path, keeps)
                    if problem:
                        refused[r.path] = f"{r.path}: {problem}"
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
        result.doc = await prepare.read(result.path, self.job)

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
        assert result.doc is not None and target is not None, "translated after it was read and planned"
        job = self.job
        prep = await prepare.prepare(result.doc, job, self.engine_for, self.glossary_for, job.drafts.get(path))
        result.doc, result.signature = prep.doc, prep.signature
        work = await self._source(path, prep)
        result.doc = work.doc
        if work.drafts is None and not job.overwrite:  # the editor's changes to the output, if any
            result.doc, work.recovered = await edits.prepare(self.memory, work.doc, target.output, job.target_lang)
            work.doc = result.doc
        cached = self._remembered(work, prep, result)
        outcome = await agents.run(work.doc, prep.engine, prep.ctx, rounds=job.rounds, drafts=work.drafts,
                                   cached=cached)
        self._finish_outcome(outcome, work, prep, result)
        result.outcome, result.output = outcome, target.output
        texts = {sid: t.text for sid, t in outcome.translations.items()}
        built, data, fmt = await self._render(work.doc, texts, outcome, path)
        if not job.overwrite and self.memory.db is None and (problem := replaceable.differs(target.output, data)):
            raise TranslatorError(f"{path}: {problem}")
        await asyncio.to_thread(writer.write_bytes, target.output, data)
        if work.drafts is not None:  # recorded, so that a run again may replace it (the edits are not kept)
            edits.record(self.memory, target.output, path, work.doc, texts, data, job.target_lang, fmt)
        else:
            self.memory.put_many(_memory_rows(work.doc, outcome, work.keys, prep.signature, set(cached)))
            edits.after_write(self.memory, target.output, path, work.doc, texts, data, job.target_lang, fmt,
                              work.recovered)
        await self._write_extras(result, prep, target)

    async def _source(self, path: Path, prep: Prepared) -> _Work:
        """The segments to translate: aligned with a given draft, or a transcript cleaned."""
        if path in self.job.drafts:
            from translator.engines.draft import align_draft

            doc, drafts, notes = align_draft(prep.doc, self.job.drafts[path], prep.ctx.target_lang,
                                             transcripts.paragraphs)
            return _Work(doc, list(prep.notes), list(notes), drafts)
        doc, cleaned, usage = await clean_transcript(prep.doc, prep.engine, prep.ctx, prep.glossary)
        return _Work(doc, list(prep.notes) + list(cleaned), [], None, clean_usage=usage)

    def _remembered(self, work: _Work, prep: Prepared, result: FileResult) -> dict[str, str]:
        """What is translated already (memory, approved human, the editor's edits): id → text."""
        work.keys = prep.memory_keys(work.doc)
        cached = {} if work.drafts is not None else self.memory.get_many(work.keys.values())
        texts = {sid: cached[k] for sid, k in work.keys.items() if k in cached}
        result.cached = len(texts)
        if work.drafts is None and not self.job.overwrite:
            texts = edits.prefer(self.memory, work.doc, prep.ctx.target_lang, texts, work.recovered)
            work.notes.extend(edits.markup_put_back(self.memory, work.doc, prep.ctx.target_lang, texts,
                                                    work.recovered))
            result.cached = len(texts) - (len(work.recovered.edits) if work.recovered else 0)
        return texts

    def _finish_outcome(self, outcome: agents.Outcome, work: _Work, prep: Prepared, result: FileResult) -> None:
        """Notes first, locale conventions, the editor's text as written; refuse a file nothing was translated of."""
        outcome.suggestions[:0] = work.prepared + work.notes
        for sid, failure in failures.from_engine(work.notes).items():  # parts the --draft has no translation of
            outcome.failures.setdefault(sid, failure)
        if work.drafts is None and work.clean_usage.calls:
            outcome.usage["clean"] = work.clean_usage
        localise.apply(outcome, work.doc, prep.ctx.source_lang, prep.ctx.target_lang, edit=work.drafts is None)
        result.edited = edits.mark(outcome, work.recovered)  # after every automatic step: the editor's text as written
        result.untranslated = lost = failures.untranslated(work.doc, outcome)
        if lost.unwritable:  # a copy of the source under a translated name helps no one
            raise TranslatorError(f"{result.path}: {lost.message(written=False)}")

    async def _render(self, doc: Document, texts: dict[str, str], outcome: agents.Outcome,
                      path: Path) -> tuple[Assembled, bytes, str]:
        """The output file's bytes, through the structure and safety gates; and its format."""
        tgt = self.job.target_lang
        fmt = self.job.output_format or doc.format
        built = assemble(doc, texts, tgt)
        verify = fmt == doc.format and formats.get(doc.format).markup
        broken = await asyncio.to_thread(breaking_segments, doc, texts, built.text,
                                         lambda some: assemble(doc, some, tgt).text) if verify else []
        if broken:  # those keep the source; the rest of the file is still written
            sources = {s.id: s.source for s in doc.segments}
            for sid in broken:
                texts[sid] = sources[sid]
                outcome.suggestions.append(_broke_structure(sid))
            built = assemble(doc, texts, tgt)
        for sid in built.kept_source:
            outcome.suggestions.append(_kept_source(sid))
        built, special, media_notes = transcripts.finish(doc, texts, built, tgt, fmt)
        outcome.suggestions.extend(media_notes)
        out_text = special if special is not None else writer.convert(built.text, doc, fmt, tgt)
        if fmt == doc.format:
            out_text = localise.set_language(out_text, doc.text, fmt, doc.source_lang, tgt)
        if broken:  # else breaking_segments has verified this very text
            await asyncio.to_thread(_verify, doc, built.text)
        unsafe.check_output(path, doc.text, out_text, fmt, doc.format)  # no script the source lacks
        enc = doc.encoding if fmt == doc.format else replace(doc.encoding, name="utf-8", bom=False)
        return built, encode(out_text, enc), fmt

    async def _write_extras(self, result: FileResult, prep: Prepared, target: outputs.Target) -> None:
        """The XLIFF beside the output and the review report, when asked for."""
        assert result.doc is not None and result.outcome is not None and result.output is not None
        if self.job.xliff:
            from translator.memory.xliff import write_xliff

            result.xliff = await asyncio.to_thread(write_xliff, result.doc, result.outcome, result.output,
                                                   self.job.target_lang)
        if target.report_json is not None:
            result.report = await asyncio.to_thread(
                _write_report, result.doc, result.outcome, prep.signature, result.output, target)


@dataclass
class _Work:
    """One file on its way through `Runner._translate`."""

    doc: Document
    prepared: list[Suggestion]  # repairs made to the source (ASR terms, transcript cleaning)
    notes: list[Suggestion]  # the draft's alignment notes
    drafts: dict[str, str] | None  # segment id → the given draft's text (--draft)
    clean_usage: Usage = field(default_factory=Usage)
    recovered: edits.Recovered | None = None
    keys: dict[str, str] = field(default_factory=dict)  # segment id → memory key


def _memory_rows(doc: Document, outcome: agents.Outcome, keys: dict[str, str], signature: RunSignature,
                 cached: set[str]) -> list[tuple[str, str, str, str, str, str]]:
    """Finished segments worth remembering: translated, with no open critical issue."""
    doubtful = {s.id for s in outcome.suggestions if s.status == "open" and s.severity == "critical"}
    sig = signature
    return [
        (keys[seg.id], sig.engine, sig.source_lang, sig.target_lang, seg.source, outcome.translations[seg.id].text)
        for seg in doc.segments
        if seg.id not in cached and seg.id not in doubtful
        and outcome.translations[seg.id].status in ("translated", "unchanged")
    ]


def _write_report(doc: Document, outcome: agents.Outcome, signature: RunSignature, output: Path,
                  target: outputs.Target) -> Path:
    """STEM.LANG.report.json and STEM.LANG.report.html for one output (as planned)."""
    from translator.report import build as report

    assert target.report_json is not None and target.report_html is not None
    data = report.build(doc, outcome, target_lang=signature.target_lang, engine=signature.engine, output=str(output))
    data["run"] = signature.as_dict()  # what produced it: engine, model, prompts, glossary, rounds
    report.write_json(data, target.report_json)
    report.write_html(data, target.report_html)
    return target.report_json


def _broke_structure(sid: str) -> Suggestion:
    return Suggestion(
        sid, "markup", "critical", "", "",
        "Written back, the translation changed the file's structure (its markup no longer parses as the source's: "
        "`_word_s` is no emphasis); the source text was kept.", "check", "open", "structure",
    )


def _kept_source(sid: str) -> Suggestion:
    return Suggestion(
        sid, "markup", "critical", "", "", "The translation damaged the markup placeholders; the source text was kept.",
        "check", "open", "placeholders",
    )
