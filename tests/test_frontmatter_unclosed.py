"""A file whose first line opens front matter (--- or +++) that no line
closes is one clear error naming the file and the line, in every command
that reads it; it is never translated as body text."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from translator.cli.main import app

runner = CliRunner()
ENV = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""}


@pytest.mark.parametrize("fence", ["---", "+++"])
def test_unclosed_front_matter_is_an_error(tmp_path, fence):
    value = "title: Hello" if fence == "---" else 'title = "Hello"'
    bad = tmp_path / "bad.en.md"
    bad.write_text(f"{fence}\n{value}\ndate: 2024-01-01\n\nThe body starts here. It has two sentences.\n",
                   encoding="utf-8")
    good = tmp_path / "good.en.md"
    good.write_text(f"{fence}\n{value}\n{fence}\n\nThe body starts here. It has two sentences.\n", encoding="utf-8")
    r = runner.invoke(app, ["translate", str(bad), str(good), "--to", "es", "--model", "apertium",
                            "--out", str(tmp_path / "out"), "-q"], env=ENV)
    assert r.exit_code == 1
    errors = [line for line in r.output.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {bad}: line 1 opens front matter with {fence} but no line closes it; "
                      f"add a {fence} line where the front matter ends (the first blank line is line 4)"], r.output
    assert not (tmp_path / "out" / "bad.es.md").exists()
    assert (tmp_path / "out" / "good.es.md").exists()  # the rest of the batch is done


def test_segment_names_the_file(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: Hello\n", encoding="utf-8")
    r = runner.invoke(app, ["segment", str(bad)], env=ENV)
    assert r.exit_code == 1
    assert r.output.strip() == f"Error: {bad}: line 1 opens front matter with --- but no line closes it; " \
                               "add a --- line where the front matter ends"


def test_a_closed_empty_front_matter_and_a_later_rule_are_fine(tmp_path):
    ok = tmp_path / "ok.md"
    ok.write_text("---\n---\n\nText here.\n\n---\n\nMore text.\n", encoding="utf-8")
    r = runner.invoke(app, ["segment", str(ok), "--text"], env=ENV)
    assert r.exit_code == 0 and r.output.split("\n")[:2] == ["Text here.", "More text."], r.output
