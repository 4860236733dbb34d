"""Transcripts and subtitles around the translation loop.

Before: speech-recognition term repair against the glossary (asr.py) on
transcripts, reported as applied suggestions with the original words.

After: a subtitle file is written back onto its own cues
(formats/subtitles.py). A transcript is written as readable text: sentence
units with a capital, grouped into paragraphs at pauses (a short caption
line), at connectives and at the transcript's own blank lines; as Markdown
or HTML with a title and, for subtitles, a timestamp anchor per paragraph.
An untouched transcript (every segment as it was) comes back byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import replace
from statistics import median

from translator import formats
from translator.formats.assemble import Assembled, render_segments
from translator.document import Document, Segment, Suggestion, strip_placeholders
from translator.formats.subtitles import is_subtitle

_SOFT_WORDS, _HARD_WORDS = 55, 110
_STRONG = {"es": set("pero además entonces bueno pues ahora luego aunque".split()),
           "en": set("but so then now however although".split())}


# --- before translation ----------------------------------------------------------


def repair_terms(doc: Document, glossary) -> tuple[Document, list[Suggestion]]:
    """ASR term repair of a transcript; the document is re-read from the repaired text."""
    if not doc.transcript or glossary is None:
        return doc, []
    from translator.transcripts import asr
    from translator.io import reader

    repairs = asr.find_repairs(doc.text, doc.source_lang, glossary)
    if not repairs:
        return doc, []
    text, placed = asr.apply(doc.text, repairs)
    new = reader.parse(text, doc.format, path=doc.path, source_lang=doc.source_lang, encoding=doc.encoding)
    new = replace(new, warnings=doc.warnings)
    notes = []
    for start, end, r in placed:
        seg = next((s for s in new.segments if s.start <= start < s.end), None)
        if seg is None:
            continue
        how = {"case": "written in the glossary's form", "fuzzy": "a likely mishearing",
               "ordinary word": "the name, not the ordinary word, in this transcript"}[r.reason]
        notes.append(Suggestion(
            seg.id, "terminology", "minor", " ".join(r.original.split()), r.replacement,
            f"Speech-recognition term repaired in the source against the glossary ({how}).",
            "glossary", "applied", "asr-term"))
    return new, notes


_LATIN_TERM = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9.+\-]*(?:[ \t]+[A-Za-z0-9][A-Za-z0-9.+\-]*)*")


def protect_terms(doc: Document, glossary, source_lang: str, target_lang: str):
    """Chinese text mixing English names ("Stability AI推出了Stable Audio Open"):
    each English name becomes a do-not-translate entry of the run's glossary,
    so it goes into the prompt, and the output is verified to keep it."""
    if not source_lang.startswith("zh"):
        return glossary
    from translator.terms.glossary import Glossary, Term

    have = {t.source for t in glossary.terms} if glossary is not None else set()
    found: dict[str, None] = {}
    for seg in doc.segments:
        for m in _LATIN_TERM.finditer(strip_placeholders(seg.source)):
            term = m.group(0).rstrip(".-+ ")
            if len(term) >= 2 and re.search(r"[A-Z0-9]", term) and term not in have:
                found[term] = None
    if not found:
        return glossary
    extra = tuple(Term(t, t, "English term inside Chinese: keep it as written", "propn", True, True)
                  for t in found)
    if glossary is None:
        return Glossary(source_lang, target_lang, extra)
    return replace(glossary, terms=glossary.terms + extra)


# --- after translation -----------------------------------------------------------


def finish(doc: Document, texts: dict[str, str], built: Assembled, target_lang: str,
           output_format: str) -> tuple[Assembled, str | None, list[Suggestion]]:
    """The file to write for subtitles and transcripts (None: the generic
    assembly and conversion apply), with any notes."""
    if is_subtitle(doc.format):
        if output_format == doc.format:  # assembled onto its cues already (formats/subtitles.py)
            return built, built.text, list(built.notes)
        return built, render(doc, texts, output_format, target_lang), []
    if formats.get(doc.format).plain and formats.get(output_format).markup:
        return built, render(doc, texts, output_format, target_lang), []
    if not doc.transcript and not _one_long_line(doc):
        return built, None, []
    if output_format == doc.format and built.text == doc.text:
        return built, None, []  # nothing changed: the file as it was
    return built, render(doc, texts, output_format, target_lang), []


def _one_long_line(doc: Document) -> bool:
    """Seed-004 style: a transcript saved as one huge line of sentences."""
    return (formats.get(doc.format).plain and len(doc.blocks) == 1 and doc.blocks[0].end - doc.blocks[0].start > 600
            and len(doc.segments) >= 6)


def paragraphs(doc: Document) -> list[list[Segment]]:
    """Segments grouped into paragraphs: a new one at a blank line of the
    transcript, else after about 70 words at a pause, a sentence end or a
    connective, and always before 130. (Segments that are paragraphs
    already stay so.)"""
    if doc.paragraph_segments:
        return [[s] for s in doc.segments]
    lines = [ln.strip() for ln in doc.text.split("\n") if ln.strip()]
    typical = median(len(ln) for ln in lines) if lines else 0
    strong = _STRONG.get(doc.source_lang, set())
    cjk = doc.source_lang.startswith(("zh", "ja"))
    subtitles = is_subtitle(doc.format)
    if subtitles:
        typical = 0
    groups: list[list[Segment]] = []
    size = 0.0
    for seg in doc.segments:
        words = len(seg.source) / 2.2 if cjk else len(seg.source.split())
        if groups:
            prev = groups[-1][-1]
            new_block = (seg.block != prev.block and not subtitles
                         and (not doc.transcript or _blank_between(doc.text, prev.end, seg.start)))
            first = seg.source.split()[0].lower() if seg.source.split() else ""
            soft = size >= _SOFT_WORDS and (
                _pause_after(doc.text, prev, typical) or re.search(r"[.!?。！？]\W*$", prev.source)
                or first in strong)
            if new_block or soft or size + words > _HARD_WORDS:
                groups.append([])
                size = 0
        else:
            groups.append([])
        groups[-1].append(seg)
        size += words
    return groups


def _blank_between(text: str, a: int, b: int) -> bool:
    return bool(re.search(r"\n[ \t]*\n", text[a:b]))


def _pause_after(text: str, seg: Segment, typical: float) -> bool:
    """The unit ends a caption line shorter than most: the speaker paused."""
    line_start = text.rfind("\n", 0, seg.end) + 1
    line_end = text.find("\n", seg.end)
    line_end = len(text) if line_end < 0 else line_end
    if text[seg.end:line_end].strip():
        return False
    return typical > 0 and len(text[line_start:line_end].strip()) < 0.6 * typical


def _capitalise(s: str) -> str:
    for i, ch in enumerate(s):
        if ch.isalpha():
            return s[:i] + ch.upper() + s[i + 1:] if ch.islower() else s
        if ch.isdigit() or ch == "<":
            return s
    return s


def render(doc: Document, texts: dict[str, str], fmt: str, target_lang: str) -> str:
    from translator.io import writer

    stamps = {}
    if is_subtitle(doc.format):
        from translator.formats.subtitles import timestamps

        stamps = timestamps(doc)  # styling is left out of a reading copy; the words are all there
        rendered = {s.id: strip_placeholders(texts.get(s.id, s.source)) for s in doc.segments}
    else:
        rendered, _kept = render_segments(doc, texts)
        _keep_between(doc, rendered)
    cjk = target_lang.startswith(("zh", "ja"))
    paras: list[tuple[str, str]] = []  # (timestamp, text)
    for group in paragraphs(doc):
        units = [" ".join(rendered[s.id].split()) for s in group]
        if not doc.paragraph_segments:  # a draft's paragraph is written as given
            units = [_capitalise(u) for u in units]
        body = ("" if cjk else " ").join(u for u in units if u)
        if body:
            paras.append((stamps.get(group[0].id, ""), body))
    if not formats.get(fmt).markup:
        return "\n\n".join(p for _, p in paras) + "\n"
    title = _title(paras)
    return writer.paragraphs_page(title, paras, fmt, target_lang)


def _keep_between(doc: Document, rendered: dict[str, str]) -> None:
    """Text outside every segment (a URL or emoji at a unit's edge) goes
    with the unit before it: nothing is lost."""
    segs = sorted(doc.segments, key=lambda s: s.start)
    if not segs:
        return
    head = doc.text[:segs[0].start].strip()
    if head:
        rendered[segs[0].id] = head + " " + rendered[segs[0].id]
    for seg, nxt in zip(segs, segs[1:] + [None]):
        between = doc.text[seg.end:nxt.start if nxt else len(doc.text)].strip()
        if between:
            rendered[seg.id] = rendered[seg.id] + " " + between


def _title(paras: list[tuple[str, str]]) -> str:
    if not paras:
        return ""
    first = paras[0][1]
    m = re.match(r"(.+?[.!?。！？])(?:\s|$)", first)
    sentence = m.group(1) if m else first
    if len(sentence) <= 70:
        return sentence.rstrip(".。")
    cut = sentence[:70].rsplit(" ", 1)[0] if " " in sentence[:70] else sentence[:40]
    return cut.rstrip(",;: ") + "…"
