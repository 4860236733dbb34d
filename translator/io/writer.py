"""Writing results: atomic file writes, output names, and converting a
translated Markdown issue or transcript to HTML (for an e-mail tool) or a
transcript to Markdown."""

from __future__ import annotations

import html
import os
import re
import tempfile
from pathlib import Path

from translator import formats
from translator.document import Document
from translator.errors import TranslatorError

OUTPUT_EXT = {fmt.name: fmt.suffix for fmt in formats.all_formats()}


def write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Write all or nothing: a temporary file in the same folder, then rename.
    `durable=False` skips the fsync, for a cache file that checks itself when
    read (the lemma index): a crash may then leave it damaged, never half-renamed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    except OSError as e:  # named after the file asked for, not the temporary one
        raise OSError(e.errno, e.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and e.filename == tmp:
            raise OSError(e.errno, e.strerror, str(path)) from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def output_path(src: Path, source_lang: str, target_lang: str, out_dir: Path | None, fmt: str) -> Path:
    """`issue.en.html` → `issue.es.html`; `notes.txt` → `notes.es.txt`,
    beside the input or in `out_dir`."""
    stem = src.stem
    m = re.fullmatch(r"(.+)\.([a-z]{2}(?:[-_][A-Za-z]{2,4})?)", stem)
    if m and m.group(2).split("-")[0].split("_")[0] == source_lang:
        stem = m.group(1)
    ext = OUTPUT_EXT[fmt] if fmt != _format_of(src) else src.suffix
    return (out_dir or src.parent) / f"{stem}.{target_lang}{ext}"


def _format_of(src: Path) -> str:
    fmt = formats.by_suffix(src.suffix)
    return fmt.name if fmt else "text"


def convert(text: str, doc: Document, to: str, target_lang: str) -> str:
    """Re-express a translated document in another format."""
    if to == doc.format:
        return text
    conversion = _CONVERSIONS.get((doc.format, to))
    if conversion is None:
        raise TranslatorError(f"cannot write a {doc.format} document as {to}; "
                              "use html or md for Markdown and text input")
    return conversion(text, to, target_lang)


def _text_to_page(text: str, to: str, target_lang: str) -> str:
    """Plain text as Markdown or HTML paragraphs."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    escape = formats.get(to).escape
    if to == "markdown":
        return "\n\n".join(escape(p) for p in paragraphs) + "\n"
    return _page("", "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs), target_lang)


def paragraphs_page(title: str, paragraphs: list[tuple[str, str]], to: str, lang: str) -> str:
    """A transcript as Markdown or HTML: a title, then paragraphs, each with
    its timestamp (HH:MM:SS, subtitles only) as an anchor one can link to."""
    def anchor(stamp: str) -> str:
        return "t-" + stamp.replace(":", "-")

    if to == "markdown":
        escape = formats.get("markdown").escape
        out = [f"# {escape(title)}"] if title else []
        for stamp, text in paragraphs:
            mark = f'<a id="{anchor(stamp)}"></a>[{stamp}](#{anchor(stamp)}) ' if stamp else ""
            out.append(mark + escape(text))
        return "\n\n".join(out) + "\n"
    body = [f"<h1>{html.escape(title, quote=False)}</h1>"] if title else []
    for stamp, text in paragraphs:
        if stamp:
            body.append(f'<p id="{anchor(stamp)}"><a class="timestamp" href="#{anchor(stamp)}">{stamp}</a> '
                        f"{html.escape(text, quote=False)}</p>")
        else:
            body.append(f"<p>{html.escape(text, quote=False)}</p>")
    return _page(title, "\n".join(body), lang)


def _markdown_to_html(text: str, to: str, lang: str) -> str:
    from translator.formats import frontmatter
    from translator.formats.markdown import parser

    title = ""
    fm = frontmatter.find(text)
    if fm:
        try:
            meta = frontmatter.load(text, fm)
        except frontmatter.FrontMatterError:
            meta = {}
        title = str((meta or {}).get("title", "")) if isinstance(meta, dict) else ""
        text = text[fm.stop:]
    return _page(title, parser().render(text), lang)


def _page(title: str, body: str, lang: str) -> str:
    head = f"<title>{html.escape(title)}</title>\n" if title else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n{head}</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )



_CONVERSIONS = {
    ("markdown", "html"): _markdown_to_html,
    ("text", "html"): _text_to_page,
    ("text", "markdown"): _text_to_page,
}
