"""`translator glossary …`: maintain glossaries (mounted by cli.py)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from translator.io import csvsafe
from translator.errors import TranslatorError
from translator.cli.common import check_new_file, option_callback

app = typer.Typer(help="Maintain glossaries: add, remove, list, lint, import/export TBX, extract candidates.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False)

GlossaryOpt = Annotated[Optional[Path], typer.Option("--glossary", "-g", help="Glossary CSV file (default: "
                        "the only glossaries/NAME.SRC-TGT.csv of the pair).", envvar="TRANSLATOR_GLOSSARY")]
FromOpt = Annotated[str, typer.Option("--from", help="Source language.", callback=option_callback("--from"))]
ToOpt = Annotated[str, typer.Option("--to", help="Target language.", callback=option_callback("--to"))]


def _fail(e: Exception) -> typer.Exit:
    typer.echo(f"Error: {e}", err=True)
    return typer.Exit(1)


def _one_file(path: Path | None, src: str, tgt: str, must_exist: bool = True) -> Path:
    from translator.terms.glossary import resolve_paths

    if path is not None:
        if path.is_dir():
            raise TranslatorError(f"{path} is a directory; name one glossary file with --glossary")
        if must_exist and not path.is_file():
            raise TranslatorError(f"{path}: no such glossary file")
        return path
    found = resolve_paths([], src, tgt)
    if len(found) != 1:
        which = ", ".join(map(str, found)) or f"no glossaries/*.{src}-{tgt}.csv"
        raise TranslatorError(f"name the glossary file with --glossary ({which})")
    return found[0]


def _load(path: Path, src: str, tgt: str):
    from translator.terms.glossary import Glossary, languages_of, read_csv

    if not path.exists():
        langs = languages_of(path) or (src, tgt)
        return Glossary(langs[0], langs[1], (), (str(path),))
    return read_csv(path)


@app.command()
def add(
    source: Annotated[str, typer.Argument(help="The source term, e.g. 'foundation model'.")],
    target: Annotated[str, typer.Argument(help="Its translation ('' for a do-not-translate entry).")] = "",
    glossary: GlossaryOpt = None,
    note: Annotated[str, typer.Option(help="A note for translators.")] = "",
    pos: Annotated[str, typer.Option(help="Part of speech (noun, verb …).")] = "",
    case_sensitive: Annotated[bool, typer.Option("--case-sensitive", help="Match the case exactly.")] = False,
    dnt: Annotated[bool, typer.Option("--dnt", help="Do not translate: keep the source.")] = False,
    forbidden: Annotated[Optional[list[str]], typer.Option("--forbidden", "-f",
                         help="A wrong rendering to flag (repeatable, or '|'-separated).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace an existing entry.")] = False,
    src: FromOpt = "en",
    tgt: ToOpt = "es",
) -> None:
    """Add an entry (the file is created if needed)."""
    from translator.terms.glossary import Term, add_term, write_csv

    try:
        if not target and not dnt:
            raise TranslatorError(f'no target for "{source}": give one, or --dnt to keep it untranslated')
        path = _one_file(glossary, src, tgt, must_exist=False)
        g = _load(path, src, tgt)
        variants = tuple(v.strip() for f in forbidden or [] for v in f.split("|") if v.strip())
        term = Term(source.strip(), (target or source).strip(), note, pos, case_sensitive, dnt, variants)
        write_csv(add_term(g, term, replace_existing=replace), path)
    except TranslatorError as e:
        raise _fail(e)
    typer.echo(f'{path}: {"replaced" if replace else "added"} "{term.source}" → "{term.rendering}"')


@app.command()
def remove(
    source: Annotated[str, typer.Argument(help="The source term to remove.")],
    glossary: GlossaryOpt = None,
    src: FromOpt = "en",
    tgt: ToOpt = "es",
) -> None:
    """Remove an entry."""
    from translator.terms.glossary import read_csv, remove_term, write_csv

    try:
        path = _one_file(glossary, src, tgt)
        write_csv(remove_term(read_csv(path), source), path)
    except TranslatorError as e:
        raise _fail(e)
    typer.echo(f'{path}: removed "{source}"')


@app.command("list")
def list_(
    text: Annotated[str, typer.Argument(help="Show only entries containing this text.")] = "",
    glossary: Annotated[Optional[list[Path]], typer.Option("--glossary", "-g",
                        help="Glossary files or directories (default: glossaries/ of the pair).")] = None,
    src: FromOpt = "en",
    tgt: ToOpt = "es",
) -> None:
    """List entries, optionally filtered by text."""
    from translator.terms.glossary import filter_terms, load_glossary

    try:
        g = load_glossary(glossary or [], src, tgt)
    except TranslatorError as e:
        raise _fail(e)
    rows = filter_terms(g, text)
    for t in rows:
        flags = [f for f, on in (("dnt", t.dnt), ("case", t.case_sensitive)) if on]
        extra = (f"  [{', '.join(flags)}]" if flags else "") + \
                (f"  not: {' | '.join(t.forbidden)}" if t.forbidden else "") + (f"  — {t.note}" if t.note else "")
        typer.echo(f"{t.source} → {t.rendering}{extra}")
    typer.echo(f"{len(rows)} of {len(g)} entries", err=True)


@app.command()
def lint(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Glossary files or directories "
                     "(default: glossaries/).")] = None,
) -> None:
    """Check glossary files: format, duplicates, conflicts, forbidden variants. Exit 1 on errors."""
    from translator.terms.glossary import default_glossary_dir, lint as lint_file

    files: list[Path] = []
    for p in paths or [default_glossary_dir()]:
        files += sorted(p.glob("*.csv")) if p.is_dir() else [p]
    errors = warnings = 0
    try:
        for f in files:
            for issue in lint_file(f):
                typer.echo(f"{issue.level}: {issue}")
                errors += issue.level == "error"
                warnings += issue.level == "warning"
    except TranslatorError as e:
        raise _fail(e)
    typer.echo(f"{len(files)} file(s), {errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise typer.Exit(1)


@app.command("import")
def import_(
    tbx: Annotated[Path, typer.Argument(help="A TBX file.")],
    out: Annotated[Path, typer.Argument(help="The CSV to write, e.g. glossaries/client.en-es.csv.")],
    src: Annotated[Optional[str], typer.Option("--from", help="Source language (default: from OUT's name).",
                                               callback=option_callback("--from"))] = None,
    tgt: Annotated[Optional[str], typer.Option("--to", help="Target language (default: from OUT's name).",
                                               callback=option_callback("--to"))] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace OUT if it exists.")] = False,
) -> None:
    """Convert a TBX file into a glossary CSV."""
    from translator.terms.glossary import languages_of, write_csv
    from translator.terms.tbx import read_tbx

    check_new_file(out, [tbx], overwrite)
    langs = languages_of(out) or (None, None)
    src, tgt = src or langs[0], tgt or langs[1]
    try:
        if not src or not tgt:
            raise TranslatorError(f"give --from and --to, or name the output NAME.SRC-TGT.csv (not {out.name})")
        g = read_tbx(tbx, src, tgt)
        write_csv(g, out)
    except TranslatorError as e:
        raise _fail(e)
    typer.echo(f"{out}: {len(g)} entries from {tbx}")


@app.command()
def export(
    glossary: Annotated[Path, typer.Argument(help="A glossary CSV (NAME.SRC-TGT.csv).")],
    out: Annotated[Path, typer.Argument(help="The TBX file to write.")],
    src: Annotated[Optional[str], typer.Option("--from", help="Source language (default: from the name).",
                                               callback=option_callback("--from"))] = None,
    tgt: Annotated[Optional[str], typer.Option("--to", help="Target language (default: from the name).",
                                               callback=option_callback("--to"))] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace OUT if it exists.")] = False,
) -> None:
    """Convert a glossary CSV into TBX-Basic."""
    from translator.terms.glossary import read_csv
    from translator.terms.tbx import write_tbx

    check_new_file(out, [glossary], overwrite)
    try:
        g = read_csv(glossary, src or "", tgt or "")
        if not g.source_lang or not g.target_lang:
            raise TranslatorError(f"give --from and --to, or name the glossary NAME.SRC-TGT.csv (not {glossary.name})")
        write_tbx(g, out)
    except TranslatorError as e:
        raise _fail(e)
    typer.echo(f"{out}: {len(g)} entries")


@app.command()
def extract(
    folder: Annotated[Path, typer.Argument(help="A folder of newsletters (.md, .html, .txt), or one file.")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the newsletters.")] = "en",
    tgt: Annotated[str, typer.Option("--to", help="Target language of the glossary to compare with.",
                                     callback=option_callback("--to"))] = "es",
    glossary: Annotated[Optional[list[Path]], typer.Option("--glossary", "-g",
                        help="Glossaries to compare with (default: glossaries/ of the pair).")] = None,
    min_count: Annotated[int, typer.Option(help="Least number of occurrences.")] = 2,
    limit: Annotated[int, typer.Option(help="Show at most this many candidates.")] = 50,
    as_csv: Annotated[bool, typer.Option("--csv", help="Write CSV (text,count,kind,example) to stdout.")] = False,
) -> None:
    """Candidate terms from a folder of newsletters: recurring names and noun
    phrases not yet in the glossary, with counts and an example sentence."""
    from translator.terms.extract import extract_candidates, newsletter_files
    from translator.terms.glossary import load_glossary

    try:
        if not folder.exists():
            raise TranslatorError(f"{folder}: no such file or folder")
        files = newsletter_files(folder)
        if not files:
            raise TranslatorError(f"{folder}: no .md, .html or .txt files")
        g = load_glossary(glossary or [], lang, tgt)
        cands = extract_candidates(files, lang, g, min_count)[:limit]
    except TranslatorError as e:
        raise _fail(e)
    if as_csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["text", "count", "kind", "example"])
        for c in cands:
            w.writerow(csvsafe.row([c.text, c.count, c.kind, c.example]))
        return
    for c in cands:
        example = c.example if len(c.example) <= 120 else c.example[:117] + "…"
        typer.echo(f"{c.count:4d}  {c.kind:<6}  {c.text}\n            e.g. {example}")
    typer.echo(f"{len(cands)} candidate(s) from {len(files)} file(s)", err=True)
