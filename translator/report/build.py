"""The review report: one JSON document per translated or reviewed file, and
one self-contained HTML page for editors rendered from that JSON.

JSON (`build` for `translate --report`, `build_review` for `review`):
source, output, target_lang, engine, segments [{id, block, kind, source,
translation, status}], suggestions [{id, category, severity, original,
suggestion, explanation, origin, status, check}], usage {step: {calls,
prompt_tokens, completion_tokens}}, terms (glossary statistics when a
glossary was used), counts, and an MQM-style score: open issues weighted
minor 1, major 5, critical 25, per 1000 source words.

HTML (`render_html`): source and translation side by side per block, each
suggestion coloured by severity with its `original` span highlighted in the
translation, filters by severity, category and status (a few lines of
vanilla JS that only toggle classes), the glossary hits, the score and the
counts. No network: no external fonts, styles or scripts, and a
Content-Security-Policy that allows only the page's own script (by hash),
so even text that escaped escaping could not run. All text is escaped.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import json
import re
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterable, Mapping

from translator.document import CATEGORIES, SEVERITIES, SEVERITY_WEIGHT, Document, Suggestion, strip_placeholders
from translator.qa.words import count_words

STATUSES = ("open", "applied", "rejected")
GATE_MIN_WORDS = 500  # the --max-penalty gate counts a shorter text as this many words


# --- JSON --------------------------------------------------------------------


def build(doc: Document, outcome, *, target_lang: str, engine: str, output: str | None = None) -> dict[str, Any]:
    """The report of one `translate` run (schema above)."""
    kinds = {b.index: b.kind for b in doc.blocks}
    segments = [
        {"id": s.id, "block": s.block, "kind": kinds.get(s.block, ""), "source": s.source,
         "translation": outcome.translations[s.id].text, "status": outcome.translations[s.id].status}
        for s in doc.segments
    ]
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
        "usage": {step: {k: v for k, v in asdict(u).items() if v or k not in ("discarded", "rejected")}
                  for step, u in outcome.usage.items()},  # the gate's counts when there are any
        "terms": terms_dict(getattr(outcome, "terms", None)),
        "edited": sum(1 for s in segments if s["status"] == "edited"),  # kept from the editor's changes
        "revisions": revisions_dict(getattr(outcome, "revisions", None) or []),
    }
    words = sum(count_words(s.source) for s in doc.segments)
    return _finish(data, outcome.suggestions, words)


def revisions_dict(verdicts) -> dict[str, Any]:
    """What the revision gate decided (revision.py): counts, and per revision
    the draft, the reviser's text and, when it was refused, why."""
    return {
        "accepted": sum(1 for v in verdicts if v.accepted),
        "rejected": sum(1 for v in verdicts if not v.accepted),
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
        "segments": [
            {"id": u.id, "block": u.block, "kind": u.kind, "source": u.source if u.source is not None else "",
             "translation": u.target, "status": u.status}
            for u in review.units
        ],
        "suggestions": [suggestion_dict(s) for s in review.suggestions],
        "usage": dict(getattr(review, "usage", None) or {}),
        "terms": terms_dict(review.terms),
    }
    data = _finish(data, review.suggestions, review.words)
    if fail_on is not None:
        blocking = [s for s in review.suggestions if s.status == "open"
                    and SEVERITIES.index(s.severity) >= SEVERITIES.index(fail_on)]
        # a short text counts as GATE_MIN_WORDS words: one slip in a 200-word note is not 25 per 1000
        rate = data["score"]["penalty"] * 1000 / max(data["score"]["words"], GATE_MIN_WORDS)
        over = max_penalty is not None and rate > max_penalty
        data["gate"] = {"fail_on": fail_on, "passed": not blocking and not over, "blocking": len(blocking),
                        "max_penalty": max_penalty, "over_max_penalty": over}
    return data


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
    if dataclasses.is_dataclass(stats):
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
    from translator.io.writer import write_text

    write_text(path, render_html(data))


# --- HTML --------------------------------------------------------------------


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


_PH_ESCAPED = re.compile(r"&lt;/?\d{1,3}/?&gt;")


