"""Where each suggestion's `original` sits in its translation: the runs the
page marks (first occurrence; the most severe suggestion wins where spans
overlap)."""

from __future__ import annotations

from typing import Mapping, Optional

from markupsafe import Markup

from translator.document import SEVERITIES
from translator.report.templating import template

Mark = tuple[int, Mapping[str, str]]  # (k, suggestion): k numbers the suggestion on the page
Run = tuple[str, Optional[Mark]]  # a piece of the translation, and the mark on it if any


def mark_runs(text: str, marks: list[Mark]) -> list[Run]:
    """`text` cut into runs, each marked piece with its suggestion."""
    runs: list[Run] = []
    pos = 0
    for a, b, mark in _spans(text, marks):
        runs += [(text[pos:a], None), (text[a:b], mark)]
        pos = b
    runs.append((text[pos:], None))
    return runs


def highlight(text: str, marks: list[Mark]) -> Markup:
    """The translation as markup, each suggestion's `original` in a <mark>."""
    return Markup(template("macros.html.j2").module.marked(mark_runs(text, marks)))  # type: ignore[attr-defined]


def _spans(text: str, marks: list[Mark]) -> list[tuple[int, int, Mark]]:
    """(start, end, mark) in text order; the most severe first claims its span."""
    spans: list[tuple[int, int, Mark]] = []
    for mark in sorted(marks, key=lambda km: -SEVERITIES.index(km[1]["severity"])):
        orig = mark[1].get("original") or ""
        if not orig:
            continue
        at = text.find(orig)
        while at >= 0 and any(a < at + len(orig) and at < b for a, b, _ in spans):
            at = text.find(orig, at + 1)
        if at >= 0:
            spans.append((at, at + len(orig), mark))
    return sorted(spans, key=lambda s: (s[0], s[1], s[2][0]))
