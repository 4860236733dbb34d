"""Subtitles (SRT, WebVTT, YouTube .sbv) → blocks, and translations back
onto the same cues.

A cue is its number or identifier, its timing line (with WebVTT settings)
and its text lines. Only the text is translatable: numbers, timings,
settings, NOTE/STYLE/REGION blocks and the file header are never sent
anywhere. The maintained libraries (`srt`, `webvtt-py`) validate the file:
the cues we locate by offset must be the cues they read, with the same
timings, or the file is refused.

Sentences run over cues, so a block is a run of consecutive cues ending at
one whose text ends a sentence; the gap between two cues (blank line, number,
timing) is a soft break inside the block, like a caption line break in a
transcript. Segmentation then cuts the block into sentences that may span
cues. Writing back (`assemble`) is ours, not the generic assembler's: a
changed sentence is redistributed over the cues it came from, in proportion
to the length it had in each, at word boundaries, and each changed cue is
re-wrapped into lines of at most `MAX_LINE` characters (two lines when it
fits). A cue none of whose text changed is copied byte for byte, so an
engine that echoes gives back the file unchanged.

Inline styling (`<i>`, `<b>`, `<u>`, `<font>`, WebVTT `<c.x>`, `<lang>`,
voice `<v Name>`, `{\\an8}`) is markup: a tag wrapping every line of a cue,
or a voice/position tag opening it, stays with the cue; tags inside the
text become placeholders, and a pair that redistribution splits over two
cues is closed and re-opened so each cue stays well-formed.
"""

from __future__ import annotations

import re
from typing import Mapping

from translator.document import Document
from translator.formats.base import NO, SAYS_SO, Format, Parsed, lang_value
from translator.formats.escape import escape
from translator.formats.subtitles.cues import Cue, find_cues, validate
from translator.formats.subtitles.layout import MAX_LINE, MAX_LINES, _wrap, distribute
from translator.formats.subtitles.parse import parse_subtitles
from translator.formats.subtitles.write import Rendered, assemble, timestamps

__all__ = ["MAX_LINE", "MAX_LINES", "Cue", "Rendered", "assemble", "distribute", "find_cues", "is_subtitle",
           "parse_subtitles", "timestamps", "validate", "_wrap"]


def is_subtitle(fmt: str) -> bool:
    from translator import formats

    return formats.get(fmt).timed


def _assemble_cues(doc: Document, translations: Mapping[str, str], target_lang: str):
    """Sentences over cues go back onto the same cues; a segment too short
    for its cues is reported by its own note, not as kept source."""
    from translator.formats.assemble import Assembled

    done = assemble(doc, translations, target_lang or doc.source_lang)
    short = {s.id for s in done.notes if s.check == "subtitle-cues"}
    return Assembled(done.text, [i for i in done.kept_source if i not in short], done.notes)


def _declare_vtt_language(text: str, source_lang: str, target_lang: str) -> str:
    """The `Language:` header of a WebVTT file."""
    head_end = text.find("\n\n")
    head = text[:head_end if head_end >= 0 else len(text)]
    new_head = re.sub(rf"(?m)^(Language:\s*){lang_value(source_lang)}\s*$", rf"\g<1>{target_lang}", head)
    return new_head + text[len(head):]


def _subtitles(name: str, order: int, **kw) -> Format:
    return Format(
        name=name, suffixes=(f".{name}",), order=order,
        parse=lambda text, translate_lists: Parsed(tuple(parse_subtitles(text, name)[0])),
        timed=True, assemble=_assemble_cues, **kw,
    )


def _sniff_vtt(text: str) -> int:
    return SAYS_SO if text.lstrip()[:2000].lower().startswith("webvtt") else NO


FORMATS = (
    _subtitles("srt", 40, escape=lambda text: text),
    _subtitles("vtt", 41, escape=lambda text: escape(text, "vtt"), sniff=_sniff_vtt,
               declare_language=_declare_vtt_language),
    _subtitles("sbv", 42, escape=lambda text: text),
)
