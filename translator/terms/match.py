"""Glossary terms in texts: find them, verify translations, repair them.

Matching compares lemma keys token by token (lemmas.py), so "foundation
models" hits "foundation model" and "modelos fundacionales" satisfies
"modelo fundacional"; case-sensitive entries also compare the written form;
Chinese and other unsegmented scripts match substrings. When terms overlap,
the longest match wins and the shorter one does not count.

`verify` reports, for one segment, the terms found in the source, those
satisfied in the translation and a Suggestion for each violation.
`enforce` repairs violations without an LLM: it finds the wrong rendering (a
forbidden variant; how the engine renders the term on its own; or the span
aligned with the term in an engine draft, see `Hints`) and replaces it with
the target in the right number, tense and gender (morph.py). What it cannot
repair stays an open Suggestion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Protocol, Sequence

from translator.terms import morph

from translator.terms import repair
from translator.document import PLACEHOLDER_RE, Suggestion
from translator.terms.glossary import Glossary, Term
from translator.terms.align import align_span, content_tokens, is_function, residual_span
from translator.terms.find import TermHit, TermIndex
from translator.terms.lemmas import NO_LEMMAS, lemmatizer, mask_placeholders

__all__ = ["TermHit", "TermIndex", "TermReport", "agree_gender", "drop_restated", "enforce", "find_terms",
           "inflect_like", "prepare_enforcement", "term_success", "verify", "verify_target_only"]


def find_terms(glossary: Glossary, text: str) -> list[TermHit]:
    """Term occurrences in a source text (longest match wins)."""
    return glossary.find(text)


# --- verification ------------------------------------------------------------------


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
    forbidden = _forbidden_hits(glossary, translation, found)
    for term in found:
        wrong = [f for f in forbidden if f.term == term]
        if glossary.target_index.find_term(translation, term) and not wrong:
            satisfied.append(term)
            continue
        for f in wrong:
            suggestions.append(_forbidden_suggestion(glossary, f, seg_id))
        if not wrong:
            suggestions.append(_missing_suggestion(term, seg_id, glossary.target_lang))
    return TermReport(seg_id, tuple(hits), found, tuple(satisfied), tuple(suggestions))


def verify_target_only(glossary: Glossary, translation: str, seg_id: str) -> list[Suggestion]:
    """Forbidden variants in a translation whose source is unknown. Without
    the source, a variant that is an ordinary word of the target language
    ("documento", "vector") may be right in another sense, so it is only a
    minor "check this"; phrases, names and non-words keep their severity."""
    out = []
    for hit in _forbidden_hits(glossary, translation, None):
        if hit.term.context and not _near_context(hit, translation, glossary.target_lang):
            continue  # an entry for one domain ("Mamba" the model): the snake is not an error
        s = _forbidden_suggestion(glossary, hit, seg_id)
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


def _forbidden_hits(glossary: Glossary, text: str, terms: Sequence[Term] | None) -> list[TermHit]:
    """Forbidden variants present, except inside a correct rendering of a term."""
    if not any(t.forbidden for t in (terms if terms is not None else glossary.terms)):
        return []
    hits = [h for h in glossary.forbidden_index.find(text) if terms is None or h.term in terms]
    if not hits:
        return []
    good = glossary.target_index.find(text, longest=False)
    return [h for h in hits if not any(g.start <= h.start and h.end <= g.end for g in good)]


def _forbidden_suggestion(glossary: Glossary, hit: TermHit, seg_id: str) -> Suggestion:
    fix = inflect_like(hit.term, hit.text, glossary.target_lang)
    return Suggestion(seg_id, "terminology", "critical", hit.text, fix,
                      f'The glossary forbids "{hit.variant}" for "{hit.term.source}": use "{hit.term.rendering}".',
                      origin="glossary", check="glossary-forbidden")


def _missing_suggestion(term: Term, seg_id: str, target_lang: str) -> Suggestion:
    what = "kept as is (do not translate)" if term.dnt else f'translated as "{term.rendering}"'
    return Suggestion(seg_id, "terminology", "major", "", term.rendering,
                      f'The glossary requires "{term.source}" to be {what}.',
                      origin="glossary", check="glossary-term")


# --- inflection of a replacement -----------------------------------------------------


def inflect_like(term: Term, old: str, target_lang: str, *, plural: bool | None = None) -> str:
    """The term's rendering shaped like `old`, the span it replaces: same
    number (or `plural` when given), same verb form, same capitalisation.
    A form the rules make that is not a word ("definires") is not used: the
    rendering is then kept as the glossary gives it."""
    new = _inflect_like(term, old, target_lang, plural=plural)
    if new != term.rendering and target_lang in ("es", "en"):
        from translator.terms import lexicon

        given = {w.lower() for w in re.findall(r"[^\W\d_]+", term.rendering)}
        if any(w.lower() not in given and not lexicon.is_word(w, target_lang)
               for w in re.findall(r"[^\W\d_]+", new)):
            return term.rendering if term.case_sensitive else morph.match_case(term.rendering, old)
    return new


def _inflect_like(term: Term, old: str, target_lang: str, *, plural: bool | None = None) -> str:
    new = term.rendering
    if term.dnt:
        return new
    words = old.split()
    if target_lang == "es" and " " not in new and morph.is_es_infinitive(new) and len(words) == 1:
        conj = _verb_form(new, words[0])
        if conj:
            return morph.match_case(conj, old)
    if target_lang == "es" and " " not in new and morph.is_es_infinitive(new):
        return new if term.case_sensitive else morph.match_case(new, old)  # a verb has no plural
    if plural is None:
        plural = morph.is_plural(old, target_lang)
    if plural and not morph.is_plural(new, target_lang):
        foreign = {w for w in new.split() if w.lower() in term.source.lower().split()}
        new = morph.pluralize(new, target_lang, foreign)
    if not term.case_sensitive:
        new = morph.match_case(new, old)
    return new


def _verb_form(infinitive: str, old: str) -> str | None:
    """`infinitive` in the form of `old` if `old` is a verb form ("grabe" → "guarde")."""
    low = old.lower()
    ap = morph.apertium_es()
    if ap:
        if any(tags and tags[0] in ("n", "adj") for _, tags in ap.analyses(low)) and not morph.is_es_infinitive(old):
            return None  # "uso" is a noun here, not a form of "usar"
    elif not (morph.is_es_infinitive(old) or re.search(r"(ad|id)[oa]s?$|(ando|iendo)$", low)):
        lem = lemmatizer("es")
        if lem.key(low) == low or low in lem.lemmas:
            return None  # a base form of its own (a noun, most likely)
    return morph.es_conjugate_like(infinitive, old)


# --- hints from an engine ---------------------------------------------------------------


class Hints(Protocol):
    """What an engine can tell enforcement (see ApertiumHints)."""

    def renderings(self, term: Term) -> list[str]:
        """How the engine translates the term on its own (singular and plural)."""

    def draft(self, source: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]] | None:
        """The engine's translation of `source` and the span where it put the
        source span; None when it cannot tell."""


class NoHints:
    def renderings(self, term: Term) -> list[str]:
        return []

    def draft(self, source: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]] | None:
        return None


def default_hints(source_lang: str, target_lang: str) -> Hints:
    """Apertium's hints when it is installed for the pair, else none."""
    from translator.terms.apertium.hints import ApertiumHints
    from translator.terms.apertium.process import apertium_mode

    return ApertiumHints.shared(source_lang, target_lang) if apertium_mode(source_lang, target_lang) else NoHints()


