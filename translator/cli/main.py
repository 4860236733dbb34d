"""The command line: the only place that prints or exits."""

from __future__ import annotations

import json
import os
import time
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from translator import stagecache
from translator.cli.common import check_formats, check_new_file, expand_inputs, fail, option_callback, summary_table
from translator.errors import TranslatorError
from translator.pipeline import aio

if TYPE_CHECKING:
    from translator.engines.base import Engine
    from translator.engines.llm.journal import Journal
    from translator.pipeline.run import FileResult, Runner
    from translator.pipeline.setup import GlossaryFor

app = typer.Typer(
    help="Translate newsletters (HTML, Markdown, transcripts) with a post-editing pipeline: "
    "segment, translate, critique, revise, enforce a glossary, reassemble.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)

@app.command()
def translate(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of newsletters.", show_default=False)],
    to: Annotated[str, typer.Option("--to", "-t", help="Target language (es, en, zh …).",
                                    callback=option_callback("--to"))],
    from_: Annotated[Optional[str], typer.Option("--from", "-f", help="Source language; detected when omitted.",
                                                 callback=option_callback("--from"))] = None,
    model: Annotated[
        Optional[str],
        typer.Option("--model", "-m", envvar="TRANSLATOR_ENGINE",
                     help="apertium | openai:MODEL. Default: openai:gpt-4o-mini when OPENAI_API_KEY or "
                          "OPENAI_BASE_URL is set, else apertium."),
    ] = None,
    glossary: Annotated[
        Optional[list[Path]], typer.Option("--glossary", "-g", help="Glossary CSV files or folders (default: glossaries/ of the pair).")
    ] = None,
    no_glossary: Annotated[bool, typer.Option("--no-glossary", help="Use no glossary.")] = False,
    draft: Annotated[
        Optional[Path], typer.Option("--draft", help="Post-edit this existing translation instead of drafting (one input).")
    ] = None,
    rounds: Annotated[int, typer.Option("--rounds", min=0, max=5, help="Critique/revise rounds (LLM engines).")] = 1,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder (default: beside each input).")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write STEM.LANG.report.json (and .html) here.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64, help="Concurrent LLM calls.")] = 4,
    fmt: Annotated[Optional[str], typer.Option("--format", help="Input format: html | md | text | srt | vtt | sbv (default: from the extension).")] = None,
    output_format: Annotated[
        Optional[str], typer.Option("--output-format", help="html | md: write a Markdown issue or a transcript as HTML, a transcript as Markdown.")
    ] = None,
    translate_tags: Annotated[bool, typer.Option("--translate-tags", help="Also translate front-matter tags/categories.")] = False,
    cache: Annotated[
        Optional[Path], typer.Option("--cache", envvar="TRANSLATOR_CACHE", help="Translation memory file (SQLite).")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the translation memory, nor the cache of earlier runs' stage answers.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or table.")] = False,
    batch: Annotated[bool, typer.Option("--batch", help="Through the OpenAI Batch API: half price, within 24 h "
                                        "(`translator batch status|resume`).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print requests, tokens and dollars (online and "
                                          "batch); translate nothing.")] = False,
    prices: Annotated[Optional[Path], typer.Option("--prices", envvar="TRANSLATOR_PRICES",
                                                   help="JSON price table for --dry-run/--batch.")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace existing outputs: discard what editors changed, replace files this tool did not write.")] = False,
    xliff: Annotated[bool, typer.Option("--xliff", help="Also write STEM.LANG.xlf (XLIFF for CAT tools) beside each output.")] = False,
    only_checks: Annotated[Optional[list[str]], typer.Option("--checks", help="Run only these QA checks (comma-separated names).")] = None,
    skip_check: Annotated[Optional[list[str]], typer.Option("--skip-check", help="Do not run this QA check (repeatable).")] = None,
) -> None:
    """Translate newsletters: every input becomes STEM.LANG.EXT beside it (or in --out).

    What an editor changed in an output since it was written is kept; a file
    this tool did not write is not replaced (unless --overwrite).

    Exit codes: 0 when every file was translated in full. 1 when a file failed (one `Error:` line each; the other files are still done) or segments were left untranslated (the file is written with the source text kept for them, flagged in its report; a file where nothing could be translated is not written), and for an unknown engine, language code or unwritable output, found before anything is sent. 2 when the command line itself is wrong (an unknown option, a missing --to).
    """
    from translator.qa import checks

    try:
        selection = checks.select(only_checks, skip_check or ())  # the QA checks the pipeline runs
    except TranslatorError as e:
        typer.echo(f"Error: {e}", err=True)
        raise typer.Exit(2)
    if batch or dry_run:  # whole archives through the Batch API, or what a run would cost (cli/batch.py)
        from translator.cli.batch import translate_batch

        with checks.using(selection), (stagecache.off() if no_cache else nullcontext()):
            return translate_batch(
                paths=paths, to=to, from_=from_, model=model, glossary=glossary, no_glossary=no_glossary, draft=draft,
                rounds=rounds, out=out, report=report, jobs=jobs, fmt=fmt, output_format=output_format,
                translate_tags=translate_tags, cache=cache, no_cache=no_cache, quiet=quiet, batch=batch,
                dry_run=dry_run, prices=prices)
    from translator.io import outputs
    from translator.io.reader import FORMAT_NAMES
    from translator.memory.store import Memory, default_path
    from translator.pipeline.run import Job, Runner
    from translator.pipeline.setup import checked

    check_formats(fmt, output_format)
    files, errors = expand_inputs(paths, to, out)
    if draft is not None and len(files) != 1:
        fail("--draft post-edits one translation: give exactly one source file")
    engine, glossaries = _setup(model, jobs, glossary, no_glossary, out, report)
    store = None if no_cache else (cache or default_path())
    memory = Memory(store)  # a --draft run reads no translation from it; it records what it wrote
    journal = _remember_replies(engine, store)
    job = Job(
        target_lang=to, source_lang=from_, rounds=rounds, fmt=fmt,
        output_format=FORMAT_NAMES.get(output_format) if output_format else None,
        translate_lists=translate_tags, out_dir=out, report_dir=report,
        drafts={files[0]: draft} if draft is not None and files else {},
        subdirs=outputs.subfolders(paths, files),
        overwrite=overwrite, xliff=xliff,
    )
    started = time.perf_counter()
    with checks.using(selection), (stagecache.off() if no_cache else nullcontext()):
        results = _run_with_progress(Runner(checked(engine), glossaries, job, memory), files, quiet)
    memory.close()
    journal.finish()  # a run that ends normally keeps no journal
    _end_of_run(results, errors, engine.name, time.perf_counter() - started, quiet)


def _setup(model: str | None, jobs: int, glossary: list[Path] | None, no_glossary: bool, out: Path | None,
           report: Path | None) -> tuple[Engine, GlossaryFor]:
    """The engine and the glossaries, and the output folders checked, before anything is read or sent."""
    from translator import engines
    from translator.io import outputs
    from translator.pipeline.setup import glossary_resolver
    from translator.terms import glossary as glossary_mod

    try:
        engine = engines.make_engine(model, jobs=jobs)
        glossaries = glossary_resolver(glossary_mod, glossary, no_glossary)
        for folder, option in ((out, "--out"), (report, "--report")):
            if folder is not None:
                outputs.check_folder(folder, option)
    except TranslatorError as e:
        fail(str(e))
    return engine, glossaries


def _remember_replies(engine: Engine, store: Path | None) -> Journal:
    """The server's structured-output mode kept in the memory database, and a
    journal of the replies (they survive kill -9); `store` None: neither."""
    from translator.engines.llm.capabilities import attach as remember_modes
    from translator.engines.llm.journal import Journal, attach, path_beside

    journal = Journal(None if store is None else path_beside(store))
    remember_modes(engine, store)
    attach(engine, journal)  # after: the journal wraps the transport
    return journal


def _end_of_run(results: list[FileResult], errors: list[str], engine_name: str, elapsed: float,
                quiet: bool) -> None:
    """The summary table, the edits kept, one `Error:` line per problem; exit 1 when there is one."""
    if not quiet:
        summary_table(results, engine_name, elapsed)
    kept = sum(r.edited for r in results if not r.error)
    if kept:
        typer.echo(f"{kept} segment{'s' if kept != 1 else ''} kept from your edits (--overwrite discards them)", err=True)
    for r in results:
        if r.error:
            errors.append(r.error)
        elif r.untranslated:  # written, but not all of it is a translation: say so, exit non-zero
            errors.append(f"{r.path}: {r.untranslated.message(written=True, reported=r.report is not None)}")
    for e in errors:
        typer.echo(f"Error: {e}", err=True)
    if errors:
        raise typer.Exit(1)


def _run_with_progress(runner: Runner, files: list[Path], quiet: bool) -> list[FileResult]:
    if quiet or not files:
        return aio.run(runner.run(files))
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("Translating", total=len(files))
        runner.progress = lambda event, n: bar.advance(task, n) if event == "file" else None
        return aio.run(runner.run(files))


@app.command()
def segment(
    path: Annotated[Path, typer.Argument(help="A newsletter file.")],
    from_: Annotated[Optional[str], typer.Option("--from", "-f", help="Source language; detected when omitted.",
                                                 callback=option_callback("--from"))] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="html | md | text")] = None,
    translate_tags: Annotated[bool, typer.Option("--translate-tags")] = False,
    text: Annotated[bool, typer.Option("--text", help="One segment per line instead of JSON.")] = False,
) -> None:
    """Show the segments of a file as JSON: exactly what would be sent to an engine."""
    from translator.io.reader import read

    try:
        doc = read(path, fmt=fmt, source_lang=from_, translate_lists=translate_tags)
    except TranslatorError as e:
        fail(str(e) if str(e).startswith(str(path)) else f"{path}: {e}")
    if text:
        for s in doc.segments:
            typer.echo(s.source)
        return
    data = {
        "source": str(path),
        "format": doc.format,
        "source_lang": doc.source_lang,
        "transcript": doc.transcript,
        "encoding": {"name": doc.encoding.name, "bom": doc.encoding.bom,
                     "newline": doc.encoding.newline, "repairs": list(doc.encoding.repairs)},
        "warnings": list(doc.warnings),
        "segments": [
            {"id": s.id, "block": doc.blocks[s.block].kind, "source": s.source,
             "placeholders": {str(c.n): c.label for c in s.codes}}
            for s in doc.segments
        ],
    }
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


memory_app = typer.Typer(help="The translation memory (cache of finished segments).", no_args_is_help=True)
app.add_typer(memory_app, name="memory")


@memory_app.command("export")
def memory_export(
    out: Annotated[Path, typer.Argument(help="TMX file to write.")],
    cache: Annotated[Optional[Path], typer.Option("--cache", envvar="TRANSLATOR_CACHE")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace OUT if it exists.")] = False,
) -> None:
    """Export the translation memory as TMX 1.4 for CAT tools."""
    from translator.memory.store import Memory, default_path

    path = cache or default_path()
    check_new_file(out, [path], overwrite)
    if not path.exists():
        fail(f"{path}: no translation memory yet (it is written by `translator translate`)")
    n = Memory(path).export_tmx(out)
    typer.echo(f"{n} translation units written to {out}")


def _one_line_summaries(group: typer.Typer) -> None:
    """Each command's line in a command list: the first paragraph of its
    docstring as one line (rich would keep the docstring's line breaks)."""
    for info in group.registered_commands:
        if info.short_help is None and info.callback is not None:
            info.short_help = " ".join((info.callback.__doc__ or "").split("\n\n")[0].split())
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _one_line_summaries(sub.typer_instance)


def _register_commands() -> None:
    """Commands that live in their own modules (imported lazily inside them)."""
    from translator.cli.batch import app as batch_app
    from translator.cli.glossary import app as glossary_app
    from translator.cli.editor import register as register_editor
    from translator.cli.review import evaluate_command, review_command

    app.add_typer(glossary_app, name="glossary")
    app.add_typer(batch_app, name="batch")
    app.command("review")(review_command)
    app.command("evaluate")(evaluate_command)
    register_editor(app, memory_app, glossary_app)
    _one_line_summaries(app)


_register_commands()


def main() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    app()


if __name__ == "__main__":
    main()
