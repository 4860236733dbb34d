"""Only the glossary entries a document can contain.

Matching (terms.TermIndex) tokenizes every entry with spaCy, and enforcement
asks Apertium how it renders each one: for a 100,000-row glossary that is
minutes before a two-sentence file is done. Most entries cannot occur in a
given document, and that is cheap to know: an entry can match only where
its first word does, and its first word matches only a document word that
shares a lemma key with it (the lookup keys of lemmas.py, a dictionary
lookup, no pipeline). `for_document` keeps the entries whose first word
passes that test, in glossary order; the exact matching then runs on those
few. Words are cut the same way on both sides (runs of letters and digits,
camelCase parts apart, as lemmas.py splits "FlashAttention"), so an entry
written in the document always passes; the filter only ever keeps too many.

Unsegmented scripts (Chinese) match substrings: an entry is kept when its
source text is a substring of the document.
"""

from __future__ import annotations

from typing import Iterable

from translator.terms import cache
from translator.terms.cache import first_keys, words
from translator.terms.glossary import Glossary
from translator.terms.term import Term
from translator.terms.lemmas import NO_LEMMAS, lemmatizer

SMALL = 2000  # below this many entries, filtering costs more than it saves


def for_document(glossary: Glossary | None, texts: Iterable[str]) -> Glossary | None:
    """`glossary` with only the entries whose source can occur in `texts`
    (the same object when it is small or nothing can be dropped)."""
    if glossary is None or len(glossary.terms) < SMALL:
        return glossary
    texts = list(texts)
    lang = glossary.source_lang.split("-")[0].lower()
    if lang in NO_LEMMAS:
        hay = "\n".join(texts).lower()
        keep = [t for t in glossary.terms if t.source.strip() and t.source.lower() in hay]
    else:
        keep = _by_first_word(glossary, texts, lang)
    if len(keep) == len(glossary.terms):
        return glossary
    return Glossary(glossary.source_lang, glossary.target_lang, tuple(keep), glossary.paths)


def _by_first_word(glossary: Glossary, texts: list[str], lang: str) -> list[Term]:
    """The entries whose first word shares a lemma key with a document word:
    looked up in the index of the file they were read from, else computed."""
    lem = lemmatizer(lang)
    doc_keys: set[str] = set()
    for w in dict.fromkeys(w for text in texts for w in words(text)):
        doc_keys.add(w)
        doc_keys.update(lem.keys(w))
    indexed = cache.indexes(lang)
    found = set().union(*(ix.candidates(doc_keys) for ix in indexed))
    covered = frozenset().union(*(ix.ids for ix in indexed))
    keep = []
    for t in glossary.terms:
        i = id(t)
        if i in found or (i not in covered and not doc_keys.isdisjoint(first_keys(t, lem))):
            keep.append(t)
    return keep
