"""Which language a short text is in, by its function words or its script:
what `untranslated`, `wrong-language` and the LLM reply filter share."""

from __future__ import annotations

import re

from translator.document import strip_placeholders
from translator.qa.checks.base import _WORD, _words

STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": """the and of to is are was were that this with for on it its be by have has had from which
            what will would can could not they their you your we our an at or but if about more than there
            these those been who how into also just only do does should when while""",
        "es": """el los las del que y en un una es son por para con se su sus lo al como más pero este
            esta estos estas está están ha han sobre también muy cuando entre sin hay ya qué porque fue
            ser nos les le mientras donde desde hasta según cada otro otra ese esa""",
        "fr": """le les des du et est une pour dans qui sur pas avec sont ce cette ces au aux il elle nous
            vous ils mais ou plus été être fait leur comme aussi très""",
        "de": """der die das und ist nicht mit sich auf für den dem ein eine einen einem von zu im auch
            sind wird werden hat haben wie aus bei oder nach noch über""",
        "it": """il gli della delle degli che è sono per con non una uno nel nella alla anche come più ma
            questo questa dei sul tra""",
        "pt": """os das dos uma não com para em é são pelo pela mais como mas também isso esta este foi
            ser tem muito ao aos""",
    }.items()
}
_LANG_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian",
               "pt": "Portuguese", "zh": "Chinese", "ja": "Japanese", "ko": "Korean"}
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def lang_name(code: str) -> str:
    return _LANG_NAMES.get(code, code)


def stopword_scores(text: str) -> dict[str, int]:
    words = [w.lower() for w in _words(text)]
    return {lang: sum(w in sw for w in words) for lang, sw in STOPWORDS.items()}


def guess_language(text: str) -> str | None:
    """A cheap guess for short texts: the language whose function words
    dominate, or a CJK script; None when the text does not say."""
    letters = re.findall(r"[^\W\d_]", strip_placeholders(text))
    if letters and len(CJK.findall(text)) / len(letters) >= 0.3:
        return "cjk"
    scores = stopword_scores(text)
    best = max(scores, key=lambda k: scores[k])
    rest = max(v for k, v in scores.items() if k != best)
    if scores[best] >= 3 and scores[best] >= 2 * rest + 1:
        return best
    return None


def _name_like(text: str) -> bool:
    """A short run of names, numbers and codes ("GPT-4o vs Llama 3.1"), which
    a translation may rightly leave as is."""
    words = [w for w in strip_placeholders(text).split() if _WORD.search(w)]
    lower = [w for w in words if _WORD.fullmatch(w.strip(".,;:!?()\"'“”«»")) and w[:1].islower()]
    return len(words) < 4 or len(lower) < 2
