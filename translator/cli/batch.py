"""`translate --batch`, `translate --dry-run`, `batch status`, `batch resume`.

    translator translate issues/ --to es --model openai:gpt-4o-mini --dry-run   # requests, tokens, dollars
    translator translate issues/ --to es --model openai:gpt-4o-mini --batch     # half price, within 24 h
    translator batch status                     # from any process, after a crash too
    translator batch resume                     # finish the last run: nothing re-uploaded
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from translator.cli.common import check_formats, expand_inputs, fail as _fail, summary_table
from translator.errors import TranslatorError
from translator.pipeline import aio

if TYPE_CHECKING:
    from rich.table import Table

    from translator.batch.cost import Estimate, Price
    from translator.document import Usage
    from translator.batch.runner import Setup
    from translator.batch.state import State
    from translator.engines.llm.engine import LLMEngine

app = typer.Typer(help="Runs through the OpenAI Batch API (translate --batch): status and resume.",
                  no_args_is_help=True)

STEPS = ("translate", "critique", "revise")
PriceTable = dict[str, dict[str, float]]  # model → {"input": …, "output": …} dollars per million tokens


def _err(message: str) -> None:
    typer.echo(message, err=True)


def translate_batch(*, paths: list[Path], to: str, from_: str | None, model: str | None,
                    glossary: list[Path] | None, no_glossary: bool, draft: Path | None, rounds: int,
                    out: Path | None, report: Path | None, jobs: int, fmt: str | None, output_format: str | None,
                    translate_tags: bool, cache: Path | None, no_cache: bool, quiet: bool, batch: bool,
                    dry_run: bool, prices: Path | None) -> None:
    """The hook `translator translate` calls for --batch or --dry-run."""
    from translator.batch import runner
    from translator.batch.cost import load_prices
    from translator.engines import default_spec
    from translator.memory.store import default_path

    if draft is not None:
        _fail("--draft post-edits one translation with no model calls: it needs neither --batch nor --dry-run")
    check_formats(fmt, output_format)
    try:
        table = load_prices(prices)
    except TranslatorError as e:
        _fail(str(e))
    files, errors = expand_inputs(paths, to, out)
    options = runner.new_options(
        files=[str(f.resolve()) for f in files], to=to, model=model or default_spec(),
        base_url=os.environ.get("OPENAI_BASE_URL") or None,
        glossary=[str(Path(g).resolve()) for g in glossary or []], no_glossary=no_glossary, rounds=rounds,
        out=str(out.resolve()) if out else None, report=str(report.resolve()) if report else None, jobs=jobs,
        fmt=fmt, output_format=output_format, translate_tags=translate_tags,
        cache=str((cache or default_path()).resolve()), no_cache=no_cache, **{"from": from_})
    if dry_run:
        errors.extend(_preview(options, table))
    else:
        errors.extend(_start(options, files, from_ or "en", to, quiet, table))
    for error in errors:
        _err(f"Error: {error}")
    if errors:
        raise typer.Exit(1)


def _preview(options: dict[str, Any], table: PriceTable) -> list[str]:
    """--dry-run: print the estimate; returns an error per unreadable input."""
    try:
        est, engine, read_errors = aio.run(_dry_run(options))
    except TranslatorError as e:
        _fail(str(e))
    _print_estimate(est, engine.model, table)
    return read_errors


async def _dry_run(options: dict[str, Any]) -> tuple[Estimate, LLMEngine, list[str]]:
    """What the run would send (batch/cost.py), every file prepared as the run prepares it
    (pipeline/prepare.py: the same glossary, protected names and memory keys); nothing is called."""
    from translator.batch import runner
    from translator.batch.cost import DryTransport, estimate
    from translator.pipeline import prepare

    setup = runner.build(options)
    engine = setup.engine
    engine.transport = DryTransport(engine.transport)
    engine.check = lambda source_lang, target_lang: None  # a cost preview calls nothing: no key needed
    docs, errors = [], []
    for path in setup.files:
        try:
            prep = await prepare.prepare(await prepare.read(path, setup.job), setup.job, setup.engine_for,
                                         setup.glossaries)
        except TranslatorError as e:
            errors.append(str(e) if str(e).startswith(str(path)) else f"{path}: {e}")
            continue
        keys = prep.memory_keys()
        found = setup.memory.get_many(keys.values())
        docs.append((prep.doc, prep.ctx, {sid for sid, k in keys.items() if k in found}))
    setup.memory.close()
    return await estimate(engine, docs, setup.job.rounds), engine, errors


def _start(options: dict[str, Any], files: list[Path], src: str, to: str, quiet: bool,
           table: PriceTable) -> list[str]:
    """--batch: a new run recorded in the state, then executed; returns its errors."""
    from translator.batch import runner
    from translator.batch.state import State

    try:  # the engine and glossaries are checked before anything is recorded or uploaded
        setup = runner.build(options)
        setup.engine.check(src, to)
    except TranslatorError as e:
        _fail(str(e))
    state = State()
    run_id = state.new_run(options, options["files"])
    if not quiet:
        _err(f"batch run {run_id}: {len(files)} document(s); state in {state.path} "
             "(`translator batch status`, `translator batch resume`)")
    return _execute(state, run_id, options, quiet, table, setup)


def _execute(state: State, run_id: int, options: dict[str, Any], quiet: bool, table: PriceTable,
             setup: Setup | None = None) -> list[str]:
    """Run (or resume, `setup` None: built from the stored options) a batch run."""
    from translator.batch import runner

    report = None if quiet else (lambda message: _err(f"  {message}"))
    started = time.perf_counter()
    try:
        results, engine, coordinator = aio.run(runner.run(options, state, run_id, report=report, setup=setup))
    except TranslatorError as e:
        _fail(f"{e} (the run is kept: `translator batch resume` continues it)")
    except KeyboardInterrupt:
        _err(f"Interrupted: batch run {run_id} is kept; `translator batch resume` continues it "
             "(batches already submitted keep running at the provider)")
        raise typer.Exit(130) from None
    if not quiet:
        if results:
            summary_table(results, engine.name, time.perf_counter() - started)
        _print_spent(state, run_id, engine.model, table)
    return [r.error for r in results if r.error]


def _print_estimate(est: Estimate, model: str, table: PriceTable) -> None:
    from rich.console import Console

    from translator.batch.cost import REVISE_SHARE, price_for

    price = price_for(model, table)
    console = Console()
    console.print(_estimate_table(est, model, price))
    if price:
        console.print(f"prices per million tokens: online ${price.input:g} in / ${price.output:g} out, "
                      f"batch ${price.batch_input:g} / ${price.batch_output:g} ({price.model})")
    else:
        console.print(f"no price known for {model}: add it with --prices FILE or TRANSLATOR_PRICES "
                      '({"MODEL": {"input": 0.15, "output": 0.60}}, dollars per million tokens)')
    console.print(f"estimated: tokens by character counts, first attempts only; revise for {REVISE_SHARE:.0%} "
                  "of the segments critiqued")


def _estimate_table(est: Estimate, model: str, price: Price | None) -> Table:
    """Requests, tokens and dollars (online and batch) per step, and their total."""
    from rich.table import Table

    t = Table(title=f"dry run: {est.documents} document(s), {est.source_bytes / 1024:.1f} KB, {est.segments} segments"
                    f" ({est.cached} already in the memory), model {model}", title_justify="left")
    for col in ("step", "requests", "tokens in", "tokens out", "online $", "batch $"):
        t.add_column(col, justify="left" if col == "step" else "right")

    def row(name: str, u: Usage) -> None:
        cost = [f"{price.cost(u, batch):.4f}" if price else "?" for batch in (False, True)]
        t.add_row(name, str(u.calls), str(u.prompt_tokens), str(u.completion_tokens), *cost)

    for step in STEPS:
        row(step, est.steps[step])
    t.add_section()
    row("total", est.total())
    return t


def _print_spent(state, run_id: int, model: str, table) -> None:
    from translator.batch.cost import price_for
    from translator.document import Usage

    price = price_for(model, table)
    spent = state.tokens(run_id)
    if not spent:
        return
    parts, batch_cost, online_cost, as_online = [], 0.0, 0.0, 0.0
    for (via, task), (n, pt, ct) in sorted(spent.items(), key=lambda kv: (kv[0][0], STEPS.index(kv[0][1])
                                                                           if kv[0][1] in STEPS else 9)):
        parts.append(f"{task} {n} {via} requests, {pt} in / {ct} out tokens")
        if price:
            u = Usage(n, pt, ct)
            cost = price.cost(u, via == "batch")
            batch_cost += cost if via == "batch" else 0
            online_cost += cost if via != "batch" else 0
            as_online += price.cost(u, False)
    _err("spent: " + "; ".join(parts))
    if price:
        _err(f"cost: ${batch_cost + online_cost:.4f} (batch ${batch_cost:.4f} + online ${online_cost:.4f}); "
             f"all online it would have been ${as_online:.4f}")


@app.command("status")
def status(
    run: Annotated[Optional[int], typer.Option("--run", help="A run number (default: the latest).")] = None,
    refresh: Annotated[bool, typer.Option("--refresh/--no-refresh", help="Ask the Batch API for the latest status.")] = True,
) -> None:
    """Documents and batches of a run, and what it spent."""
    from translator.batch.state import State, default_path

    if not default_path().exists():
        _fail(f"no batch runs yet ({default_path()} does not exist)")
    state = State()
    rows = state.runs()
    if not rows:
        _fail("no batch runs yet")
    row = state.run(run) if run is not None else rows[-1]
    if row is None:
        _fail(f"no run {run} (runs: {', '.join(str(r.id) for r in rows)})")
    live = _refresh(state, row) if refresh else {}
    _print_run(state, row, live)
    state.close()


def _print_run(state: State, row: Any, live: dict[int, str]) -> None:
    """A run's documents, batches (`live`: their latest status), what it spent and what to do next."""
    from translator.batch.runner import started_at
    from translator.batch.state import TERMINAL

    docs = state.docs(row.id)
    done = sum(1 for _, s, _, _ in docs if s == "done")
    failed = [(p, e) for p, s, _, e in docs if s == "failed"]
    typer.echo(f"run {row.id} ({row.status}), started {started_at(row.created)}: {done} of {len(docs)} documents "
               f"done, {len(failed)} failed; model {row.options.get('model') or 'default'}, "
               f"to {row.options['to']}, output {row.options.get('out') or 'beside each input'}")
    for b in state.batches(row.id):
        shown = live.get(b.local, b.status)
        typer.echo(f"  batch {b.batch_id or '(not created)'}: {b.task}, wave {b.wave}, {b.requests} requests, {shown}")
    for p, e in failed:
        typer.echo(f"  failed: {e or p}")
    for (via, task), (n, pt, ct) in sorted(state.tokens(row.id).items()):
        typer.echo(f"  {task}: {n} {via} replies, {pt} in / {ct} out tokens")
    if row.status == "failed" and failed:
        typer.echo(f"  `translator batch resume --run {row.id}` tries the failed documents again")
    if row.status == "running":
        waiting = [b for b in state.batches(row.id) if live.get(b.local, b.status) not in (*TERMINAL, "done")]
        typer.echo("  unfinished: `translator batch resume` continues it"
                   + (f" ({len(waiting)} batch(es) still at the provider)" if waiting else ""))


