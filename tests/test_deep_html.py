"""Valid HTML nested far deeper than Python's recursion limit goes through
translate, the structure gate and review: trees are walked with explicit stacks."""

import shutil

import pytest
from typer.testing import CliRunner

from translator.qa import verify
from translator.cli.main import app

runner = CliRunner()
needs_apertium = pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")


def deep(n: int) -> str:
    return ("<!DOCTYPE html><html><head><title>Deep</title></head><body>" + "<div>" * n
            + "<p>The model is <b>fast</b>. It works <a href=\"https://example.com\">well</a>.</p>"
            + "</div>" * n + "</body></html>\n")


def test_skeleton_of_very_deep_html_in_document_order():
    text = deep(5000)
    nodes = list(verify.html_skeleton(text))
    names = [n[1] for n in nodes if n[0] == "block"]
    assert names[:3] == ["[document]", "html", "head"] and names.count("div") == 5000 and names[-1] == "p"
    assert verify.structure_problem(text, text, "html") is None
    assert "lost tag b" in verify.structure_problem(text, text.replace("<b>fast</b>", "fast"), "html")


def test_nested_inline_markup_deeper_than_the_recursion_limit():
    text = "<p>x " + "<span>" * 3000 + "y" + "</span>" * 3000 + "</p>"
    assert verify.structure_problem(text, text, "html") is None
    assert verify.structure_problem(text, text.replace("<span>", "<em>", 1).replace("</span>", "</em>", 1), "html")


@needs_apertium
def test_translate_and_review_1000_divs_deep(tmp_path):
    src = tmp_path / "deep.en.html"
    src.write_text(deep(1000), encoding="utf-8")
    env = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    r = runner.invoke(app, ["translate", str(src), "--from", "en", "--to", "es", "--model", "apertium",
                            "--out", str(tmp_path / "out")], env=env)
    assert r.exit_code == 0, r.output
    out = tmp_path / "out" / "deep.es.html"
    text = out.read_text(encoding="utf-8")
    assert text.count("<div>") == 1000 and "<b>" in text and "The model" not in text
    r = runner.invoke(app, ["review", str(src), str(out), "--from", "en", "--to", "es",
                            "--html", str(tmp_path / "report.html")], env=env)
    assert r.exit_code == 0, r.output
    assert "RecursionError" not in r.output and (tmp_path / "report.html").exists()
