"""Placeholders of our own segments lost or invented (the translate loop:
each placeholder stands for the source's markup, so a link can only be lost
with its placeholder). Not a registered check: the loop always runs it."""

from __future__ import annotations

from translator.document import PLACEHOLDER_RE, Segment, Suggestion
from translator.segment.placeholders import placeholder_difference
from translator.qa.checks.base import _s
from translator.qa.checks.links import urls_in_markup


def placeholder_issue(seg: Segment, text: str, doc=None) -> Suggestion:
    lost, added = placeholder_difference(seg.source, text)
    codes = {c.n: c for c in seg.codes}
    parts = []
    if lost:
        parts.append("lost " + ", ".join(_describe(tok, codes, doc) for tok in lost))
    if added:
        parts.append("added " + ", ".join(added))
    return _s(seg.id, "markup", "critical", text, seg.source,
              "Markup placeholders were " + "; ".join(parts) + " (each must appear exactly as in the source).",
              "placeholders")


def _describe(token: str, codes, doc) -> str:
    m = PLACEHOLDER_RE.fullmatch(token)
    code = codes.get(int(m.group(2))) if m else None
    if code is None:
        return token
    what = code.label or "markup"
    if doc is not None and code.open:
        links = urls_in_markup(doc.text[code.open[0]:code.open[1]])
        if links:
            what += " " + links[0]
    return f"{token} ({what})"
