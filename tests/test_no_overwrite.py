"""No silent overwrite: every output and report path is planned before the
first engine call; an input is never overwritten, two inputs never write one
path, and an output folder that cannot be written is an error up front."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fake_openai import prefix
from translator.cli.main import app

runner = CliRunner()

EN = "# Notes\n\nThe first sentence is here. The second sentence follows it.\n"
ES = ("# Notas de la semana\n\nLa primera frase de este boletín está aquí, y la segunda frase la sigue "
      "con más noticias sobre los modelos de lenguaje que se publicaron esta semana.\n")
HTML = "<html><body><h1>Notes</h1><p>The first sentence is here.</p></body></html>\n"


def translate(tmp_path, fake, *args):
    env = {"OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    return runner.invoke(app, ["translate", *map(str, args), "--to", "es", "--from", "en", "--rounds", "0", "-q"], env=env)


def errors(r) -> list[str]:
    return [line for line in r.output.splitlines() if line.startswith("Error:")]


def test_output_equal_to_another_input_is_refused(tmp_path, fake_openai):
    fake_openai.responder = prefix("ES: ")
    a_en, a_es = tmp_path / "a.en.md", tmp_path / "a.es.md"
    a_en.write_text(EN, encoding="utf-8")
    a_es.write_text(ES, encoding="utf-8")
    r = translate(tmp_path, fake_openai, a_en, a_es)
    assert r.exit_code == 1
    assert a_es.read_text(encoding="utf-8") == ES  # the input is untouched
    assert any(str(a_en) in e and "would overwrite the input" in e and str(a_es) in e for e in errors(r)), r.output
    sent = [s["source"] for q in fake_openai.chat_requests(status=None) for s in q.segments]
    assert not any("first sentence" in s for s in sent)  # refused before anything was sent


def test_a_file_already_in_the_target_language_is_refused_and_the_batch_goes_on(tmp_path, fake_openai):
    """No --from: a.es.md is detected as Spanish, so `--to es` has nothing to do
    for it (it used to crash as an "unexpected error" once outputs were planned)."""
    fake_openai.responder = prefix("ES: ")
    a_en, b_es = tmp_path / "a.en.md", tmp_path / "b.es.md"
    a_en.write_text(EN, encoding="utf-8")
    b_es.write_text(ES, encoding="utf-8")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": "", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    r = runner.invoke(app, ["translate", str(a_en), str(b_es), "--to", "es", "--rounds", "0", "-q",
                            "--out", str(tmp_path / "out")], env=env)
    assert r.exit_code == 1
    assert errors(r) == [f"Error: {b_es}: is already in es (use --from if the language was misdetected)"], r.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.es.md"]  # the other file is done
    assert b_es.read_text(encoding="utf-8") == ES
    r = runner.invoke(app, ["translate", str(a_en), "--to", "es", "--from", "es", "-q", "--out", str(tmp_path / "o2")],
                      env=env)  # the language was given, not detected: the error does not say "use --from"
    assert errors(r) == [f"Error: {a_en}: --from es and --to es are one language: nothing to translate"], r.output


def test_draft_is_an_input_too(tmp_path, fake_openai):
    src, draft = tmp_path / "a.en.md", tmp_path / "a.es.md"
    src.write_text(EN, encoding="utf-8")
    draft.write_text(ES, encoding="utf-8")
    r = translate(tmp_path, fake_openai, src, "--draft", draft)
    assert r.exit_code == 1 and draft.read_text(encoding="utf-8") == ES
    assert any("would overwrite the input" in e for e in errors(r)), r.output


def test_same_stem_in_two_folders_into_one_out_is_an_error_before_any_call(tmp_path, fake_openai):
    fake_openai.responder = prefix("ES: ")
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "issue.md").write_text(EN.replace("Notes", f"Notes {d}"), encoding="utf-8")
    other = tmp_path / "other.md"
    other.write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    r = translate(tmp_path, fake_openai, tmp_path / "a" / "issue.md", tmp_path / "b" / "issue.md", other, "--out", out)
    assert r.exit_code == 1
    errs = errors(r)
    assert len(errs) == 2 and all("would also be written to" in e for e in errs), r.output
    assert not (out / "issue.es.md").exists()
    assert (out / "other.es.md").exists()  # the rest of the batch is done
    sent = {s["source"] for q in fake_openai.chat_requests() for s in q.segments}
    assert not any("Notes a" in s or "Notes b" in s for s in sent)


def test_two_folder_inputs_with_one_stem_are_an_error(tmp_path, fake_openai):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "issue.md").write_text(EN, encoding="utf-8")
    r = translate(tmp_path, fake_openai, tmp_path / "a", tmp_path / "b", "--out", tmp_path / "out")
    assert r.exit_code == 1 and len(errors(r)) == 2, r.output
    assert not (tmp_path / "out" / "issue.es.md").exists()


def test_a_folder_input_mirrors_its_subfolders_under_out_and_report(tmp_path, fake_openai):
    fake_openai.responder = prefix("ES: ")
    root = tmp_path / "issues"
    for sub in ("2024", "2025"):
        (root / sub).mkdir(parents=True)
        (root / sub / "issue.md").write_text(EN.replace("Notes", f"Notes {sub}"), encoding="utf-8")
    (root / "top.md").write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    r = translate(tmp_path, fake_openai, root, "--out", out, "--report", out)
    assert r.exit_code == 0, r.output
    for sub in ("2024", "2025"):
        assert f"ES: Notes {sub}" in (out / sub / "issue.es.md").read_text(encoding="utf-8")
        assert (out / sub / "issue.es.report.json").exists()
    assert (out / "top.es.md").exists()


def test_html_and_md_of_one_stem_get_reports_named_after_their_outputs(tmp_path, fake_openai):
    fake_openai.responder = prefix("ES: ")
    (tmp_path / "issue.md").write_text(EN, encoding="utf-8")
    (tmp_path / "issue.html").write_text(HTML, encoding="utf-8")
    out = tmp_path / "out"
    r = translate(tmp_path, fake_openai, tmp_path / "issue.md", tmp_path / "issue.html", "--out", out, "--report", out)
    assert r.exit_code == 0, r.output
    assert (out / "issue.es.md").exists() and (out / "issue.es.html").exists()
    for name in ("issue.es.md", "issue.es.html"):
        for ext in ("json", "html"):
            assert (out / f"{name}.report.{ext}").exists(), sorted(p.name for p in out.iterdir())
    assert not (out / "issue.es.report.json").exists()


def test_html_and_md_written_as_one_html_output_is_an_error(tmp_path, fake_openai):
    (tmp_path / "issue.md").write_text(EN, encoding="utf-8")
    (tmp_path / "issue.html").write_text(HTML, encoding="utf-8")
    r = translate(tmp_path, fake_openai, tmp_path / "issue.md", tmp_path / "issue.html", "--out", tmp_path / "o",
                  "--output-format", "html")
    assert r.exit_code == 1 and len(errors(r)) == 2, r.output
    assert not fake_openai.chat_requests(status=None)


@pytest.mark.parametrize("option", ["--out", "--report"])
def test_out_or_report_that_is_a_file_is_an_error_before_any_call(tmp_path, fake_openai, option):
    src = tmp_path / "a.en.md"
    src.write_text(EN, encoding="utf-8")
    taken = tmp_path / "taken"
    taken.write_text("mine", encoding="utf-8")
    r = translate(tmp_path, fake_openai, src, option, taken)
    assert r.exit_code == 1
    [err] = errors(r)
    assert option in err and "is a file" in err and "unexpected" not in err, r.output
    assert taken.read_text(encoding="utf-8") == "mine"
    assert not fake_openai.chat_requests(status=None)


def test_out_below_a_file_is_an_error(tmp_path, fake_openai):
    src = tmp_path / "a.en.md"
    src.write_text(EN, encoding="utf-8")
    (tmp_path / "taken").write_text("mine", encoding="utf-8")
    r = translate(tmp_path, fake_openai, src, "--out", tmp_path / "taken" / "sub")
    assert r.exit_code == 1 and len(errors(r)) == 1 and "Traceback" not in r.output, r.output
    assert not fake_openai.chat_requests(status=None)


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs a read-only /sys")
def test_out_folder_that_cannot_be_written_is_an_error_before_any_call(tmp_path, fake_openai):
    src = tmp_path / "a.en.md"
    src.write_text(EN, encoding="utf-8")
    r = translate(tmp_path, fake_openai, src, "--out", "/sys/kernel")
    assert r.exit_code == 1
    [err] = errors(r)
    assert "cannot write" in err, r.output
    assert not fake_openai.chat_requests(status=None)


def test_output_that_is_a_folder_is_an_error_before_any_call(tmp_path, fake_openai):
    src = tmp_path / "a.en.md"
    src.write_text(EN, encoding="utf-8")
    (tmp_path / "a.es.md").mkdir()
    r = translate(tmp_path, fake_openai, src)
    assert r.exit_code == 1
    [err] = errors(r)
    assert "is a folder" in err and "unexpected" not in err, r.output
    assert not fake_openai.chat_requests(status=None)


def test_output_equal_to_its_own_input_is_refused_before_any_call(tmp_path, fake_openai):
    """`a.en.md` is a link to `a.es.md`: writing `a.es.md` would replace the input itself."""
    real = tmp_path / "a.es.md"
    real.write_text(EN, encoding="utf-8")
    src = tmp_path / "a.en.md"
    src.symlink_to(real.name)
    r = translate(tmp_path, fake_openai, src)
    assert r.exit_code == 1
    [err] = errors(r)
    assert "would overwrite the input" in err, r.output
    assert real.read_text(encoding="utf-8") == EN and src.is_symlink()
    assert not fake_openai.chat_requests(status=None)


def test_srt_and_vtt_of_one_stem_write_two_outputs_and_two_reports(tmp_path, fake_openai):
    fake_openai.responder = prefix("ES: ")
    root = Path(__file__).resolve().parents[1] / "samples"
    (tmp_path / "talk.srt").write_bytes((root / "lightning-talk.en.srt").read_bytes())
    (tmp_path / "talk.vtt").write_bytes((root / "lightning-talk.en.vtt").read_bytes())
    r = translate(tmp_path, fake_openai, tmp_path / "talk.srt", tmp_path / "talk.vtt",
                  "--out", tmp_path / "out", "--report", tmp_path / "rep")
    assert r.exit_code == 0, r.output
    srt, vtt = (tmp_path / "out" / "talk.es.srt").read_text(), (tmp_path / "out" / "talk.es.vtt").read_text()
    assert "-->" in srt and "ES: " in srt and vtt.startswith("WEBVTT") and "ES: " in vtt
    assert sorted(p.name for p in (tmp_path / "rep").glob("*.json")) == ["talk.es.srt.report.json",
                                                                         "talk.es.vtt.report.json"]


def test_a_translation_by_hand_beside_the_source_is_kept_before_any_call(tmp_path, fake_openai):
    """An existing STEM.es.md this memory never wrote is somebody's work: refused, unless --overwrite."""
    fake_openai.responder = prefix("ES: ")
    src, out = tmp_path / "a.en.md", tmp_path / "a.es.md"
    src.write_text(EN, encoding="utf-8")
    out.write_text(ES, encoding="utf-8")
    r = translate(tmp_path, fake_openai, src)
    assert r.exit_code == 1
    [err] = errors(r)
    assert "was not written by this tool" in err and "--overwrite" in err, r.output
    assert out.read_text(encoding="utf-8") == ES
    assert not fake_openai.chat_requests(status=None)
    r = translate(tmp_path, fake_openai, src, "--overwrite")
    assert r.exit_code == 0 and "ES: " in out.read_text(encoding="utf-8")


