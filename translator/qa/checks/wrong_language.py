"""A translation in another language than the target (by its function words
or its script). `language_found(text, target_lang)` is the test itself, public
and stable for the LLM reply filter (engines/llm/sanity.py)."""

from __future__ import annotations

from translator.document import Suggestion
from translator.qa.checks.base import CheckContext, Pair, _s, _words
from translator.qa.checks.languages import CJK, STOPWORDS, guess_language, lang_name

NAME = "wrong-language"
NEEDS_SOURCE = False
ORDER = 30
QUIET_AFTER = ("empty", "untranslated")  # a copy of the source is said once


def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]:
    return tuple(wrong_language(pair, ctx.target_lang))


def wrong_language(p: Pair, target_lang: str) -> list[Suggestion]:
    """[a major finding] when `p.target` (five words or more, or eight CJK
    characters) is clearly in another language than `target_lang`, else []."""
    found = language_found(p.target, target_lang)
    if found is None:
        return []
    return [_s(p.id, "accuracy", "major", p.target, "",
               f"This text is in {found}, not {lang_name(target_lang.split('-')[0])}.", "wrong-language")]


def language_found(text: str, target_lang: str, *, min_words: int = 5, min_cjk: int | None = 8) -> str | None:
    """The name of the language `text` is in ("English", "Chinese/Japanese/Korean")
    when that is clearly not `target_lang`; None when it is, or when the text
    does not say: fewer than `min_words` words and (unless `min_cjk` is None)
    fewer than `min_cjk` CJK characters. The test behind `wrong_language`,
    public for the LLM reply filter (engines/llm/sanity.py)."""
    tgt = target_lang.split("-")[0]
    if len(_words(text)) < min_words and (min_cjk is None or len(CJK.findall(text)) < min_cjk):
        return None
    guess = guess_language(text)
    if guess is None:
        return None
    if tgt in ("zh", "ja", "ko"):
        wrong = guess != "cjk"
    else:
        wrong = guess != tgt and (tgt in STOPWORDS or guess == "cjk")
    if not wrong:
        return None
    return "Chinese/Japanese/Korean" if guess == "cjk" else lang_name(guess)
