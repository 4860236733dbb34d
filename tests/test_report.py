"""The report: JSON schema and score, the HTML page (escaping, filters,
self-containment), and the page in headless Chromium."""

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from translator.report import build as report
from translator.report.marks import highlight
from translator.report.page import render_html
from translator.report.svg import score_histogram_svg

from translator.qa import review
from translator.pipeline.agents import Outcome
from translator.document import Suggestion, Translation, Usage
from translator.io.reader import parse

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "review"
EVIL = '<script>alert("x")</script><img src=x onerror="alert(1)"> & "quotes" \u2028'


def S(id_, sev, cat="accuracy", original="", status="open", check="numbers"):
    return Suggestion(id_, cat, sev, original, "fix", "why", "check", status, check)


# --- JSON ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "severities, words, expected",
    [
        ([], 100, 0.0),
        (["minor"], 1000, 1.0),
        (["major"], 1000, 5.0),
        (["critical"], 1000, 25.0),
        (["critical", "major", "major", "minor"], 200, 180.0),  # (25 + 10 + 1) per 200 words
        (["major"], 0, 5000.0),  # no words: counted as one
    ],
)
def test_score(severities, words, expected):
    got = report.score([S("s1", sev) for sev in severities] + [S("s1", "critical", status="applied")], words)
    assert got["mqm_per_1000_words"] == expected


def test_build_translate_report_schema():
    doc = parse("<h1>Hello world</h1><p>It has 7 layers.</p>", "html", source_lang="en")
    outcome = Outcome(
        {"s1": Translation("s1", "Hola mundo"), "s2": Translation("s2", "Tiene capas.")},
        [S("s2", "major", original=""), S("s1", "minor", status="applied")],
        {"translate": Usage(1, 10, 5), "critique": Usage(), "revise": Usage()},
    )
    data = report.build(doc, outcome, target_lang="es", engine="fake", output="out.html")
    assert {"source", "target_lang", "engine", "segments", "suggestions", "usage", "score", "counts"} <= set(data)
    assert data["segments"][0] == {"id": "s1", "block": 0, "kind": "h1", "source": "Hello world",
                                   "translation": "Hola mundo", "status": "translated"}
    assert set(data["suggestions"][0]) == {"id", "category", "severity", "original", "suggestion", "explanation",
                                           "origin", "status", "check"}
    assert data["usage"]["translate"] == {"calls": 1, "prompt_tokens": 10, "completion_tokens": 5}
    assert data["score"] == {"words": 6, "penalty": 5, "mqm_per_1000_words": 833.33}
    assert data["counts"]["open"] == {"minor": 0, "major": 1, "critical": 0}
    json.dumps(data)  # serialisable


def test_build_review_gate_and_summary():
    r = review.review_files(FIX / "issue-07.es.html", source=FIX / "issue-07.en.html", target_lang="es")
    data = report.build_review(r, fail_on="minor")
    assert data["mode"] == "review" and data["engine"] == "review"
    assert data["gate"] == {"fail_on": "minor", "passed": True, "blocking": 0, "max_penalty": None,
                            "over_max_penalty": False}
    assert len(data["segments"]) == 20
    summary = report.summary(data)
    assert summary["issues"] == [] and summary["gate"]["passed"]


# --- HTML ---------------------------------------------------------------------------


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(name for name, _ in attrs)


def evil_report() -> dict:
    doc = parse("<p>Hello there, world.</p><p>Second one here.</p>", "html", source_lang="en")
    outcome = Outcome(
        {"s1": Translation("s1", "Hola " + EVIL), "s2": Translation("s2", "Segundo <1> aquí.")},
        [Suggestion("s1", "accuracy", "critical", EVIL, EVIL, EVIL, "llm", "open", "x"),
         Suggestion("zz", "markup", "minor", "", "", "</ul></table><script>bad()</script>", "check", "open", "y")],
    )
    return report.build(doc, outcome, target_lang="es", engine=EVIL, output="o.html")


def test_html_escapes_everything():
    page = render_html(evil_report())
    p = Tags()
    p.feed(page)
    assert p.tags.count("script") == 1  # ours only
    assert "onerror" not in p.attrs
    assert "alert(" not in page.split("<script>")[-1]  # not in our script
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "bad()" not in page.split("<script>")[-1]


def test_html_csp_allows_only_our_script():
    page = render_html(evil_report())
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp


def test_html_is_self_contained():
    page = render_html(evil_report())
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page.split("<main>")[0])
    assert "@import" not in page and "<link" not in page


def test_html_highlights_the_span_and_shows_counts():
    r = review.review_files(FIX / "issue-07.es.html", source=FIX / "issue-07.en.html", target_lang="es")
    r.suggestions.append(Suggestion("s11", "accuracy", "major", "12.900 millones", "12.9", "changed", "check",
                                    "open", "numbers"))
    data = report.build_review(r, fail_on="major")
    page = render_html(data)
    assert re.search(r'<mark class="hl sev-major"[^>]*>12.900 millones</mark>', page)
    assert 'data-major="1"' in page and 'id="n-major">1<' in page
    assert "FAIL" in page
    assert page.count('class="src"') == page.count('class="tgt"') == 12  # one row per block


