"""A dictionary rendering for a word the draft left in the source language.

The estimate finds "glue" left in English in a Spanish draft, but says only
what is wrong. A small reviser given an empty suggestion hands the draft
back; given «pegamento» it makes the fix. Apertium's dictionary gives that
rendering, through the glossary's own term translation
(`ApertiumHints.prefetch_sources`: one run for every word of a round, kept
between runs): it becomes the finding's `suggestion`, which the reviser
checks against the source like any other ("if it is wrong, leave that part
unchanged") and the revision gate judges. A word Apertium does not know
("*pantheon") gets none.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from translator.document import Suggestion
from translator.errors import EngineError
from translator.terms.apertium.hints import ApertiumHints

CHECK = "untranslated-word"


def rendered(found: Sequence[Suggestion], source_lang: str, target_lang: str) -> list[Suggestion]:
    """`found` with a dictionary rendering as the suggestion of each word left untranslated."""
    words = sorted({f.original for f in found if f.check == CHECK and not f.suggestion and f.original})
    hints = ApertiumHints.shared(source_lang, target_lang) if words else None
    if hints is None or not hints.mode:
        return list(found)
    try:
        hints.prefetch_sources(words)
    except EngineError:
        return list(found)  # a hint, not a requirement: the finding stands without one
    renders = {w: _usable(w, hints.source_renderings(w)) for w in words}
    out = []
    for f in found:
        r = renders.get(f.original, "") if f.check == CHECK and not f.suggestion else ""
        out.append(replace(f, suggestion=r, explanation=f"{f.explanation} A dictionary gives “{r}”.") if r else f)
    return out


def _usable(word: str, renderings: list[str]) -> str:
    """The rendering of the word as it is, in its case; "" when Apertium left
    it as it was (a word it does not know)."""
    text = renderings[0].strip() if renderings else ""
    if not text or any(c in text for c in "*#@") or text.casefold() == word.casefold():
        return ""
    return text.lower() if word.islower() else text
