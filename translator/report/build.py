"""The review report as JSON: one document per translated or reviewed file
(`build` for `translate --report`, `build_review` for `review`), and the
short summary `review --json` prints. The editor's HTML page is rendered
from this JSON by `page.render_html` (`write_html` here writes it).

Schema: source, output, target_lang, engine, segments [{id, block, kind,
source, translation, status}], suggestions [{id, category, severity,
original, suggestion, explanation, origin, status, check}], usage {step:
{calls, prompt_tokens, completion_tokens}}, terms (glossary statistics when
a glossary was used), counts, groups (open findings by kind),
segment_scores, and an MQM-style score: open issues weighted minor 1,
major 5, critical 25, per 1000 source words.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterable, Mapping

from translator.document import SEVERITIES, SEVERITY_WEIGHT, Document, Suggestion
from translator.qa.words import count_words

GATE_MIN_WORDS = 500  # the --max-penalty gate counts a shorter text as this many words


def build(doc: Document, outcome, *, target_lang: str, engine: str, output: str | None = None) -> dict[str, Any]:
    """The report of one `translate` run (schema above)."""
    segments = _translate_segments(doc, outcome)
    data = {
        "mode": "translate",
        "source": doc.path,
        "output": output,
        "format": doc.format,
        "source_lang": doc.source_lang,
        "target_lang": target_lang,
        "engine": engine,
        "encoding": {"name": doc.encoding.name, "repairs": list(doc.encoding.repairs)},
        "warnings": list(doc.warnings),
        "segments": segments,
        "suggestions": [suggestion_dict(s) for s in outcome.suggestions],
        "usage": usage_dict(outcome.usage),
        "terms": terms_dict(getattr(outcome, "terms", None)),
        "edited": sum(1 for s in segments if s["status"] == "edited"),  # kept from the editor's changes
        "revisions": revisions_dict(getattr(outcome, "revisions", None) or [], outcome),
    }
    words = sum(count_words(s.source) for s in doc.segments)
    return _finish(data, outcome.suggestions, words)


def _translate_segments(doc: Document, outcome) -> list[dict[str, Any]]:
    kinds = {b.index: b.kind for b in doc.blocks}
    return [
        {"id": s.id, "block": s.block, "kind": kinds.get(s.block, ""), "source": s.source,
         "translation": outcome.translations[s.id].text, "status": outcome.translations[s.id].status}
        for s in doc.segments
    ]


def usage_dict(usage: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Tokens and calls per step; the gate's counts (discarded, rejected) only when there are any."""
    return {step: {k: v for k, v in asdict(u).items() if v or k not in ("discarded", "rejected")}
            for step, u in usage.items()}


def revisions_dict(verdicts, outcome=None) -> dict[str, Any]:
    """What the loop did with the critic's work, in the order it happened:
    `asked` segments went to the reviser, which gave `unchanged` of them back
    as they were (no revision, so nothing for the gate); the gate then
    `accepted` or `rejected` each revision that changed its draft (revision.py),
    per revision with the draft, the reviser's text and why it was refused.
    `suggestions` counts the critic's suggestions by their final status: one
    is "rejected" when the reviser ignored it as well as when the gate refused
    its revision, so it need not match the gate's counts; `mapped` of them
    quoted the source or a whole sentence and were mapped to the draft's words
    (engines/llm/rescue.py)."""
    llm = [s for s in getattr(outcome, "suggestions", []) if s.origin == "llm" and s.check != "llm-failed"]
    return {
        "asked": len(getattr(outcome, "asked", ())),
        "unchanged": len(getattr(outcome, "unchanged", ())),
        "accepted": sum(1 for v in verdicts if v.accepted),
        "rejected": sum(1 for v in verdicts if not v.accepted),
        "suggestions": {status: sum(1 for s in llm if s.status == status) for status in ("open", "applied", "rejected")}
        | {"mapped": sum(1 for s in llm if s.check in ("source-span", "rewrite"))},
        "items": [{"id": v.id, "status": "accepted" if v.accepted else "rejected", "reason": v.reason,
                   "draft": v.draft, "proposed": v.revised} for v in verdicts],
    }


def build_review(review, *, fail_on: str | None = None, max_penalty: float | None = None) -> dict[str, Any]:
    """The report of one `review` (a `review.Review`): the same schema;
    segments are the aligned units (a missing block has an empty
    translation, text only in the translation an empty source)."""
    src, tgt = review.source, review.target
    data = {
        "mode": "review" if src is not None else "target-only",
        "source": src.path if src is not None else None,
        "output": tgt.path,
        "format": tgt.format,
        "source_lang": review.source_lang,
        "target_lang": review.target_lang,
        "engine": "review",
        "encoding": {"name": tgt.encoding.name, "repairs": list(tgt.encoding.repairs)},
        "warnings": list(tgt.warnings) + (list(src.warnings) if src is not None else []),
        "segments": _review_segments(review.units),
        "suggestions": [suggestion_dict(s) for s in review.suggestions],
        "usage": dict(getattr(review, "usage", None) or {}),
        "terms": terms_dict(review.terms),
    }
    data = _finish(data, review.suggestions, review.words)
    if fail_on is not None:
        data["gate"] = gate_dict(review.suggestions, data["score"], fail_on, max_penalty)
    return data


def _review_segments(units) -> list[dict[str, Any]]:
    return [{"id": u.id, "block": u.block, "kind": u.kind, "source": u.source if u.source is not None else "",
             "translation": u.target, "status": u.status} for u in units]