# --- enforcement ----------------------------------------------------------------------------


def prepare_enforcement(glossary: Glossary, pairs: Iterable[tuple[str, str]], *, target_lang: str = "",
                        hints: Hints | None = None) -> Hints:
    """Make the engine calls `enforce` will need for many (source, translation)
    pairs at once (a few Apertium runs instead of some per segment). Returns
    the hints to pass to `enforce`."""
    lang = target_lang or glossary.target_lang
    if hints is None:
        hints = default_hints(glossary.source_lang, lang)
    pairs = list(pairs)
    glossary.source_index.warm(s for s, _ in pairs)
    glossary.target_index.warm(t for _, t in pairs)
    drafts, content, present = [], [], {}
    tag_src, tag_tgt = [], []
    for source, translation in pairs:
        hits = glossary.find(source)
        present.update(dict.fromkeys(h.term for h in hits))
        todo = [h for h in hits if not glossary.target_index.find_term(translation, h.term)]
        drafts += [(source, (h.start, h.end)) for h in todo]
        if todo:
            content += [t.text for t in content_tokens(translation, lang)]
            tag_src.append(source)
            tag_tgt.append(translation)
    repair.prefetch_tags(tag_src, glossary.source_lang)  # one tagger run per side
    repair.prefetch_tags(tag_tgt, lang)
    words = sorted({w for t in tag_tgt for w in re.findall(r"[^\W\d_]+", t)})  # the language checks' words
    for code in dict.fromkeys((lang, glossary.source_lang)):
        repair.lexicon.prefetch(words, code)
    for name, arg in (("prefetch_terms", _to_prefetch(glossary, list(present))), ("prefetch_drafts", drafts),
                      ("back_translations", content)):
        fn = getattr(hints, name, None)
        if fn and arg:
            fn(arg)
    return hints


