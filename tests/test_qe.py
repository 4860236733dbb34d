"""The reference-free quality estimate: each signal on known answers, names
that are not issues, and one score per segment."""

import shutil

import pytest

from translator.qa import qe
from translator.qa.checks import Pair
from translator.qa.qe import signals

needs_lexicon = pytest.mark.skipif(not (shutil.which("lt-proc") and shutil.which("hunspell")),
                                   reason="needs Apertium's lttoolbox and Hunspell")


def checks_of(found):
    return [s.check for s in found]


@needs_lexicon
def test_a_clean_translation_has_no_finding():
    est = qe.estimate("The cat sleeps on the red sofa every afternoon.",
                      "El gato duerme en el sofá rojo todas las tardes.", "en", "es")
    assert est.suggestions == ()
    assert est.score == 100.0 and est.penalty == 0


@needs_lexicon
def test_made_up_words_are_non_words_with_their_span():
    found = signals.non_words("s1", "I really did not eat enough.", "No realmente pember comer retraen tranquilazo.", "es")
    assert [s.original for s in found] == ["pember", "tranquilazo"]
    assert {s.check for s in found} == {"non-word"} and all(s.origin == "estimate" for s in found)


@needs_lexicon
def test_names_of_the_source_and_proper_nouns_are_not_issues():
    src = "R and rOpenSci packages by Maëlle Salmon help Zebulon."
    tgt = "Los paquetes de R y rOpenSci de Maëlle Salmon ayudan a Zebulon y a Quetzalcoatlus."
    assert signals.non_words("s1", src, tgt, "es") == []


@needs_lexicon
def test_glossary_renderings_are_not_non_words():
    assert signals.non_words("s1", "x", "Usamos el tokenizadorx nuevo.", "es", allowed={"tokenizadorx"}) == []
    assert checks_of(signals.non_words("s1", "x", "Usamos el tokenizadorx nuevo.", "es")) == ["non-word"]


@needs_lexicon
def test_glued_words_are_named_as_such():
    found = signals.non_words("s1", "the house of the town", "la casa dela ciudadmayor", "es")
    assert "glued-words" in checks_of(found)


@needs_lexicon
def test_a_sentence_left_in_english_is_found_per_sentence():
    tgt = "El modelo es rápido. But the training data was never released to anyone."
    found = signals.foreign_sentences("s1", "The model is fast. But the training data was never released.",
                                      tgt, "en", "es")
    assert checks_of(found) == ["foreign-sentence"]
    assert found[0].original.startswith("But the training")


def test_text_copied_from_the_source():
    src = "The committee said that the new rules would apply to every member state from next year."
    tgt = "El comité dijo que the new rules would apply to every member state a partir del año próximo."
    found = signals.copied("s1", src, tgt)
    assert checks_of(found) == ["copied-source"]
    assert "would apply to every member state" in found[0].original


def test_degenerate_repetition_and_the_source_that_repeats_itself():
    found = signals.repetition("s1", "Check it out.", "Míralo, míralo, míralo, míralo, míralo.")
    assert checks_of(found) == ["repetition"]
    assert signals.repetition("s1", "Check. Check. Check.", "Revisa. Revisa. Revisa.") == []


@needs_lexicon
def test_determiner_noun_agreement():
    found = signals.agreement("s1", "Los problema de siempre: el agua moja la casa.", "es")
    assert [s.original for s in found] == ["Los problema"]  # "el agua" is right
    assert signals.agreement("s1", "Los estudiantes leen el análisis de la crisis.", "es") == []


@needs_lexicon
def test_estimate_pairs_scores_worse_segments_lower():
    pairs = [Pair("s1", "The cat sleeps on the red sofa every afternoon.",
                  "El gato duerme en el sofá rojo todas las tardes."),
             Pair("s2", "The cat sleeps on the red sofa every afternoon.",
                  "Losa gatto pember en el sofaro rojjo tra las tardes tranquilazo.")]
    a, b = qe.estimate_pairs(pairs, "en", "es", adequacy=False)
    assert a.score == 100.0
    assert b.score < 80 and b.penalty >= 4
    assert {s.id for s in b.suggestions} == {"s2"}


LINES_EN = ["The model is fast and cheap to run.", "It runs on a laptop without a GPU.",
            "The team is happy with the results.", "We will publish the weights next week."]
LINES_ES = ["El modelo es rápido y barato de ejecutar.", "Funciona en un portátil sin una GPU.",
            "El equipo está contento con los resultados.", "Publicaremos los pesos la semana que viene."]


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
@pytest.mark.parametrize("order, expected", [
    ([0, 1, 2, 3], []),
    ([3, 2, 1, 0], ["major"] * 4),  # a shuffled file: every line is another line's translation
    ([0, 2, 3, 3], ["major", "major"]),  # a line lost, the rest shifted up
])
def test_a_translation_out_of_step_with_its_source_is_found(order, expected):
    from translator.qa.qe import adequacy

    found, _ = adequacy.findings([f"s{k}" for k in range(4)], LINES_EN, [LINES_ES[k] for k in order], "en", "es")
    assert [s.severity for s in found if s.check == "out-of-step"] == expected
    if expected:
        assert "out of step" in found[0].explanation
