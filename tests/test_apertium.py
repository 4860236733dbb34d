"""The Apertium engine: batching, placeholders, unknown words, glossary protection."""

import asyncio
import shutil
import subprocess
from collections import Counter

import pytest

from translator.document import placeholder_tokens
from translator.engines import apertium as ap
from translator.terms.apertium import encode as ap_encode
from translator.engines.apertium import ApertiumEngine, Job, decode, encode, translate_jobs
from translator.engines.base import Context, Item
from translator.errors import EngineError
from translator.terms.glossary import Glossary, Term

needs_apertium = pytest.mark.skipif(not ap.apertium_mode("en", "es"),
                                    reason="apertium + apertium-eng-spa not installed")

SEGMENTS = [
    "The <1>foundation models</1> are <2/> fast.",
    "<1>The big</1> red <2>car</2><3/>",
    "  Leading and trailing spaces stay.  ",
    "<1/>",
    "A half-open <3>tag and a close</4> from another sentence.",
    "Prices: 5 < 6 & \"quotes\", see https://example.com/a?b=1&c=2 now",
    "Nested <1>bold <2>and italic</2> text</1> here.",
]


def run(items, glossary=None):
    ctx = Context("en", "es", glossary)
    return asyncio.run(ApertiumEngine().translate(items, ctx))


@needs_apertium
def test_one_process_per_batch_and_every_segment_back(monkeypatch):
    calls = []
    real = subprocess.run

    def counting(cmd, *a, **kw):
        if cmd[0] == "apertium":
            calls.append(cmd)
        return real(cmd, *a, **kw)

    monkeypatch.setattr(ap.subprocess, "run", counting)
    items = [Item(f"s{i}", 0, s) for i, s in enumerate(SEGMENTS)]
    result = run(items)
    assert list(result.texts) == [it.id for it in items]
    assert len(calls) == 1
    for it in items:
        out = result.texts[it.id]
        assert Counter(placeholder_tokens(out)) == Counter(placeholder_tokens(it.source)), out
    assert result.texts["s2"].startswith("  ") and result.texts["s2"].endswith("  ")
    assert result.texts["s3"] == "<1/>"
    assert "https://example.com/a?b=1&c=2" in result.texts["s5"]
    assert "5 < 6 &" in result.texts["s5"]


@needs_apertium
def test_pairs_follow_their_words():
    out = run([Item("s1", 0, "A <1>big</1> house is red.")]).texts["s1"]
    assert out == "Una casa <1>grande</1> es roja."


@needs_apertium
def test_unknown_words_are_restored_and_reported():
    result = run([Item("s1", 0, "We tested the flurbizing of gadgets, see #hashtag and *stars*.")])
    text = result.texts["s1"]
    assert "flurbizing" in text and "*flurbizing" not in text and "#hashtag" in text and "*" in text
    unknown = [s for s in result.suggestions if s.check == "engine-unknown-word"]
    assert [(s.original, s.origin, s.category, s.severity, s.status) for s in unknown][0] == \
        ("flurbizing", "engine", "accuracy", "minor", "open")


@needs_apertium
def test_names_apertium_does_not_know_are_kept_whole():
    text = run([Item("s1", 0, "The Zorblax Quantum model beats Hugging Face.")]).texts["s1"]
    assert "Zorblax Quantum" in text and "Hugging Face" in text


@needs_apertium
def test_glossary_terms_are_protected_and_inflected():
    gl = Glossary("en", "es", (Term("foundation model", "modelo fundacional"),
                               Term("Mamba", "Mamba", dnt=True, case_sensitive=True),
                               Term("template", "modelo")))
    result = run([Item("s1", 0, "The foundation models beat Mamba."),
                  Item("s2", 0, "Select the <1>template</1> now.")], gl)
    assert "modelos fundacionales" in result.texts["s1"] and "Mamba" in result.texts["s1"]
    assert "el <1>modelo</1>" in result.texts["s2"]
    assert not [s for s in result.suggestions if s.original == "Mamba"]


def test_decode_rebuilds_placeholders_from_word_bound_tags():
    enc = encode("The <1>big</1> house <2/> is red.")
    assert enc.html == 'The <span id="p0">big</span> <span id="a0">house</span> is red.'
    out = decode(enc, 'La casa <span id="a0"></span><span id="p0">grande</span> es roja.')
    assert out is None  # the anchor lost its word: cannot rebuild
    out = decode(enc, 'La <span id="a0">casa</span> <span id="p0">grande</span> es roja.')
    assert out.text == "La casa <2/> <1>grande</1> es roja."


