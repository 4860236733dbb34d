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

from . import agents, glossary_index, reader, unsafe, writer
from .assemble import assemble
from .document import Document, Suggestion
from .encoding import encode
from .engines.base import Context, Engine
from .errors import TranslatorError
from .memory import Memory

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


@dataclass
class FileResult:
    path: Path
    output: Path | None = None
    report: Path | None = None
    doc: Document | None = None
    outcome: agents.Outcome | None = None
    cached: int = 0
    seconds: float = 0.0
    error: str | None = None


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
        return list(await asyncio.gather(*(self.one(p) for p in paths)))

    async def one(self, path: Path) -> FileResult:
        started = time.perf_counter()
        result = FileResult(path)
        try:
            await self._translate(path, result)
        except TranslatorError as e:
            result.error = str(e) if str(e).startswith(str(path)) else f"{path}: {e}"
        except Exception as e:  # a bug must not cost the rest of the batch
            result.error = f"{path}: unexpected error ({type(e).__name__}: {e}); please report it"
        result.seconds = time.perf_counter() - started
        self.progress("file", 1)
        return result

    async def _translate(self, path: Path, result: FileResult) -> None:
        job = self.job
        doc = await asyncio.to_thread(
            reader.read, path, fmt=job.fmt, source_lang=job.source_lang, translate_lists=job.translate_lists
        )
        result.doc = doc
        src, tgt = doc.source_lang, job.target_lang
        if src == tgt:
            raise TranslatorError(f"{path}: is already in {tgt} (use --from if the language was misdetected)")
        engine = self.engine_for(src, tgt)
        glossary = self.glossary_for(src, tgt)
        # only the entries this document can contain (a 100k-row glossary); the fingerprint keeps them all
        ctx = Context(src, tgt, glossary_index.for_document(glossary, (s.source for s in doc.segments)),
                      summary=_summary(doc))
        drafts = None
        if path in job.drafts:
            from .draft import align_draft

            doc, drafts, notes = align_draft(doc, job.drafts[path], tgt)
            result.doc = doc
        fingerprint = _fingerprint(engine, glossary, job)
        keys = {s.id: Memory.key(engine.name, src, tgt, fingerprint, s.source) for s in doc.segments}
        cached = {} if drafts is not None else self.memory.get_many(keys.values())
        cached_texts = {sid: cached[k] for sid, k in keys.items() if k in cached}
        result.cached = len(cached_texts)
        outcome = await agents.run(doc, engine, ctx, rounds=job.rounds, drafts=drafts, cached=cached_texts)
        if drafts is not None:
            outcome.suggestions[:0] = notes
        texts = {sid: t.text for sid, t in outcome.translations.items()}
        built = assemble(doc, texts)
        for sid in built.kept_source:
            outcome.suggestions.append(_kept_source(sid))
        fmt = job.output_format or doc.format
        out_text = writer.convert(built.text, doc, fmt, tgt)
        result.outcome = outcome
        result.output = writer.output_path(path, src, tgt, job.out_dir, fmt)
        if result.output.resolve() == path.resolve():
            raise TranslatorError(f"{path}: the output would overwrite the input; use --out DIR")
        if fmt == doc.format and doc.format in ("html", "markdown"):
            await asyncio.to_thread(_verify, doc, built.text)
        unsafe.check_output(path, doc.text, out_text, fmt, doc.format)  # no script the source lacks
        enc = doc.encoding if fmt == doc.format else replace(doc.encoding, name="utf-8", bom=False)
        await asyncio.to_thread(writer.write_bytes, result.output, encode(out_text, enc))
        if drafts is None:
            self.memory.put_many(_memory_rows(doc, outcome, keys, engine.name, src, tgt, set(cached_texts)))
        if job.report_dir is not None:
            result.report = await asyncio.to_thread(
                _write_report, doc, outcome, engine.name, tgt, result.output, job.report_dir
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


def _write_report(doc: Document, outcome, engine: str, tgt: str, output: Path, folder: Path) -> Path:
    """STEM.LANG.report.json and STEM.LANG.report.html for one output."""
    from . import report

    data = report.build(doc, outcome, target_lang=tgt, engine=engine, output=str(output))
    path = folder / f"{output.stem}.report.json"
    report.write_json(data, path)
    report.write_html(data, folder / f"{output.stem}.report.html")
    return path


def _verify(doc: Document, text: str) -> None:
    """Re-parse the output with an independent parser (bs4, markdown-it)
    and refuse to write it if its structure differs from the input's."""
    from .verify import structure_problem

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
