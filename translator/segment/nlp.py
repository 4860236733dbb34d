"""spaCy pipelines, loaded once per language and only when first needed.

No trained pipeline can be downloaded here, so every language gets a blank
pipeline (rule-based tokenizer); stages add the components they need.
A trained pipeline installed by the user (e.g. es_core_news_sm) is not
required by anything.
"""

from __future__ import annotations

from functools import lru_cache

SPACY_LANGS = {"en", "es", "zh", "fr", "de", "it", "pt", "ca", "nl", "ja", "ko", "ru"}


@lru_cache(maxsize=None)
def blank(lang: str):
    """A blank spaCy pipeline for `lang` ("xx", multi-language, when spaCy has none)."""
    import spacy

    code = lang if lang in SPACY_LANGS else "xx"
    try:
        return spacy.blank(code)
    except Exception:  # a language whose tokenizer needs an extra package
        return spacy.blank("xx")
