"""What the CLI commands share: the error line, the inputs of a run and its summary table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Optional, Sequence

import typer

from translator.errors import TranslatorError

if TYPE_CHECKING:
    from translator.pipeline.run import FileResult


def fail(message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


def check_new_file(out: Path, inputs: Sequence[Path], overwrite: bool) -> None:
    """`out` may be written: it is none of `inputs`, and it does not exist
    unless `overwrite` (an export or import never replaces a file unasked)."""
    if any(out.resolve() == p.resolve() for p in inputs):
        fail(f"{out}: is the input itself; give another file to write")
    if out.exists() and not overwrite:
        fail(f"{out}: exists; it is kept (--overwrite replaces it)")


def check_formats(fmt: str | None, output_format: str | None) -> None:
    """--format and --output-format name formats we read and write."""
    from translator.io.reader import FORMAT_NAMES

    for name, value in (("--format", fmt), ("--output-format", output_format)):
        if value is not None and value not in FORMAT_NAMES:
            raise typer.BadParameter(f"{value!r}: use one of {', '.join(FORMAT_NAMES)}", param_hint=name)


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
    return _unique(files), errors


def _unique(files: list[Path]) -> list[Path]:
    """Each file once (the first of the names it is given)."""
    seen: set[Path] = set()
    unique = []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique


_NUMERIC = ("segments", "cached", "edited", "applied", "untranslated", "issues", "rejected", "calls",
            "tokens in", "tokens out")


def summary_table(results: Sequence[FileResult], engine_name: str, elapsed: float) -> None:
    """One row per document (columns that would be all zero are left out),
    a totals row, and the calls and tokens per step."""
    from rich.console import Console
    from rich.table import Table

    dirs = {str(r.output.parent) for r in results if r.output is not None}
    where = f", written to {dirs.pop()}/" if len(dirs) == 1 else ""
    steps: dict[str, list[int]] = {}
    rows = [_row(r, bool(where), steps) for r in results]
    # (a file that failed before it was read has no segment count: "")
    totals: dict[str, Any] = {k: sum(v for row in rows if isinstance(v := row.get(k, 0), int)) for k in _NUMERIC}
    columns = ["output"] + [k for k in _NUMERIC if k in ("segments", "issues") or totals[k]] + ["time"]
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


def _row(r: FileResult, short: bool, steps: dict[str, list[int]]) -> dict[str, Any]:
    """One document's row; its calls and tokens added to `steps` (step → [calls, in, out])."""
    untranslated = len(r.untranslated.ids) if r.untranslated else 0
    if r.error or r.outcome is None:
        return {"output": f"[red]{r.path.name}: failed[/red]", "time": f"{r.seconds:.1f}s",
                "segments": len(r.doc.segments) if r.doc is not None else "", "untranslated": untranslated}
    assert r.doc is not None and r.output is not None
    usage = r.outcome.usage
    for step, u in usage.items():
        acc = steps.setdefault(step, [0, 0, 0])
        acc[0], acc[1], acc[2] = acc[0] + u.calls, acc[1] + u.prompt_tokens, acc[2] + u.completion_tokens
    return {
        "output": r.output.name if short else str(r.output),
        "segments": len(r.doc.segments),
        "cached": r.cached,
        "untranslated": untranslated,
        "edited": r.edited,
        "issues": sum(1 for s in r.outcome.suggestions if s.status == "open"),
        "applied": sum(1 for s in r.outcome.suggestions if s.status == "applied"),  # edits in the output
        "rejected": sum(1 for v in r.outcome.revisions if not v.accepted),
        "calls": sum(u.calls for u in usage.values()),
        "tokens in": sum(u.prompt_tokens for u in usage.values()),
        "tokens out": sum(u.completion_tokens for u in usage.values()),
        "time": f"{r.seconds:.1f}s",
    }


def option_callback(option: str, code: int = 1):
    """A typer callback for a language option: `Error: …` and exit `code` on a bad language code."""

    def callback(value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        from translator.segment import langtags

        try:
            return langtags.check(value, option)
        except TranslatorError as e:
            typer.echo(f"Error: {e}", err=True)
            raise typer.Exit(code)

    return callback