def _text_html(text: str) -> str:
    """Escaped text; placeholder tokens shown as small tags."""
    return _PH_ESCAPED.sub(lambda m: f'<span class="ph">{m.group(0)}</span>', _e(text))


def highlight(text: str, marks: list[tuple[int, Mapping[str, str]]]) -> str:
    """The translation with each suggestion's `original` marked (first
    occurrence; the most severe wins where spans overlap)."""
    spans: list[tuple[int, int, int, Mapping[str, str]]] = []
    order = sorted(marks, key=lambda km: -SEVERITIES.index(km[1]["severity"]))
    for k, s in order:
        orig = s.get("original") or ""
        if not orig:
            continue
        at = text.find(orig)
        while at >= 0 and any(a < at + len(orig) and at < b for a, b, _, _ in spans):
            at = text.find(orig, at + 1)
        if at >= 0:
            spans.append((at, at + len(orig), k, s))
    spans.sort()
    out, pos = [], 0
    for a, b, k, s in spans:
        out.append(_text_html(text[pos:a]))
        out.append(f'<mark class="hl sev-{_e(s["severity"])}" data-k="{k}" data-sev="{_e(s["severity"])}" '
                   f'data-cat="{_e(s["category"])}" data-st="{_e(s["status"])}" '
                   f'title="{_e(s["category"])} · {_e(s["severity"])}: {_e(s["explanation"])}">'
                   f"{_text_html(text[a:b])}</mark>")
        pos = b
    out.append(_text_html(text[pos:]))
    return "".join(out)


def _sugg_li(k: int, s: Mapping[str, str]) -> str:
    fix = ""
    if s.get("original") or s.get("suggestion"):
        left = f'<q class="orig">{_text_html(s["original"])}</q>' if s.get("original") else '<i>(missing)</i>'
        right = f' → <q class="fix">{_text_html(s["suggestion"])}</q>' if s.get("suggestion") else ""
        fix = f' <span class="fixline">{left}{right}</span>'
    status = f' <span class="st">{_e(s["status"])}</span>' if s["status"] != "open" else ""
    return (f'<li class="sug sev-{_e(s["severity"])}" id="k{k}" data-sev="{_e(s["severity"])}" '
            f'data-cat="{_e(s["category"])}" data-st="{_e(s["status"])}">'
            f'<span class="badge">{_e(s["severity"])}</span> <span class="cat">{_e(s["category"])}</span>'
            f'<span class="chk">{_e(s.get("check") or s.get("origin", ""))}</span>{status}{fix}'
            f'<div class="why">{_e(s["explanation"])}</div></li>')