def _to_prefetch(glossary: Glossary, found: list[Term]) -> Sequence[Term]:
    """The whole glossary when it is small (one engine run serves every
    document), else only the terms found (a 100k-row glossary is minutes)."""
    return glossary.terms if len(glossary.terms) < 2000 else found


def enforce(glossary: Glossary, source: str, translation: str, seg_id: str, *, target_lang: str = "",
            hints: Hints | None = None) -> tuple[str, list[Suggestion]]:
    """Repair the glossary violations of a translation without an LLM.

    Returns the new text and the Suggestions: "applied" for each repair,
    "open" for what is left. Placeholder tokens are never touched."""
    lang = target_lang or glossary.target_lang
    hits = glossary.find(source)
    if not hits:
        return translation, []
    if hints is None:
        hints = default_hints(glossary.source_lang, lang)
    # longer terms first: their renderings are then off limits to the shorter ones
    found = sorted(dict.fromkeys(h.term for h in hits), key=lambda t: -len(t.source.split()))
    text = translation
    done: list[Term] = []  # terms already satisfied or repaired: their targets are off limits
    suggestions: list[Suggestion] = []
    prefetch = getattr(hints, "prefetch_terms", None)
    if prefetch:
        prefetch(_to_prefetch(glossary, found))  # one engine call, cached
    for term in found:
        term_hits = [h for h in hits if h.term == term]
        others = [t for t in found if t is not term and t not in done]  # their targets are theirs, too
        text, fixed, left = _enforce_term(glossary, term, term_hits, source, text, seg_id, lang, hints,
                                          done + others)
        suggestions += fixed
        suggestions += left
        done.append(term)
    return text, suggestions


def _enforce_term(glossary: Glossary, term: Term, src_hits: list[TermHit], source: str, text: str,
                  seg_id: str, lang: str, hints: Hints, done: list[Term]):
    applied: list[Suggestion] = []
    held: list[Suggestion] = []  # edits the no-harm gate refused: open, with the exact span
    refused: list[tuple[int, int]] = []
    # 1. forbidden variants are always wrong
    for _ in range(8):
        wrong = [f for f in _forbidden_hits(glossary, text, [term]) if not _touches_placeholder(text, f)
                 and (f.start, f.end, f.text) not in [(a, b, text[a:b]) for a, b in refused]]
        if not wrong:
            break
        text, s = _replace(term, text, wrong[0].start, wrong[0].end, seg_id, lang,
                           f'forbidden variant "{wrong[0].variant}"', src_hits[0], glossary.source_lang, source)
        if s.status == "open":
            refused.append((wrong[0].start, wrong[0].end))
            held.append(s)
        else:
            applied.append(s)
    if not glossary.target_index.find_term(text, term):
        # 2. how the engine renders the term on its own; 3. alignment with the engine's draft
        for hit in src_hits:
            sense = repair.source_sense(term, source, hit.start, hit.end, glossary.source_lang, lang)
            if sense:
                held.append(_held(term, seg_id, "", sense))
                continue
            # one candidate only: a second guess after a refused one is mostly a wrong place
            spans = [_rendering_span(glossary, term, text, lang, hints, done + [term])
                     or _slot_span(glossary, term, text, lang, done + [term])
                     or _aligned_span(glossary, term, hit, source, text, lang, hints, done + [term])]
            refusal = None
            for span in dict.fromkeys(sp for sp in spans if sp is not None):
                text, s = _replace(term, text, span[0], span[1], seg_id, lang, "", hit, glossary.source_lang, source)
                if s.status != "open":
                    applied.append(s)
                    refusal = None
                    break
                refusal = refusal or s  # the first candidate's refusal is the one reported
            if refusal is not None:
                held.append(refusal)
    left = [_forbidden_suggestion(glossary, f, seg_id) for f in _forbidden_hits(glossary, text, [term])
            if not any(h.original == f.text for h in held)]
    if not glossary.target_index.find_term(text, term) and not held:
        left.append(_missing_suggestion(term, seg_id, lang))
    return text, applied, held + left


