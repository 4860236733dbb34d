"""Tokens with lemma keys, for inflection-aware term matching.

Every language gets spaCy's blank tokenizer; languages with a lookup table in
`spacy-lookups-data` (English, Spanish, …) get a lemma per token from that
table. A token's `key` is what matching compares: the lowercased lemma, or for
words the table does not know (new jargon: "embeddings", "prompts"), the word
with a plural `-s` removed. The same function keys terms and texts, so both
sides agree. The lookup tables are not consistent ("modelos" → "modelo" but
"modelo" → "modelar"), so a token also carries `keys`: its written form, its
table lemma and its likely singulars; two tokens match when their `keys`
intersect. Chinese and other languages without tables match by substring
(see terms.find and terms.match).

Placeholder tokens (`<1>`, `</1>`, `<2/>`) are masked with spaces before
tokenizing, so offsets stay those of the original text and no placeholder is
ever part of a token.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from translator.document import PLACEHOLDER_RE
from translator.terms import lemmatable

NO_LEMMAS = {"zh", "ja", "ko", "th"}  # scripts matched by substring, not tokens
_HYPHENS = {"-", "‐", "‑", "–"}


@dataclass(frozen=True, slots=True)  # slots: a big document holds millions of tokens
class Token:
    text: str
    start: int
    end: int
    key: str  # lowercased lemma; "" for hyphens (ignored when matching)
    keys: frozenset[str] = frozenset()  # every form this token may stand for (see module doc)

    @property
    def lower(self) -> str:
        return self.text.lower()


class Lemmatizer:
    """Tokenizer + lookup lemmas for one language (see `lemmatizer`)."""

    def __init__(self, lang: str):
        from translator.segment import nlp

        self.lang = lang
        code = nlp.code(lang)  # spaCy itself is loaded only for text no earlier run tokenized
        self.table, self.lemmas = lemmatable.EMPTY  # form → lemma; the table's lemmas, lowercased
        if lang not in NO_LEMMAS:
            self.table, self.lemmas = lemmatable.load(code)  # read a piece at a time (lemmatable)

    # --- keys ---------------------------------------------------------------

    def key(self, word: str) -> str:
        return _key(self, word)[0]

    def keys(self, word: str) -> frozenset[str]:
        return _key(self, word)[1]

    def _lookup(self, w: str) -> str | None:
        lemma = self.table.get(w) if self.table else None
        return lemma.lower() if isinstance(lemma, str) else None

    # --- tokens -------------------------------------------------------------

    def tokens(self, text: str) -> tuple[Token, ...]:
        return _tokens(self, text)

    def tokens_many(self, texts: Iterable[str]) -> list[tuple[Token, ...]]:
        """Tokens of many texts; uncached ones go through `segment.nlp.tokenize` together."""
        texts = list(texts)
        todo = [t for t in dict.fromkeys(texts) if _cached(self, t) is None]
        if todo:
            from translator.segment.nlp import tokenize

            docs = tokenize(self.lang, [mask_placeholders(t) for t in todo])
            for text, doc in zip(todo, docs):
                _store(self, text, self._from_doc(doc))
        return [self.tokens(t) for t in texts]

    def _from_doc(self, doc) -> tuple[Token, ...]:
        """Tokens from the tokenizer's (text, offset, is_space) spans (segment.nlp.tokenize)."""
        out = []
        for text, idx, is_space in doc:
            if is_space:
                continue
            for start, t in _split_hyphens(text, idx):
                if t in _HYPHENS:
                    out.append(Token(t, start, start + len(t), ""))
                else:
                    key, keys = _key(self, t)
                    # one string per distinct word: a big document's cached tokens repeat few words
                    out.append(Token(sys.intern(t), start, start + len(t), key, keys))
        return tuple(out)


def _split_hyphens(text: str, start: int) -> list[tuple[int, str]]:
    """"Statement-level" → "Statement", "-", "level" (tokenizers differ on
    this); "FlashAttention" → "Flash", "Attention", so that text glued
    together by a careless extraction ("flashintEste") still matches."""
    parts = re.split(r"(-)", text) if _HYPHENATED.fullmatch(text) else [text]
    out, pos = [], start
    for part in parts:
        for piece in _CAMEL.split(part) if part != "-" else [part]:
            if piece:
                out.append((pos, piece))
                pos += len(piece)
    return out


_HYPHENATED = re.compile(r"\w+(?:-\w+)+")
_CAMEL = re.compile(r"(?<=[a-záéíóúñü])(?=[A-ZÁÉÍÓÚÑ][a-záéíóúñü])")


def mask_placeholders(text: str) -> str:
    """The text with each placeholder token replaced by spaces of the same length."""
    return PLACEHOLDER_RE.sub(lambda m: " " * len(m.group(0)), text)


