"""Which language a short text is in, by its function words or its script:
what `untranslated`, `wrong-language` and the LLM reply filter share."""

from __future__ import annotations


from translator.document import strip_placeholders
from translator.qa.checks.base import _WORD
from translator.segment.language import CJK_ANY, STOPWORDS, guess_language, stopword_scores  # noqa: F401 (one language module)

_LANG_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian",
               "pt": "Portuguese", "zh": "Chinese", "ja": "Japanese", "ko": "Korean"}
CJK = CJK_ANY  # the one definition: segment.language


def lang_name(code: str) -> str:
    return _LANG_NAMES.get(code, code)


def _name_like(text: str) -> bool:
    """A short run of names, numbers and codes ("GPT-4o vs Llama 3.1"), which
    a translation may rightly leave as is."""
    words = [w for w in strip_placeholders(text).split() if _WORD.search(w)]
    lower = [w for w in words if _WORD.fullmatch(w.strip(".,;:!?()\"'“”«»")) and w[:1].islower()]
    return len(words) < 4 or len(lower) < 2
