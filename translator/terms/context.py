"""Context conditions of glossary entries: "training" is "entrenamiento"
near "model", "data" or "GPU", not in "train drivers were trained".

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
def _context_keys(words: tuple[str, ...], lang: str) -> frozenset[str]:
    lem = lemmatizer(lang)
    keys: set[str] = set()
    for w in words:
        keys.add(w.lower())
        for t in lem.tokens(w):
            keys |= set(t.keys) | {t.key}
    return frozenset(k for k in keys if k)


def in_context(term, text: str, start: int, end: int, lang: str, window: int | None = WINDOW) -> bool:
    """Whether one of the term's context words is near text[start:end]
    (within `window` words; None: anywhere in `text`)."""
    if not term.context:
        return True
    if lang in NO_LEMMAS:
        w = 4 * (window if window is not None else len(text))
        lo, hi = max(0, start - w), end + w
        return any(w in text[lo:hi] for w in term.context)
    wanted = _context_keys(tuple(term.context), lang)
    toks = [t for t in lemmatizer(lang).tokens(text) if t.key]
    inside = [i for i, t in enumerate(toks) if t.start >= start and t.end <= end]
    if not inside:
        return False
    w = window if window is not None else len(toks)
    lo, hi = max(0, inside[0] - w), min(len(toks), inside[-1] + w + 1)
    own = set(inside) if window is not None else set()  # the whole segment: a phrase may carry its domain
    return any((t.keys | {t.key, t.lower}) & wanted for i, t in enumerate(toks[lo:hi], lo) if i not in own)
