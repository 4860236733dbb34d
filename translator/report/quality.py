"""The page's segment-score section: the distribution of segment scores
(an inline SVG histogram), findings grouped by kind, the worst segments
first."""

from __future__ import annotations

from typing import Any, Mapping

from translator.document import strip_placeholders
from translator.report.svg import score_histogram_svg

MAX_GROUPS, MAX_WORST = 15, 10


def quality_view(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """What the template shows of the report's `segment_scores` and `groups` (None: no section)."""
    rows = data.get("segment_scores") or []
    if not rows:
        return None
    return {
        "histogram": score_histogram_svg([r["score"] for r in rows]),
        "segments": len(rows),
        "groups": [{"check": g["check"], "severity": g["severity"], "count": g["count"],
                    "examples": ", ".join(clipped(x) for x in g["spans"][:4])}
                   for g in (data.get("groups") or [])[:MAX_GROUPS]],
        "worst": _worst(rows, data.get("segments", [])),
    }


def _worst(rows: list[Mapping[str, Any]], segments: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The segments with open issues, lowest score first (rows come sorted), their translation clipped."""
    by_id = {s["id"]: s for s in segments}
    return [{"id": r["id"], "score": r["score"], "penalty": r["penalty"],
             "translation": clipped(by_id.get(r["id"], {}).get("translation") or "", 160)}
            for r in [r for r in rows if r["penalty"]][:MAX_WORST]]


def clipped(text: Any, n: int = 40) -> str:
    """One line of at most `n` characters, placeholders dropped."""
    text = " ".join(strip_placeholders(str(text)).split())
    return text if len(text) <= n else text[: n - 1] + "…"