def fold(text: str) -> str:
    """Lowercase without accents: for lenient comparisons ("Autorización" ~ "autorizacion")."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=None)
def lemmatizer(lang: str) -> Lemmatizer:
    """The (cached) lemmatizer of a language code such as "en", "es", "zh"."""
    return Lemmatizer(lang.split("-")[0].lower())


# --- caches (module level so Lemmatizer stays hashable and simple) ----------

_TOKEN_CACHE: dict[tuple[str, str], tuple[Token, ...]] = {}
_KEY_CACHE: dict[tuple[str, str], tuple[str, frozenset[str]]] = {}
_CACHE_LIMIT = 200_000


def _cached(lem: Lemmatizer, text: str) -> tuple[Token, ...] | None:
    return _TOKEN_CACHE.get((lem.lang, text))


def _store(lem: Lemmatizer, text: str, toks: tuple[Token, ...]) -> None:
    if len(_TOKEN_CACHE) > _CACHE_LIMIT:
        _TOKEN_CACHE.clear()
    _TOKEN_CACHE[(lem.lang, text)] = toks


def _tokens(lem: Lemmatizer, text: str) -> tuple[Token, ...]:
    toks = _cached(lem, text)
    if toks is None:
        from translator.segment.nlp import tokenize

        toks = lem._from_doc(tokenize(lem.lang, [mask_placeholders(text)])[0])
        _store(lem, text, toks)
    return toks


def _key(lem: Lemmatizer, word: str) -> tuple[str, frozenset[str]]:
    ck = (lem.lang, word)
    found = _KEY_CACHE.get(ck)
    if found is None:
        found = _compute_key(lem, word)
        if len(_KEY_CACHE) > _CACHE_LIMIT:
            _KEY_CACHE.clear()
        _KEY_CACHE[ck] = found
    return found


def _compute_key(lem: Lemmatizer, word: str) -> tuple[str, frozenset[str]]:
    w = word.lower()
    if not lem.table or acronym(word):
        return w, frozenset((w,))
    lemma = lem._lookup(w)
    stems = _singulars(w, lem.lang) if w.endswith("s") and len(w) > 3 and w.isalpha() else []
    keys = {w}
    if lemma:
        keys.add(lemma)
    for stem in stems:
        keys.add(stem)
        stem_lemma = lem._lookup(stem)
        if stem_lemma:
            keys.add(stem_lemma)
    verbs = _enclitic_verbs(w) if lem.lang == "es" and not lemma and w not in lem.lemmas else set()
    if verbs:
        keys |= verbs  # "utilizarla", "guardándolas", "utilícelo" are forms of "utilizar", "guardar"
        lemma = min(verbs)
    if w in lem.lemmas:
        key = w  # a base form: "modelo" stays "modelo" even if the table says "modelar"
    elif lemma:
        key = lemma
    else:
        stem = next((s for s in stems if s in lem.lemmas), stems[0] if stems and not w.endswith(("ss", "us", "is")) else w)
        key = (lem._lookup(stem) if stem != w else None) or stem
    keys.add(key)
    return key, frozenset(keys)


ES_CLITICS = "me|te|se|nos|os|lo|la|los|las|le|les"  # the pronouns a Spanish verb form may have written on
_CLITICS = re.compile(rf"(?:{ES_CLITICS})$")
_COMPOUND_VERB = re.compile(r"/([^/<$]+)<vblex>[^/$]*\+")


def _enclitic_verbs(w: str) -> set[str]:
    """The infinitives of a Spanish verb form with pronouns written onto it
    ("utilizarla", "guardándolas", "utilícelo", "envíelo", "ponlo", "dime";
    "créelo" is crear and creer), as Apertium's analyser reads the compound,
    which the lookup table lacks; none for any other word ("ídolo",
    "estela") or without the analyser."""
    if not _CLITICS.search(w) or len(w) < 4:
        return set()
    from translator.terms.lexicon import lexicon  # the analyser only for words that may be such a form

    return {m.group(1).lower() for m in _COMPOUND_VERB.finditer(lexicon("es").ask(w))}


def acronym(word: str) -> bool:
    """A short word in capitals ("AI", "US", "IT", "AWS", the language "R")
    stands for itself. The lookup tables hold contraction pieces and
    abbreviations under the same letters in lowercase ("ai" of "ain't" →
    "have", "un" → "uno", "aws" → "aw"), so looking it up made the entry "AI"
    match every "have"; and an entry "US" or "IT" must not match "us" or "it"
    (terms.find). A longer word in capitals ("TRAINING" in a heading) is an
    ordinary word; so is the pronoun "I"."""
    return 1 <= len(word) <= 4 and word.isupper() and word.isalpha() and word != "I"


def _singulars(w: str, lang: str) -> list[str]:
    """Possible singulars of a word ending in -s, most likely first."""
    out = [w[:-1]]
    if w.endswith("es"):
        out.append(w[:-2])
        if lang == "es":
            if w.endswith("ces"):
                out.append(w[:-3] + "z")
            if w.endswith("iones"):
                out.append(w[:-5] + "ión")
            bare = fold_accents(w[:-2])
            if bare != w[:-2]:
                out.append(bare)  # órdenes → orden
        if w.endswith("ies") and len(w) > 4 and w[-4] not in "aeiou":
            # English "queries"; in Spanish text a loanword kept in its English plural
            out.insert(0 if lang == "en" else len(out), w[:-3] + "y")
    return out


def fold_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
