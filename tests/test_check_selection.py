"""The check registry and choosing checks per run: `--checks`, `--skip-check`
on `review` and `translate`, unknown names an error (exit 2), and the
report names the checks that ran."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translator.qa import checks
from translator.qa.checks import Pair
from translator.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
NO_LLM = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""}
SRC = "We saw the model. It has 7 layers and costs $5."
BAD = "Vimos el el modelo. Tiene capas y cuesta 5 €."


def test_the_registry_finds_every_check_module():
    names = checks.names()
    assert {"empty", "untranslated", "wrong-language", "length", "numbers", "currency", "links", "engine-marks",
            "spanish-punctuation", "duplicate", "glossary", "doubled-word"} <= set(names)
    assert names[0] == "empty"  # an empty translation silences the others: it runs first
    spanish = next(c for c in checks.registered() if c.name == "spanish-punctuation")
    assert spanish.languages == {"es"} and not spanish.needs_source
    assert next(c for c in checks.registered() if c.name == "duplicate").scope == "pairs"


def test_select_only_skip_and_unknown():
    assert checks.select(["numbers,currency"]).names == ("numbers", "currency")
    assert "numbers" not in checks.select(skip=["numbers"]).names
    assert checks.select(["numbers", "currency"], ["currency"]).names == ("numbers",)
    with pytest.raises(checks.UnknownCheck, match="nubmers.*the checks are empty, untranslated"):
        checks.select(["nubmers"])


def test_a_selection_changes_what_check_pair_finds():
    p = Pair("s1", SRC, BAD)
    assert [s.check for s in checks.check_pair(p, "en", "es")] == ["numbers", "currency", "doubled-word"]
    only = checks.select(["currency"])
    assert [s.check for s in checks.check_pair(p, "en", "es", checks=only)] == ["currency"]
    with checks.using(checks.select(skip=["numbers", "doubled-word"])):
        assert [s.check for s in checks.check_pair(p, "en", "es")] == ["currency"]
    assert len(checks.check_pair(p, "en", "es")) == 3  # the block ended: every check again


def _files(tmp_path):
    src, tgt = tmp_path / "note.en.txt", tmp_path / "note.es.txt"
    src.write_text(SRC + "\n", encoding="utf-8")
    tgt.write_text(BAD + "\n", encoding="utf-8")
    return src, tgt


def _review(*args):
    return runner.invoke(app, ["review", *map(str, args), "--to", "es", "--no-glossary", "--json"], env=NO_LLM)


def test_review_skip_check_and_checks(tmp_path):
    src, tgt = _files(tmp_path)
    every = json.loads(_review(src, tgt).output)
    assert {"numbers", "doubled-word"} <= {s["check"] for s in every["issues"]}
    assert "doubled-word" in every["checks"]
    r = _review(src, tgt, "--skip-check", "numbers", "--skip-check", "doubled-word")
    data = json.loads(r.output)
    assert not {"numbers", "doubled-word"} & {s["check"] for s in data["issues"]}
    assert "numbers" not in data["checks"] and "currency" in data["checks"]
    only = json.loads(_review(src, tgt, "--checks", "doubled-word").output)
    assert only["checks"] == ["doubled-word"]
    assert "numbers" not in {s["check"] for s in only["issues"]}


def test_review_report_records_the_checks(tmp_path):
    src, tgt = _files(tmp_path)
    out = tmp_path / "r.json"
    r = _review(src, tgt, "--checks", "numbers,currency", "--report", out)
    assert r.exit_code in (0, 1), r.output
    assert json.loads(out.read_text(encoding="utf-8"))["checks"] == ["numbers", "currency"]


@pytest.mark.parametrize("command", ["review", "translate"])
def test_unknown_check_is_an_error_naming_the_known_ones(tmp_path, command):
    src, tgt = _files(tmp_path)
    args = [str(src), str(tgt)] if command == "review" else [str(src), "--model", "apertium", "--out", str(tmp_path)]
    r = runner.invoke(app, [command, *args, "--to", "es", "--skip-check", "nubmers"], env=NO_LLM)
    assert r.exit_code == 2
    assert "Error: unknown check nubmers" in r.output and "doubled-word" in r.output


def test_translate_runs_the_chosen_checks(tmp_path, monkeypatch):
    """The pipeline's checks run under the command's selection."""
    seen = []
    real = checks.check_pairs

    def spy(*args, **kwargs):
        seen.append((kwargs.get("checks") or checks.active()).names)
        return real(*args, **kwargs)

    monkeypatch.setattr(checks, "check_pairs", spy)
    src, _ = _files(tmp_path)
    r = runner.invoke(app, ["translate", str(src), "--to", "es", "--model", "apertium", "--out", str(tmp_path / "o"),
                            "--no-cache", "--quiet", "--checks", "numbers,currency"], env=NO_LLM)
    assert r.exit_code == 0, r.output
    assert seen and all(names == ("numbers", "currency") for names in seen)
