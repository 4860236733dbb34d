"""Where a term's wrong rendering sits in a translation: the engine's own
rendering of the term, a multiword target with one word in the head's place,
or the span aligned with the term in the engine's draft of the source
(`Hints`: what an engine can tell enforcement)."""

from __future__ import annotations

import re
from typing import Protocol

from translator.document import PLACEHOLDER_RE
from translator.terms import repair
from translator.terms.align import align_span, compound_span, content_tokens, is_function, residual_span
from translator.terms.find import TermHit, TermIndex
from translator.terms.glossary import Glossary, Term


class Hints(Protocol):
    """What an engine can tell enforcement (see ApertiumHints)."""

    def renderings(self, term: Term) -> list[str]:
        """How the engine translates the term on its own (singular and plural)."""

    def source_renderings(self, source: str) -> list[str]:
        """How the engine translates source words on their own (as they are, then plural)."""

    def draft(self, source: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]] | None:
        """The engine's translation of `source` and the span where it put the
        source span; None when it cannot tell."""


class NoHints:
    def renderings(self, term: Term) -> list[str]:
        return []

    def source_renderings(self, source: str) -> list[str]:
        return []

    def draft(self, source: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]] | None:
        return None


def default_hints(source_lang: str, target_lang: str) -> Hints:
    """Apertium's hints when it is installed for the pair, else none."""
    from translator.terms.apertium.hints import ApertiumHints
    from translator.terms.apertium.process import apertium_mode

    return ApertiumHints.shared(source_lang, target_lang) if apertium_mode(source_lang, target_lang) else NoHints()


def touches_placeholder(text: str, hit: TermHit) -> bool:
    return bool(PLACEHOLDER_RE.search(text, hit.start, hit.end))


def rendering_span(glossary: Glossary, term: Term, text: str, lang: str, hints: Hints,
                    done: list[Term]) -> tuple[int, int] | None:
    """Where the engine's own rendering of the term sits in the text."""
    renderings = [r for r in hints.renderings(term) if r.strip() and r.strip().lower() != term.source.lower()]
    if not renderings:
        return None
    index = TermIndex(lang, [(term, r, False) for r in dict.fromkeys(renderings)])
    for h in index.find(text):
        if not touches_placeholder(text, h) and not inside_done(glossary, text, h.start, h.end, done):
            return h.start, h.end
    # a one-word rendering written with clitics or an irregular form ("usar" in "usarla"):
    # the tagger's lemma of the word in context
    lemmas = {r.strip().lower() for r in renderings if " " not in r.strip()}
    lemmas |= {lem.lower() for r in list(lemmas) for lem, _ in repair.lexicon.analyses(r, lang)}
    for w in repair.tag(text, lang):
        if w.tags and w.lemma.lower() in lemmas and not PLACEHOLDER_RE.search(text, w.start, w.end) \
                and not inside_done(glossary, text, w.start, w.end, done):
            return w.start, w.end
    return None


