"""`translator review` and `translator evaluate`: typer command functions
that cli.py registers (`app.command("review")(review_command)`,
`app.command("evaluate")(evaluate_command)`). Exit codes: 0 passed, 1 the
review gate failed (an open issue at or above `--fail-on`, or a penalty per
1000 words above `--max-penalty`), 2 an error (bad input, missing file,
unknown option, an output path that cannot be written): one `Error: …` line.
Runnable on its own: `python -m translator.cli.review review …`.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from translator.errors import TranslatorError
from translator.cli.common import option_callback


class FailOn(str, Enum):
    minor = "minor"
    major = "major"
    critical = "critical"


# Measured on WMT24 en→es (bench/review_correlation.py): the best systems review
# at ~10–25 per 1000 words offline, broken output (omissions, gibberish) above 100.
DEFAULT_MAX_PENALTY = 50.0
EXIT_PASSED, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _fail(message: str, code: int = EXIT_ERROR) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def _writable(path: Path | None, option: str, inputs: list[Path]) -> None:
    """An output path that can be written: not a folder, its folder exists,
    none of the files reviewed, and no file but an earlier report of ours."""
    if path is None:
        return
    if path.is_dir():
        _fail(f"{option} {path} is a folder: give a file name (e.g. {path / 'review.html'})")
    if not path.parent.exists():
        _fail(f"{option} {path}: the folder {path.parent} does not exist")
    if any(path.resolve() == p.resolve() for p in inputs if p.exists()):
        _fail(f"{option} {path} is a file under review: give another file name")
    if path.is_file() and not _a_report(path):
        _fail(f"{option} {path} exists and is no review report: it is kept; give another file name")


def _a_report(path: Path) -> bool:
    """Whether `path` holds a report this command (or translate --report) wrote."""
    try:
        head = path.read_bytes()[:4096].decode("utf-8", "replace")
    except OSError:
        return False
    if path.suffix.lower() == ".json" or head.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        data = data[0] if isinstance(data, list) and data else data
        return isinstance(data, dict) and "segments" in data and "suggestions" in data
    return "<title>Review ·" in head


def _glossary(paths: list[Path] | None, no_glossary: bool, source_lang: str, target_lang: str):
    """The glossary to check against: the given files/folders, else the
    pair's default glossaries (none is fine)."""
    if no_glossary:
        return None
    from translator.terms.glossary import load_glossary

    g = load_glossary(list(paths or []), source_lang, target_lang)
    return g if len(g) else None


def review_command(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="[SOURCE] TRANSLATION", show_default=False,
                       help="The translation, after its source when there is one (any supported format)."),
    ],
    to: Annotated[str, typer.Option("--to", "-t", help="Language of the translation (es, en, zh …).",
                                    callback=option_callback("--to", code=2))],
    from_: Annotated[Optional[str], typer.Option("--from", "-f", help="Source language; detected when omitted.",
                                                 callback=option_callback("--from", code=2))] = None,
    glossary: Annotated[
        Optional[list[Path]],
        typer.Option("--glossary", "-g", help="Glossary CSV files or folders (default: glossaries/ of the pair)."),
    ] = None,
    no_glossary: Annotated[bool, typer.Option("--no-glossary", help="Check no glossary.")] = False,
    html: Annotated[Optional[Path], typer.Option("--html", help="Write the editor's HTML page here.")] = None,
    report_file: Annotated[Optional[Path], typer.Option("--report", help="Write the full JSON report here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the machine-readable summary instead of a table.")] = False,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when an open issue at or above this severity remains.")
    ] = FailOn.critical,
    max_penalty: Annotated[
        float, typer.Option("--max-penalty", min=0,
                            help="Exit 1 when the MQM penalty per 1000 words is above this "
                                 "(a text under 500 words counts as 500).")
    ] = DEFAULT_MAX_PENALTY,
    model: Annotated[
        Optional[str], typer.Option("--model", "-m", help="openai:MODEL: an LLM critic reviews every segment too.")
    ] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="html | markdown | text (default: from the file).")] = None,
    only: Annotated[
        Optional[list[str]], typer.Option("--checks", help="Run only these checks (comma-separated names).")
    ] = None,
    skip: Annotated[Optional[list[str]], typer.Option("--skip-check", help="Do not run this check (repeatable).")] = None,
) -> None:
    """Review a translation before publishing: checks, a quality estimate, the glossary, a gate.

    Structure-aligned checks, a reference-free quality estimate per segment
    (non-words, wrong language, copies, repetition, agreement, adequacy), the
    glossary, an LLM critic with --model, an HTML report, and a gate for
    publishing pipelines.

    Exit codes: 0 the gate passed; 1 it failed (an open issue at or above
    --fail-on, or more than --max-penalty per 1000 words); 2 error (bad
    input, missing file, unknown option, unwritable --html/--report)."""
    from translator.qa import checks
    from translator.report import build as report

    if len(files) not in (1, 2):
        raise typer.BadParameter("give TRANSLATION, or SOURCE and TRANSLATION", param_hint="[SOURCE] TRANSLATION")
    source, translation = (files[0], files[1]) if len(files) == 2 else (None, files[0])
    _writable(html, "--html", list(files))
    _writable(report_file, "--report", list(files))
    if html is not None and report_file is not None and html.resolve() == report_file.resolve():
        _fail(f"--html and --report are one file, {html}: give each its own")
    try:
        selection = checks.select(only, skip or ())
        if fmt is not None and fmt not in ("html", "markdown", "md", "text", "txt"):
            raise typer.BadParameter("use html, markdown or text", param_hint="--format")
        result = _reviewed(translation, source, to, from_, lambda sl, tl: _glossary(glossary, no_glossary, sl, tl),
                           fmt, model, selection)
        data = report.build_review(result, fail_on=fail_on.value, max_penalty=max_penalty)
        data["checks"] = list(result.checks)
        if html is not None:
            report.write_html(data, html)
        if report_file is not None:
            report.write_json(data, report_file)
    except TranslatorError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"{e.filename or 'a file'}: {e.strerror or e}")
    if as_json:
        typer.echo(json.dumps({**report.summary(data), "checks": data["checks"]}, ensure_ascii=False, indent=2))
    else:
        _print_review(data, html)
    raise typer.Exit(EXIT_PASSED if data["gate"]["passed"] else EXIT_FAILED)


