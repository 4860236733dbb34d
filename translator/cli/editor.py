"""The editor in the loop (mounted by cli.py): `learn`, `xliff import`,
`memory import`, `glossary suggest`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from translator.cli.common import option_callback
from translator.errors import TranslatorError

xliff_app = typer.Typer(help="XLIFF for CAT tools (write it with `translate --xliff`).", no_args_is_help=True,
                        pretty_exceptions_show_locals=False)

CacheOpt = Annotated[Optional[Path], typer.Option("--cache", envvar="TRANSLATOR_CACHE",
                                                  help="Translation memory file (SQLite).")]


def _fail(e: Exception) -> typer.Exit:
    typer.echo(f"Error: {e}", err=True)
    return typer.Exit(1)


def _memory(cache: Path | None):
    from translator.memory.store import Memory, default_path

    return Memory(cache or default_path())


def learn_command(
    source: Annotated[Path, typer.Argument(help="The source newsletter.")],
    translation: Annotated[Path, typer.Argument(help="A human translation of it (same format, or one line per segment).")],
    from_: Annotated[Optional[str], typer.Option("--from", "-f", help="Source language; detected when omitted.",
                                                 callback=option_callback("--from"))] = None,
    to: Annotated[Optional[str], typer.Option("--to", "-t", help="Language of the translation; detected when omitted.",
                                            callback=option_callback("--to"))] = None,
    cache: CacheOpt = None,
) -> None:
    """Learn a human translation of a newsletter (approved translations, used whatever the engine).

    Its segments are aligned to the source through the document structure, as --draft does."""
    from translator.memory import edits
    from translator.io import reader
    from translator.engines.draft import align_draft

    try:
        doc = reader.read(source, source_lang=from_)
        tgt = to or reader.read(translation).source_lang
        if not tgt or tgt == doc.source_lang:
            raise TranslatorError(f"{translation}: give the language of the translation with --to")
        doc, drafts, notes = align_draft(doc, translation, tgt)
        memory = _memory(cache)
        pairs = [edits.Edit(s.id, "", drafts[s.id]) for s in doc.segments
                 if s.id in drafts and drafts[s.id].strip() and _intact(s.source, drafts[s.id])]
        n = edits.learn(memory, doc.source_lang, tgt, pairs, {s.id: s.source for s in doc.segments}, str(translation))
        memory.close()
    except TranslatorError as e:
        raise _fail(e)
    skipped = len(doc.segments) - n
    typer.echo(f"{n} segment{'s' if n != 1 else ''} learned from {translation} ({doc.source_lang}→{tgt})"
               + (f"; {skipped} not aligned or with markup that does not match the source's" if skipped else ""))


def _intact(source: str, text: str) -> bool:
    from translator.formats.assemble import placeholders_intact

    return placeholders_intact(source, text)


@xliff_app.command("import")
def xliff_import(
    xlf: Annotated[Path, typer.Argument(help="An XLIFF file written by `translate --xliff` and edited in a CAT tool.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder (default: beside the XLIFF).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an output that was changed since it was written.")] = False,
    cache: CacheOpt = None,
) -> None:
    """Write the document from an XLIFF's targets and learn what the editor changed or approved.

    Markup is restored from the source and the structure checked as for any output."""
    from translator.memory.xliff import import_xliff

    try:
        memory = _memory(cache)
        result = import_xliff(xlf, out, memory, overwrite=overwrite)
        memory.close()
    except TranslatorError as e:
        raise _fail(e)
    typer.echo(f"{result.output}: written from {result.units} units of {xlf} ({result.changed} changed; "
               f"{result.learned} learned as approved translations)")
    if result.repaired:
        typer.echo(f"Warning: the inline codes of unit(s) {', '.join(result.repaired)} did not match their "
                   "source's; the words were kept and the source's markup put back: check them", err=True)


def memory_import(
    tmx: Annotated[Path, typer.Argument(help="A TMX file (from a CAT tool, or `memory export`).")],
    cache: CacheOpt = None,
) -> None:
    """Import a TMX file into the translation memory (a CAT tool's units become approved translations).

    Units exported by `memory export` go back as they were (machine or human)."""
    from translator.memory.tmx import import_tmx

    try:
        memory = _memory(cache)
        human, machine = import_tmx(memory, tmx)
        memory.close()
    except TranslatorError as e:
        raise _fail(e)
    typer.echo(f"{human + machine} translation units imported from {tmx} ({human} approved human, {machine} machine)")


def suggest_command(
    src: Annotated[str, typer.Option("--from", help="Source language.",
                                         callback=option_callback("--from"))] = "en",
    tgt: Annotated[str, typer.Option("--to", help="Target language.",
                                         callback=option_callback("--to"))] = "es",
    min_count: Annotated[int, typer.Option(help="Least number of times an editor made the same correction.")] = 2,
    apply: Annotated[bool, typer.Option("--apply", help="Add the suggestions to the glossary (target, forbidden).")] = False,
    glossary: Annotated[Optional[Path], typer.Option("--glossary", "-g", help="The glossary CSV --apply writes "
                        "(default: the only glossaries/NAME.SRC-TGT.csv of the pair).")] = None,
    cache: CacheOpt = None,
) -> None:
    """Terms editors keep correcting, from the edits kept in the memory.

    Each: the source term, the machine rendering removed (→ forbidden), the one chosen (→ target),
    how often, an example."""
    from translator.memory.suggest import apply_suggestions, suggest

    try:
        memory = _memory(cache)
        found = suggest(memory, src, tgt, min_count=min_count)
        memory.close()
        for s in found:
            example = s.example if len(s.example) <= 100 else s.example[:97] + "…"
            typer.echo(f"{s.count:3d}×  {s.source} → {s.target}   (not: {s.removed})\n      e.g. {example}")
        typer.echo(f"{len(found)} suggestion(s) from edits ({src}→{tgt}, seen at least {min_count} times)", err=True)
        if apply and found:
            from translator.cli.glossary import _one_file

            path = _one_file(glossary, src, tgt, must_exist=False)
            added = apply_suggestions(path, found, src, tgt)
            typer.echo(f"{path}: {added} entr{'ies' if added != 1 else 'y'} added or updated")
    except TranslatorError as e:
        raise _fail(e)


def register(app, memory_app, glossary_app) -> None:
    app.command("learn")(learn_command)
    app.add_typer(xliff_app, name="xliff")
    memory_app.command("import")(memory_import)
    glossary_app.command("suggest")(suggest_command)
