"""Apertium's marks left in the text: `*word` (unknown word), `@word` (no
translation in the dictionary), `#word` (could not generate the form)."""

from __future__ import annotations

import re

from translator.document import Severity, Suggestion, strip_placeholders
from translator.qa.checks.base import CheckContext, Pair, _s

NAME = "engine-marks"
NEEDS_SOURCE = False
ORDER = 80
QUIET_AFTER = ("empty",)


def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]:
    return tuple(engine_marks(pair))


_MARK = re.compile(r"(?<![^\W\d_])(?<![*#@/&])([*#@])([^\W\d_][\w'’-]*)(?![\w*])")


def engine_marks(p: Pair) -> list[Suggestion]:
    """Apertium's marks left in the text: `*word` (unknown word), `@word`
    (no translation in the dictionary), `#word` (could not generate the form).
    Hashtags and handles that are in the source are not marks."""
    text = strip_placeholders(p.target)
    src = strip_placeholders(p.source or "")
    out = []
    for m in _MARK.finditer(text):
        mark, word = m.group(1), m.group(2)
        if re.search(re.escape(m.group(0)) + r"(?!\w)", src):
            continue  # in the source too: a hashtag, a handle, emphasis
        if mark == "*" and re.search(r"\S\*", text[m.end():].split("\n")[0]):
            continue  # *emphasis over several words*
        if mark in "#@" and (p.source is None or re.search(mark + r"\w", src)):
            sev: Severity = "minor"  # a hashtag or handle, perhaps
        else:
            sev = "major"
        what = {"*": "unknown word", "@": "word without a dictionary translation", "#": "word the engine could not inflect"}[mark]
        out.append(_s(p.id, "fluency", sev, m.group(0), word,
                      f"Engine mark left in the text ('{mark}' marks an {what}): check the word and remove the mark.",
                      "engine-marks"))
    return out