def _reviewed(translation: Path, source: Path | None, to: str, from_: str | None, load_glossary, fmt: str | None,
              model: str | None, selection):
    """The review (qa.review.Review), with the LLM critic's findings when
    `model` is given; the glossary is loaded once the languages are known."""
    from translator.qa.review import review_files

    loaded: list = []

    def glossary_for(source_lang: str, target_lang: str):
        loaded.append(load_glossary(source_lang, target_lang))
        return loaded[-1]

    result = review_files(translation, source=source, target_lang=to, source_lang=from_,
                          glossary=glossary_for, fmt=fmt, selection=selection)
    if model is not None:
        from translator.pipeline.critic import critique_review

        result = critique_review(result, model, glossary=loaded[-1] if loaded else None)
    return result


def _print_review(data: dict, html: Path | None) -> None:
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    sc = data["score"]
    what = data["output"] if data["mode"] == "target-only" else f'{data["source"]} → {data["output"]}'
    console.print(f"[bold]Review[/bold] {what} ({data['mode']}, {len(data['segments'])} units, {sc['words']} words)",
                  markup=True)
    issues = [s for s in data["suggestions"] if s["status"] == "open"]
    order = {"critical": 0, "major": 1, "minor": 2}
    issues.sort(key=lambda s: order[s["severity"]])
    groups = data.get("groups") or []
    if len(issues) > 10 and len(groups) < len(issues):
        _print_groups(console, groups)
        worst = {r["id"] for r in (data.get("segment_scores") or [])[:10] if r["penalty"]}
        issues = [s for s in issues if s["id"] in worst]
        if issues:
            console.print("Worst segments:", markup=False)
    if issues:
        _print_issues(console, issues, html)
    _print_totals(console, data, html)


def _print_groups(console, groups: list[dict]) -> None:
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold", title="Findings by kind")
    for col in ("check", "severity", "count", "examples"):
        table.add_column(col, overflow="fold")
    for g in groups:
        table.add_row(g["check"], g["severity"], str(g["count"]), _short(", ".join(g["spans"][:4]), 60))
    console.print(table)


def _print_issues(console, issues: list[dict], html: Path | None) -> None:
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for col in ("id", "severity", "category", "check", "span", "explanation"):
        table.add_column(col, overflow="fold")
    style = {"critical": "red", "major": "yellow", "minor": "cyan"}
    for s in issues[:40]:
        table.add_row(s["id"], f'[{style[s["severity"]]}]{s["severity"]}[/]', s["category"], s["check"],
                      _short(s["original"]), _short(s["explanation"], 90))
    console.print(table)
    if len(issues) > 40:
        console.print(f"… and {len(issues) - 40} more" + (f" (all in {html})" if html else " (see --html)"))


