"""Finding glossary terms in a text: patterns compiled per language and side
(`TermIndex`), matched by lemma keys token by token (lemmas.py), substrings
for unsegmented scripts; overlapping matches resolved longest first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from translator.terms.align import is_function
from translator.terms.lemmas import NO_LEMMAS, Token, acronym, lemmatizer, mask_placeholders
from translator.terms.term import Term


@dataclass(frozen=True)
class TermHit:
    """One occurrence of a term (or of one of its forbidden variants) in a text."""

    term: Term
    start: int
    end: int
    text: str  # the text as written, e.g. "Foundation models"
    variant: str = ""  # the forbidden variant matched (forbidden index only)


@dataclass(frozen=True)
class _Pattern:
    term: Term
    text: str
    keys: tuple[frozenset[str], ...]
    surfaces: tuple[str, ...]
    case_sensitive: bool
    exact: tuple[str, ...] = ()  # per word: the lowercase form a function word must have ("" any form)
    caps: tuple[str, ...] = ()  # per word: an acronym as written, which the text must have ("" any case)


class TermIndex:
    """Compiled patterns of one side of a glossary, for one language."""

    def __init__(self, lang: str, entries: Sequence[tuple[Term, str, bool]]):
        self.lang = lang
        self.substring = lang in NO_LEMMAS
        self.lem = lemmatizer(lang)
        self.patterns: list[_Pattern] = []
        self.by_first: dict[str, list[_Pattern]] = {}
        self.by_term: dict[Term, list[_Pattern]] = {}
        texts = [text for _, text, _ in entries]
        token_lists = self.lem.tokens_many(texts) if not self.substring else [()] * len(texts)
        for (term, text, cs), toks in zip(entries, token_lists):
            toks = tuple(t for t in toks if t.key)
            if not text.strip() or (not self.substring and not toks):
                continue
            exact = tuple(t.text.lower() if is_function(t.text, lang) else "" for t in toks)
            caps = tuple(t.text if acronym(t.text) else "" for t in toks)
            p = _Pattern(term, text, tuple(t.keys for t in toks), tuple(t.text for t in toks), cs, exact,
                         caps if any(caps) else ())
            self.patterns.append(p)
            self.by_term.setdefault(term, []).append(p)
            for k in p.keys[0] if p.keys else ():
                self.by_first.setdefault(k, []).append(p)

    @classmethod
    def for_sources(cls, terms: Iterable[Term], lang: str) -> TermIndex:
        return cls(lang, [(t, t.source, t.case_sensitive) for t in terms])

    @classmethod
    def for_targets(cls, terms: Iterable[Term], lang: str) -> TermIndex:
        return cls(lang, [(t, t.rendering, t.case_sensitive or t.dnt and t.source[:1].isupper())
                          for t in terms])

    @classmethod
    def for_forbidden(cls, terms: Iterable[Term], lang: str) -> TermIndex:
        return cls(lang, [(t, v, False) for t in terms for v in t.forbidden])

    def warm(self, texts: Iterable[str]) -> None:
        """Tokenize many texts at once (segment.nlp.tokenize); later lookups hit the cache."""
        if not self.substring:
            self.lem.tokens_many(texts)

    def find(self, text: str, *, longest: bool = True, keep: Callable[[TermHit], bool] | None = None) -> list[TermHit]:
        """Occurrences of any pattern, in text order; overlapping ones resolved
        longest-first unless `longest` is False. `keep` drops occurrences
        before the overlaps are resolved, so a shorter entry can take the span."""
        hits = self._all(text, self.patterns)
        if keep is not None:
            hits = [h for h in hits if keep(h)]
        return _longest(hits) if longest else sorted(hits, key=lambda h: (h.start, -h.end))

    def find_term(self, text: str, term: Term) -> list[TermHit]:
        """Occurrences of one term's patterns (overlaps with other terms allowed)."""
        return _longest(self._all(text, self.by_term.get(term, [])))

    def _all(self, text: str, patterns: Sequence[_Pattern]) -> list[TermHit]:
        if not patterns or not text:
            return []
        if self.substring:
            return _substring_hits(text, patterns)
        toks = [t for t in self.lem.tokens(text) if t.key]
        wanted = set(patterns) if patterns is not self.patterns else None
        hits = []
        by_first = self.by_first
        for i, tok in enumerate(toks):
            if by_first.keys().isdisjoint(tok.keys):
                continue  # most words open no pattern: nothing to sort or collect
            keys = sorted(tok.keys) if len(tok.keys) > 1 else tok.keys
            candidates = list({id(p): p for k in keys for p in by_first.get(k, ())}.values())
            if len(candidates) > 1:
                candidates.sort(key=self._rank)  # glossary order, not hash order
            for p in candidates:
                if wanted is not None and p not in wanted:
                    continue
                n = len(p.keys)
                window = toks[i:i + n]
                if len(window) == n and all(w.keys & k for w, k in zip(window, p.keys)) \
                        and _same_function_words(window, p.exact):
                    if p.case_sensitive and not _same_case(window, p.surfaces):
                        continue
                    if p.caps and not _same_case(window, p.caps):
                        continue  # "US" is not "us", "IT" not "it"
                    start, end = window[0].start, window[-1].end
                    if _inside_name(text, start, end):
                        continue
                    hits.append(TermHit(p.term, start, end, text[start:end], p.text))
        # equal spans: the pattern written as in the text wins, then glossary order (stable sorts)
        return sorted(hits, key=lambda h: h.text.lower() != h.variant.lower()) if len(hits) > 1 else hits

    def _rank(self, p: _Pattern) -> int:
        if getattr(self, "_ranks", None) is None:
            self._ranks = {id(q): i for i, q in enumerate(self.patterns)}
        return self._ranks[id(p)]


def _inside_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a piece of a name written in capitalised
    pieces ("Eval" of "TaxEval", "Stream" of "LiveStream"): no term is found
    there. A piece of a lowercase run glued to the next word by a careless
    extraction ("flashint" of "flashintEste") still is."""
    for edge in (start, end):
        if 0 < edge < len(text) and text[edge - 1].isalnum() and text[edge].isalnum():
            first = edge - 1
            while first > 0 and text[first - 1].isalnum():
                first -= 1
            if text[first].isupper():
                return True
    return False


def _same_function_words(window: Sequence[Token], exact: Sequence[str]) -> bool:
    """A function word of a term matches only itself or a word it is a form
    of ("del" for "de"): "save as" is not in "save a filter", though the
    lemma keys of "as" and "a" meet."""
    return all(not e or w.text.lower() == e or e in w.keys for w, e in zip(window, exact))


def _same_case(window: Sequence[Token], surfaces: Sequence[str]) -> bool:
    return all(w.text.startswith(s) or w.text == s for w, s in zip(window, surfaces))


def _substring_hits(text: str, patterns: Sequence[_Pattern]) -> list[TermHit]:
    masked = mask_placeholders(text)
    low = masked.lower()
    hits = []
    for p in patterns:
        hay, needle = (masked, p.text) if p.case_sensitive else (low, p.text.lower())
        for m in re.finditer(re.escape(needle), hay):
            hits.append(TermHit(p.term, m.start(), m.end(), text[m.start():m.end()], p.text))
    return hits


def _longest(hits: list[TermHit]) -> list[TermHit]:
    chosen: list[TermHit] = []
    # equal spans: the pattern written as in the text wins ("Processing" is "processing", not "process")
    for h in sorted(hits, key=lambda h: (-(h.end - h.start), h.start, h.text.lower() != h.variant.lower())):
        if all(h.end <= c.start or h.start >= c.end for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: h.start)

