"""`language_found`, the public test behind the wrong-language check (and
the LLM reply filter's): known answers."""

import pytest

from translator.qa.checks import Pair, language_found, wrong_language


@pytest.mark.parametrize(
    "text, target, kwargs, expected",
    [
        ("The model is fast and it is open to all of the users.", "es", {}, "English"),
        ("El modelo es rápido y está abierto a todos los usuarios.", "es", {}, None),
        ("这是一个中文句子，没有英文单词在里面的。", "es", {}, "Chinese/Japanese/Korean"),
        ("El modelo es rápido y está abierto a todos.", "zh", {}, "Spanish"),
        ("It is the end", "es", {}, None),  # the check wants five words
        ("It is the end", "es", {"min_words": 4}, "English"),
        ("这是一个中文句子，没有英文单词。", "es", {"min_words": 4, "min_cjk": None}, None),
        ("GPT-4o vs Llama 3.1 405B", "es", {}, None),  # names say nothing
    ],
)
def test_language_found(text, target, kwargs, expected):
    assert language_found(text, target, **kwargs) == expected


def test_wrong_language_is_language_found_as_a_finding():
    got = wrong_language(Pair("s1", None, "The model is fast and it is open to all of the users."), "es-MX")
    assert [(s.check, s.severity, s.explanation) for s in got] == [
        ("wrong-language", "major", "This text is in English, not Spanish.")]
