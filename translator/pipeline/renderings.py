"""A dictionary rendering for a word the draft left in the source language.

The estimate finds "glue" left in English in a Spanish draft, but says only
what is wrong. A small reviser given an empty suggestion hands the draft
back; given «pegamento» it makes the fix. Apertium's dictionary (offline,
one process for every word of a round) gives that rendering: it becomes the
finding's `suggestion`, which the reviser checks against the source like
any other ("if it is wrong, leave that part unchanged") and the revision
gate judges. A word Apertium does not know ("*pantheon") gets none.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from translator import stagecache
from translator.document import Suggestion
from translator.errors import EngineError
from translator.terms.apertium.process import apertium_mode, data_version, run_apertium

CHECK = "untranslated-word"


def rendered(found: Sequence[Suggestion], source_lang: str, target_lang: str) -> list[Suggestion]:
    """`found` with a dictionary rendering as the suggestion of each word left untranslated."""
    words = sorted({f.original for f in found if f.check == CHECK and not f.suggestion and f.original})
    mode = apertium_mode(source_lang, target_lang) if words else None
    if not mode:
        return list(found)
    try:
        renders = _render(mode, words)
    except EngineError:
        return list(found)  # a hint, not a requirement: the finding stands without one
    out = []
    for f in found:
        r = renders.get(f.original, "") if f.check == CHECK and not f.suggestion else ""
        out.append(replace(f, suggestion=r, explanation=f"{f.explanation} A dictionary gives “{r}”.") if r else f)
    return out


def _render(mode: str, words: list[str]) -> dict[str, str]:
    """word → its rendering ("" when unknown), one Apertium run for those not kept from earlier runs."""
    version = data_version(mode)
    got = stagecache.lookup(f"render-{mode}", version, words)
    todo = [w for w in words if w not in got]
    if todo:
        # one word a line, each closed by a full stop so no rule joins two of them
        lines = run_apertium(mode, "".join(f"{w}.\n" for w in todo), fmt="txt").split("\n")
        if len(lines) == len(todo) + 1 and not lines[-1].strip():  # one line a word: else no rendering is sure
            new = {w: _clean(w, line) for w, line in zip(todo, lines)}
            stagecache.keep(f"render-{mode}", version, new)
            got.update(new)
    return {w: got.get(w, "") for w in words}


def _clean(word: str, line: str) -> str:
    """Apertium's answer for `word`, in its case; "" for a word it does not know (marked * # @)."""
    text = line.strip().removesuffix(".").strip()
    if not text or any(c in text for c in "*#@") or text.casefold() == word.casefold():
        return ""
    return text.lower() if word.islower() else text
