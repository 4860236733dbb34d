"""Glossary terms in texts: find them (find.py), verify translations
(verify.py), repair them (here; the spans in spans.py, the forms in inflect.py
and repair.py).

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

import dataclasses
import re
from typing import Iterable, Sequence

from translator.terms import morph
from translator.terms import glue, repair
from translator.document import Severity, Suggestion
from translator.terms.align import align_span, content_tokens
from translator.terms.find import TermHit, TermIndex
from translator.terms.glossary import Glossary, Term
from translator.terms.inflect import agree_article, agree_gender, headword_case, inflect_like, number_before, \
    predicate_disagrees
from translator.terms.spans import Hints, NoHints, aligned_span, default_hints, rendering_span, slot_span, \
    touches_placeholder
from translator.terms.verify import TermReport, forbidden_hits, forbidden_suggestion, has_term, \
    missing_suggestion, term_success, verify, verify_target_only

__all__ = ["Hints", "NoHints", "TermHit", "align_span", "TermIndex", "TermReport", "agree_article", "agree_gender",
           "drop_restated", "enforce", "find_terms", "inflect_like", "number_before", "prepare_enforcement",
           "term_success", "verify", "verify_target_only"]


def find_terms(glossary: Glossary, text: str) -> list[TermHit]:
    """Term occurrences in a source text (longest match wins)."""
    return glossary.find(text)


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
    present, drafts, todo_pairs = _needs(glossary, pairs)
    content = [t.text for _, translation in todo_pairs for t in content_tokens(translation, lang)]
    repair.prefetch_tags([s for s, _ in todo_pairs], glossary.source_lang)  # one tagger run per side
    repair.prefetch_tags([t for _, t in todo_pairs], lang)
    words = sorted({w for _, t in todo_pairs for w in re.findall(r"[^\W\d_]+", t)})  # the language checks' words
    for code in dict.fromkeys((lang, glossary.source_lang)):
        repair.lexicon.prefetch(words, code)
    for name, arg in (("prefetch_terms", _to_prefetch(glossary, present)), ("prefetch_drafts", drafts),
                      ("back_translations", content)):
        fn = getattr(hints, name, None)
        if fn and arg:
            fn(arg)
    return hints


def _needs(glossary: Glossary, pairs: list[tuple[str, str]]):
    """The terms present in the sources, the (source, span) drafts to ask for
    the terms not satisfied, and the pairs that have such a term."""
    present: dict[Term, None] = {}
    drafts: list[tuple[str, tuple[int, int]]] = []
    todo_pairs: list[tuple[str, str]] = []
    for source, translation in pairs:
        hits = glossary.find(source)
        present.update(dict.fromkeys(h.term for h in hits))
        todo = [h for h in hits if not glossary.target_index.find_term(translation, h.term)]
        drafts += [(source, (h.start, h.end)) for h in todo]
        if todo:
            todo_pairs.append((source, translation))
    return list(present), drafts, todo_pairs


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
    """Repair one term: its forbidden variants, then (still missing) the
    engine's rendering or the aligned span. Returns the text, the applied
    edits and what is left open (held edits with their exact span first)."""
    text, applied, held = _fix_forbidden(glossary, term, src_hits[0], source, text, seg_id, lang)
    if not has_term(glossary, term, src_hits, source, text):
        text, more, more_held = _fix_missing(glossary, term, src_hits, source, text, seg_id, lang, hints, done)
        applied += more
        held += more_held
    left = [forbidden_suggestion(glossary, f, seg_id) for f in forbidden_hits(glossary, text, [term])
            if not any(h.original == f.text for h in held)]
    if not has_term(glossary, term, src_hits, source, text) and not held:
        left.append(missing_suggestion(term, seg_id, lang))
    return text, applied, held + left


def _fix_forbidden(glossary: Glossary, term: Term, hit: TermHit, source: str, text: str, seg_id: str,
                   lang: str) -> tuple[str, list[Suggestion], list[Suggestion]]:
    """1. Forbidden variants are always wrong: replace each (the gate permitting)."""
    applied: list[Suggestion] = []
    held: list[Suggestion] = []  # edits the no-harm gate refused: open, with the exact span
    refused: list[tuple[int, int]] = []
    for _ in range(8):
        wrong = [f for f in forbidden_hits(glossary, text, [term]) if not touches_placeholder(text, f)
                 and (f.start, f.end, f.text) not in [(a, b, text[a:b]) for a, b in refused]]
        if not wrong:
            break
        text, s = _replace(term, text, wrong[0].start, wrong[0].end, seg_id, lang,
                           f'forbidden variant "{wrong[0].variant}"', hit, glossary.source_lang, source)
        if s is None:
            break  # a forbidden variant that is the verb's noun itself: nothing to replace
        if s.status == "open":
            refused.append((wrong[0].start, wrong[0].end))
            held.append(s)
        else:
            applied.append(s)
    return text, applied, held


def _fix_missing(glossary: Glossary, term: Term, src_hits: list[TermHit], source: str, text: str, seg_id: str,
                 lang: str, hints: Hints, done: list[Term]) -> tuple[str, list[Suggestion], list[Suggestion]]:
    """2. How the engine renders the term on its own; 3. alignment with the engine's draft."""
    applied: list[Suggestion] = []
    held: list[Suggestion] = []
    for hit in src_hits:
        sense = repair.source_sense(term, source, hit.start, hit.end, glossary.source_lang, lang)
        if sense:
            held.append(_held(term, seg_id, "", sense))
            continue
        def find(text: str) -> tuple[int, int] | None:
            # one candidate only: a second guess after a refused one is mostly a wrong place
            return (rendering_span(glossary, term, text, lang, hints, done + [term])
                    or slot_span(glossary, term, text, lang, done + [term])
                    or aligned_span(glossary, term, hit, source, text, lang, hints, done + [term]))

        span = find(text)
        s = None
        # a span over a glued word («thebutton») is repaired only with the space put back
        glued = span is not None and any(a < span[1] and span[0] < b for a, b, _ in glue.splits(text, lang, source))
        if span is not None and not glued:
            new_text, s = _replace(term, text, span[0], span[1], seg_id, lang, "", hit, glossary.source_lang, source)
        if s is None or s.status == "open":
            got = _unglued_repair(term, text, hit, source, seg_id, lang, glossary.source_lang, find)
            if got is not None:
                new_text, s = got
        if s is None:
            continue
        if s.status != "open":
            text = new_text
        (held if s.status == "open" else applied).append(s)
    return text, applied, held