def _blocks(segments: list[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    out: list[list[Mapping[str, Any]]] = []
    key = None
    for seg in segments:
        k = (seg.get("block"), seg.get("status") in ("added",))
        if not out or k != key:
            out.append([])
            key = k
        out[-1].append(seg)
    return out


_CSS = """
:root{--minor:#fff3bf;--minor-b:#f0c000;--major:#ffd8a8;--major-b:#e8590c;--critical:#ffc9c9;--critical-b:#c92a2a}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#212529;background:#f8f9fa}
header{padding:16px 24px;background:#fff;border-bottom:1px solid #dee2e6}
h1{font-size:20px;margin:0 0 4px}
.meta{color:#495057;margin:0 0 12px;font-size:13px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:#f1f3f5;border-radius:6px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:22px}
.card span{font-size:12px;color:#495057}
.card.minor{background:var(--minor)}.card.major{background:var(--major)}.card.critical{background:var(--critical)}
.card.pass{background:#d3f9d8}.card.fail{background:#ffc9c9}
#filters{position:sticky;top:0;z-index:2;background:#fff;padding:8px 24px;border-bottom:1px solid #dee2e6;font-size:13px}
#filters fieldset{display:inline-block;border:0;margin:0 16px 0 0;padding:0}
#filters legend{float:left;font-weight:600;margin-right:6px}
#filters label{margin-right:8px;white-space:nowrap}
main{padding:16px 24px}
section,details{margin-bottom:18px}
details summary{cursor:pointer;padding:6px 0}
h2{font-size:16px;margin:0 0 8px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #dee2e6;padding:6px 8px;vertical-align:top;text-align:left}
#side td.src,#side td.tgt{width:46%}
#side td.kind{width:4%;color:#868e96;font-size:12px;white-space:nowrap}
#side thead th{background:#e9ecef;position:sticky;top:38px;z-index:1}
.seg{display:block;margin-bottom:4px}
.sid{color:#adb5bd;font-size:11px;margin-right:4px;user-select:none}
.ph{font:11px monospace;color:#5c7cfa;background:#edf2ff;border-radius:3px;padding:0 2px}
mark.hl{border-bottom:2px solid;padding:0 1px;border-radius:2px}
mark.sev-minor{background:var(--minor);border-color:var(--minor-b)}
mark.sev-major{background:var(--major);border-color:var(--major-b)}
mark.sev-critical{background:var(--critical);border-color:var(--critical-b)}
ul.sugs{list-style:none;margin:6px 0 0;padding:0}
li.sug{border-left:4px solid;padding:3px 8px;margin:3px 0;background:#f8f9fa;font-size:13px}
li.sev-minor{border-color:var(--minor-b)}li.sev-major{border-color:var(--major-b)}li.sev-critical{border-color:var(--critical-b)}
.badge{font-weight:700;text-transform:uppercase;font-size:11px}
.cat{color:#495057}.chk{color:#868e96;font:11px monospace;margin-left:6px}.st{font-size:11px;background:#e9ecef;border-radius:3px;padding:0 4px}
.why{color:#343a40}
q.orig{background:#fff0f0;quotes:none}q.fix{background:#ebfbee;quotes:none}
tr.missing td.tgt,tr.added td.src{background:repeating-linear-gradient(45deg,#fff,#fff 6px,#f1f3f5 6px,#f1f3f5 12px)}
.tag{font-size:11px;background:#e9ecef;border-radius:3px;padding:0 4px;margin-left:4px}
.ok{color:#2b8a3e}.bad{color:#c92a2a}
.hidden-by-filter{display:none}
body.only-issues tr.quiet{display:none}
"""

_JS = """(function(){"use strict";
var root=document.documentElement,errors=0;
window.addEventListener("error",function(){errors++;root.setAttribute("data-errors",String(errors));});
function init(){
var boxes=Array.prototype.slice.call(document.querySelectorAll("#filters input[data-f]"));
var only=document.getElementById("only-issues");
var items=Array.prototype.slice.call(document.querySelectorAll("li.sug,mark.hl"));
var rows=Array.prototype.slice.call(document.querySelectorAll("#side tbody tr"));
function apply(){
var off={};
boxes.forEach(function(b){if(!b.checked){off[b.getAttribute("data-f")]=1;}});
var shown=0;
items.forEach(function(el){
var hide=off["sev-"+el.getAttribute("data-sev")]||off["cat-"+el.getAttribute("data-cat")]||off["st-"+el.getAttribute("data-st")];
el.classList.toggle("hidden-by-filter",!!hide);
if(!hide&&el.tagName==="LI"){shown++;}
});
rows.forEach(function(r){r.classList.toggle("quiet",!r.querySelector("li.sug:not(.hidden-by-filter)"));});
document.body.classList.toggle("only-issues",!!(only&&only.checked));
var c=document.getElementById("shown");if(c){c.textContent=String(shown);}
}
boxes.forEach(function(b){b.addEventListener("change",apply);});
if(only){only.addEventListener("change",apply);}
apply();
root.setAttribute("data-ready","1");
}
if(document.readyState==="loading"){document.addEventListener("DOMContentLoaded",init);}else{init();}
window.addEventListener("load",function(){root.setAttribute("data-load-ms",String(Math.round(performance.now())));});
})();"""


def render_html(data: Mapping[str, Any]) -> str:
    """The editor's page for a report dict (from `build` or `build_review`)."""
    segs = list(data.get("segments", []))
    suggs = list(data.get("suggestions", []))
    seg_ids = {s["id"] for s in segs}
    by_seg: dict[str, list[tuple[int, Mapping[str, str]]]] = {}
    loose: list[tuple[int, Mapping[str, str]]] = []
    for k, s in enumerate(suggs):
        (by_seg.setdefault(s["id"], []) if s["id"] in seg_ids else loose).append((k, s))
    has_source = data.get("mode") != "target-only"
    src_lang, tgt_lang = data.get("source_lang") or "?", data.get("target_lang") or "?"
    c = data.get("counts") or counts([])
    sc = data.get("score") or {}
    title = Path(str(data.get("output") or data.get("source") or "document")).name

    out: list[str] = []
    w = out.append
    script_hash = base64.b64encode(hashlib.sha256(_JS.encode()).digest()).decode()
    w("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
    w(f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      f"style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{script_hash}'\">")
    w('<meta name="viewport" content="width=device-width, initial-scale=1">')
    w(f"<title>Review · {_e(title)}</title><style>{_CSS}</style></head><body>")

    # header: what, score, counts, gate
    w(f"<header><h1>Review of {_e(title)}</h1><p class=\"meta\">")
    meta = [f"{_e(src_lang)} → {_e(tgt_lang)}" if has_source else f"target-only ({_e(tgt_lang)})",
            f"mode: {_e(data.get('mode', ''))}", f"engine: {_e(data.get('engine', ''))}"]
    if data.get("source"):
        meta.append(f"source: {_e(data['source'])}")
    if data.get("output"):
        meta.append(f"translation: {_e(data['output'])}")
    if data.get("edited"):
        meta.append(f"{_e(data['edited'])} segment{'s' if data['edited'] != 1 else ''} kept from your edits")
    w(" · ".join(meta) + "</p><div class=\"cards\" id=\"counts\" "
      + " ".join(f'data-{sev}="{c["open"].get(sev, 0)}"' for sev in SEVERITIES)
      + f' data-total="{c.get("total", 0)}">')
    w(f'<div class="card score"><b id="score">{_e(sc.get("mqm_per_1000_words", 0))}</b>'
      f'<span>MQM penalty per 1000 words ({_e(sc.get("penalty", 0))} on {_e(sc.get("words", 0))} words)</span></div>')
    for sev in reversed(SEVERITIES):
        w(f'<div class="card {sev}"><b id="n-{sev}">{c["open"].get(sev, 0)}</b><span>open {sev}</span></div>')
    w(f'<div class="card"><b id="n-total">{c.get("total", 0)}</b><span>suggestions in all · '
      f'<span id="shown">{c.get("total", 0)}</span> shown</span></div>')
    gate = data.get("gate")
    if gate:
        ok = gate.get("passed")
        w(f'<div class="card {"pass" if ok else "fail"}" id="gate"><b>{"PASS" if ok else "FAIL"}</b>'
          f'<span>gate at --fail-on {_e(gate.get("fail_on"))}: {_e(gate.get("blocking", 0))} blocking</span></div>')
    w("</div></header>")

    # filters
    present_cats = [cat for cat in CATEGORIES if any(s["category"] == cat for s in suggs)]
    present_cats += sorted({s["category"] for s in suggs} - set(present_cats))
    statuses = [st for st in STATUSES if any(s["status"] == st for s in suggs)] or ["open"]
    w('<nav id="filters"><fieldset><legend>Severity</legend>')
    for sev in reversed(SEVERITIES):
        n = sum(1 for s in suggs if s["severity"] == sev)
        w(f'<label><input type="checkbox" data-f="sev-{sev}" checked> {sev} ({n})</label>')
    w("</fieldset><fieldset><legend>Category</legend>")
    for cat in present_cats:
        n = sum(1 for s in suggs if s["category"] == cat)
        w(f'<label><input type="checkbox" data-f="cat-{_e(cat)}" checked> {_e(cat)} ({n})</label>')
    w("</fieldset><fieldset><legend>Status</legend>")
    for st in statuses:
        n = sum(1 for s in suggs if s["status"] == st)
        checked = " checked" if st == "open" else ""
        w(f'<label><input type="checkbox" data-f="st-{_e(st)}"{checked}> {_e(st)} ({n})</label>')
    w('</fieldset><label><input type="checkbox" id="only-issues"> only blocks with issues</label></nav><main>')

    if data.get("warnings"):
        w("<section><h2>Warnings</h2><ul>" + "".join(f"<li>{_e(x)}</li>" for x in data["warnings"]) + "</ul></section>")
    if loose:
        w('<section id="doc-issues"><h2>Whole document</h2><ul class="sugs">')
        w("".join(_sugg_li(k, s) for k, s in loose))
        w("</ul></section>")
    _glossary_html(data.get("terms"), w)
    _quality_html(data, w)

    # side by side
    w('<section><h2>Side by side</h2><table id="side"><thead><tr><th>block</th>')
    if has_source:
        w(f"<th>Source ({_e(src_lang)})</th>")
    w(f"<th>Translation ({_e(tgt_lang)})</th></tr></thead><tbody>")
    for group in _blocks(segs):
        status = group[0].get("status", "")
        cls = {"missing": "missing", "added": "added"}.get(status, "")
        w(f'<tr class="{cls}"><td class="kind">{_e(group[0].get("kind", ""))}'
          f'{"<span class=tag>" + _e(status) + "</span>" if cls else ""}</td>')
        if has_source:
            w('<td class="src" lang="' + _e(src_lang) + '">')
            for seg in group:
                if seg.get("source"):
                    w(f'<span class="seg"><span class="sid">{_e(seg["id"])}</span>{_text_html(seg["source"])}</span>')
            w("</td>")
        w('<td class="tgt" lang="' + _e(tgt_lang) + '">')
        lis = []
        for seg in group:
            marks = by_seg.get(seg["id"], [])
            if seg.get("translation"):
                extra = "" if seg.get("status") in ("translated", "aligned", "block", "target-only", "added", "draft") \
                    else f'<span class="tag">{_e(seg.get("status", ""))}</span>'
                w(f'<span class="seg" id="seg-{_e(seg["id"])}"><span class="sid">{_e(seg["id"])}</span>'
                  f'{highlight(seg["translation"], marks)}{extra}</span>')
            lis.extend(_sugg_li(k, s) for k, s in marks)
        if lis:
            w('<ul class="sugs">' + "".join(lis) + "</ul>")
        w("</td></tr>")
    w("</tbody></table></section></main>")
    w(f"<script>{_JS}</script></body></html>\n")
    return "".join(out)


def _glossary_html(terms: Any, w) -> None:
    """The glossary statistics, folded: a one-line headline (terms kept,
    violations), then the per-term table, whatever its exact columns."""
    if not terms:
        return
    scalars = {k: v for k, v in terms.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)}
    if "found" in scalars and "satisfied" in scalars:
        rate = scalars.get("success_rate")
        broken = terms.get("violations", 0)
        broken = len(broken) if isinstance(broken, (list, tuple)) else broken
        head = (f"{scalars['satisfied']}/{scalars['found']} glossary terms kept"
                + (f" ({rate:.0%})" if isinstance(rate, (int, float)) else "")
                + f" · {broken} violations")
    elif "forbidden_found" in scalars:
        head = f"{scalars['forbidden_found']} forbidden renderings found"
    else:
        head = " · ".join(f"{k.replace('_', ' ')}: {v}" for k, v in scalars.items())
    w(f'<details id="glossary"><summary><b>Glossary</b> · <span id="glossary-head">{_e(head)}</span></summary>')
    for key, value in terms.items():
        if isinstance(value, list) and value and all(isinstance(x, Mapping) for x in value):
            cols = list(dict.fromkeys(col for row in value for col in row))
            w("<table><thead><tr>" + "".join(f"<th>{_e(col)}</th>" for col in cols) + "</tr></thead><tbody>")
            for row in value:
                w("<tr>" + "".join(f"<td>{_e(_cell(row.get(col, '')))}</td>" for col in cols) + "</tr>")
            w("</tbody></table>")
        elif isinstance(value, Mapping) and value:
            w(f"<h3>{_e(key.replace('_', ' '))}</h3><table><tbody>")
            for k2, v2 in value.items():
                w(f"<tr><th>{_e(k2)}</th><td>{_e(_cell(v2))}</td></tr>")
            w("</tbody></table>")
        elif isinstance(value, list) and value:
            w(f"<p>{_e(key.replace('_', ' '))}: {_e(', '.join(map(_cell, value)))}</p>")
    w("</details>")


def _cell(v: Any) -> str:
    if isinstance(v, (list, tuple, set, frozenset)):
        return ", ".join(map(_cell, sorted(v, key=str) if isinstance(v, (set, frozenset)) else v))
    if isinstance(v, Mapping):
        return ", ".join(f"{k}: {_cell(x)}" for k, x in v.items())
    return str(v)


def score_histogram_svg(scores: list[float], width: int = 320, height: int = 120) -> str:
    """A small inline SVG bar chart of segment scores in ten bins (0–10 … 90–100)."""
    bins = [0] * 10
    for v in scores:
        bins[min(9, int(v // 10))] += 1
    top = max(bins) or 1
    bw = (width - 30) / 10
    bars = []
    for i, n in enumerate(bins):
        h = (height - 30) * n / top
        x, y = 25 + i * bw, height - 18 - h
        color = "#c92a2a" if i < 5 else "#e8590c" if i < 8 else "#2b8a3e"
        bars.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" fill="{color}">'
                    f"<title>{i * 10}–{i * 10 + 10}: {n} segment{'s' if n != 1 else ''}</title></rect>")
        if n:
            bars.append(f'<text x="{x + bw / 2 - 1:.1f}" y="{y - 2:.1f}" text-anchor="middle">{n}</text>')
    labels = "".join(f'<text x="{25 + i * bw:.1f}" y="{height - 5}" text-anchor="middle">{i * 10}</text>'
                     for i in range(0, 11, 2))
    return (f'<svg id="score-plot" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-size="9" font-family="sans-serif" role="img" aria-label="segment scores">'
            f'<line x1="24" y1="{height - 18}" x2="{width - 4}" y2="{height - 18}" stroke="#868e96"/>'
            + "".join(bars) + labels + "</svg>")


def _quality_html(data: Mapping[str, Any], w) -> None:
    """Findings grouped by kind, the distribution of segment scores, and the worst segments first."""
    rows = data.get("segment_scores") or []
    if not rows:
        return
    by_id = {s["id"]: s for s in data.get("segments", [])}
    w('<section id="quality"><h2>Segment scores</h2><div style="display:flex;gap:24px;flex-wrap:wrap">')
    w(f'<figure style="margin:0">{score_histogram_svg([r["score"] for r in rows])}'
      f'<figcaption style="font-size:12px;color:#495057">{len(rows)} segments by score (100 = no issue found)'
      f"</figcaption></figure>")
    grouped = data.get("groups") or []
    if grouped:
        w('<table id="groups" style="width:auto"><thead><tr><th>finding</th><th>severity</th><th>count</th>'
          "<th>examples</th></tr></thead><tbody>")
        for g in grouped[:15]:
            w(f'<tr><td>{_e(g["check"])}</td><td>{_e(g["severity"])}</td><td>{g["count"]}</td>'
              f'<td>{_e(", ".join(_clipped(x) for x in g["spans"][:4]))}</td></tr>')
        w("</tbody></table>")
    w("</div>")
    worst = [r for r in rows if r["penalty"]][:10]
    if worst:
        w('<h3>Worst segments</h3><table id="worst"><thead><tr><th>segment</th><th>score</th><th>penalty</th>'
          "<th>translation</th></tr></thead><tbody>")
        for r in worst:
            seg = by_id.get(r["id"], {})
            w(f'<tr><td><a href="#seg-{_e(r["id"])}">{_e(r["id"])}</a></td><td>{r["score"]}</td>'
              f'<td>{r["penalty"]}</td><td>{_e(_clipped(seg.get("translation") or "", 160))}</td></tr>')
        w("</tbody></table>")
    w("</section>")


def _clipped(text: str, n: int = 40) -> str:
    text = " ".join(strip_placeholders(str(text)).split())
    return text if len(text) <= n else text[: n - 1] + "…"
