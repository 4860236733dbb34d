"""A critic that quotes the SOURCE in "original" (Qwen2.5-Coder-1.5B did, for
nearly every suggestion): the draft's words for that quote are found when the
match is clear (engines/llm/rescue.py), else the suggestion is discarded and
counted, never re-asked; the reviser and the gate still decide."""

from __future__ import annotations

import asyncio
import json
import random

from fake_openai import by_task, prefix
from typer.testing import CliRunner

from translator.cli.main import app
from translator.engines.base import Context, Item
from translator.engines.llm.engine import LLMEngine
from translator.engines.llm.rescue import draft_span, in_source

CTX = Context(source_lang="en", target_lang="es")
SRC = "Prices of foundation models fell 75% last year."
DRAFT = "Los precios de los modelos de fundación subieron un 75% el año pasado."
ROOF_SRC = "Okay, the next video will get roofing contractors mad at me, but it's not for them, it's for you."
ROOF = "De acuerdo, el próximo video hará que los contratistas de acabados de piso me estén furiosos, pero no es para ellos."


async def _sleep(_: float) -> None:
    pass


def engine(fake, **kw) -> LLMEngine:
    return LLMEngine("fake", base_url=fake.base_url, sleep=_sleep, rng=random.Random(0), timeout=5, **kw)


def raw(sid: str, original: str, suggestion: str, severity: str = "major") -> dict:
    return {"id": sid, "original": original, "suggestion": suggestion, "severity": severity,
            "category": "accuracy", "explanation": "Wrong word."}


# --- the alignment, with known answers -------------------------------------------


def test_the_draft_words_for_a_source_quote_are_found():
    assert draft_span("foundation models", "modelos fundacionales", SRC, DRAFT).span == "modelos de fundación"
    assert draft_span("fell 75%", "bajaron un 75%", SRC, DRAFT).span == "subieron un 75%"  # the % comes along
    assert draft_span("roofing contractors", "contratistas de techos", ROOF_SRC, ROOF).span == \
        "contratistas de acabados"


def test_no_rescue_when_the_match_is_not_clear_or_there_is_nothing_to_fix():
    whole = draft_span(SRC, "Los precios bajaron.", SRC, DRAFT)
    assert whole.span is None and "whole source sentence" in whole.why
    same = draft_span("last year", "el año pasado", SRC, DRAFT)  # the draft's own words: flagged, no fix
    assert (same.span, same.flag) == ("el año pasado", True)
    unrelated = draft_span("last year", "el ejercicio anterior", SRC, DRAFT)
    assert unrelated.span is None and "no words of the draft" in unrelated.why
    # two equally good places: no guess
    twice = draft_span("the cat", "el perro", "The cat saw the cat.", "El gato vio el gato.")
    assert twice.span is None and "two places" in twice.why


def test_a_quote_is_of_the_source_only_when_the_draft_lacks_it():
    assert in_source("foundation models", SRC, DRAFT)
    assert not in_source("75%", SRC, DRAFT)  # in both: an ordinary span of the draft
    assert not in_source("modelos base", SRC, DRAFT)  # in neither: made up
    assert not in_source("", SRC, DRAFT)


# --- through the engine (fake server) ---------------------------------------------


def _critique(fake, found: list[dict], segs=((SRC, DRAFT),), retries: int = 3):
    fake.responder = lambda req: {"suggestions": found}
    items = [Item(f"s{i}", i, s, d) for i, (s, d) in enumerate(segs)]
    return asyncio.run(engine(fake, retries=retries).critique(items, CTX))


def test_a_source_quote_becomes_a_suggestion_about_the_draft_words(fake_openai):
    found, usage = _critique(fake_openai, [raw("s0", "foundation models", "modelos fundacionales"),
                                           raw("s0", "fell", "bajaron", "critical")])
    by = {s.original: s for s in found}
    assert set(by) == {"modelos de fundación"}  # "fell" → "bajaron": no draft word is like "bajaron"
    assert (by["modelos de fundación"].suggestion, by["modelos de fundación"].check) == \
        ("modelos fundacionales", "source-span")
    assert usage.calls == 1, "a source quote is not re-asked"
    assert usage.discarded == 1


def test_source_quotes_that_cannot_be_mapped_are_discarded_and_counted_not_reasked(fake_openai):
    found, usage = _critique(fake_openai, [
        raw("s0", SRC, "El coste de esos sistemas cayó mucho durante el último ejercicio.", "critical"),  # no edit
        raw("s0", "year", "el ejercicio anterior"),  # no draft words like it
        raw("s0", "subieron", "bajaron", "critical"),  # a real span of the draft: kept as it is
    ])
    assert [(s.original, s.suggestion, s.check) for s in found] == [("subieron", "bajaron", "")]
    assert usage.discarded == 2 and usage.calls == 1


def test_source_words_paired_with_the_drafts_words_are_reported_not_revised(fake_openai):
    """The critic's "replacement" is the draft's own words: it may be pointing at
    them or agreeing with them, so they are a minor finding (the reviser acts on
    major and critical ones only) with the critic's note kept."""
    found, usage = _critique(fake_openai, [raw("s0", "foundation models", "modelos de fundación")])
    (s,) = found
    assert (s.original, s.suggestion, s.check, s.severity) == ("modelos de fundación", "", "source-span", "minor")
    assert "«foundation models»" in s.explanation and usage.calls == 1