def _unglued_repair(term: Term, text: str, hit: TermHit, source: str, seg_id: str, lang: str, source_lang: str,
                    find) -> tuple[str, Suggestion] | None:
    """The repair made where the draft glued two words ("delbotón",
    "documentoODO"): with the space put back, the term's place is found and
    the repair applied; the suggestion shows the glued word as it was."""
    for ws, we, at in glue.splits(text, lang, source):
        spaced = glue.unglue(text, at)
        span = find(spaced)
        if span is None or not (span[0] < we + 1 and ws < span[1]):
            continue  # the term's place is not at the glued word
        new_text, s = _replace(term, spaced, span[0], span[1], seg_id, lang, "", hit, source_lang, source)
        if s is None or s.status == "open":
            continue
        a, b = min(span[0], ws), max(span[1], we + 1)
        shift = len(new_text) - len(spaced)
        explanation = s.explanation[:-1] + f' (the glued "{text[ws:we]}" split).'
        return new_text, dataclasses.replace(s, original=text[a:b - 1], suggestion=new_text[a:b + shift],
                                             explanation=explanation)
    return None


def drop_restated(items: list[Suggestion]) -> list[Suggestion]:
    """Without the generic "the glossary requires …" finding of a term whose
    refused repair is already open with its exact span (one issue, counted once)."""
    held = {(s.id, s.explanation.split('"')[1]) for s in items if s.check == "glossary-repair" and '"' in s.explanation}
    if not held:
        return items
    return [s for s in items if not (s.check == "glossary-term" and s.status == "open" and not s.original
                                     and '"' in s.explanation and (s.id, s.explanation.split('"')[1]) in held)]


def _held(term: Term, seg_id: str, old: str, why: str, new: str = "", severity: Severity = "major") -> Suggestion:
    return Suggestion(seg_id, "terminology", severity, old, new or term.rendering,
                      f'Glossary: "{term.source}" → "{term.rendering}"; not applied: {why}.',
                      origin="glossary", status="open", check="glossary-repair")


def _written_apart(text: str, start: int, end: int, target: str) -> tuple[int, int]:
    """The span widened over the neighbouring words that, with it, spell the
    target written apart: "chat" of «chat gpt» for "ChatGPT" is «chat gpt»
    (else "ChatGPT gpt")."""
    want = _squeezed(target)
    if not want or _squeezed(text[start:end]) == want or _squeezed(text[start:end]) not in want:
        return start, end
    a, b = start, end
    for m in _WORD_AFTER.finditer(text, b):
        if m.start() != b or _squeezed(text[a:m.end()]) not in want:
            break
        b = m.end()
    while a > 0:
        left = _WORD_BEFORE.search(text[:a])
        if left is None or _squeezed(text[left.start():b]) not in want:
            break
        a = left.start()
    return (a, b) if _squeezed(text[a:b]) == want else (start, end)


_WORD_AFTER = re.compile(r"[\s-]+[^\W_]+")
_WORD_BEFORE = re.compile(r"[^\W_]+[\s-]+$")


