"""Transcripts read like a newsletter: paragraphs, ASR terms repaired
against the glossary (and reported), titles in Markdown/HTML, Chinese
transcripts through the LLM path."""

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fake_openai import prefix, echo_ok
from translator.transcripts import asr
from translator.terms import glossary
from translator.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "transcripts"
SEED_002 = next((ROOT.parent / "shared" / "seeds").glob("002_*.txt"), None) \
    if (ROOT.parent / "shared" / "seeds").is_dir() else None
needs_apertium = pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env or {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def asr_notes(report: Path) -> list[dict]:
    data = json.loads(report.read_text(encoding="utf-8"))
    return [s for s in data["suggestions"] if s.get("check") == "asr-term"]


def translate_transcript(src: Path, out: Path) -> tuple[str, list[dict]]:
    result = run("translate", src, "--to", "en", "--from", "es", "--model", "apertium", "--out", out,
                 "--report", out, "--no-cache", "-q")
    assert result.exit_code == 0, result.output
    stem = src.name.split(".")[0]
    return (out / f"{stem}.en.txt").read_text(encoding="utf-8"), asr_notes(out / f"{stem}.en.report.json")


@needs_apertium
def test_captions_become_paragraphs_with_the_asr_terms_repaired_and_reported(tmp_path):
    text, notes = translate_transcript(FIX / "asr-captions.es.txt", tmp_path)
    paras = paragraphs(text)
    assert len(paras) >= 3 and all("\n" not in p.strip() for p in paras)
    assert all(p[0].isupper() for p in paras)
    repaired = {(n["original"], n["suggestion"]) for n in notes}
    assert {("openillai", "OpenAI"), ("stable difusión", "Stable Diffusion"), ("llama", "Llama"),
            ("meta", "Meta"), ("chat gpt", "ChatGPT")} <= repaired
    assert all(n["status"] == "applied" for n in notes)
    assert "OpenAI" in text and "Stable Diffusion" in text and "Llama 2" in text


@needs_apertium
@pytest.mark.skipif(SEED_002 is None, reason="../shared/seeds is not available")
def test_seed_002_through_the_cli(tmp_path):
    text, notes = translate_transcript(SEED_002, tmp_path)
    assert len(paragraphs(text)) >= 10
    repaired = {(n["original"], n["suggestion"]) for n in notes}
    assert {("openillai", "OpenAI"), ("stable difusión", "Stable Diffusion"), ("llama", "Llama"),
            ("meta", "Meta")} <= repaired


ORDINARY = """mi meta este año es correr una maratón
y mi hermano se llama juan
la llama de la vela se apagó con el viento
juan llama a su madre todos los domingos
el metal de la puerta estaba oxidado
la amazonia pierde árboles cada año
esa gema brillaba como una estrella
la difusión estable de la noticia tardó días
que meta la pata no es ninguna sorpresa
el tren llega a las nueve y media
los estudiantes abren el libro por la página diez
"""


def test_ordinary_spanish_text_is_not_repaired():
    g = glossary.load_glossary([], "es", "en")
    assert g.terms
    assert asr.find_repairs(ORDINARY, "es", g, known=lambda ws: {w: True for w in ws}) == []
    if shutil.which("lt-proc"):
        assert asr.find_repairs(ORDINARY, "es", g) == []


def test_repairs_need_evidence_for_ordinary_words():
    g = glossary.load_glossary([], "es", "en")
    known = lambda ws: {w: w not in {"openillai", "gpt"} for w in ws}  # noqa: E731
    assert [r.replacement for r in asr.find_repairs("ha salido llama 3 hoy", "es", g, known=known)] == ["Llama"]
    assert asr.find_repairs("el modelo se llama bien", "es", g, known=known) == []
    found = asr.find_repairs("openillai y chat gpt frente a meta", "es", g, known=known)
    assert [(r.original, r.replacement) for r in found] == [("openillai", "OpenAI"), ("chat gpt", "ChatGPT"),
                                                            ("meta", "Meta")]


def test_echoed_transcript_is_unchanged_and_markdown_has_a_title(tmp_path, fake_openai):
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    src = ROOT / "samples" / "podcast-llama.es.txt"
    result = run("translate", src, "--to", "fr", "--model", "openai:fake", "--out", tmp_path, "--no-cache", "-q",
                 env=env)
    assert echo_ok(result), result.output
    assert (tmp_path / "podcast-llama.fr.txt").read_bytes() == src.read_bytes()
    result = run("translate", src, "--to", "fr", "--model", "openai:fake", "--output-format", "md",
                 "--out", tmp_path, "--no-cache", "-q", env=env)
    assert echo_ok(result), result.output
    md = (tmp_path / "podcast-llama.fr.md").read_text(encoding="utf-8")
    paras = paragraphs(md)
    assert paras[0].startswith("# Hola a todos y bienvenidos")
    assert len(paras) >= 4 and max(len(p) for p in paras) < 1200
    assert "https://www.youtube.com/watch?v=Xq7dVn2LpQ4" in md  # text outside segments is kept


def test_chinese_transcript_through_the_llm_gets_paragraphs(tmp_path, fake_openai):
    fake_openai.responder = prefix("EN: ")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    src = FIX / "ai-weekly-briefing.zh.txt"
    result = run("translate", src, "--to", "en", "--model", "openai:fake", "--out", tmp_path, "--report",
                 tmp_path, "--no-cache", "-q", env=env)
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "ai-weekly-briefing.en.report.json").read_text(encoding="utf-8"))
    sources = [s["source"] for s in report["segments"]]
    assert len(sources) == src.read_text(encoding="utf-8").count("。")  # sentence splitting kept
    out = (tmp_path / "ai-weekly-briefing.en.txt").read_text(encoding="utf-8")
    paras = paragraphs(out)
    assert len(paras) >= 3
    assert out.count("EN: ") == len(sources)
    for term in ("Llama 3.1", "Stable Audio Open", "Google DeepMind", "GPT-4o mini", "Hugging Face"):
        assert term in out
    html_run = run("translate", src, "--to", "en", "--model", "openai:fake", "--output-format", "html",
                   "--out", tmp_path, "--no-cache", "-q", env=env)
    assert html_run.exit_code == 0, html_run.output
    page = (tmp_path / "ai-weekly-briefing.en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and page.count("<p>") >= 3 and "<title>" in page


def cleaning_responder(bad_id: str = "s3"):
    """clean: punctuation and capitals, a paragraph mark every fourth unit, one reply that adds a word;
    translate: "EN: " + source."""
    base = prefix("EN: ")

    def respond(req):
        if req.task != "clean":
            return base(req)
        out = []
        for k, seg in enumerate(req.segments):
            n = int(seg["id"][1:])
            text = seg["source"][:1].upper() + seg["source"][1:] + "."
            if seg["id"] == bad_id:
                text = "Bienvenidos, amigos: " + text
            out.append({"id": seg["id"], "text": ("¶ " if n % 4 == 1 else "") + text})
        return {"segments": out}

    return respond


def test_llm_clean_step_restores_punctuation_and_paragraphs(tmp_path, fake_openai):
    fake_openai.responder = cleaning_responder()
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    src = FIX / "asr-captions.es.txt"
    result = run("translate", src, "--to", "en", "--from", "es", "--model", "openai:fake", "--out", tmp_path,
                 "--report", tmp_path, "--no-cache", "-q", env=env)
    assert result.exit_code == 0, result.output
    clean_requests = [r for r in fake_openai.requests if r.task == "clean"]
    assert clean_requests and "automatic captions" in clean_requests[0].system
    units = sum(len(r.segments) for r in clean_requests)
    out = (tmp_path / "asr-captions.en.txt").read_text(encoding="utf-8")
    paras = paragraphs(out)
    assert len(paras) == (units + 3) // 4
    report = json.loads((tmp_path / "asr-captions.en.report.json").read_text(encoding="utf-8"))
    assert "clean" in report["usage"]
    note = next(s for s in report["suggestions"] if s["check"] == "clean")
    assert f"in {units - 1} of {units}" in note["explanation"] and "1 cleaned units were refused" in note["explanation"]
    sources = [s["source"] for s in report["segments"]]
    assert all(s[0].isupper() for s in sources if s[0].isalpha())
    assert not any("amigos" in s for s in sources)  # the reply that added words was refused
    assert "OpenAI" in out  # the ASR repair ran first


def test_keeps_words():
    from translator.transcripts.clean import keeps_words

    assert keeps_words("hola a todos hoy hablamos de openillai", "Hola a todos. Hoy hablamos de OpenAI.",
                       {"OpenAI"}) == ""
    assert "added" in keeps_words("hola a todos", "Hola a todos, amigos.")
    assert "dropped" in keeps_words("uno dos tres cuatro cinco seis siete ocho nueve diez", "Uno dos tres.")
    assert "placeholders" in keeps_words("mira <1/> aquí", "Mira aquí.")
    assert keeps_words("大家好这里是AI周报", "大家好,这里是AI周报。") == ""


def test_english_terms_inside_chinese_are_protected(tmp_path, fake_openai):
    fake_openai.responder = prefix("EN: ")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    src = FIX / "ai-weekly-briefing.zh.txt"
    result = run("translate", src, "--to", "en", "--model", "openai:fake", "--out", tmp_path, "--no-cache",
                 "-q", env=env)
    assert result.exit_code == 0, result.output
    sent = {g["source"]: g for r in fake_openai.requests if r.task == "translate"
            for g in r.payload.get("glossary", [])}
    for term in ("Stable Audio Open", "Google DeepMind", "GPT-4o mini", "Ryzen AI 300", "Aurora"):
        assert term in sent and sent[term]["target"] == term, (term, sorted(sent))


@needs_apertium
def test_a_transcripts_translation_as_draft_is_kept_paragraph_by_paragraph(tmp_path):
    # the tool's own translation (no glossary) given back as --draft: every
    # paragraph is the draft's, only the glossary's terms change
    src = FIX / "asr-captions.es.txt"
    raw = run("translate", src, "--to", "en", "--from", "es", "--model", "apertium", "--no-glossary",
              "--out", tmp_path / "raw", "--no-cache", "-q")
    assert raw.exit_code == 0, raw.output
    draft = (tmp_path / "raw/asr-captions.en.txt").read_text(encoding="utf-8")
    result = run("translate", src, "--to", "en", "--from", "es", "--draft", tmp_path / "raw/asr-captions.en.txt",
                 "--out", tmp_path / "pe", "--report", tmp_path / "pe", "--no-cache", "-q")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "pe/asr-captions.en.txt").read_text(encoding="utf-8")
    assert len(paragraphs(out)) == len(paragraphs(draft))
    words = lambda t: re.findall(r"\w+", t)  # noqa: E731
    assert len(words(out)) >= len(words(draft)) - 8  # terms repaired, none of the draft dropped
    assert "ChatGPT" in out and "ChatGPT gpt" not in out and "chat gpt" in draft
    report = json.loads((tmp_path / "pe/asr-captions.en.report.json").read_text(encoding="utf-8"))
    assert not [s for s in report["suggestions"] if s["check"] == "draft-missing"]


def test_a_draft_that_lines_up_with_nothing_is_refused(tmp_path):
    src, draft = tmp_path / "a.en.md", tmp_path / "b.es.md"
    src.write_text("# One\n\nTwo words here.\n\n- three\n", encoding="utf-8")
    draft.write_text("| a | b |\n|---|---|\n| c | d |\n", encoding="utf-8")
    result = run("translate", src, "--to", "es", "--draft", draft, "--out", tmp_path / "out", "-q")
    assert result.exit_code != 0 and "no part of the draft lines up" in result.output
    assert not (tmp_path / "out/a.es.md").exists()


def test_a_transcripts_draft_with_other_paragraphs_is_refused_with_the_counts(tmp_path):
    draft = tmp_path / "d.en.txt"
    draft.write_text("One paragraph only.\n", encoding="utf-8")
    result = run("translate", FIX / "asr-captions.es.txt", "--to", "en", "--from", "es", "--draft", draft,
                 "--out", tmp_path / "out", "-q")
    assert result.exit_code != 0 and "it has 1 paragraphs and 1 lines" in result.output
    assert "Traceback" not in result.output
