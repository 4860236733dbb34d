"""Read a file into a Document: decode and repair, pick the format, parse
into blocks, detect the language, segment."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from translator import formats
from translator.segment import language
from translator.document import Document
from translator.io.encoding import decode
from translator.errors import InputError
from translator.segment.segmenter import segment_document

Format = str  # a name in the format registry (`translator.formats`)
EXTENSIONS: dict[str, str] = formats.suffixes()
STRUCTURED = tuple(ext for ext, name in EXTENSIONS.items() if not formats.get(name).plain)  # all but plain text
_NOT_NEWSLETTERS = ("README", "LICENSE", "CHANGELOG", "CONTRIBUTING")


def newsletter_files(folder: Path) -> list[Path]:
    """The newsletters in a folder and its subfolders: files of a known
    format, not hidden, not a README or LICENSE."""
    return [
        f for f in sorted(folder.rglob("*"))
        if f.is_file() and f.suffix.lower() in EXTENSIONS
        and not any(part.startswith(".") for part in f.relative_to(folder).parts)
        and not f.name.upper().startswith(_NOT_NEWSLETTERS)
    ]


FORMAT_NAMES = formats.names()


def sniff(text: str, suffix: str = "") -> Format:
    """The format of a text, from its extension, else its content. A .txt
    file that opens with front matter is Hugo Markdown, one that opens with
    <!DOCTYPE or <html is HTML."""
    return formats.sniff(text, suffix)


def parse(
    text: str,
    fmt: Format,
    *,
    path: str | None = None,
    source_lang: str | None = None,
    translate_lists: bool = False,
    encoding=None,
) -> Document:
    parsed = formats.get(fmt).parse(text, translate_lists)
    blocks = parsed.blocks
    kwargs = {"encoding": encoding} if encoding is not None else {}
    doc = Document(
        text=text, format=fmt, blocks=blocks, path=path, transcript=parsed.transcript,
        warnings=parsed.warnings, **kwargs,
    )
    lang = source_lang or language.detect(" ".join(text[b.start:b.end] for b in blocks[:400]))
    return segment_document(replace(doc, source_lang=lang), lang)


def read(
    path: Path,
    *,
    fmt: str | None = None,
    source_lang: str | None = None,
    translate_lists: bool = False,
) -> Document:
    """Read, repair, parse and segment one file. Raises InputError."""
    if path.is_dir():
        raise InputError(f"{path}: is a directory")
    if not fmt and path.suffix and path.suffix.lower() not in EXTENSIONS:  # .json, .yaml, .docx: not a newsletter
        raise InputError(f"{path}: unsupported file type {path.suffix} (the formats are "
                         f"{', '.join(sorted(set(EXTENSIONS)))}; --format text reads a file as plain text)")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    decoded = decode(data, str(path))
    chosen = FORMAT_NAMES[fmt] if fmt else sniff(decoded.text, path.suffix)
    doc = parse(
        decoded.text, chosen, path=str(path), source_lang=source_lang,
        translate_lists=translate_lists, encoding=decoded.encoding,
    )
    if not doc.segments:
        raise InputError(f"{path}: nothing to translate (no text found in this {chosen} file)")
    return doc
