"""Verifying a translation against the glossary: the terms found in its
source, those satisfied, a Suggestion for each violation (`verify`); the
forbidden variants of a text without its source (`verify_target_only`); the
share of terms kept in a corpus (`term_success`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from translator.document import Suggestion
from translator.terms.find import TermHit, TermIndex
from translator.terms.glossary import Glossary, Term
from translator.terms.inflect import inflect_like
from translator.terms.lemmas import NO_LEMMAS, lemmatizer


@dataclass(frozen=True)
class TermReport:
    """What the glossary says about one segment."""

    id: str
    hits: tuple[TermHit, ...]  # occurrences in the source
    found: tuple[Term, ...]  # distinct terms found, in source order
    satisfied: tuple[Term, ...]
    suggestions: tuple[Suggestion, ...]

    @property
    def violations(self) -> tuple[Term, ...]:
        return tuple(t for t in self.found if t not in self.satisfied)


def verify(glossary: Glossary, source: str, translation: str, seg_id: str) -> TermReport:
    """Check a translation against the terms found in its source."""
    hits = glossary.find(source)
    found = tuple(dict.fromkeys(h.term for h in hits))
    satisfied = []
    suggestions = []
    forbidden = forbidden_hits(glossary, translation, found)
    for term in found:
        wrong = [f for f in forbidden if f.term == term]
        if has_term(glossary, term, hits, source, translation) and not wrong:
            satisfied.append(term)
            continue
        for f in wrong:
            suggestions.append(forbidden_suggestion(glossary, f, seg_id))
        if not wrong:
            suggestions.append(missing_suggestion(term, seg_id, glossary.target_lang))
    return TermReport(seg_id, tuple(hits), found, tuple(satisfied), tuple(suggestions))


def has_term(glossary: Glossary, term: Term, hits: Sequence[TermHit], source: str, translation: str) -> bool:
    """Whether the translation renders the term: its target in any form, or,
    for a verb entry whose every occurrence in the source is a noun or an
    -ing form, the verb's action noun ("use" → "utilizar": «Restricciones de
    utilización» for "Restrictions on Use", «Eliminación de usuarios» for
    "Deleting Users"; repair.noun_of_entry)."""
    if glossary.target_index.find_term(translation, term):
        return True
    if glossary.target_lang != "es" or term.pos or term.dnt or not term.rendering.lower().endswith(("ar", "er", "ir")):
        return False
    from translator.terms import repair  # the analyser and the tagger, only for such entries

    own = [h for h in hits if h.term == term]
    nouns = {repair.noun_of_entry(term, source, h.start, h.end, glossary.source_lang, glossary.target_lang,
                                  gerund=True) for h in own}
    if not own or None in nouns:
        return False  # an occurrence that is a verb needs the verb
    return any(TermIndex(glossary.target_lang, [(term, n, False)]).find(translation) for n in nouns if n)


def verify_target_only(glossary: Glossary, translation: str, seg_id: str) -> list[Suggestion]:
    """Forbidden variants in a translation whose source is unknown. Without
    the source, a variant that is an ordinary word of the target language
    ("documento", "vector") may be right in another sense, so it is only a
    minor "check this"; phrases, names and non-words keep their severity."""
    out = []
    for hit in forbidden_hits(glossary, translation, None):
        if hit.term.context and not _near_context(hit, translation, glossary.target_lang):
            continue  # an entry for one domain ("Mamba" the model): the snake is not an error
        s = forbidden_suggestion(glossary, hit, seg_id)
        if _ordinary_word(hit.text, glossary.target_lang):
            s = replace(s, severity="minor", explanation=s.explanation + " (No source to compare: check the meaning.)")
        out.append(s)
    return out


def _near_context(hit: TermHit, text: str, lang: str) -> bool:
    from translator.terms.context import in_context

    return in_context(hit.term, text, hit.start, hit.end, lang, window=None)  # no source: the whole segment


def _ordinary_word(text: str, lang: str) -> bool:
    """One lowercase word that the language's lemma table knows."""
    word = text.strip()
    if " " in word or not word.islower():
        return False
    lem = lemmatizer(lang)
    return word in lem.table or word in lem.lemmas or lem.key(word) in lem.lemmas


def forbidden_hits(glossary: Glossary, text: str, terms: Sequence[Term] | None) -> list[TermHit]:
    """Forbidden variants present, except inside a correct rendering of a term."""
    if not any(t.forbidden for t in (terms if terms is not None else glossary.terms)):
        return []
    hits = [h for h in glossary.forbidden_index.find(text) if terms is None or h.term in terms]
    if not hits:
        return []
    good = glossary.target_index.find(text, longest=False)
    return [h for h in hits if not any(g.start <= h.start and h.end <= g.end for g in good)]


def forbidden_suggestion(glossary: Glossary, hit: TermHit, seg_id: str) -> Suggestion:
    fix = inflect_like(hit.term, hit.text, glossary.target_lang)
    return Suggestion(seg_id, "terminology", "critical", hit.text, fix,
                      f'The glossary forbids "{hit.variant}" for "{hit.term.source}": use "{hit.term.rendering}".',
                      origin="glossary", check="glossary-forbidden")


def missing_suggestion(term: Term, seg_id: str, target_lang: str) -> Suggestion:
    what = "kept as is (do not translate)" if term.dnt else f'translated as "{term.rendering}"'
    return Suggestion(seg_id, "terminology", "major", "", term.rendering,
                      f'The glossary requires "{term.source}" to be {what}.',
                      origin="glossary", check="glossary-term")



def term_success(pairs: Iterable[tuple[str, str, dict[str, str]]], *, target_lang: str = "es") -> float:
    """The share of terms whose target appears (inflection-aware) in the
    hypothesis. `pairs`: (source, hypothesis, {source term: target term})."""
    total = ok = 0
    lem = lemmatizer(target_lang)
    rows = list(pairs)
    lem.tokens_many(h for _, h, _ in rows) if target_lang not in NO_LEMMAS else None
    for _, hyp, terms in rows:
        if not terms:
            continue
        index = TermIndex(target_lang, [(Term(s, t), t, False) for s, t in terms.items()])
        present = {h.term for h in index.find(hyp, longest=False)}
        total += len(index.by_term)
        ok += len(present)
    return ok / total if total else 1.0