def _print_totals(console, data: dict, html: Path | None) -> None:
    """Open issues, the score, the glossary's success and the gate's verdict."""
    open_, sc, gate = data["counts"]["open"], data["score"], data["gate"]
    console.print(
        f"Open issues: {open_['critical']} critical, {open_['major']} major, {open_['minor']} minor · "
        f"MQM {sc['mqm_per_1000_words']} per 1000 words", markup=False)
    if data.get("terms") and data["terms"].get("success_rate") is not None:
        t = data["terms"]
        console.print(f"Glossary: {t['satisfied']}/{t['found']} terms kept ({t['success_rate']:.0%})", markup=False)
    verdict = "[green]PASS[/green]" if gate["passed"] else "[red]FAIL[/red]"
    why = []
    if gate["blocking"]:
        why.append(f"{gate['blocking']} blocking issue(s)")
    if gate.get("over_max_penalty"):
        why.append(f"penalty {sc['mqm_per_1000_words']} per 1000 words is above --max-penalty {gate['max_penalty']:g}")
    console.print(f"Gate (--fail-on {gate['fail_on']}): {verdict}"
                  + ("" if gate["passed"] else " — " + "; ".join(why)))
    if html:
        console.print(f"Report: {html}", markup=False)


def _short(text: str, n: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def evaluate_command(
    hyp: Annotated[Path, typer.Argument(help="The translation to score (.html, .md, .txt lines or .jsonl).", show_default=False)],
    ref: Annotated[Path, typer.Argument(help="The reference translation, same kind of file.", show_default=False)],
    src: Annotated[Optional[Path], typer.Option("--src", help="The source, for term success.")] = None,
    glossary: Annotated[
        Optional[list[Path]], typer.Option("--glossary", "-g", help="Glossary files or folders for term success.")
    ] = None,
    hyp_field: Annotated[Optional[str], typer.Option("--hyp-field", help="JSONL field of HYP (default: hyp/translation/mt …).")] = None,
    ref_field: Annotated[Optional[str], typer.Option("--ref-field", help="JSONL field of REF (e.g. es, pe).")] = None,
    src_field: Annotated[Optional[str], typer.Option("--src-field", help="JSONL field of --src (e.g. en).")] = None,
    from_: Annotated[Optional[str], typer.Option("--from", "-f", help="Source language (default: detected).")] = None,
    to: Annotated[Optional[str], typer.Option("--to", "-t", help="Target language (default: detected).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score a translation against a reference: BLEU, chrF, TER (sacrebleu,
    with signatures), term success rate, structure fidelity."""
    from translator.qa.evaluate import REF_FIELDS, SRC_FIELDS, evaluate, file_language

    try:
        g = None
        if glossary:
            if src is None:
                raise typer.BadParameter("term success needs the source: add --src", param_hint="--glossary")
            g = _glossary(glossary, False, from_ or file_language(src, src_field, SRC_FIELDS),
                          to or file_language(ref, ref_field, REF_FIELDS))
        result = evaluate(hyp, ref, src, glossary=g, hyp_field=hyp_field, ref_field=ref_field, src_field=src_field,
                          source_lang=from_, target_lang=to)
    except TranslatorError as e:
        _fail(str(e), 1)
    data = result.to_dict()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_evaluation(data)


def _print_evaluation(data: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(header_style="bold")
    for col in ("units", "BLEU", "chrF", "TER", "term success", "same skeleton", "same links"):
        table.add_column(col, justify="right")
    st = data.get("structure") or {}
    ts = data.get("term_success")
    table.add_row(str(data["units"]), f"{data['bleu']:.2f}", f"{data['chrf']:.2f}", f"{data['ter']:.2f}",
                  "–" if ts is None else f"{ts:.1%}",
                  f"{st.get('same_skeleton', 0):.1%}", f"{st.get('same_links', 0):.1%}")
    console.print(table)
    for name in ("bleu", "chrf", "ter"):
        typer.echo(f"{name.upper()} signature: {data[f'{name}_signature']}")
    typer.echo(f"Inputs: {data['signature']}")
    if st.get("missing_blocks") or st.get("added_blocks"):
        console.print(f"Blocks missing in HYP: {st['missing_blocks']}, added: {st['added_blocks']}", markup=False)


def make_app() -> typer.Typer:
    """A standalone app with both commands (for `python -m translator.cli.review` and tests)."""
    app = typer.Typer(add_completion=False, pretty_exceptions_show_locals=False, no_args_is_help=True)
    app.command("review")(review_command)
    app.command("evaluate")(evaluate_command)
    return app


if __name__ == "__main__":
    make_app()()
