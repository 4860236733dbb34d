"""The command line: the only place that prints or exits."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from translator.segment import langtags
from translator.errors import TranslatorError

app = typer.Typer(
    help="Translate newsletters (HTML, Markdown, transcripts) with a post-editing pipeline: "
    "segment, translate, critique, revise, enforce a glossary, reassemble.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)

def fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


def expand_inputs(paths: list[Path], target_lang: str, out_dir: Path | None) -> tuple[list[Path], list[str]]:
    """Files to translate, and an error per input that yields none. In
    folders, our own outputs (`*.LANG.ext` for the target language), hidden
    files and README/LICENSE files are skipped."""
    from translator.io.reader import EXTENSIONS, newsletter_files

    files: list[Path] = []
    errors: list[str] = []
    for p in paths:
        if p.is_dir():
            found = [
                f for f in newsletter_files(p)
                if not f.stem.endswith(f".{target_lang}")
                and (out_dir is None or out_dir.resolve() not in f.resolve().parents)
            ]
            if not found:
                errors.append(f"{p}: nothing to translate (no {', '.join(EXTENSIONS)} files)")
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            errors.append(f"{p}: no such file or directory")
    seen: set[Path] = set()
    unique = []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique, errors


@app.command()
def translate(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of newsletters.", show_default=False)],
    to: Annotated[str, typer.Option("--to", "-t", help="Target language (es, en, zh …).",
                                    callback=langtags.option_callback("--to"))],
    from_: Annotated[Optional[str], typer.Option("--from", "-f", help="Source language; detected when omitted.",
                                                 callback=langtags.option_callback("--from"))] = None,
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
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the translation memory.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or table.")] = False,
    batch: Annotated[bool, typer.Option("--batch", help="Through the OpenAI Batch API: half price, within 24 h "
                                        "(`translator batch status|resume`).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print requests, tokens and dollars (online and "
                                          "batch); translate nothing.")] = False,
    prices: Annotated[Optional[Path], typer.Option("--prices", envvar="TRANSLATOR_PRICES",
                                                   help="JSON price table for --dry-run/--batch.")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Discard what editors changed in existing outputs.")] = False,
    xliff: Annotated[bool, typer.Option("--xliff", help="Also write STEM.LANG.xlf (XLIFF for CAT tools) beside each output.")] = False,
    only_checks: Annotated[Optional[list[str]], typer.Option("--checks", help="Run only these QA checks (comma-separated names).")] = None,
    skip_check: Annotated[Optional[list[str]], typer.Option("--skip-check", help="Do not run this QA check (repeatable).")] = None,
) -> None:
    """Translate newsletters: every input becomes STEM.LANG.EXT beside it (or in --out).

    What an editor changed in an output since it was written is kept (unless --overwrite).

    Exit codes: 0 when every file was translated in full. 1 when a file failed (one `Error:` line each; the other files are still done) or segments were left untranslated (the file is written with the source text kept for them, flagged in its report; a file where nothing could be translated is not written), and for an unknown engine, language code or unwritable output, found before anything is sent. 2 when the command line itself is wrong (an unknown option, a missing --to).
    """
    from translator.qa import checks

    try:
        selection = checks.select(only_checks, skip_check or ())  # the QA checks the pipeline runs
    except TranslatorError as e:
        typer.echo(f"Error: {e}", err=True)
        raise typer.Exit(2)
    if batch or dry_run:  # whole archives through the Batch API, or what a run would cost (cli_batch.py)
        from translator.cli.batch import translate_batch

        with checks.using(selection):
            return translate_batch(
                paths=paths, to=to, from_=from_, model=model, glossary=glossary, no_glossary=no_glossary, draft=draft,
                rounds=rounds, out=out, report=report, jobs=jobs, fmt=fmt, output_format=output_format,
                translate_tags=translate_tags, cache=cache, no_cache=no_cache, quiet=quiet, batch=batch,
                dry_run=dry_run, prices=prices)
    from translator import engines
    from translator.terms import glossary as glossary_mod
    from translator.io import outputs
    from translator.engines.llm.journal import Journal, attach, path_beside
    from translator.memory.store import Memory, default_path
    from translator.pipeline.run import Job, Runner
    from translator.io.reader import FORMAT_NAMES

    for name, value in (("--format", fmt), ("--output-format", output_format)):
        if value is not None and value not in FORMAT_NAMES:
            raise typer.BadParameter(f"{value!r}: use html, md or text", param_hint=name)
    files, errors = expand_inputs(paths, to, out)
    if draft is not None and len(files) != 1:
        fail("--draft post-edits one translation: give exactly one source file")
    try:
        engine = engines.make_engine(model, jobs=jobs)
        glossaries = _glossary_resolver(glossary_mod, glossary, no_glossary)
        for folder, option in ((out, "--out"), (report, "--report")):
            if folder is not None:  # before anything is read or sent
                outputs.check_folder(folder, option)
    except TranslatorError as e:
        fail(str(e))
    checked: dict[tuple[str, str], object] = {}

    def engine_for(src: str, tgt: str):
        if (src, tgt) not in checked:
            engine.check(src, tgt)
            checked[(src, tgt)] = True
        return engine

    memory = Memory(None if no_cache or draft is not None else (cache or default_path()))
    journal = Journal(None if no_cache else path_beside(cache or default_path()))  # replies survive kill -9
    from translator.engines.llm.capabilities import attach as remember_modes

    remember_modes(engine, None if no_cache else (cache or default_path()))  # the server's output mode, kept
    attach(engine, journal)  # after: the journal wraps the transport
    job = Job(
        target_lang=to, source_lang=from_, rounds=rounds, fmt=fmt,
        output_format=FORMAT_NAMES.get(output_format) if output_format else None,
        translate_lists=translate_tags, out_dir=out, report_dir=report,
        drafts={files[0]: draft} if draft is not None and files else {},
        subdirs=outputs.subfolders(paths, files),
        overwrite=overwrite, xliff=xliff,
    )
    started = time.perf_counter()
    with checks.using(selection):
        results = _run_with_progress(Runner(engine_for, glossaries, job, memory), files, quiet)
    memory.close()
    journal.finish()  # a run that ends normally keeps no journal
    elapsed = time.perf_counter() - started
    if not quiet:
        _summary_table(results, engine.name, elapsed)
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


def _glossary_resolver(mod, paths: list[Path] | None, none: bool):
    """A function (src, tgt) → Glossary | None. Explicit glossaries are loaded
    (and checked) now, before any translation starts."""
    if none:
        return lambda src, tgt: None
    cache: dict[tuple[str, str], object] = {}
    for p in paths or []:  # fail early, before any translation, on a missing or malformed file
        for f in ([p] if not p.is_dir() else sorted(p.glob("*.csv"))):
            mod.read_csv(f) if f.exists() else mod.resolve_paths([f], "", "")

    def get(src: str, tgt: str):
        if (src, tgt) not in cache:
            g = mod.load_glossary(paths or [], src, tgt)
            cache[(src, tgt)] = g if g.terms else None
        return cache[(src, tgt)]

    return get


def _run_with_progress(runner, files: list[Path], quiet: bool):
    if quiet or not files:
        return asyncio.run(runner.run(files))
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("Translating", total=len(files))
        runner.progress = lambda event, n: bar.advance(task, n) if event == "file" else None
        return asyncio.run(runner.run(files))


def _summary_table(results, engine_name: str, elapsed: float) -> None:
    """One row per document (columns that would be all zero are left out),
    a totals row, and the calls and tokens per step."""
    from rich.console import Console
    from rich.table import Table

    dirs = {str(r.output.parent) for r in results if r.output is not None}
    where = f", written to {dirs.pop()}/" if len(dirs) == 1 else ""
    rows, steps = [], {}
    for r in results:
        if r.error or r.outcome is None:
            rows.append({"output": f"[red]{r.path.name}: failed[/red]", "time": f"{r.seconds:.1f}s",
                         "segments": len(r.doc.segments) if r.doc is not None else "",
                         "untranslated": len(r.untranslated.ids) if r.untranslated else 0})
            continue
        usage = r.outcome.usage
        for step, u in usage.items():
            acc = steps.setdefault(step, [0, 0, 0])
            acc[0], acc[1], acc[2] = acc[0] + u.calls, acc[1] + u.prompt_tokens, acc[2] + u.completion_tokens
        rows.append({
            "output": r.output.name if where else str(r.output),
            "segments": len(r.doc.segments),
            "cached": r.cached,
            "untranslated": len(r.untranslated.ids) if r.untranslated else 0,
            "edited": r.edited,
            "issues": sum(1 for s in r.outcome.suggestions if s.status == "open"),
            "applied": sum(1 for s in r.outcome.suggestions if s.status == "applied"),  # edits in the output
            "rejected": sum(1 for v in getattr(r.outcome, "revisions", []) if not v.accepted),
            "calls": sum(u.calls for u in usage.values()),
            "tokens in": sum(u.prompt_tokens for u in usage.values()),
            "tokens out": sum(u.completion_tokens for u in usage.values()),
            "time": f"{r.seconds:.1f}s",
        })
    numeric = ("segments", "cached", "edited", "applied", "untranslated", "issues", "rejected", "calls",
               "tokens in", "tokens out")
    totals = {k: sum(row.get(k, 0) for row in rows) for k in numeric}
    columns = ["output"] + [k for k in numeric if k in ("segments", "issues") or totals[k]] + ["time"]
    table = Table(title=f"engine {engine_name}{where}", title_justify="left")
    for col in columns:
        table.add_column(col, justify="left" if col == "output" else "right", overflow="fold")
    for row in rows:
        table.add_row(*(str(row.get(c, "")) for c in columns))
    done = sum(1 for r in results if not r.error)
    table.add_section()
    totals.update(output=f"{done} of {len(results)} done", time=f"{elapsed:.1f}s")
    table.add_row(*(str(totals[c]) for c in columns))
    console = Console(stderr=True)
    console.print(table)
    if any(v[0] for v in steps.values()):
        from translator.pipeline.revision import gate_note

        console.print("per step: " + "; ".join(
            f"{k} {v[0]} calls, {v[1]} in / {v[2]} out tokens" + gate_note(results, k)
            for k, v in steps.items() if v[0]))


@app.command()
def segment(
    path: Annotated[Path, typer.Argument(help="A newsletter file.")],
    from_: Annotated[Optional[str], typer.Option("--from", "-f", help="Source language; detected when omitted.",
                                                 callback=langtags.option_callback("--from"))] = None,
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
) -> None:
    """Export the translation memory as TMX 1.4 for CAT tools."""
    from translator.memory.store import Memory, default_path

    path = cache or default_path()
    if not path.exists():
        fail(f"{path}: no translation memory yet (it is written by `translator translate`)")
    n = Memory(path).export_tmx(out)
    typer.echo(f"{n} translation units written to {out}")


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


_register_commands()


def main() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    app()


if __name__ == "__main__":
    main()