def _refresh(state, row) -> dict[int, str]:
    """Latest status of the run's unfinished batches (stored ones when the API is unreachable)."""
    import openai

    pending = [b for b in state.batches(row.id) if b.batch_id and b.status != "done"]
    if not pending:
        return {}
    base_url = row.options.get("base_url")
    key = os.environ.get("OPENAI_API_KEY") or ("no-key-needed" if base_url else None)
    if key is None:
        return {}

    from translator.engines.llm.retry import Backoff

    async def get() -> dict[int, str]:
        # the one retry policy (engines/llm/retry.py), one retry: a status is not worth waiting for
        client = openai.AsyncOpenAI(base_url=base_url, api_key=key, max_retries=0, timeout=30)
        backoff = Backoff(retries=1)
        out = {}
        for b in pending:
            got = await backoff.run(lambda: client.batches.retrieve(b.batch_id))
            c = got.request_counts
            out[b.local] = got.status + (f" ({c.completed} done, {c.failed} failed of {c.total})" if c else "")
        return out

    try:
        return aio.run(get())
    except openai.OpenAIError as e:
        _err(f"(could not reach the Batch API: {type(e).__name__}; showing the stored status)")
        return {}


@app.command("resume")
def resume(
    run: Annotated[Optional[int], typer.Option("--run", help="A run number (default: the latest unfinished).")] = None,
    prices: Annotated[Optional[Path], typer.Option("--prices", help="JSON price table (see translate --dry-run).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Finish a batch run after a crash or a reboot: the state knows the files,
    options and output folder; what was submitted is not uploaded again."""
    from translator.batch.cost import load_prices
    from translator.batch.state import State, default_path

    if not default_path().exists():
        _fail(f"no batch runs yet ({default_path()} does not exist)")
    try:
        table = load_prices(prices)
    except TranslatorError as e:
        _fail(str(e))
    state = State()
    row = state.run(run) if run is not None else state.latest_unfinished()
    if row is None:
        _fail(f"no run {run}" if run is not None else "no unfinished batch run to resume")
    if row.status != "running":
        state.db.execute("update runs set status = 'running' where id = ?", (row.id,))
    pending = [p for p, s, _, _ in state.docs(row.id) if s != "done"]
    if not quiet:
        _err(f"resuming batch run {row.id}: {len(pending)} document(s) left")
    errors = _execute(state, row.id, row.options, quiet, table)
    for error in errors:
        _err(f"Error: {error}")
    if errors:
        raise typer.Exit(1)