def slot_span(glossary: Glossary, term: Term, text: str, lang: str, done: list[Term]) -> tuple[int, int] | None:
    """A multiword target whose other words are already in the text around one
    word in the head's place ("Grabar como" for "guardar como", "Posición de
    compensación" for "partida de compensación"): that stretch is the span."""
    words = re.findall(r"[^\W\d_]+", term.rendering)
    head = repair.head_word(term.rendering, lang)
    if len(words) < 2 or not head or term.dnt:
        return None
    parts = [r"([^\W\d_]+)" if w == head else re.escape(w) for w in words]
    found = [m for m in re.finditer(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", text, re.IGNORECASE)
             if m.group(1).lower() != head.lower() and not PLACEHOLDER_RE.search(text, m.start(), m.end())
             and not inside_done(glossary, text, m.start(), m.end(), done)]
    return (found[0].start(), found[0].end()) if len(found) == 1 else None


def inside_done(glossary: Glossary, text: str, start: int, end: int, done: list[Term]) -> bool:
    for t in done:
        for g in glossary.target_index.find_term(text, t):
            if g.start < end and start < g.end:
                return True
    return False


def aligned_span(glossary: Glossary, term: Term, hit: TermHit, source: str, text: str, lang: str,
                  hints: Hints, done: list[Term]) -> tuple[int, int] | None:
    """The span of `text` that translates the term (the first of `_aligned_spans`)."""
    spans = _aligned_spans(glossary, term, hit, source, text, lang, hints, done)
    return spans[0] if spans else None


def _aligned_spans(glossary: Glossary, term: Term, hit: TermHit, source: str, text: str, lang: str,
                   hints: Hints, done: list[Term]) -> list[tuple[int, int]]:
    """Candidate spans of `text` that translate the term, best first: aligned
    with the term's rendering in the engine's draft of the source, then the
    stretch of words that nothing else in the source accounts for."""
    n_target = max(1, len([w for w in term.rendering.split() if not is_function(w, lang)]))

    def usable(span: tuple[int, int] | None) -> bool:
        if span is None:
            return False
        s, e = span
        return not (PLACEHOLDER_RE.search(text, s, e) or inside_done(glossary, text, s, e, done)
                    or len(text[s:e].split()) > n_target + 2
                    or _explained_elsewhere(hints, source, hit, glossary.source_lang, text[s:e], lang)
                    or _bracketed(text, s) != _bracketed(source, hit.start)
                    or (_has_quotes(text) and _quoted(text, s) != _quoted(source, hit.start)))

    out: list[tuple[int, int]] = []
    got = hints.draft(source, (hit.start, hit.end))
    region = None
    if got:
        span, region = align_span(got[0], got[1], text, lang)
        if span is not None and usable(span):
            out.append(span)
    taken = [(g.start, g.end) for t in done if t is not term for g in glossary.target_index.find_term(text, t)]

    def disagrees(span: tuple[int, int]) -> bool:
        return bool(repair.number_mismatch(source, hit.start, hit.end, text, span[0], span[1],
                                           glossary.source_lang, lang))

    def noun_at(start: int) -> bool:
        word = next((w for w in repair.tag(text, lang) if w.start == start), None)
        return word is not None and bool(word.tags) and word.tags[0] == "n"

    span = residual_span(source, (hit.start, hit.end), glossary.source_lang, text, lang,
                         getattr(hints, "back_translations", None), got, n_target, region, taken, disagrees,
                         noun_at)
    if span is not None and usable(span) and span not in out:
        out.append(span)
    if not out:
        span = compound_span(source, (hit.start, hit.end), glossary.source_lang, text, lang,
                             getattr(hints, "back_translations", None))
        if span is not None and usable(span):
            out.append(span)
    return out


def _bracketed(text: str, at: int) -> bool:
    """Whether position `at` is inside parentheses or brackets: a term outside
    them is not rendered by a word inside them ("the (Settings) button")."""
    depth = 0
    for ch in text[:at]:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
    return depth > 0


_OPEN_QUOTES, _CLOSE_QUOTES = "“«„", "”»"


def _has_quotes(text: str) -> bool:
    return any(q in text for q in _OPEN_QUOTES + '"')


def _quoted(text: str, at: int) -> bool:
    """Whether position `at` is inside quotation marks: a term inside them
    ("his mock \"news anchor\" voice") is rendered by words inside them
    («voz burlona de “presentador de noticias”»), not by «burlona»."""
    depth, straight = 0, False
    for ch in text[:at]:
        if ch in _OPEN_QUOTES:
            depth += 1
        elif ch in _CLOSE_QUOTES and depth:
            depth -= 1
        elif ch == '"':
            straight = not straight
    return depth > 0 or straight


def _explained_elsewhere(hints: Hints, source: str, hit: TermHit, source_lang: str, span_text: str,
                         lang: str) -> bool:
    """The span translates another word of the source, not the term: its
    words translated back ("Aparece" → "appear") are another source word
    ("The Save filter dialog appears") and none of the term's."""
    back_fn = getattr(hints, "back_translations", None)
    if back_fn is None:
        return False
    words = [t.text for t in content_tokens(span_text, lang)]
    if not words:
        return False
    back = back_fn(words)
    src = content_tokens(source, source_lang)
    inside = [t for t in src if t.start >= hit.start and t.end <= hit.end]
    outside = [t for t in src if t.end <= hit.start or t.start >= hit.end]
    term_keys = set().union(*(t.keys for t in inside)) if inside else set()
    for w in words:
        keys = set(back.get(w, ()))
        if keys & term_keys:
            return False
    keys = set().union(*(set(back.get(w, ())) for w in words))
    return any(keys & t.keys for t in outside)


