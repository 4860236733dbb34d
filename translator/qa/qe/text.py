"""Words and sentences of a translation as the quality signals see them,
and the Suggestion they emit (origin "estimate")."""

from __future__ import annotations

import re

from translator.document import Category, Origin, Severity, Suggestion

ORIGIN: Origin = "estimate"
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
_SENT_END = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+(?=[¿¡\"'“«(]?[A-ZÁÉÍÓÚÑ0-9])")


def _s(id_: str, category: Category, severity: Severity, original: str, suggestion: str, explanation: str,
       check: str) -> Suggestion:
    return Suggestion(id_, category, severity, original, suggestion, explanation, ORIGIN, "open", check)


_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Word tokens of a text (placeholders removed) with their offsets;
    character references (&quot; &amp; as HTML keeps them) are markup, not words."""
    text = _ENTITY.sub(lambda m: " " * len(m.group(0)), text)
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def sentences(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans (enough to judge the language of each)."""
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out