def test_translating_back_never_replaces_the_original(tmp_path, fake_openai):
    """a.en.md → a.es.md, then a.es.md → English: a.en.md is the original, not an output of ours."""
    fake_openai.responder = prefix("ES: ")
    src = tmp_path / "a.en.md"
    src.write_text(EN, encoding="utf-8")
    assert translate(tmp_path, fake_openai, src).exit_code == 0
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": "", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    r = runner.invoke(app, ["translate", str(tmp_path / "a.es.md"), "--to", "en", "--from", "es", "--rounds", "0", "-q"],
                      env=env)
    assert r.exit_code == 1
    [err] = errors(r)
    assert str(src) in err and "was not written by this tool" in err, r.output
    assert src.read_text(encoding="utf-8") == EN


def test_an_output_of_another_memory_is_kept(tmp_path, fake_openai):
    """Written with one memory, run again with another (a colleague's machine): no record, no replacing."""
    fake_openai.responder = prefix("ES: ")
    src, out = tmp_path / "a.en.md", tmp_path / "a.es.md"
    src.write_text(EN, encoding="utf-8")
    assert translate(tmp_path, fake_openai, src).exit_code == 0
    assert translate(tmp_path, fake_openai, src).exit_code == 0  # its own memory: replaced (the edits kept)
    edited = out.read_text(encoding="utf-8").replace("ES: The first", "ES: La primera")
    out.write_text(edited, encoding="utf-8")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": "", "XDG_CACHE_HOME": str(tmp_path / "other")}
    r = runner.invoke(app, ["translate", str(src), "--to", "es", "--from", "en", "--rounds", "0", "-q"], env=env)
    assert r.exit_code == 1 and out.read_text(encoding="utf-8") == edited, r.output


