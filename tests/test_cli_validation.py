"""Unknown engines and language names are errors before anything is read,
sent or written: `--model deepl` is not sent to a server as a model name,
`--to Spanish` does not write `x.Spanish.md`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from translator.cli.main import app

runner = CliRunner()
EN = "# Notes\n\nThe first sentence is here. The second sentence follows it.\n"


def invoke(tmp_path, fake, *args):
    env = {"OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.mark.parametrize("spec, hint", [
    ("nosuch:thing", "openai:MODEL"),
    ("deepl", "did you mean openai:deepl?"),
    ("gpt-4o-mini", "did you mean openai:gpt-4o-mini?"),
    ("apertum", "did you mean apertium?"),
    ("opnai:gpt-4o", "did you mean openai:gpt-4o?"),
])
def test_unknown_engine_is_an_error_listing_the_engines(tmp_path, fake_openai, spec, hint):
    src = tmp_path / "a.en.md"
    src.write_text(EN, encoding="utf-8")
    r = invoke(tmp_path, fake_openai, "translate", src, "--to", "es", "--model", spec, "--out", tmp_path / "out")
    assert r.exit_code == 1
    [err] = r.output.strip().splitlines()
    assert err.startswith(f"Error: unknown engine {spec!r}") and "apertium, openai:MODEL" in err and hint in err, err
    assert not fake_openai.requests
    assert not (tmp_path / "out").exists()


def test_unknown_engine_from_the_environment_too(tmp_path, fake_openai):
    src = tmp_path / "a.en.md"
    src.write_text(EN, encoding="utf-8")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": "", "TRANSLATOR_ENGINE": "deepl"}
    r = runner.invoke(app, ["translate", str(src), "--to", "es"], env=env)
    assert r.exit_code == 1 and "unknown engine 'deepl'" in r.output and not fake_openai.requests


@pytest.mark.parametrize("args, message", [
    (["--to", "Spanish"], "Error: --to 'Spanish' is not a language code (BCP 47, e.g. en, es, zh); did you mean es?"),
    (["--to", "es", "--from", "english"],
     "Error: --from 'english' is not a language code (BCP 47, e.g. en, es, zh); did you mean en?"),
    (["--to", "xx"], "Error: --to 'xx' is not a language code (BCP 47, e.g. en, es, zh)"),
])
def test_language_names_are_not_codes(tmp_path, fake_openai, args, message):
    src = tmp_path / "a.en.md"
    src.write_text(EN, encoding="utf-8")
    r = invoke(tmp_path, fake_openai, "translate", src, *args, "--out", tmp_path / "out")
    assert r.exit_code == 1
    assert r.output.strip() == message
    assert not fake_openai.requests and not (tmp_path / "out").exists()


def test_a_valid_tag_is_normalised_in_the_output_name(tmp_path, fake_openai):
    src = tmp_path / "a.en.md"
    src.write_text(EN, encoding="utf-8")
    r = invoke(tmp_path, fake_openai, "translate", src, "--to", "ES", "--rounds", "0", "-q", "--out", tmp_path / "out")
    assert r.exit_code == 0, r.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a.es.md"]


def test_segment_and_glossary_check_codes_too(tmp_path, fake_openai):
    src = tmp_path / "a.md"
    src.write_text(EN, encoding="utf-8")
    r = invoke(tmp_path, fake_openai, "segment", src, "--from", "English")
    assert r.exit_code == 1 and "did you mean en?" in r.output
    r = invoke(tmp_path, fake_openai, "glossary", "list", "--from", "en", "--to", "Chinese")
    assert r.exit_code == 1 and "Error: --to 'Chinese' is not a language code" in r.output and "did you mean zh?" in r.output
