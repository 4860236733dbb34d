"""Segments + translations → the translated file.

The output is the original text with each changed segment replaced: its
text escaped for where it sits (HTML text, an attribute value, Markdown,
YAML …) and its placeholders replaced by the original markup, byte for byte.
A segment whose translation equals its source is copied from the original,
so untouched text round-trips exactly. Segments may nest (an `alt` value
inside an `<img>` that is a placeholder of the paragraph around it).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Mapping

from translator.document import PLACEHOLDER_RE, Document, Segment
from translator.formats.escape import escape, yaml_needs_quotes
from translator.segment.placeholders import placeholders_intact


@dataclass
class Assembled:
    text: str
    kept_source: list[str] = field(default_factory=list)  # ids whose translation was unusable
    notes: list = field(default_factory=list)  # Suggestions of a format's own assembly (subtitle cues)


def assemble(doc: Document, translations: Mapping[str, str], target_lang: str = "") -> Assembled:
    """The translated file (`target_lang` decides how subtitle lines are cut).
    A format with its own way of writing back (subtitle cues) uses it."""
    from translator import formats

    own = formats.get(doc.format).assemble
    if own is not None:
        return own(doc, translations, target_lang)
    return _Renderer(doc, translations, target_lang).run()


def render_segments(doc: Document, translations: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Each segment rendered on its own (placeholders restored, escaped for
    its block), and the ids whose translation was unusable (source kept)."""
    r = _Renderer(doc, translations)
    return {seg.id: r.segment(seg) for seg in doc.segments}, r.result.kept_source


class _Renderer:
    def __init__(self, doc: Document, translations: Mapping[str, str], target_lang: str = ""):
        self.doc = doc
        lang = target_lang.split("-")[0].lower()
        self.spaced = bool(lang) and lang not in _SPACELESS_LANGS  # sentences are joined with a space
        self.spaceless = lang in _SPACELESS_LANGS
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
        out: list[str] = []
        pos = start
        prev: Segment | None = None
        i = bisect_left(self.starts, start)
        while i < len(self.segs) and self.segs[i].start < end:
            seg = self.segs[i]
            i += 1
            if seg is skip or seg.start < pos or seg.end > end:
                continue
            rendered = self.segment(seg)
            out.append(self._between(prev, self.text[pos:seg.start], out[-1] if out else "", rendered, seg))
            out.append(rendered)
            pos, prev = seg.end, seg
        out.append(self.text[pos:end])
        return "".join(out)

    def _between(self, prev: Segment | None, gap: str, before: str, after: str, seg: Segment) -> str:
        """The text between two sentences of one block, for the target
        language: Chinese writes none between «。» and the next sentence,
        English and Spanish a space («…July 2024. In this issue…», not
        «2024.In»); a space after «。» into Chinese goes."""
        if prev is None or prev.block != seg.block or not before or not after:
            return gap
        if gap == "" and self.spaced and _CJK_END.search(self.text[prev.start:prev.end]) \
                and not before[-1].isspace() and not after[0].isspace() and not _CJK_END.search(before):
            return " "
        if gap == " " and self.spaceless and _CJK_END.search(before) and _CJK_START.match(after):
            return ""
        return gap

    def segment(self, seg: Segment) -> str:
        translation = self.tr.get(seg.id)
        if translation is None or translation == seg.source:
            return self.range(seg.start, seg.end, skip=seg)
        if not placeholders_intact(seg.source, translation):
            self.result.kept_source.append(seg.id)
            return self.range(seg.start, seg.end, skip=seg)
        translation = _outside_spaces(translation, seg.source)
        kind, indent = self.escape[seg.block]
        codes = {c.n: c for c in seg.codes}
        out = []
        pos = 0
        for m in PLACEHOLDER_RE.finditer(translation):
            out.append(escape(translation[pos:m.start()], kind, indent))
            code = codes[int(m.group(2))]
            span = code.close if m.group(1) else code.open
            assert span is not None  # a closing token has a pair's close
            markup = self.range(*span)
            if kind in _MARKDOWN and markup.startswith("`") and next((o for o in reversed(out) if o), "").endswith("`"):
                out.append(" ")  # `a``b` would be one code span: the text between them was dropped
            out.append(markup)
            pos = m.end()
        out.append(escape(translation[pos:], kind, indent))
        rendered = "".join(out)
        if kind == "yaml-plain" and yaml_needs_quotes(rendered):
            return '"' + escape(translation, "yaml-dq", indent) + '"'
        if kind == "html-attr-uq":
            return '"' + rendered + '"'
        return rendered


_MARKDOWN = ("markdown", "markdown-table")
_SPACELESS_LANGS = frozenset({"zh", "ja", "yue", "th", "lo", "km", "my"})  # sentences without a space between
_CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_END = re.compile(f"[{_CJK}]$")
_CJK_START = re.compile(f"[{_CJK}]")
_SPACE_AFTER_OPEN = re.compile(r"<(\d+)>(\s+)")
_SPACE_BEFORE_CLOSE = re.compile(r"(\s+)</(\d+)>")


def _outside_spaces(text: str, source: str = "") -> str:
    """`<1> word </1>` → ` <1>word</1> `: Markdown emphasis cannot start or
    end with a space, and in HTML it makes no difference. Where the source
    has the space inside too (`<a>&nbsp; word</a>`), it stays there."""
    inside_open = {m.group(1) for m in _SPACE_AFTER_OPEN.finditer(source)}
    inside_close = {m.group(2) for m in _SPACE_BEFORE_CLOSE.finditer(source)}
    text = _SPACE_AFTER_OPEN.sub(
        lambda m: m.group(0) if m.group(1) in inside_open else m.group(2) + f"<{m.group(1)}>", text)
    return _SPACE_BEFORE_CLOSE.sub(
        lambda m: m.group(0) if m.group(2) in inside_close else f"</{m.group(2)}>" + m.group(1), text)