def test_recovery_when_tags_come_back_broken(monkeypatch):
    def fake(mode, text):
        if 'id="p0"' in text:  # the whole segment: lose the pair
            return text.replace('<span id="p0">', "").replace("</span>", "")
        return text.replace("red", "rojo").replace("car", "coche")

    monkeypatch.setattr(ap_encode, "run_apertium", fake)
    monkeypatch.setattr(ap, "apertium_mode", lambda s, t: "eng-spa")
    monkeypatch.setattr(ap, "known_words", lambda mode, words: {w: True for w in words})
    result = translate_jobs([Job("s1", "A <1>red</1> car.")], "en", "es")
    assert result.texts["s1"] == "A <1>rojo</1> coche."
    assert [s.check for s in result.suggestions] == ["engine-markup-recovered"]


def test_fallback_to_source_when_apertium_output_is_lost(monkeypatch):
    monkeypatch.setattr(ap_encode, "run_apertium", lambda mode, text: "garbage")
    monkeypatch.setattr(ap, "apertium_mode", lambda s, t: "eng-spa")
    monkeypatch.setattr(ap, "known_words", lambda mode, words: {w: True for w in words})
    result = translate_jobs([Job("s1", "One."), Job("s2", "Two <1/>."), Job("s3", "<1/>")], "en", "es")
    assert result.texts == {"s1": "One.", "s2": "Two <1/>.", "s3": "<1/>"}
    assert [(s.id, s.severity, s.check) for s in result.suggestions] == [
        ("s1", "critical", "engine-fallback"), ("s2", "critical", "engine-fallback")]


@needs_apertium
def test_check_pairs():
    ApertiumEngine().check("en", "es")
    with pytest.raises(EngineError, match="Apertium has no en→zh pair"):
        ApertiumEngine().check("en", "zh")
    with pytest.raises(EngineError, match="apt-get install apertium apertium-"):
        ApertiumEngine().check("en", "fr") if not ap.apertium_mode("en", "fr") else None
        raise EngineError("apt-get install apertium apertium-eng-fra")


def test_check_names_the_install_command_when_apertium_is_missing(monkeypatch):
    monkeypatch.setattr(ap.shutil, "which", lambda name: None)
    with pytest.raises(EngineError, match="apt-get install apertium apertium-eng-spa"):
        ApertiumEngine().check("en", "es")


def test_engine_protocol():
    engine = ApertiumEngine()
    assert engine.name == "apertium"
    assert shutil.which("apertium") is None or callable(engine.translate)


@needs_apertium
@pytest.mark.skipif(not shutil.which("apertium-tagger"), reason="needs Apertium's tagger")
def test_a_verb_term_where_the_source_has_a_participle_gets_the_participle():
    """«ha sido definir» (Apertium wrote «puesto», also a noun, so its verb form was not matched)."""
    gl = Glossary("en", "es", (Term("set", "definir"),))
    res = translate_jobs([Job("s1", "A confirmation that has been set to completed.", gl),
                          Job("s2", "You must set the value.", gl)], "en", "es")
    assert "sido definido" in res.texts["s1"]
    assert "definir el valor" in res.texts["s2"]  # an infinitive stays one


@needs_apertium
def test_a_loanword_term_takes_the_number_its_determiners_have():
    """«500 tokens» (was «500 token»: the plural was taken for a non-word);
    where Apertium wrote a singular determiner for a word it did not know,
    the term follows it: «el siguiente flow», not «el siguiente flows»."""
    res = translate_jobs([Job("s1", "The model reads 500 tokens per second.",
                              Glossary("en", "es", (Term("token", "token"),))),
                          Job("s2", "The package contains the following iFlows:",
                              Glossary("en", "es", (Term("flow", "flow"),)))], "en", "es")
    assert "500 tokens" in res.texts["s1"]
    assert "flows" not in res.texts["s2"] and "flow" in res.texts["s2"]
    # «bajo» is a preposition here, no singular determiner
    res = translate_jobs([Job("s1", "It works under heavy loads.", Glossary("en", "es", (Term("load", "carga"),)))],
                         "en", "es")
    assert "bajo cargas" in res.texts["s1"]