def test_highlight_prefers_severe_and_skips_overlaps():
    marks = [(0, {"original": "modelo grande", "severity": "minor", "category": "style", "status": "open",
                  "explanation": ""}),
             (1, {"original": "grande", "severity": "critical", "category": "accuracy", "status": "open",
                  "explanation": ""})]
    out = highlight("un modelo grande", marks)
    assert out.count("<mark") == 1 and 'data-k="1"' in out


def test_write_is_atomic(tmp_path):
    out = tmp_path / "sub" / "r.html"
    report.write_html(evil_report(), out)
    report.write_json(evil_report(), tmp_path / "r.json")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["r.html", "r.json"]


# --- headless Chromium ---------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def open_in_chromium(page: Path, profile: Path, *extra: str) -> tuple[str, str]:
    """Load a page headless; return (DOM after load, browser log)."""
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--enable-logging=stderr", "--v=0", *extra, "--dump-dom", page.as_uri()]
    env = {**os.environ, "LANG": "C.UTF-8"}
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    return done.stdout, done.stderr


def big_review() -> dict:
    """A 5,000-word newsletter reviewed against itself: every sentence
    'untranslated', so the page carries hundreds of suggestions."""
    page = (ROOT / "samples" / "ai-weekly-042.en.html").read_text(encoding="utf-8")
    head, body = page.split("<body>", 1)
    body = re.sub(r"<script.*?</script>", "", body.split("</body>", 1)[0], flags=re.S)
    text = head + "<body>" + "".join(f"<section>{body}</section>" for _ in range(5)) + "</body></html>"
    src = parse(text, "html", source_lang="en")
    tgt = parse(text, "html", source_lang="es")
    return report.build_review(review.review_documents(src, tgt, "es"), fail_on="critical")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_report_renders_in_chromium(tmp_path):
    r = review.review_files(FIX / "issue-07.es.html", source=FIX / "issue-07.en.html", target_lang="es")
    r.suggestions.append(Suggestion("s11", "accuracy", "major", "12.900 millones", "12.9", "changed", "check",
                                    "open", "numbers"))
    page = tmp_path / "report.html"
    report.write_html(report.build_review(r, fail_on="major"), page)
    dom, log = open_in_chromium(page, tmp_path / "profile")
    assert re.search(r'<html[^>]*data-ready="1"', dom), log[-2000:]
    assert not re.search(r"<html[^>]*data-errors", dom)
    assert "CONSOLE" not in log, [ln for ln in log.splitlines() if "CONSOLE" in ln]
    assert 'id="n-major">1<' in dom and '<span id="shown">1</span>' in dom
    assert "Side by side" in dom and "12.900 millones</mark>" in dom


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_report_of_5000_words_loads_fast(tmp_path):
    data = big_review()
    assert data["score"]["words"] >= 5000
    page = tmp_path / "big.html"
    report.write_html(data, page)
    evil = tmp_path / "evil.html"
    report.write_html(evil_report(), evil)
    dom, log = open_in_chromium(page, tmp_path / "profile")
    assert 'data-ready="1"' in dom and "CONSOLE" not in log
    load_ms = int(re.search(r'data-load-ms="(\d+)"', dom).group(1))
    print(f"5,000-word report: {len(data['suggestions'])} suggestions, loaded in {load_ms} ms")
    assert load_ms < 1000
    dom, log = open_in_chromium(evil, tmp_path / "profile")
    assert 'data-ready="1"' in dom and "CONSOLE" not in log  # nothing in the text ran or was blocked


def test_translate_term_stats_in_report_and_page():
    doc = parse("<p>A foundation model.</p>", "html", source_lang="en")
    outcome = Outcome({"s1": Translation("s1", "Un modelo base.")}, [],
                      terms={"found": 2, "satisfied": 1,
                             "violations": [{"id": "s1", "source": "foundation model", "target": "modelo fundacional"}]})
    data = report.build(doc, outcome, target_lang="es", engine="fake")
    assert data["terms"]["success_rate"] == 0.5
    page = render_html(data)
    assert "1/2 glossary terms kept (50%) · 1 violations" in page
    assert "<td>foundation model</td>" in page


# --- the page's pieces ---------------------------------------------------------------


@pytest.mark.parametrize(
    "scores, titles",
    [
        ([], ["0–10: 0 segments", "90–100: 0 segments"]),
        ([0, 5, 55.5, 99, 100, 100], ["0–10: 2 segments", "50–60: 1 segment<", "90–100: 3 segments"]),
    ],
)
def test_score_histogram_bins(scores, titles):
    svg = score_histogram_svg(scores)
    assert svg.startswith('<svg id="score-plot"') and svg.count("<rect") == 10
    for title in titles:
        assert title in svg


def test_glossary_statistics_of_any_shape_are_escaped():
    doc = parse("<p>A foundation model.</p>", "html", source_lang="en")
    outcome = Outcome({"s1": Translation("s1", "Un modelo base.")}, [],
                      terms={"forbidden_found": 1, "by_term": {"a<b": 2}, "tags": ["<y>", "z"]})
    page = re.sub(r">\n<", "><", render_html(report.build(doc, outcome, target_lang="es", engine="fake")))
    assert '<span id="glossary-head">1 forbidden renderings found</span>' in page
    assert "<h3>by term</h3><table><tbody><tr><th>a&lt;b</th><td>2</td></tr>" in page
    assert "<p>tags: &lt;y&gt;, z</p>" in page
