"""The analyser, generator and spelling dictionary (Apertium's lttoolbox data, Hunspell)."""

import shutil

import pytest

from translator.terms import lexicon

needs_apertium = pytest.mark.skipif(not lexicon.lexicon("es").analyser, reason="apertium-eng-spa not installed")


@needs_apertium
@pytest.mark.parametrize("word, lang, expected", [
    ("definires", "es", False),  # the non-word post-editing once introduced
    ("spreadar", "es", False),
    ("borrará", "es", True),
    ("predeterminado", "es", True),
    ("entrenamiento", "es", True),
    ("running", "en", True),
    ("blorfed", "en", False),
])
def test_is_word(word, lang, expected):
    assert lexicon.is_word(word, lang) is expected


@needs_apertium
@pytest.mark.parametrize("draft, lemma, expected", [
    ("borrará", "eliminar", "eliminará"),
    ("predeterminado", "definir", "definido"),
    ("muestra", "visualizar", "visualiza"),
])
def test_generate_with_the_tags_of_a_draft_word(draft, lemma, expected):
    tags = next(t for _, t in lexicon.analyses(draft, "es") if t[0] == "vblex")
    assert lexicon.generate(lemma, tags, "es") == expected


@pytest.mark.skipif(not shutil.which("hunspell"), reason="hunspell not installed")
def test_hunspell_knows_words_the_analyser_lacks():
    lex = lexicon.lexicon("es")
    assert lex.spelled("predefinir") is True
    assert lex.spelled("definires") is False


def test_unknown_language_trusts_every_word():
    assert lexicon.is_word("qwxyz", "xx") is True
