"""The editor's page for a report dict (from `build` or `build_review`):
source and translation side by side per block, each suggestion coloured by
severity with its `original` span highlighted in the translation, filters
by severity, category and status (a few lines of vanilla JS that only
toggle classes), the glossary hits, the segment scores, the score and the
counts.

Python turns the report into a view (plain values, see `page_view`);
`templates/report.html.j2` lays it out. The template autoescapes every
value, so report text never reaches the page as markup; the only markup
inserted as is comes from our own files (CSS, script) and from numbers
(the SVG histogram). No network: no external fonts, styles or scripts, and
a Content-Security-Policy that allows only the page's own script (by
hash), so even text that escaped escaping could not run.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any, Mapping

from markupsafe import Markup

from translator.document import CATEGORIES, SEVERITIES
from translator.report.glossary import glossary_view
from translator.report.marks import Mark, mark_runs
from translator.report.quality import quality_view
from translator.report.templating import asset, template

STATUSES = ("open", "applied", "rejected")
QUIET_STATUSES = ("translated", "aligned", "block", "target-only", "added", "draft")  # no tag on the segment
ROW_CLASSES = {"missing": "missing", "added": "added"}  # a block only one side has


def render_html(data: Mapping[str, Any]) -> str:
    """The editor's page for a report dict (from `build` or `build_review`)."""
    return template("report.html.j2").render(page_view(data))


def page_view(data: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the template shows, as plain values (text is escaped by the template)."""
    segs, suggs = list(data.get("segments", [])), list(data.get("suggestions", []))
    by_seg, loose = _by_segment(segs, suggs)
    src_lang, tgt_lang = data.get("source_lang") or "?", data.get("target_lang") or "?"
    has_source = data.get("mode") != "target-only"
    script = asset("report.js")
    return {
        "title": Path(str(data.get("output") or data.get("source") or "document")).name,
        "src_lang": src_lang, "tgt_lang": tgt_lang, "has_source": has_source,
        "css": Markup(asset("report.css")), "script": Markup(script),
        "script_hash": base64.b64encode(hashlib.sha256(script.encode()).digest()).decode(),
        "meta": _meta(data, has_source, src_lang, tgt_lang),
        "severities": SEVERITIES,
        "counts": data.get("counts") or {"total": 0, "open": {}},
        "score": data.get("score") or {},
        "gate": data.get("gate"),
        "filters": _filters(suggs),
        "warnings": data.get("warnings") or [],
        "loose": loose,
        "glossary": glossary_view(data.get("terms")),
        "quality": quality_view(data),
        "rows": [_row(group, by_seg) for group in _blocks(segs)],
    }


def _by_segment(segs: list[Mapping[str, Any]], suggs: list[Mapping[str, str]]
                ) -> tuple[dict[str, list[Mark]], list[Mark]]:
    """Suggestions numbered in report order, by segment; those of no segment on the page apart."""
    seg_ids = {s["id"] for s in segs}
    by_seg: dict[str, list[Mark]] = {}
    loose: list[Mark] = []
    for k, s in enumerate(suggs):
        (by_seg.setdefault(s["id"], []) if s["id"] in seg_ids else loose).append((k, s))
    return by_seg, loose


def _meta(data: Mapping[str, Any], has_source: bool, src_lang: str, tgt_lang: str) -> list[str]:
    """The header's line: languages, mode, engine, files, the editor's kept segments."""
    meta = [f"{src_lang} → {tgt_lang}" if has_source else f"target-only ({tgt_lang})",
            f"mode: {data.get('mode', '')}", f"engine: {data.get('engine', '')}"]
    if data.get("source"):
        meta.append(f"source: {data['source']}")
    if data.get("output"):
        meta.append(f"translation: {data['output']}")
    if data.get("edited"):
        meta.append(f"{data['edited']} segment{'s' if data['edited'] != 1 else ''} kept from your edits")
    return meta


def _filters(suggs: list[Mapping[str, str]]) -> dict[str, list[tuple[str, int]]]:
    """The filter checkboxes, each with its number of suggestions: severities (worst first), the
    categories present (ours in order, then any other), the statuses present (only `open` checked)."""
    cats: list[str] = [cat for cat in CATEGORIES if any(s["category"] == cat for s in suggs)]
    cats += sorted({s["category"] for s in suggs} - set(cats))
    statuses = [st for st in STATUSES if any(s["status"] == st for s in suggs)] or ["open"]

    def tally(field: str, values: list[str]) -> list[tuple[str, int]]:
        return [(v, sum(1 for s in suggs if s[field] == v)) for v in values]

    return {"severity": tally("severity", list(reversed(SEVERITIES))), "category": tally("category", cats),
            "status": tally("status", statuses)}


def _blocks(segments: list[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Consecutive segments of one block (text only in the translation apart): one row each."""
    out: list[list[Mapping[str, Any]]] = []
    key = None
    for seg in segments:
        k = (seg.get("block"), seg.get("status") in ("added",))
        if not out or k != key:
            out.append([])
            key = k
        out[-1].append(seg)
    return out


def _row(group: list[Mapping[str, Any]], by_seg: Mapping[str, list[Mark]]) -> dict[str, Any]:
    """One side-by-side row: the block's kind, its source segments, its translated segments
    (marked, tagged with a status worth seeing) and the suggestions on them."""
    status = group[0].get("status", "")
    return {
        "cls": ROW_CLASSES.get(status, ""), "kind": group[0].get("kind", ""), "status": status,
        "sources": [seg for seg in group if seg.get("source")],
        "targets": [{"id": seg["id"], "runs": mark_runs(seg["translation"], by_seg.get(seg["id"], [])),
                     "tag": None if seg.get("status") in QUIET_STATUSES else seg.get("status", "")}
                    for seg in group if seg.get("translation")],
        "suggestions": [m for seg in group for m in by_seg.get(seg["id"], [])],
    }
