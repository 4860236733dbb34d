"""Segments + translations → the translated file.

The output is the original text with each changed segment replaced: its
text escaped for where it sits (HTML text, an attribute value, Markdown,
YAML …) and its placeholders replaced by the original markup, byte for byte.
A segment whose translation equals its source is copied from the original,
so untouched text round-trips exactly. Segments may nest (an `alt` value
inside an `<img>` that is a placeholder of the paragraph around it).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping

from translator.document import PLACEHOLDER_RE, Document, Segment, placeholder_tokens


@dataclass
class Assembled:
    text: str
    kept_source: list[str] = field(default_factory=list)  # ids whose translation was unusable
    notes: list = field(default_factory=list)  # Suggestions of a format's own assembly (subtitle cues)


def assemble(doc: Document, translations: Mapping[str, str], target_lang: str = "") -> Assembled:
    """The translated file (`target_lang` decides how subtitle lines are cut)."""
    if doc.format in ("srt", "vtt", "sbv"):  # sentences over cues go back onto the same cues
        from translator.formats.subtitles import assemble as assemble_cues

        done = assemble_cues(doc, translations, target_lang or doc.source_lang)
        short = {s.id for s in done.notes if s.check == "subtitle-cues"}
        return Assembled(done.text, [i for i in done.kept_source if i not in short], done.notes)
    return _Renderer(doc, translations).run()


def render_segments(doc: Document, translations: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Each segment rendered on its own (placeholders restored, escaped for
    its block), and the ids whose translation was unusable (source kept)."""
    r = _Renderer(doc, translations)
    return {seg.id: r.segment(seg) for seg in doc.segments}, r.result.kept_source


def placeholders_intact(source: str, translation: str) -> bool:
    """Same placeholder tokens, each as often (order may change)."""
    return Counter(placeholder_tokens(source)) == Counter(placeholder_tokens(translation))


class _Renderer:
    def __init__(self, doc: Document, translations: Mapping[str, str]):
        self.doc = doc
        self.text = doc.text
        self.tr = translations
        self.segs = sorted(doc.segments, key=lambda s: (s.start, -s.end))
        self.starts = [s.start for s in self.segs]
        self.escape = {b.index: (b.escape, b.indent) for b in doc.blocks}
        self.result = Assembled("")

    def run(self) -> Assembled:
        self.result.text = self.range(0, len(self.text))
        return self.result

    def range(self, start: int, end: int, skip: Segment | None = None) -> str:
        """text[start:end] with the segments inside it rendered."""
        out = []
        pos = start
        i = bisect_left(self.starts, start)
        while i < len(self.segs) and self.segs[i].start < end:
            seg = self.segs[i]
            i += 1
            if seg is skip or seg.start < pos or seg.end > end:
                continue
            out.append(self.text[pos:seg.start])
            out.append(self.segment(seg))
            pos = seg.end
        out.append(self.text[pos:end])
        return "".join(out)

    def segment(self, seg: Segment) -> str:
        translation = self.tr.get(seg.id)
        if translation is None or translation == seg.source:
            return self.range(seg.start, seg.end, skip=seg)
        if not placeholders_intact(seg.source, translation):
            self.result.kept_source.append(seg.id)
            return self.range(seg.start, seg.end, skip=seg)
        translation = _outside_spaces(translation)
        escape, indent = self.escape[seg.block]
        codes = {c.n: c for c in seg.codes}
        out = []
        pos = 0
        for m in PLACEHOLDER_RE.finditer(translation):
            out.append(_escape(translation[pos:m.start()], escape, indent))
            code = codes[int(m.group(2))]
            span = code.close if m.group(1) else code.open
            out.append(self.range(*span))
            pos = m.end()
        out.append(_escape(translation[pos:], escape, indent))
        rendered = "".join(out)
        if escape == "yaml-plain" and _yaml_needs_quotes(rendered):
            return '"' + _escape(translation, "yaml-dq", indent) + '"'
        if escape == "html-attr-uq":
            return '"' + rendered + '"'
        return rendered


_SPACE_AFTER_OPEN = re.compile(r"<(\d+)>(\s+)")
_SPACE_BEFORE_CLOSE = re.compile(r"(\s+)</(\d+)>")


def _outside_spaces(text: str) -> str:
    """`<1> word </1>` → ` <1>word</1> `: Markdown emphasis cannot start or
    end with a space, and in HTML it makes no difference."""
    text = _SPACE_AFTER_OPEN.sub(lambda m: m.group(2) + f"<{m.group(1)}>", text)
    return _SPACE_BEFORE_CLOSE.sub(lambda m: f"</{m.group(2)}>" + m.group(1), text)


_MD_SPECIAL = re.compile(r"([\\`*\[\]])|(<)(?=[A-Za-z/!?])|(?<![\w])(_)|(_)(?![\w])")


def escape(text: str, kind: str, indent: str = "") -> str:
    """Changed text made safe for where it sits (see Block.escape)."""
    return _escape(text, kind, indent)


def _escape(text: str, kind: str, indent: str = "") -> str:
    if not text:
        return text
    if kind == "html":
        return html.escape(text, quote=False)
    if kind in ("html-attr-dq", "html-attr-uq"):
        return html.escape(text, quote=False).replace('"', "&quot;")
    if kind == "html-attr-sq":
        return html.escape(text, quote=False).replace("'", "&#x27;")
    if kind in ("markdown", "markdown-table"):
        text = " ".join(text.splitlines())
        text = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
        return text.replace("|", "\\|") if kind == "markdown-table" else text
    if kind in ("yaml-dq", "toml-dq"):
        return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if kind == "yaml-sq":
        return text.replace("'", "''").replace("\n", " ")
    if kind == "yaml-plain":
        return " ".join(text.splitlines())
    if kind == "yaml-block":
        return text.replace("\n", "\n" + indent)
    if kind == "text":
        return " ".join(text.splitlines()) if "\n" in text else text
    return text


def _yaml_needs_quotes(value: str) -> bool:
    return (
        not value
        or value != value.strip()
        or value[0] in "-?:,[]{}#&*!|>'\"%@`"
        or ": " in value
        or " #" in value
        or value.endswith(":")
        or value.lower() in ("yes", "no", "true", "false", "null", "on", "off", "~")
    )
