"""Conditions on an occurrence of a glossary entry in a source text.

Context: "training" is "entrenamiento" near "model", "data" or "GPU", not in
"train drivers". Part of speech (`pos_fits`): an entry marked as a noun is
not found in a form that cannot be one ("embedded" for "embedding",
"trained" for "training"), nor a verb in a form that cannot be a verb.

An entry's `context` lists words (any language: the source's for source
matching, the target's for a review without source); the entry applies to
an occurrence only when one of them is within `WINDOW` words of it. Words
are compared by lemma keys (lemmas.py), so "models" is near "model".
"""

from __future__ import annotations

from functools import lru_cache

from translator.terms.lemmas import NO_LEMMAS, lemmatizer

WINDOW = 12  # words either side


@lru_cache(maxsize=4096)
def _context_keys(words: tuple[str, ...], lang: str) -> tuple[frozenset[str], tuple[tuple[frozenset[str], ...], ...]]:
    """The keys of the one-token context words, and the others as sequences of
    token keys: "fine-tuning", "DeepMind" or "open source" is near only where
    its tokens come in order, not wherever "fine", "mind" or "open" is (nor
    "iPhone" wherever "I" is)."""
    lem = lemmatizer(lang)
    single: set[str] = set()
    phrases: list[tuple[frozenset[str], ...]] = []
    for w in words:
        toks = [t for t in lem.tokens(w) if t.key]
        if len(toks) == 1:
            single |= toks[0].keys | {toks[0].key, w.lower()}
        elif toks:
            phrases.append(tuple(frozenset(t.keys | {t.key, t.lower}) for t in toks))
    return frozenset(k for k in single if k), tuple(phrases)


def in_context(term, text: str, start: int, end: int, lang: str, window: int | None = WINDOW) -> bool:
    """Whether one of the term's context words is near text[start:end]
    (within `window` words; None: anywhere in `text`)."""
    if not term.context:
        return True
    if lang in NO_LEMMAS:
        w = 4 * (window if window is not None else len(text))
        lo, hi = max(0, start - w), end + w
        return any(w in text[lo:hi] for w in term.context)
    single, phrases = _context_keys(tuple(term.context), lang)
    toks = [t for t in lemmatizer(lang).tokens(text) if t.key]
    inside = [i for i, t in enumerate(toks) if t.start >= start and t.end <= end]
    if not inside:
        return False
    w = window if window is not None else len(toks)
    lo, hi = max(0, inside[0] - w), min(len(toks), inside[-1] + w + 1)
    own = set(inside) if window is not None else set()  # the whole segment: a phrase may carry its domain
    near = [(i, t.keys | {t.key, t.lower}) for i, t in enumerate(toks[lo:hi], lo)]
    if any(keys & single for i, keys in near if i not in own):
        return True
    for phrase in phrases:
        n = len(phrase)
        for j in range(len(near) - n + 1):
            run = near[j:j + n]
            if all(keys & part for (_, keys), part in zip(run, phrase)) and not any(i in own for i, _ in run):
                return True
    return False


def pos_fits(term, written: str, lang: str) -> bool:
    """Whether `written`, an occurrence of the one-word entry `term` in an
    inflected form, may be a form of the entry's word with the entry's part of
    speech (its `pos` column: noun or verb). The analyser's readings decide;
    an English word it does not know that ends in -ed is not a noun. What
    cannot be told fits."""
    if not term.pos or written.lower() == term.source.lower():
        return True
    return _pos_fits(term.pos.strip().lower(), term.source.lower(), written.lower(), lang)


@lru_cache(maxsize=65536)
def _pos_fits(pos: str, source: str, written: str, lang: str) -> bool:
    from translator.terms import lexicon
    from translator.terms.tagger import NOUN, VERB, pos_class

    want = {"noun": NOUN, "n": NOUN, "verb": VERB, "v": VERB}.get(pos)
    if want is None or " " in source or lang not in ("en", "es"):
        return True
    readings = lexicon.analyses(written, lang)
    if readings:  # a reading of the entry's own word with its part of speech ("trains" is a noun, not "training")
        return any(lemma.lower() == source and (pos_class(tags) == want or (want == VERB and tags[:1] == ("vblex",)))
                   for lemma, tags in readings)
    return not (want == NOUN and lang == "en" and written.endswith("ed") and not source.endswith("ed"))