def drop_restated(items: list[Suggestion]) -> list[Suggestion]:
    """Without the generic "the glossary requires …" finding of a term whose
    refused repair is already open with its exact span (one issue, counted once)."""
    held = {(s.id, s.explanation.split('"')[1]) for s in items if s.check == "glossary-repair" and '"' in s.explanation}
    if not held:
        return items
    return [s for s in items if not (s.check == "glossary-term" and s.status == "open" and not s.original
                                     and '"' in s.explanation and (s.id, s.explanation.split('"')[1]) in held)]


def _held(term: Term, seg_id: str, old: str, why: str, new: str = "") -> Suggestion:
    return Suggestion(seg_id, "terminology", "major", old, new or term.rendering,
                      f'Glossary: "{term.source}" → "{term.rendering}"; not applied: {why}.',
                      origin="glossary", status="open", check="glossary-repair")


def _replace(term: Term, text: str, start: int, end: int, seg_id: str, lang: str, why: str,
             hit: TermHit, source_lang: str, source: str = "") -> tuple[str, Suggestion]:
    """Replace text[start:end] by the term in the right form, when the no-harm
    gate (repair.py) allows it; else an open suggestion and the text as it was."""
    old = text[start:end]
    if repair.in_source_language(text, start, end, source_lang, lang):
        return text, _held(term, seg_id, old, "this sentence is still in the source language (flagged untranslated)")
    generated = term.dnt  # a kept term as written in the source is the glossary target itself
    form, words = None, ()
    if term.dnt:  # kept as written in the source ("Transformers"), in the number of the span
        new = hit.text
        if morph.is_plural(old, lang) and not morph.is_plural(new, source_lang):
            new = morph.pluralize(new, source_lang)
    else:
        words = repair.reading_at(text, start, end, lang)
        form = repair.inflect(term, old, words, lang)
        if form is None and source and not any(w.tags for w in words):
            form = repair.form_from_source(term, old, source, hit.start, hit.end, source_lang, lang)
        new, generated = (form.text, form.generated) if form else (inflect_like(term, old, lang), False)
    before, after = text[:start], text[end:]
    if lang == "es" and not term.dnt:
        before, after = agree_gender(before, after, old, new)
    verdict = repair.gate(term, text, start, end, new, before + new + after, lang, generated=generated,
                          source_pos=repair.source_pos(term, source, hit.start, hit.end, source_lang, lang))
    if not verdict.ok:
        return text, _held(term, seg_id, old, verdict.reason, new)
    why_not = repair.no_form(term, words, lang) if not term.dnt and form is None else ""
    if not why and source and not why_not:  # a span found by alignment, not a forbidden variant
        why_not = repair.number_mismatch(source, hit.start, hit.end, text, start, end, source_lang, lang)
    if why_not and new != old:
        return text, _held(term, seg_id, old, why_not, new)
    explanation = f'Glossary: "{term.source}" → "{term.rendering}"' + (f" (replaced {why})" if why else "") + "."
    s = Suggestion(seg_id, "terminology", "critical" if why else "major", old, new, explanation,
                   origin="glossary", status="applied", check="glossary-term")
    return before + new + after, s


def agree_gender(before: str, after: str, old: str, new: str) -> tuple[str, str]:
    """Spanish: when `new` replaces `old` and the gender changes, the
    determiners before it and an adjective right after it follow
    ("la plantilla nueva" → "el modelo nuevo", "del" ⇄ "de la")."""
    old_g = morph.es_gender(old)
    new_g = morph.es_gender(new)
    if not old_g or not new_g or old_g == new_g:
        return before, after
    before = _agree_before(before, new_g)
    m2 = re.match(r"^(\s+)(\w+)", mask_placeholders(after))
    if m2:
        adj = morph.es_adjective_to(m2.group(2), new_g)
        if adj:
            after = after[:m2.start(2)] + adj + after[m2.end(2):]
    return before, after


