"""Translations back onto the cues they came from: a changed sentence is
redistributed over its cues, each changed cue re-wrapped; a cue none of
whose text changed is copied byte for byte."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Mapping

from translator.document import PLACEHOLDER_RE, Document, Segment, Suggestion
from translator.formats.escape import escape
from translator.formats.subtitles.cues import _TAG, Cue, find_cues
from translator.formats.subtitles.layout import MAX_LINE, MAX_LINES, _no_spaces, _visible_line, _wrap_like, distribute
from translator.segment.placeholders import placeholders_intact

_CUE_ESCAPE = {"vtt": "vtt"}  # WebVTT cue text escapes & < >; SRT and .sbv take text as it is


@dataclass
class Rendered:
    text: str
    kept_source: list[str]
    notes: list[Suggestion]


def assemble(doc: Document, translations: Mapping[str, str], target_lang: str = "") -> Rendered:
    text = doc.text
    cues = find_cues(text, doc.format)
    no_spaces = _no_spaces(target_lang)
    parts, kept, short = _cue_parts(doc, cues, translations, no_spaces)
    notes: list[Suggestion] = []
    out: list[str] = []
    pos = 0
    for k, cue in enumerate(cues):
        if k not in parts:
            continue
        lines = _cue_lines(text, cue, parts[k], no_spaces)
        note = _lines_note(doc, cue, lines)
        if note:
            notes.append(note)
        rendered = "\n".join(cue.frame[0] + line + cue.frame[1] for line in lines)
        out.append(text[pos:cue.start])
        out.append(cue.head + rendered)
        pos = cue.end
    out.append(text[pos:])
    notes += [Suggestion(sid, "accuracy", "major", "", "",
                         "The translation has fewer words than the cues it must fill; the source text was kept.",
                         "check", "open", "subtitle-cues") for sid in short]
    return Rendered("".join(out), kept + short, notes)


Parts = dict[int, list[tuple[int, int, str]]]  # per cue: (start, end, replacement) of the segment parts in it


def _cue_parts(doc: Document, cues: list[Cue], translations: Mapping[str, str],
               no_spaces: bool) -> tuple[Parts, list[str], list[str]]:
    """Each changed segment cut over its cues; the ids whose placeholders
    were damaged (the caller reports them) and those with too few words for
    their cues (reported here)."""
    text = doc.text
    kept: list[str] = []
    short: list[str] = []
    parts: Parts = {}
    for seg in doc.segments:
        spans = _cue_spans(seg, cues)
        tr = translations.get(seg.id)
        if not spans or tr is None or tr == seg.source:
            continue
        if not placeholders_intact(seg.source, tr):
            kept.append(seg.id)
            continue
        weights = [max(1, len(_TAG.sub("", text[a:b]).strip())) for _, a, b in spans]
        pieces = distribute(tr, weights, no_spaces)
        if pieces is None:
            short.append(seg.id)
            continue
        for (k, a, b), piece in zip(spans, pieces):
            parts.setdefault(k, []).append((a, b, _restore(piece, seg, text, doc.format)))
    return parts, kept, short


def _cue_lines(text: str, cue: Cue, parts: list[tuple[int, int, str]], no_spaces: bool) -> list[str]:
    """The new lines of a changed cue."""
    if not cue.dialogue:
        return _wrap_like(_cue_content(text, cue, parts), cue, text, no_spaces)
    # one speaker per line: each line keeps its dash and its own words
    return [text[la - len(_dash(text, la)):la]
            + _cue_content(text, replace(cue, lines=((la, lb),)), [p for p in parts if la <= p[0] < lb + 1])
            for la, lb in cue.lines]


def _lines_note(doc: Document, cue: Cue, lines: list[str]) -> Suggestion | None:
    """A style note when a cue needs more lines than MAX_LINES, or a line over MAX_LINE."""
    too_long = [ln for ln in lines if _visible_line(ln) > MAX_LINE]
    sid = _segment_at(doc.segments, cue)
    if not (len(lines) > MAX_LINES or too_long) or not sid:
        return None
    return Suggestion(
        sid, "style", "minor", too_long[0] if too_long else "", "",
        f"Cue {cue.number} needs {len(lines)} lines" + (
            f", one over {MAX_LINE} characters" if too_long else f" of at most {MAX_LINE} characters")
        + "; consider a shorter translation.", "check", "open", "subtitle-lines")


def _dash(text: str, inner_start: int) -> str:
    line_start = text.rfind("\n", 0, inner_start) + 1
    m = re.search(r"-[ \t]*$", text[line_start:inner_start])
    return m.group(0) if m else ""


def _segment_at(segments, cue: Cue) -> str:
    for s in segments:
        if s.start < cue.end and s.end > cue.start:
            return s.id
    return ""


def _cue_spans(seg: Segment, cues: list[Cue]) -> list[tuple[int, int, int]]:
    """(cue index, start, end) of the part of a segment in each cue it covers."""
    out = []
    for k, cue in enumerate(cues):
        if not cue.lines or cue.end <= seg.start or cue.start >= seg.end:
            continue
        a = max(seg.start, cue.lines[0][0])
        b = min(seg.end, cue.lines[-1][1])
        if a < b:
            out.append((k, a, b))
    return out


def _cue_content(text: str, cue: Cue, parts: list[tuple[int, int, str]]) -> str:
    """The cue's inner text with the segment parts in it replaced; the rest
    (text outside any segment, markup around it) kept, line breaks as spaces."""
    chunks = []
    pos = cue.lines[0][0]
    for a, b, new in sorted(parts):
        chunks.append(_flatten(cue, text, pos, a))
        chunks.append(new)
        pos = b
    chunks.append(_flatten(cue, text, pos, cue.lines[-1][1]))
    return " ".join("".join(chunks).split())


def _flatten(cue: Cue, text: str, a: int, b: int) -> str:
    """Original text between a and b: the inner spans of lines (no frame),
    a space for each line break crossed."""
    out = []
    for k, (la, lb) in enumerate(cue.lines):
        lo, hi = max(a, la), min(b, lb)
        if lo < hi:
            out.append(text[lo:hi])
        if k + 1 < len(cue.lines) and a <= lb and b >= cue.lines[k + 1][0]:
            out.append(" ")
    return "".join(out)


def _restore(piece: str, seg: Segment, text: str, fmt: str) -> str:
    """Placeholders → the original markup; pairs split over cues closed and re-opened."""
    codes = {c.n: c for c in seg.codes}
    present_open = {int(m.group(2)) for m in PLACEHOLDER_RE.finditer(piece) if not m.group(1) and not m.group(3)}
    present_close = {int(m.group(2)) for m in PLACEHOLDER_RE.finditer(piece) if m.group(1)}
    out = []
    pos = 0
    for m in PLACEHOLDER_RE.finditer(piece):
        out.append(escape(piece[pos:m.start()], _CUE_ESCAPE.get(fmt, "")))
        code = codes.get(int(m.group(2)))
        if code is not None:
            span = code.close if m.group(1) else code.open
            if span is not None:
                out.append(text[span[0]:span[1]])
        pos = m.end()
    out.append(escape(piece[pos:], _CUE_ESCAPE.get(fmt, "")))
    body = "".join(out)
    for n in sorted(present_open - present_close):
        c = codes.get(n)
        if c is not None and c.kind == "pair" and c.close is not None:
            body += text[c.close[0]:c.close[1]]
    for n in sorted(present_close - present_open, reverse=True):
        c = codes.get(n)
        if c is not None and c.kind == "pair" and c.open is not None:
            body = text[c.open[0]:c.open[1]] + body
    return body


def timestamps(doc: Document) -> dict[str, str]:
    """Segment id → the start time (HH:MM:SS) of the cue it begins in."""
    cues = find_cues(doc.text, doc.format)
    out = {}
    for seg in doc.segments:
        cue = next((c for c in cues if c.lines and c.start <= seg.start < c.end + 1), None)
        if cue is not None:
            m = re.search(r"(?:(\d+):)?(\d{2}):(\d{2})", cue.timing)
            if m:
                out[seg.id] = f"{int(m.group(1) or 0):02d}:{m.group(2)}:{m.group(3)}"
    return out