def test_without_a_memory_only_the_same_bytes_replace_an_output(tmp_path, fake_openai):
    """--no-cache keeps no record: a run again that writes what is there is fine; an edited file is kept."""
    fake_openai.responder = prefix("ES: ")
    src, out = tmp_path / "a.en.md", tmp_path / "a.es.md"
    src.write_text(EN, encoding="utf-8")
    assert translate(tmp_path, fake_openai, src, "--no-cache").exit_code == 0
    first = out.read_text(encoding="utf-8")
    assert translate(tmp_path, fake_openai, src, "--no-cache").exit_code == 0
    assert out.read_text(encoding="utf-8") == first
    out.write_text(first.replace("ES: The first", "ES: La primera"), encoding="utf-8")
    r = translate(tmp_path, fake_openai, src, "--no-cache")
    assert r.exit_code == 1
    [err] = errors(r)
    assert "--no-cache" in err and "--overwrite" in err, r.output
    assert "La primera" in out.read_text(encoding="utf-8")


def test_a_draft_run_again_replaces_its_own_output_but_not_an_edited_one(tmp_path, fake_openai):
    src, out = tmp_path / "a.en.md", tmp_path / "out" / "a.es.md"
    src.write_text(EN, encoding="utf-8")
    draft = tmp_path / "mt.md"
    draft.write_text("# Notas\n\nLa primera frase está aquí. La segunda frase la sigue.\n", encoding="utf-8")
    for _ in range(2):
        r = translate(tmp_path, fake_openai, src, "--draft", draft, "--out", tmp_path / "out", "--no-glossary")
        assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8") == draft.read_text(encoding="utf-8")
    out.write_text("# Notas\n\nLa primera frase, editada. La segunda frase la sigue.\n", encoding="utf-8")
    r = translate(tmp_path, fake_openai, src, "--draft", draft, "--out", tmp_path / "out", "--no-glossary")
    assert r.exit_code == 1
    [err] = errors(r)
    assert "was changed since it was written" in err, r.output
    assert "editada" in out.read_text(encoding="utf-8")
    r = translate(tmp_path, fake_openai, src, "--draft", draft, "--out", tmp_path / "out", "--no-glossary", "--overwrite")
    assert r.exit_code == 0 and "editada" not in out.read_text(encoding="utf-8")


def test_the_translation_of_another_file_is_kept(tmp_path, fake_openai):
    """a/issue.md, then in another run b/issue.md into the same --out: b's would replace a's (and a's
    edits would be read as edits of b)."""
    fake_openai.responder = prefix("ES: ")
    a, b = tmp_path / "a" / "issue.en.md", tmp_path / "b" / "issue.en.md"
    for p, text in ((a, EN), (b, EN.replace("Notes", "Other notes"))):
        p.parent.mkdir()
        p.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert translate(tmp_path, fake_openai, a, "--out", out).exit_code == 0
    first = (out / "issue.es.md").read_text(encoding="utf-8")
    r = translate(tmp_path, fake_openai, b, "--out", out)
    assert r.exit_code == 1
    [err] = errors(r)
    assert "is the translation of another file" in err and str(a.resolve()) in err, r.output
    assert (out / "issue.es.md").read_text(encoding="utf-8") == first
    assert translate(tmp_path, fake_openai, a, "--out", out).exit_code == 0  # its own source: replaced