def gate_dict(suggestions: Iterable[Suggestion], mqm: Mapping[str, Any], fail_on: str,
              max_penalty: float | None) -> dict[str, Any]:
    """`review --fail-on`: passed when no open suggestion is at least `fail_on` and the
    penalty rate is at most `max_penalty`."""
    blocking = [s for s in suggestions if s.status == "open"
                and SEVERITIES.index(s.severity) >= SEVERITIES.index(fail_on)]
    # a short text counts as GATE_MIN_WORDS words: one slip in a 200-word note is not 25 per 1000
    rate = mqm["penalty"] * 1000 / max(mqm["words"], GATE_MIN_WORDS)
    over = max_penalty is not None and rate > max_penalty
    return {"fail_on": fail_on, "passed": not blocking and not over, "blocking": len(blocking),
            "max_penalty": max_penalty, "over_max_penalty": over}


def groups(suggestions: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Open findings grouped by kind (check and severity), most weighty
    first: one line for forty non-words, with the count, the segments and
    the first spans."""
    by: dict[tuple[str, str], dict[str, Any]] = {}
    for s in suggestions:
        if s["status"] != "open":
            continue
        key = (s.get("check") or s.get("origin") or "", s["severity"])
        g = by.setdefault(key, {"check": key[0], "severity": key[1], "category": s["category"], "count": 0,
                                "ids": [], "spans": [], "explanation": s["explanation"]})
        g["count"] += 1
        if s["id"] not in g["ids"]:
            g["ids"].append(s["id"])
        span = s.get("original") or ""
        if span and span not in g["spans"] and len(g["spans"]) < 8:
            g["spans"].append(span)
    out = sorted(by.values(), key=lambda g: (-SEVERITY_WEIGHT[g["severity"]] * g["count"], g["check"]))
    return out


def segment_scores(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per segment: open MQM penalty, words (of the source, else the
    translation) and a 0–100 score (qe.segment_score), worst first."""
    from translator.qa.qe import segment_score

    pen: Counter = Counter()
    for s in data.get("suggestions", []):
        if s["status"] == "open":
            pen[s["id"]] += SEVERITY_WEIGHT[s["severity"]]
    out = []
    for seg in data.get("segments", []):
        words = count_words(seg.get("source") or seg.get("translation") or "")
        p = pen.get(seg["id"], 0)
        out.append({"id": seg["id"], "penalty": p, "words": words,
                    "score": segment_score(p, words)})
    out.sort(key=lambda r: (r["score"], -r["penalty"]))
    return out


def suggestion_dict(s: Suggestion) -> dict[str, str]:
    return {k: v for k, v in asdict(s).items()}


def terms_dict(stats) -> dict | None:
    """Glossary statistics as JSON (whatever shape `terms.stats` returns)."""
    if stats is None:
        return None
    if dataclasses.is_dataclass(stats) and not isinstance(stats, type):
        data = json.loads(json.dumps(asdict(stats), default=_jsonable))
    elif hasattr(stats, "to_dict"):
        data = stats.to_dict()
    elif isinstance(stats, Mapping):
        data = json.loads(json.dumps(dict(stats), default=_jsonable))
    else:
        return None
    found, ok = data.get("found"), data.get("satisfied")
    if isinstance(found, int) and isinstance(ok, int) and "success_rate" not in data:
        data["success_rate"] = round(ok / found, 4) if found else None
    return data


def _jsonable(o):
    if dataclasses.is_dataclass(o):
        return asdict(o)
    if isinstance(o, (set, frozenset)):
        return sorted(o, key=str)  # not hash order: the same report every run
    if isinstance(o, tuple):
        return list(o)
    return str(o)


def score(suggestions: Iterable[Suggestion], words: int) -> dict[str, Any]:
    """MQM-style: open issues weighted minor 1, major 5, critical 25, per 1000 words."""
    penalty = sum(SEVERITY_WEIGHT[s.severity] for s in suggestions if s.status == "open")
    return {"words": words, "penalty": penalty,
            "mqm_per_1000_words": round(penalty * 1000 / max(words, 1), 2)}


def counts(suggestions: Iterable[Suggestion]) -> dict[str, Any]:
    items = list(suggestions)
    open_ = [s for s in items if s.status == "open"]
    return {
        "total": len(items),
        "open": {sev: sum(1 for s in open_ if s.severity == sev) for sev in SEVERITIES},
        "by_category": dict(Counter(s.category for s in open_)),
        "by_check": dict(Counter(s.check or s.origin for s in open_)),
        "by_status": dict(Counter(s.status for s in items)),
    }


def _finish(data: dict, suggestions, words: int) -> dict:
    data["counts"] = counts(suggestions)
    data["score"] = score(suggestions, words)
    data["groups"] = groups(data["suggestions"])
    data["segment_scores"] = segment_scores(data)
    return data


def summary(data: Mapping[str, Any]) -> dict[str, Any]:
    """The short machine summary (`review --json`)."""
    keep = ("mode", "source", "output", "source_lang", "target_lang", "counts", "score", "gate")
    out = {k: data[k] for k in keep if k in data}
    out["issues"] = [s for s in data["suggestions"] if s["status"] == "open"]
    if "groups" in data:
        out["groups"] = data["groups"]
    if data.get("segment_scores"):
        out["worst_segments"] = [r for r in data["segment_scores"][:10] if r["penalty"]]
    if data.get("terms") is not None:
        out["terms"] = data["terms"]
    return out


def write_json(data: Mapping[str, Any], path: Path) -> None:
    from translator.io.writer import write_text

    write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_html(data: Mapping[str, Any], path: Path) -> None:
    """The editor's page for `data` (see page.py)."""
    from translator.io.writer import write_text
    from translator.report.page import render_html

    write_text(path, render_html(data))