def _agree_before(before: str, gender: str) -> str:
    """Walk back from the noun over determiners and prenominal adjectives
    (placeholder tokens in between are transparent) and give them `gender`."""
    masked = mask_placeholders(before)
    chain: list[re.Match] = []
    pos = len(masked)
    for w in reversed(list(re.finditer(r"\w+", masked))):
        if masked[w.end():pos].strip() or len(chain) == 4:
            break
        chain.append(w)
        pos = w.start()
    edits: list[tuple[int, int, str]] = []
    for k, w in enumerate(chain):
        word, low = w.group(0), w.group(0).lower()
        if low in ("del", "al") and gender == "f":
            edits.append((w.start(), w.end(), morph.match_case("de la" if low == "del" else "a la", word)))
            continue
        prev = chain[k + 1] if k + 1 < len(chain) else None
        if gender == "m" and low == "la" and prev and prev.group(0).lower() in ("de", "a") \
                and not before[prev.end():w.start()].strip():
            edits.append((prev.start(), w.end(), morph.match_case("del" if prev.group(0).lower() == "de" else "al",
                                                                 prev.group(0))))
            break
        swapped = morph.es_swap_gender(word, gender)
        if swapped is None:
            break
        edits.append((w.start(), w.end(), swapped))
    for start, end, text in sorted(edits, reverse=True):
        before = before[:start] + text + before[end:]
    return before


def _touches_placeholder(text: str, hit: TermHit) -> bool:
    return bool(PLACEHOLDER_RE.search(text, hit.start, hit.end))


def _rendering_span(glossary: Glossary, term: Term, text: str, lang: str, hints: Hints,
                    done: list[Term]) -> tuple[int, int] | None:
    """Where the engine's own rendering of the term sits in the text."""
    renderings = [r for r in hints.renderings(term) if r.strip() and r.strip().lower() != term.source.lower()]
    if not renderings:
        return None
    index = TermIndex(lang, [(term, r, False) for r in dict.fromkeys(renderings)])
    for h in index.find(text):
        if not _touches_placeholder(text, h) and not _inside_done(glossary, text, h.start, h.end, done):
            return h.start, h.end
    # a one-word rendering written with clitics or an irregular form ("usar" in "usarla"):
    # the tagger's lemma of the word in context
    lemmas = {r.strip().lower() for r in renderings if " " not in r.strip()}
    lemmas |= {lem.lower() for r in list(lemmas) for lem, _ in repair.lexicon.analyses(r, lang)}
    for w in repair.tag(text, lang):
        if w.tags and w.lemma.lower() in lemmas and not PLACEHOLDER_RE.search(text, w.start, w.end) \
                and not _inside_done(glossary, text, w.start, w.end, done):
            return w.start, w.end
    return None


def _slot_span(glossary: Glossary, term: Term, text: str, lang: str, done: list[Term]) -> tuple[int, int] | None:
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
             and not _inside_done(glossary, text, m.start(), m.end(), done)]
    return (found[0].start(), found[0].end()) if len(found) == 1 else None


def _inside_done(glossary: Glossary, text: str, start: int, end: int, done: list[Term]) -> bool:
    for t in done:
        for g in glossary.target_index.find_term(text, t):
            if g.start < end and start < g.end:
                return True
    return False


def _aligned_span(glossary: Glossary, term: Term, hit: TermHit, source: str, text: str, lang: str,
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
        return not (PLACEHOLDER_RE.search(text, s, e) or _inside_done(glossary, text, s, e, done)
                    or len(text[s:e].split()) > n_target + 2
                    or _explained_elsewhere(hints, source, hit, glossary.source_lang, text[s:e], lang)
                    or _bracketed(text, s) != _bracketed(source, hit.start))

    out = []
    got = hints.draft(source, (hit.start, hit.end))
    region = None
    if got:
        span, region = align_span(got[0], got[1], text, lang)
        if usable(span):
            out.append(span)
    span = residual_span(source, (hit.start, hit.end), glossary.source_lang, text, lang,
                         getattr(hints, "back_translations", None), got, n_target, region)
    if usable(span) and span not in out:
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


# --- term success ---------------------------------------------------------------------


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
