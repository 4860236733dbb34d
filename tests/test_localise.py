"""The target language and locale in every output."""

from pathlib import Path

from typer.testing import CliRunner

from fake_openai import prefix
from translator.qa.checks import match_numbers
from translator.cli.main import app
from translator.formats.localise import localise_text, set_language

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_dates_and_numbers_left_in_source_form_follow_the_target_locale():
    src = "On February 23, 2024 the team had 1,200 users; by March 3 it had 1,200,000."
    text, changes = localise_text(src, "El February 23, 2024 el equipo tenía 1,200 usuarios; el March 3, 1,200,000.",
                                  "en", "es")
    assert text == "El 23 de febrero de 2024 el equipo tenía 1200 usuarios; el 3 de marzo, 1.200.000."
    assert ("1,200", "1200") in changes and len(changes) == 4
    zh, _ = localise_text("Released on February 23.", "发布于 February 23。", "en", "zh")
    assert zh == "发布于 2月23日。"


def test_versions_decimals_and_impossible_dates_are_left_alone():
    src = "GPT-3.5 and Llama 3.1 cost 1,5 or 2.25; v1,200 ships February 30."
    tr = "GPT-3.5 y Llama 3.1 cuestan 1,5 o 2.25; v1,200 sale February 30."
    assert localise_text(src, tr, "en", "es") == (tr, [])
    # not in the source in that form: the engine wrote it, leave it
    assert localise_text("We had many users.", "Tuvimos 1,200 usuarios.", "en", "es")[1] == []


def test_the_number_check_accepts_both_forms():
    for target in ("1200", "1.200", "1,200", "1\u00a0200"):
        assert match_numbers("We had 1,200 users.", f"Teníamos {target} usuarios.") == ([], [])
    assert match_numbers("on February 23", "el 23 de febrero") == ([], [])


def test_lang_attributes_follow_the_target():
    page = '<!DOCTYPE html>\n<html lang="en" xml:lang="en">\n<body><p lang="fr">Bonjour</p></body></html>'
    out = set_language(page.replace("<body>", "<body>x"), page, "html", "en", "es")
    assert '<html lang="es" xml:lang="es">' in out and '<p lang="fr">' in out
    assert set_language(page, page, "html", "en", "es") == page  # untouched file: as it was
    vtt = "WEBVTT\nLanguage: en\n\n00:00.000 --> 00:01.000\nHi\n"
    assert "Language: es\n" in set_language(vtt.replace("Hi", "Hola"), vtt, "vtt", "en", "es")


def test_translated_html_declares_the_target_language(tmp_path, fake_openai):
    fake_openai.responder = prefix("ZQX ")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    src = ROOT / "samples" / "ai-weekly-042.en.html"
    result = runner.invoke(app, ["translate", str(src), "--to", "es", "--model", "openai:fake", "--out",
                                 str(tmp_path), "--no-cache", "-q"], env=env)
    assert result.exit_code == 0, result.output
    assert '<html lang="es">' in (tmp_path / "ai-weekly-042.es.html").read_text(encoding="utf-8")


def test_a_given_translation_keeps_its_numbers_and_gets_the_locale_form_suggested(tmp_path):
    """`--draft` changes only glossary violations: "1,600" in the draft stays, and is reported."""
    src, draft = tmp_path / "a.en.txt", tmp_path / "d.es.txt"
    src.write_text("The king travelled 1,600 miles to Jerusalem.\n", encoding="utf-8")
    draft.write_text("El rey viajó 1,600 millas hasta Jerusalén.\n", encoding="utf-8")
    result = runner.invoke(app, ["translate", str(src), "--to", "es", "--draft", str(draft), "--no-glossary",
                                 "--out", str(tmp_path / "out"), "--report", str(tmp_path / "out"), "--no-cache",
                                 "-q"], env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out/a.es.txt").read_text(encoding="utf-8") == "El rey viajó 1,600 millas hasta Jerusalén.\n"
    import json

    report = json.loads((tmp_path / "out/a.es.report.json").read_text(encoding="utf-8"))
    assert [(s["original"], s["suggestion"], s["status"]) for s in report["suggestions"] if s["check"] == "locale"] \
        == [("1,600", "1600", "open")]