def _in_capitals(text: str, old: str) -> bool:
    """Whether the replaced words and the sentence around them are written in
    capitals (a heading), not just an acronym ("API") in ordinary text."""
    letters = [c for c in text if c.isalpha()]
    own = len(re.sub(r"\W", "", old))
    if not old.isupper() or own < 2:
        return False
    if len(letters) == own:
        return own > 4  # the whole text: a word in capitals («GRÁBELO»), not an acronym («API»)
    return sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _squeezed(s: str) -> str:
    return re.sub(r"[\s-]+", "", s).casefold()


def _replace(term: Term, text: str, start: int, end: int, seg_id: str, lang: str, why: str,
             hit: TermHit, source_lang: str, source: str = "") -> tuple[str, Suggestion | None]:
    """Replace text[start:end] by the term in the right form, when the no-harm
    gate (repair.py) allows it; else an open suggestion and the text as it was."""
    start, end = _written_apart(text, start, end, hit.text if term.dnt else term.rendering)
    old = text[start:end]
    if repair.in_source_language(text, start, end, source_lang, lang):
        return text, _held(term, seg_id, old, "this sentence is still in the source language (flagged untranslated)")
    generated = term.dnt  # a kept term as written in the source is the glossary target itself
    entry = term  # the glossary's entry, as the explanation names it
    only = repair.source_only_pos(source, hit.start, hit.end, source_lang) if source else ""
    form: repair.Inflected | None = None
    words: list[repair.Tagged] = []
    if term.dnt:  # kept as written in the source ("Transformers"), in the number of the span
        new = hit.text
        if morph.is_plural(old, lang) and not morph.is_plural(new, source_lang):
            new = morph.pluralize(new, source_lang)
    else:
        words = repair.reread(repair.reading_at(text, start, end, lang), repair.term_pos(term, lang), only, lang)
        noun = repair.as_noun(term, words, source, hit.start, hit.end, source_lang, lang) if source else None
        if noun is not None:  # "use" → "utilizar" where the draft and the source have a noun: «utilización»
            entry, term = term, noun
        adjective = [w for w in words if w.tags and w.pos == repair.ADJ and "mf" in w.tags]
        gender = repair.noun_gender(text, start, end, lang, repair.is_quantifier(term.rendering, lang)) \
            if adjective else ""
        form = repair.inflect(term, old, words, lang, gender)
        if form is None and source and not any(w.tags for w in words):
            form = repair.form_from_source(term, old, source, hit.start, hit.end, source_lang, lang)
        new, generated = (form.text, form.generated) if form else \
            (inflect_like(term, old, lang, plural=number_before(text[:start], lang)), False)
    new = headword_case(term, new, old)
    if _in_capitals(text, old) and not term.case_sensitive:
        new = new.upper()  # «BORRE EL ARCHIVO» → «ELIMINE EL ARCHIVO», not «Elimine EL ARCHIVO»
    before, after = text[:start], text[end:]
    if lang == "es" and not term.dnt:
        before, after = agree_gender(before, after, old, new)
    elif lang == "en":
        before = agree_article(before, new)
    verdict = repair.gate(term, text, start, end, new, before + new + after, lang, generated=generated,
                          source_pos=repair.source_pos(term, source, hit.start, hit.end, source_lang, lang),
                          source_only=only)
    if not verdict.ok:
        return text, _held(entry, seg_id, old, verdict.reason, new)
    why_not = repair.no_form(term, words, lang) if not term.dnt and form is None else ""
    if source and not why_not:
        why_not = repair.drops_source_words(source, hit.start, hit.end, old, new)
    if not why and source and not why_not:  # a span found by alignment, not a forbidden variant
        why_not = repair.number_mismatch(source, hit.start, hit.end, text, start, end, source_lang, lang)
    if not why_not and lang == "es" and not term.dnt:
        word = predicate_disagrees(after, old, new)
        why_not = f'"{word}" agrees with "{old}" and would not agree with "{new}"' if word else ""
    if why_not and new != old:
        return text, _held(entry, seg_id, old, why_not, new)
    if new == old and entry is not term:
        return text, None  # the draft has the verb's noun already («utilización»): nothing to say
    if new == old:  # nothing would change: not a repair, most likely a form of the term the matcher
        # did not recognise: a minor note, not a major open issue
        return text, _held(entry, seg_id, old, f'"{old}" already is this form; check it by hand', new, "minor")
    explanation = f'Glossary: "{entry.source}" → "{entry.rendering}"' + (f" (replaced {why})" if why else "") \
        + (f' (as the noun "{term.rendering}")' if entry is not term else "") + "."
    s = Suggestion(seg_id, "terminology", "critical" if why else "major", old, new, explanation,
                   origin="glossary", status="applied", check="glossary-term")
    return before + new + after, s


