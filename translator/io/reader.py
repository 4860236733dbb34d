"""Read a file into a Document: decode and repair, pick the format, parse
into blocks, detect the language, segment."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Literal

from translator.segment import language
from translator.document import Document
from translator.io.encoding import decode
from translator.errors import InputError
from translator.segment.segmenter import segment_document

Format = Literal["html", "markdown", "text", "srt", "vtt", "sbv"]
EXTENSIONS: dict[str, Format] = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown", ".rmd": "markdown",
    ".txt": "text", ".text": "text", ".transcript": "text",
    ".srt": "srt", ".vtt": "vtt", ".sbv": "sbv",
}
STRUCTURED = tuple(ext for ext, fmt in EXTENSIONS.items() if fmt != "text")  # HTML and Markdown
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


FORMAT_NAMES = {"html": "html", "md": "markdown", "markdown": "markdown", "text": "text", "txt": "text",
                "srt": "srt", "vtt": "vtt", "sbv": "sbv"}


def sniff(text: str, suffix: str = "") -> Format:
    """The format of a text, from its extension, else its content. A .txt
    file that opens with front matter is Hugo Markdown, one that opens with
    <!DOCTYPE or <html is HTML."""
    head = text.lstrip()[:2000].lower()
    by_ext = EXTENSIONS.get(suffix.lower())
    if by_ext and by_ext != "text":
        return by_ext
    if head.startswith(("<!doctype html", "<html")):
        return "html"
    if head.startswith("webvtt"):
        return "vtt"
    if re.match(r"(---|\+\+\+)[ \t]*\n", text):
        return "markdown"
    if by_ext == "text":
        return "text"
    if re.search(r"<(p|div|table|body|h[1-6]|ul|ol|li|span|a)\b[^>]*>", head):
        return "html"
    if re.search(r"(?m)^(#{1,6} |[-*] |\d+\. |```)|\[[^\]]+\]\([^)]+\)", text[:5000]):
        return "markdown"
    return "text"


def parse(
    text: str,
    fmt: Format,
    *,
    path: str | None = None,
    source_lang: str | None = None,
    translate_lists: bool = False,
    encoding=None,
) -> Document:
    from translator.formats.html import parse_html
    from translator.formats.markdown import parse_markdown
    from translator.formats.text import parse_text

    warnings: list[str] = []
    transcript = False
    if fmt == "html":
        blocks = parse_html(text)
    elif fmt == "markdown":
        parsed = parse_markdown(text, translate_lists=translate_lists)
        blocks, warnings = parsed.blocks, parsed.warnings
    elif fmt in ("srt", "vtt", "sbv"):
        from translator.formats.subtitles import parse_subtitles

        blocks, _cues = parse_subtitles(text, fmt)
    else:
        blocks, transcript = parse_text(text)
    kwargs = {"encoding": encoding} if encoding is not None else {}
    doc = Document(
        text=text, format=fmt, blocks=tuple(blocks), path=path, transcript=transcript,
        warnings=tuple(warnings), **kwargs,
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
