"""Conditions on an occurrence of a glossary entry in a source text.

Context: "training" is "entrenamiento" near "model", "data" or "GPU", not in
"train drivers". Part of speech (`pos_fits`): an entry that is a noun (its
`pos` column, or its Spanish target) is not found in a form of another word
or part of speech ("embedded" for "embedding", "trained" for "training",
"bit" in "I got bit"), nor a verb in a form that cannot be a verb.

An entry's `context` lists words (any language: the source's for source
matching, the target's for a review without source); the entry applies to
an occurrence only when one of them is within `WINDOW` words of it. Words
are compared by lemma keys (lemmas.py), so "models" is near "model".
"""

from __future__ import annotations

from functools import lru_cache

from translator.terms import lexicon
from translator.terms.lemmas import NO_LEMMAS, lemmatizer
from translator.terms.tagger import NOUN, VERB, pos_class, reading_at, term_pos, title_case

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


def pos_fits(term, text: str, start: int, end: int, lang: str, target_lang: str = "") -> bool:
    """Whether text[start:end], an occurrence of the one-word entry `term`, may
    be a form of the entry's word with the entry's part of speech: its `pos`
    column (noun or verb), else the analysis of a Spanish target (terms.tagger).

    The analyser's readings of the written form decide when they agree ("trains"
    is a noun of "train", not of "training"; an English word it does not know
    that ends in -ed is not a noun). When the form has readings of another word
    or part of speech ("bit" of "bite", the adverb "a bit"), the tagger's
    reading in the sentence decides whether it is another word. What cannot be
    told fits."""
    if " " in term.source.strip() or lang not in ("en", "es"):
        return True
    want = _want(term, target_lang)
    if want is None:
        return True
    written = text[start:end].lower()
    fits = _form_fits(want, term.source.lower(), written, lang)
    if fits is not None:
        return fits
    return _tagged_fits(want, term.source.lower(), text, start, end, lang)


def _want(term, target_lang: str) -> str | None:
    pos = term.pos.strip().lower()
    if pos in ("noun", "n"):
        return NOUN
    if pos in ("verb", "v"):
        return VERB
    if pos or term.dnt or target_lang != "es":
        # a name, an adjective, a kept word: nothing to tell; and an English
        # citation form is often a noun and a verb alike ("change", "display")
        return None
    got = _target_pos(term, target_lang)
    return got if got in (NOUN, VERB) else None


@lru_cache(maxsize=65536)
def _target_pos(term, target_lang: str) -> str:
    return term_pos(term, target_lang)


@lru_cache(maxsize=65536)
def _form_fits(want: str, source: str, written: str, lang: str) -> bool | None:
    """True or False when the form alone tells; None when the sentence must."""
    readings = lexicon.analyses(written, lang)
    if not readings:
        return not (want == NOUN and lang == "en" and written.endswith("ed") and not source.endswith("ed")) \
            or written == source
    own = [_is(want, source, lemma, tags) for lemma, tags in readings]
    if all(own):
        return True
    if not any(own) and written != source:
        return False
    return None  # readings of the entry's word and of others, or the entry's own spelling: ask the sentence


def _is(want: str, source: str, lemma: str, tags: tuple[str, ...]) -> bool:
    return lemma.lower() == source and (pos_class(tags) == want or (want == VERB and tags[:1] == ("vblex",)))


def _tagged_fits(want: str, source: str, text: str, start: int, end: int, lang: str) -> bool:
    if title_case(text, start, end):
        return True  # a title in title case: the tagger reads its verbs as nouns
    words = [w for w in reading_at(text, start, end, lang) if w.tags]
    if len(words) != 1:
        return True
    w = words[0]
    if w.start < start or w.end > end:  # a multiword reading around it ("a bit" the adverb)
        return False
    if want == NOUN and w.tags[:1] == ("vblex",) and {"ger", "subs"} & set(w.tags) \
            and text[start:end].lower() == source:
        return True  # "Training models is costly": a gerund written as the noun entry is one
    # another word ("bit" of "bite") does not fit; the entry's own word read with another
    # part of speech does: the tagger is often wrong on short technical text ("of issue")
    return w.lemma.lower() == source
