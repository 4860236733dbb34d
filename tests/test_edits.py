"""The editor's word is final: hand edits of an output survive re-runs, are
learned (another document gets them), and --overwrite discards them."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translator.cli.main import app
from translator.document import Segment
from translator.memory.edits import keep_as_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "hugo-digest-2026-03.en.md"
runner = CliRunner()
needs_apertium = pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})


# three sentences of the Apertium output and what an editor made of them
EDITS = {
    "Hola Todo el mundo :wave:": "Hola a todos :wave:",
    "Tan siempre, respuesta a este email si tienes retroalimentación.":
        "Como siempre, responde a este correo si tienes comentarios.",
    "el modelo puntúa 71.2 encima MMLU,": "el modelo obtiene 71.2 en MMLU,",
}


def _edit(path: Path, edits: dict[str, str]) -> str:
    text = path.read_text(encoding="utf-8")
    for old, new in edits.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


@needs_apertium
def test_edits_survive_are_learned_and_overwrite_discards_them(tmp_path):
    cache = tmp_path / "tm.sqlite"
    src = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, src)
    out = tmp_path / "hugo-digest-2026-03.es.md"
    args = ("translate", src, "--to", "es", "--model", "apertium", "--cache", cache)
    first = run(*args, "-q")
    assert first.exit_code == 0, first.output
    machine = out.read_text(encoding="utf-8")
    edited = _edit(out, EDITS)

    again = run(*args, "--report", tmp_path)
    assert again.exit_code == 0, again.output
    assert "3 segments kept from your edits" in again.output
    assert out.read_text(encoding="utf-8") == edited  # the edits byte for byte, the rest as before
    report = json.loads((tmp_path / "hugo-digest-2026-03.es.report.json").read_text(encoding="utf-8"))
    assert sum(s["status"] == "edited" for s in report["segments"]) == 3 and report["edited"] == 3
    assert "3 segments kept from your edits" in \
        (tmp_path / "hugo-digest-2026-03.es.report.html").read_text(encoding="utf-8")

    # learned: a new document with one of those paragraphs gets the editor's version
    other = tmp_path / "other.en.md"
    other.write_text("# Other news\n\nAs always, reply to this email if you have feedback.  \nWe read everything.\n",
                     encoding="utf-8")
    assert run("translate", other, "--to", "es", "--model", "apertium", "--cache", cache, "-q").exit_code == 0
    assert "Como siempre, responde a este correo si tienes comentarios." in \
        (tmp_path / "other.es.md").read_text(encoding="utf-8")

    # a third run (the file is as we wrote it) still has them; --overwrite discards them
    assert run(*args, "-q").exit_code == 0
    assert out.read_text(encoding="utf-8") == edited
    assert run(*args, "-q", "--overwrite").exit_code == 0
    assert out.read_text(encoding="utf-8") == machine


@needs_apertium
def test_an_edit_that_breaks_markup_is_kept_as_text_and_flagged(tmp_path):
    cache = tmp_path / "tm.sqlite"
    src = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, src)
    out = tmp_path / "hugo-digest-2026-03.es.md"
    args = ("translate", src, "--to", "es", "--model", "apertium", "--cache", cache, "-q")
    assert run(*args).exit_code == 0
    link = '[informe técnico](https://example.com/reports/small-model.pdf "Technical report (PDF)")'
    _edit(out, {f"Según el {link}, el modelo puntúa": "Según el informe técnico, el modelo obtiene"})
    result = run(*args, "--report", tmp_path)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    # the editor's words, the link put back around the words that translate "technical report"
    assert f"Según el {link}, el modelo obtiene" in text
    report = json.loads((tmp_path / "hugo-digest-2026-03.es.report.json").read_text(encoding="utf-8"))
    assert [s["check"] for s in report["suggestions"] if s["check"] == "edit-markup"] == ["edit-markup"]
    # the next run finds the output as it wrote it: the markup it put back is still flagged, until approved
    assert run(*args, "--report", tmp_path).exit_code == 0
    report = json.loads((tmp_path / "hugo-digest-2026-03.es.report.json").read_text(encoding="utf-8"))
    assert [s["check"] for s in report["suggestions"] if s["check"] == "edit-markup"] == ["edit-markup"]
    assert out.read_text(encoding="utf-8") == text


def test_keep_as_text_restores_the_sources_markup():
    seg = Segment("s1", 0, 0, 0, "Read the <1>report</1> now<2/>.")
    assert keep_as_text(seg, "Lee el informe ahora.") == "Lee el informe <1>ahora</1>.<2/>"
    assert keep_as_text(seg, "Lee el <1>informe</1> ahora<2/><3/>.") == "Lee el <1>informe</1> ahora<2/>."
    assert keep_as_text(seg, "Lee el <1>informe ahora.") == "Lee el informe <1>ahora</1>.<2/>"
    half = Segment("s2", 0, 0, 0, "Read the <1>report now.")
    assert keep_as_text(half, "Lee el informe ahora.") == "<1>Lee el informe ahora."


@needs_apertium
def test_glossary_suggest_lists_repeated_corrections_and_applies_them(tmp_path):
    cache = tmp_path / "tm.sqlite"
    src = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, src)
    out = tmp_path / "hugo-digest-2026-03.es.md"
    args = ("translate", src, "--to", "es", "--model", "apertium", "--cache", cache, "-q")
    assert run(*args).exit_code == 0
    _edit(out, {"sirve encima uno GPU": "sirve en uno GPU", "múltiple encima uno GPU": "múltiple en uno GPU"})
    assert run(*args).exit_code == 0
    listed = run("glossary", "suggest", "--cache", cache)
    assert listed.exit_code == 0, listed.output
    assert "2×  on → en   (not: encima)" in listed.output
    assert "1 suggestion(s)" in listed.output
    assert "0 suggestion(s)" in run("glossary", "suggest", "--cache", cache, "--min-count", "3").output
    glossary = tmp_path / "mine.en-es.csv"
    applied = run("glossary", "suggest", "--cache", cache, "--apply", "--glossary", glossary)
    assert applied.exit_code == 0, applied.output
    from translator.terms.glossary import read_csv

    term = read_csv(glossary).lookup("on")
    assert term.target == "en" and term.forbidden == ("encima",)


@needs_apertium
def test_learn_imports_a_human_translation_used_whatever_the_engine(tmp_path):
    cache = tmp_path / "tm.sqlite"
    src, human = tmp_path / "issue.en.md", tmp_path / "issue.es.md"
    src.write_text("---\ntitle: \"Spring issue\"\n---\n\n# Spring issue\n\nWe shipped a **new release** of the "
                   "[toolkit](https://example.com/toolkit). It is faster.\n\nThanks for reading.\n", encoding="utf-8")
    human.write_text("---\ntitle: \"Número de primavera\"\n---\n\n# Número de primavera\n\nPublicamos una "
                     "**nueva versión** del [kit](https://example.com/toolkit). Es más rápida.\n\nGracias por leernos.\n",
                     encoding="utf-8")
    learned = run("learn", src, human, "--from", "en", "--to", "es", "--cache", cache)
    assert learned.exit_code == 0, learned.output
    assert "5 segments learned" in learned.output
    other = tmp_path / "other.en.md"
    other.write_text("# News\n\nWe shipped a **new release** of the [toolkit](https://example.com/toolkit).\n\n"
                     "Thanks for reading.\n", encoding="utf-8")
    assert run("translate", other, "--to", "es", "--model", "apertium", "--cache", cache, "-q").exit_code == 0
    text = (tmp_path / "other.es.md").read_text(encoding="utf-8")
    assert "Publicamos una **nueva versión** del [kit](https://example.com/toolkit)." in text
    assert "Gracias por leernos." in text


@needs_apertium
def test_added_text_is_refused_and_a_removed_paragraph_comes_back_flagged(tmp_path):
    cache = tmp_path / "tm.sqlite"
    src = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, src)
    out = tmp_path / "hugo-digest-2026-03.es.md"
    args = ("translate", src, "--to", "es", "--model", "apertium", "--cache", cache, "-q")
    assert run(*args).exit_code == 0
    machine = out.read_text(encoding="utf-8")
    added = _edit(out, {"Hola Todo el mundo :wave:": "Hola Todo el mundo :wave:\n\nUna nota nueva del editor."})
    refused = run(*args)
    assert refused.exit_code == 1
    assert "Una nota nueva del editor." in refused.output and "nothing was written" in refused.output
    assert out.read_text(encoding="utf-8") == added  # the editor's file is untouched
    out.write_text(machine.replace("Tan siempre, respuesta a este email si tienes retroalimentación.  \n"
                                   "Leímos todo.\n\n", ""), encoding="utf-8")
    result = run(*args, "--report", tmp_path)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == machine
    report = json.loads((tmp_path / "hugo-digest-2026-03.es.report.json").read_text(encoding="utf-8"))
    assert any(s["check"] == "edit-removed" for s in report["suggestions"])


@needs_apertium
def test_a_paragraph_rewritten_as_a_whole_survives_every_run_and_is_reused(tmp_path):
    cache = tmp_path / "tm.sqlite"
    src, out = tmp_path / "note.en.md", tmp_path / "note.es.md"
    para = "The price keeps falling. A model that cost a lot now has rivals."
    src.write_text(f"# Note\n\n{para}\n\nThanks.\n", encoding="utf-8")
    args = ("translate", src, "--to", "es", "--model", "apertium", "--cache", cache, "-q")
    assert run(*args).exit_code == 0
    text = out.read_text(encoding="utf-8")
    mine = "El precio sigue bajando: un modelo que costaba mucho ya tiene rivales."  # two sentences made one
    lines = text.splitlines()
    k = next(i for i, ln in enumerate(lines) if ln.startswith("El precio"))
    lines[k] = mine
    edited = "\n".join(lines) + "\n"
    out.write_text(edited, encoding="utf-8")
    for _ in range(2):  # the run that finds the edit, and the next one (served from the memory)
        assert run(*args).exit_code == 0
        assert out.read_text(encoding="utf-8") == edited
    other = tmp_path / "other.en.md"
    other.write_text(f"{para}\n", encoding="utf-8")
    assert run("translate", other, "--to", "es", "--model", "apertium", "--cache", cache, "-q").exit_code == 0
    assert (tmp_path / "other.es.md").read_text(encoding="utf-8") == mine + "\n"


def test_edits_with_an_llm_engine_are_served_to_any_engine_without_a_call(tmp_path, fake_openai):
    from fake_openai import prefix

    fake_openai.responder = prefix("ZQX ")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    cache = tmp_path / "tm.sqlite"
    src, out = tmp_path / "a.en.md", tmp_path / "a.es.md"
    src.write_text("# Title\n\nFirst paragraph here.\n\nSecond paragraph, with a [link](https://example.com).\n",
                   encoding="utf-8")
    args = ("translate", src, "--to", "es", "--model", "openai:fake", "--cache", cache, "--rounds", "0", "-q")
    assert runner.invoke(app, [str(a) for a in args], env=env).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "ZQX Second paragraph, with a [link](https://example.com)." in text
    edited = text.replace("ZQX Second paragraph, with a [link](https://example.com).",
                          "Segundo párrafo, con un [enlace](https://example.com).")
    out.write_text(edited, encoding="utf-8")
    assert runner.invoke(app, [str(a) for a in args], env=env).exit_code == 0
    assert out.read_text(encoding="utf-8") == edited
    calls = len(fake_openai.chat_requests())
    other = tmp_path / "b.en.md"
    other.write_text("Second paragraph, with a [link](https://example.com/other).\n", encoding="utf-8")
    assert runner.invoke(app, [str(a) for a in ("translate", other, "--to", "es", "--model", "openai:other",
                                                "--cache", cache, "-q")], env=env).exit_code == 0
    assert (tmp_path / "b.es.md").read_text(encoding="utf-8") == \
        "Segundo párrafo, con un [enlace](https://example.com/other).\n"
    assert len(fake_openai.chat_requests()) == calls  # served from the approved translations


def test_whole_paragraph_sources_are_those_of_a_whole_segmentation():
    """edits._whole_approved looks up multi-sentence paragraphs whole without
    segmenting the rest of the document again: the same sources as segmenting
    everything with those blocks kept whole."""
    from translator.io.reader import read
    from translator.segment.segmenter import segment_document, whole_block_segments

    doc = read(Path(__file__).resolve().parents[1] / "samples" / "ai-weekly-042.en.html", source_lang="en")
    by_block: dict[int, int] = {}
    for s in doc.segments:
        by_block[s.block] = by_block.get(s.block, 0) + 1
    multi = frozenset(b for b, n in by_block.items() if n > 1)
    assert len(multi) >= 3
    expected = [s.source for s in segment_document(doc, "en", multi).segments if s.block in multi]
    got = whole_block_segments(doc, multi, "en")
    assert [s.source for s in got] == expected
    assert {s.block for s in got} == multi
    assert any(s.source.count(". ") >= 1 for s in got)  # sentences kept together
