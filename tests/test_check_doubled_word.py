"""Known answers for the doubled-word check (translator/qa/checks/doubled_word.py)."""

import pytest

from translator.qa import checks
from translator.qa.checks import Pair
from translator.qa.checks.doubled_word import doubled_words


@pytest.mark.parametrize(
    "source, target, expected",
    [
        ("We saw the model.", "Vimos el el modelo.", [("el el", "el")]),
        ("The model works.", "El el modelo funciona.", [("El el", "El")]),
        (None, "Lo vimos en en la tienda.", [("en en", "en")]),
        ("I went to the shop.", "Fui a la la tienda de de de ropa.", [("la la", "la"), ("de de de", "de")]),
        ("He said that.", "He said the the same.", [("the the", "the")]),
        # not doubled by mistake
        ("We saw the model.", "Vimos el modelo.", []),
        ("It is super, super easy.", "Es muy muy fácil.", []),  # emphasis
        (None, "Ja ja, qué gracioso.", []),
        ("Knock knock.", "Toc toc.", []),
        (None, "Viajó a Bora Bora.", []),  # a name
        (None, "Ganó la La Liga.", []),  # an article, then a name
        (None, "Dijo que no, no lo haría.", []),  # a comma is a pause
        (None, "el <1>el</1> modelo", []),  # markup between
        (None, "bla-bla y 10 10", []),
        (None, "Es el\nel modelo.", []),  # a line break
        ("What it is is a tool.", "What it is is a tool.", []),
        # the source repeats itself: so may the translation
        ("I'm running it above the… the rim.", "Lo paso por encima de la la… del borde.", []),
        ("the rim, rim", "el borde borde", []),
    ],
)
def test_doubled_words(source, target, expected):
    got = doubled_words(Pair("s1", source, target))
    assert [(s.original, s.suggestion) for s in got] == expected
    assert all((s.check, s.category, s.severity, s.origin) == ("doubled-word", "fluency", "minor", "check")
               for s in got)
    assert all(s.original in target for s in got)


def test_registered_and_run_by_check_pair():
    assert "doubled-word" in checks.names()
    got = checks.check_pair(Pair("s1", "We saw the model.", "Vimos el el modelo."), "en", "es")
    assert [s.check for s in got] == ["doubled-word"]
    assert checks.check_pair(Pair("s1", "We saw the model.", "Vimos el el modelo."), "en", "es",
                             checks=checks.select(skip=["doubled-word"])) == []