def test_a_made_up_quote_is_still_reasked(fake_openai):
    replies = iter([{"suggestions": [raw("s0", "modelos base", "modelos fundacionales")]},
                    {"suggestions": [raw("s0", "modelos de fundación", "modelos fundacionales")]}])
    fake_openai.responder = lambda req: next(replies)
    found, usage = asyncio.run(engine(fake_openai).critique([Item("s0", 0, SRC, DRAFT)], CTX))
    assert [s.original for s in found] == ["modelos de fundación"] and usage.calls == 2
    assert "«modelos base» do not occur" in fake_openai.chat_requests()[1].payload["errors"][0]["error"]


def _loop(tmp_path, fake, revise, name="o"):
    """translate → critique (quoting the source) → revise through the CLI; the report."""
    src = tmp_path / "n.en.md"
    src.write_text(SRC + "\n", encoding="utf-8")

    def translate(req):
        return {"segments": [{"id": s["id"], "text": DRAFT} for s in req.segments]}

    def critic(req):
        return {"suggestions": [raw(s["id"], "foundation models", "modelos fundacionales") for s in req.segments]}

    fake.responder = by_task(translate=translate, critique=critic, revise=revise)
    env = {"OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "", "XDG_CACHE_HOME": str(tmp_path / "c")}
    result = CliRunner().invoke(app, ["translate", str(src), "--to", "es", "--model", "openai:fake", "--no-glossary",
                                      "--out", str(tmp_path / name), "--report", str(tmp_path / name), "--no-cache"],
                                env=env)
    assert result.exit_code == 0, result.output
    text = (tmp_path / name / "n.es.md").read_text(encoding="utf-8")
    return text, json.loads((tmp_path / name / "n.es.report.json").read_text(encoding="utf-8"))


def test_cli_loop_a_rescued_suggestion_is_revised_and_the_gate_accepts_it(tmp_path, fake_openai):
    text, report = _loop(tmp_path, fake_openai, prefix(""))
    assert text.strip() == "Los precios de los modelos fundacionales subieron un 75% el año pasado."
    rev = report["revisions"]
    assert (rev["asked"], rev["unchanged"], rev["accepted"], rev["rejected"]) == (1, 0, 1, 0)
    assert rev["suggestions"] == {"open": 0, "applied": 1, "rejected": 0, "mapped": 1}
    (s,) = [s for s in report["suggestions"] if s["check"] == "source-span"]
    assert (s["original"], s["status"]) == ("modelos de fundación", "applied")


def test_report_tells_a_reviser_that_changed_nothing_from_a_gate_refusal(tmp_path, fake_openai):
    def unchanged(req):
        return {"segments": [{"id": s["id"], "text": s["draft"]} for s in req.segments]}

    text, report = _loop(tmp_path, fake_openai, unchanged)
    assert text.strip() == DRAFT
    rev = report["revisions"]
    # the suggestion ends "rejected", yet the gate judged nothing: the reviser gave the draft back
    assert (rev["asked"], rev["unchanged"], rev["accepted"], rev["rejected"]) == (1, 1, 0, 0)
    assert rev["suggestions"]["rejected"] == 1 and rev["items"] == []


# --- a whole sentence quoted with the draft rewritten ---------------------------------


def test_a_whole_sentence_rewrite_gives_the_words_it_changed():
    from translator.engines.llm.rescue import rewrite_edits

    assert rewrite_edits(ROOF, ROOF.replace("furiosos", "enojados")) == [("furiosos", "enojados")]
    assert rewrite_edits("¿Sabes lo que quiero?", "¿Sabes lo que quiero decir?") == [("quiero", "quiero decir")]
    assert rewrite_edits("Es muy, muy sencillo.", "Es muy sencillo.") == [("Es muy,", "Es")]
    assert rewrite_edits(DRAFT, "Esto creará un nuevo ejemplo para todos los lectores.") == []  # not an edit
    assert rewrite_edits(DRAFT, DRAFT) == []
    # what Qwen2.5-Coder-1.5B sent as rewrites (s41, s42): a full stop dropped, a capital lowered
    assert rewrite_edits("Por eso no es difícil emparejar las cosas.", "por eso no es difícil emparejar las cosas") == []
    # a span is found by its text: widened until it names one place of the draft
    assert rewrite_edits("El informe de la empresa y el informe de la ciudad.",
                         "El informe de la empresa y el estudio de la ciudad.") == [("el informe de", "el estudio de")]
    # an insertion and a deletion next to each other are one edit, never two over the same words
    assert rewrite_edits("uno dos tres cuatro cinco", "cero uno tres cuatro cinco") == [("uno dos", "cero uno")]
    assert rewrite_edits("el buen libro y el libro", "el buen libro y un libro") == [("y el libro", "y un libro")]


def test_a_critic_quoting_the_whole_source_and_rewriting_the_draft(fake_openai):
    rewrite = DRAFT.replace("subieron", "bajaron")
    found, usage = _critique(fake_openai, [
        raw("s0", SRC, rewrite, "critical"),  # the whole source quoted, the draft rewritten
        raw("s0", DRAFT, DRAFT.replace("de fundación", "fundacionales")),  # the whole draft quoted
        raw("s0", DRAFT, "Esto creará un nuevo ejemplo para todos los lectores."),  # invented: still discarded
    ])
    assert sorted((s.original, s.suggestion, s.check) for s in found) == [
        ("de fundación", "fundacionales", "rewrite"), ("subieron", "bajaron", "rewrite")]
    assert usage.discarded == 1 and usage.calls == 1
