"""Markup that can run code, added by a translation, is a critical finding in
review and is never published by translate."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from translator.qa import unsafe
from translator.cli.main import app

runner = CliRunner()
ENV = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""}
needs_apertium = pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")

SRC = """<!DOCTYPE html>
<html><head><title>Weekly news</title></head>
<body>
<h1>Weekly news</h1>
<p>The new model is <b>fast</b> and it runs on a laptop.</p>
<p>Read the <a href="https://example.com/paper">paper</a> for the details.</p>
<p><img src="chart.png" alt="A chart"> The chart shows the results.</p>
</body></html>
"""
TR = """<!DOCTYPE html>
<html><head><title>Noticias semanales</title></head>
<body>
<h1>Noticias semanales</h1>
<p>El nuevo modelo es <b>rápido</b> y funciona en un portátil.</p>
<p>Lea el <a href="https://example.com/paper">artículo</a> para los detalles.</p>
<p><img src="chart.png" alt="Un gráfico"> El gráfico muestra los resultados.</p>
</body></html>
"""
ATTACKS = {
    "script": ("portátil.</p>", "portátil.<script>alert(1)</script></p>"),
    "onerror": ('<img src="chart.png"', '<img src="chart.png" onerror="alert(1)"'),
    "javascript-link": ('href="https://example.com/paper"', 'href="javascript:alert(1)"'),
    "obfuscated-scheme": ('href="https://example.com/paper"', 'href=" JaVa&#x09;ScRiPt:alert(1)"'),
    "data-html": ('href="https://example.com/paper"', 'href="data:text/html;base64,PHNjcmlwdD4="'),
    "iframe-srcdoc": ("portátil.</p>", 'portátil.<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe></p>'),
    "object": ("portátil.</p>", 'portátil.<object data="x.swf"></object></p>'),
    "svg-onload": ("portátil.</p>", 'portátil.<svg onload="alert(1)"></svg></p>'),
}


def _review(tmp_path, src_text, tr_text, suffix=".html", *extra):
    (tmp_path / f"src.en{suffix}").write_text(src_text, encoding="utf-8")
    (tmp_path / f"tr.es{suffix}").write_text(tr_text, encoding="utf-8")
    r = runner.invoke(app, ["review", str(tmp_path / f"src.en{suffix}"), str(tmp_path / f"tr.es{suffix}"),
                            "--from", "en", "--to", "es", "--json", *extra], env=ENV)
    data = json.loads(r.stdout[r.stdout.index("{"):] if r.stdout.lstrip()[:1] != "[" else r.stdout)
    data = data[0] if isinstance(data, list) else data
    return r, [i for i in data["issues"] if i["check"] == "unsafe-markup"]


def test_a_clean_translation_has_no_unsafe_finding(tmp_path):
    r, found = _review(tmp_path, SRC, TR, ".html", "--fail-on", "critical")
    assert found == [] and r.exit_code == 0, r.output


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_review_fails_on_added_active_markup(tmp_path, name):
    old, new = ATTACKS[name]
    assert old in TR
    r, found = _review(tmp_path, SRC, TR.replace(old, new, 1), ".html", "--fail-on", "major")
    assert r.exit_code == 1, r.output
    assert found and all(f["severity"] == "critical" and f["category"] == "markup" for f in found)


def test_markup_the_source_has_is_not_reported(tmp_path):
    script = '<script src="https://example.com/analytics.js"></script>'
    src = SRC.replace("</body>", script + "\n</body>")
    tr = TR.replace("</body>", script + "\n</body>")
    _, found = _review(tmp_path, src, tr)
    assert found == []
    _, found = _review(tmp_path, src, tr.replace("analytics.js", "evil.js"))
    assert len(found) == 1  # same element, different code: added


MD_SRC = "# News\n\nThe new model is **fast** and it runs on a laptop.\n\nRead the [paper](https://example.com/p).\n"
MD_TR = "# Noticias\n\nEl nuevo modelo es **rápido** y funciona en un portátil.\n\nLea el [artículo](https://example.com/p).\n"


@pytest.mark.parametrize("old,new", [
    ("(https://example.com/p)", "(javascript:alert(1))"),
    ("portátil.", 'portátil. <img src="x" onerror="alert(1)">'),
    ("portátil.", "portátil.\n\n<script>alert(1)</script>"),
])
def test_markdown_review(tmp_path, old, new):
    r, found = _review(tmp_path, MD_SRC, MD_TR.replace(old, new), ".md", "--fail-on", "major")
    assert len(found) == 1 and r.exit_code == 1, r.output


def test_detection_neighbours():
    assert unsafe.added(SRC, TR, "html") == []
    assert unsafe.risks("<p>Use the <code>onclick=</code> attribute; javascript: is a scheme.</p>", "html") == []
    assert unsafe.risks('<a href="https://example.com/javascript:x">x</a>', "html") == []
    assert [r.kind for r in unsafe.risks('<a href="vbscript:msgbox(1)">x</a>', "html")] == ["url"]
    assert [r.kind for r in unsafe.risks('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "html")] == ["url"]
    assert [r.kind for r in unsafe.risks('<p style="width: expression(alert(1))">x</p>', "html")] == ["style"]
    assert [r.kind for r in unsafe.risks("<base href='https://evil.example/'>", "html")] == ["element"]
    assert unsafe.risks("plain <script>alert(1)</script> text", "text") == []


@needs_apertium
def test_translate_draft_with_active_markup_publishes_the_source_markup(tmp_path):
    (tmp_path / "news.en.html").write_text(SRC, encoding="utf-8")
    draft = TR
    for old, new in ATTACKS.values():
        draft = draft.replace(old, new, 1)
    (tmp_path / "draft.es.html").write_text(draft, encoding="utf-8")
    r = runner.invoke(app, ["translate", str(tmp_path / "news.en.html"), "--from", "en", "--to", "es",
                            "--draft", str(tmp_path / "draft.es.html"), "--out", str(tmp_path / "out")],
                      env={**ENV, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    out = tmp_path / "out" / "news.es.html"
    if r.exit_code == 0:
        assert unsafe.added(SRC, out.read_text(encoding="utf-8"), "html") == []
    else:  # refused: one Error line, nothing written
        assert "Error:" in r.output and "run code" in r.output and not out.exists()


@needs_apertium
def test_translate_refuses_to_publish_added_active_markup(tmp_path, monkeypatch):
    """Whatever stage lets it through (a draft, the memory, an engine), the last
    gate before writing refuses markup that can run code."""
    from translator.pipeline import run as pipeline

    real = pipeline.assemble

    def leaky(doc, texts, *rest):
        built = real(doc, texts, *rest)
        return type(built)(**{**built.__dict__, "text": built.text.replace("</p>", "<img src=x onerror=alert(1)></p>", 1)})

    monkeypatch.setattr(pipeline, "assemble", leaky)
    monkeypatch.setattr(pipeline, "_verify", lambda doc, text: None)
    (tmp_path / "news.en.html").write_text(SRC, encoding="utf-8")
    r = runner.invoke(app, ["translate", str(tmp_path / "news.en.html"), "--from", "en", "--to", "es",
                            "--model", "apertium", "--out", str(tmp_path / "out")],
                      env={**ENV, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert r.exit_code != 0
    assert "Error:" in r.output and "onerror" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out" / "news.es.html").exists()


def test_translated_attributes_of_a_source_element_are_not_an_addition():
    src = '<p>Watch: <iframe src="https://www.youtube.com/embed/x" title="A talk"></iframe></p>'
    tr = '<p>Vea: <iframe src="https://www.youtube.com/embed/x" title="Una charla"></iframe></p>'
    assert unsafe.added(src, tr, "html") == []
    assert len(unsafe.added(src, tr.replace("embed/x", "embed/y"), "html")) == 1
