"""A translation in another language than the target (by its function words
or its script). `wrong_language(pair, target_lang)` is the public test the
LLM reply filter (engines/llm/sanity.py) shares."""

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
    tgt = target_lang.split("-")[0]
    if len(_words(p.target)) < 5 and len(CJK.findall(p.target)) < 8:
        return []
    guess = guess_language(p.target)
    if guess is None:
        return []
    if tgt in ("zh", "ja", "ko"):
        wrong = guess != "cjk"
    else:
        wrong = guess != tgt and (tgt in STOPWORDS or guess == "cjk")
    if not wrong:
        return []
    found = "Chinese/Japanese/Korean" if guess == "cjk" else lang_name(guess)
    return [_s(p.id, "accuracy", "major", p.target, "",
               f"This text is in {found}, not {lang_name(tgt)}.", "wrong-language")]
