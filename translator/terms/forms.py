"""The glossary target in the form of the word it replaces, made by the real
generator (lexicon.py) with the same tags: "borrará" → "eliminará", "Muestra"
→ "Visualiza" (a lemma the generator lacks is generated from a known base
verb and the prefix put back: predefinir = pre + definir)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from translator.terms import lexicon
from translator.terms import morph
from translator.terms.lemmas import ES_CLITICS, fold_accents
from translator.terms.tagger import (ADJ, ADV, FUNC, NOUN, VERB, WORD, Tagged, pos_classes, head_word, is_function_word,
                                     pos_class, reading_at, tag, term_pos)

# prefixes tried when the generator lacks a lemma ("predefinir" = "pre" + "definir")
_PREFIXES = sorted("""pre re des sub auto co inter sobre contra multi post pos anti semi super micro macro ante
extra hiper infra intra meta mini mono poli pro pseudo retro trans ultra bi tri dis ex in""".split(), key=len,
                   reverse=True)


@dataclass(frozen=True)
class Inflected:
    text: str
    generated: bool  # made by the generator (or from a generated base + prefix), not by a rule


def generate(lemma: str, tags: Sequence[str], lang: str) -> str | None:
    """lexicon.generate, with a fallback for lemmas the generator lacks:
    a known base and the prefix put back ("predefinir" → "pre" + "definido")."""
    out = lexicon.generate(lemma, tags, lang)
    if out or not lemma:
        return out
    low = lemma.lower()
    for p in _PREFIXES:
        rest = low[len(p):]
        if low.startswith(p) and len(rest) >= 4:
            base = lexicon.generate(rest, tags, lang)
            if base:
                return lemma[:len(p)] + base
    return None


def _target_lemma(word: str, want: str, lang: str) -> tuple[str, tuple[str, ...]] | None:
    """The lemma and tags of the target's head word in class `want`."""
    low = word.lower()
    readings = lexicon.analyses(low, lang)
    for lem, t in readings:
        if want in pos_classes(t):
            return lem, t
    if want == VERB and (lang != "es" or morph.is_es_infinitive(low)):
        return low, ("vblex", "inf")
    if want == ADJ and ((lang == "es" and morph.is_es_infinitive(low))
                        or any(t and t[0] == "vblex" for _, t in readings)):
        return low, ("vblex", "pp")  # "predeterminado" → the participle of "predefinir"; "erased" → "deleted"
    if want == NOUN and not any(t and t[0] == "n" for _, t in readings):
        return low, ("n",)  # a noun the analyser lacks ("pulsador") or knows only as a verb form ("ajuste")
    return None


def inflect_word(target: str, old: Tagged, lang: str, noun_gender: str = "") -> Inflected | None:
    """One target word (a citation form) in the form of the tagged word it
    replaces. `noun_gender` ("m" or "f"): the gender of the noun an adjective
    goes with, for an adjective of both genders replaced by one of two forms
    ("Múltiples casos" → "Varios casos")."""
    want = old.pos
    if "+" in old.tags and old.tags[:2] == ("vblex", "inf") and old.text.lower().startswith(old.lemma.lower()):
        got = _target_lemma(target, VERB, lang)  # "grabarlas" → "guardarlas": the clitics stay
        base = generate(got[0], ("vblex", "inf"), lang) if got else None
        if not base:
            return None
        return Inflected(morph.match_case(base + old.text[len(old.lemma):], old.text), True)
    if "+" in old.tags and old.tags[0].startswith("vb") and lang == "es":
        return _with_clitics(target, old, lang)  # "Úselo" → "Utilícelo", "Usándolo" → "Utilizándolo"
    if not old.tags or want in ("", FUNC) or "+" in old.tags:
        return None
    got = _target_lemma(target, want, lang)
    if got is None:
        return None
    lemma, own = got
    tags = old.tags
    out: str | None = None
    if want == VERB and old.tags[0].startswith("vb"):
        vtags = tuple(t for t in tags[1:] if t != "pron")
        out = generate(lemma, (own[0] if own[0].startswith("vb") else "vblex",) + vtags, lang)
    elif want == NOUN:
        number = "pl" if "pl" in tags else "sg"
        gender = next((g for g in own[1:] if g in ("m", "f", "mf")), None)
        if gender:
            out = generate(lemma, ("n", gender, number), lang)
        if out is None:
            out = generate(lemma, ("n", number), lang)
        if out is None and target.lower() == lemma:
            out = target if number == "sg" else morph.es_pluralize_word(target) if lang == "es" else \
                morph.en_pluralize_word(target)
            if number == "pl" and not lexicon.is_word(out, lang):
                return None
            return Inflected(morph.match_case(out, old.text) if not old.text.isupper() else out, False)
    elif want == ADJ:
        gender = next((g for g in tags if g in ("m", "f", "mf")), "mf")
        number = next((n for n in tags if n in ("sg", "pl", "sp")), "sg")
        if own and own[0] == "vblex":
            out = generate(lemma, ("vblex", "pp", gender, number) if lang == "es" else ("vblex", "pp"), lang)
        else:
            genders = (gender, "mf") + ((noun_gender,) if gender == "mf" and noun_gender in ("m", "f") else ())
            for g in genders:
                out = generate(lemma, ("adj", g, number), lang) or generate(lemma, ("adj", number), lang)
                if out:
                    break
    elif want == ADV:
        out = target
    if not out:
        return None
    return Inflected(morph.match_case(out, old.text) if not old.text.isupper() else out, True)


def _with_clitics(target: str, old: Tagged, lang: str) -> Inflected | None:
    """The target verb in the form of a verb with pronouns written onto it
    (the pronouns kept, the accent the stress then needs): "Úselo" →
    "Utilícelo"; None when the form or the pronouns cannot be told apart."""
    tags = old.tags[:old.tags.index("+")]
    form = generate(old.lemma.lower(), tags, lang)
    got = _target_lemma(target, VERB, lang)
    new = generate(got[0], (got[1][0] if got[1][0].startswith("vb") else "vblex",) + tags[1:], lang) if got else None
    if not form or not new:
        return None
    if not fold_accents(old.text.lower()).startswith(fold_accents(form.lower())):
        return None
    clitics = old.text[len(form):].lower()
    if not re.fullmatch(rf"(?:{ES_CLITICS}){{1,2}}", clitics):
        return None
    word = morph.with_clitics(new, clitics)
    if not lexicon.analysable(word, lang):
        return None  # the analyser must read it as the verb with its pronouns (no «vealo»)
    return Inflected(word.upper() if old.text.isupper() else morph.match_case(word, old.text), True)


def inflect(term, old_text: str, old_words: Sequence[Tagged], lang: str, noun_gender: str = "") -> Inflected | None:
    """The term's rendering in the form of the span it replaces: its head
    word generated with the tags of the span's head; the rest as written
    (`noun_gender`: see inflect_word)."""
    new = term.rendering
    if term.dnt or not old_words:
        return None
    content = [w for w in old_words if w.tags and pos_class(w.tags) != FUNC]
    if not content:
        return None
    head_old = content[0] if lang != "en" else content[-1]
    head = head_word(new, lang)
    if not head or ("+" in head_old.tags and len(WORD.findall(new)) > 1):
        return None  # «Púlselo» is no «Hágalo clic en»: the pronouns have no place in a multiword target
    form = inflect_word(head, head_old, lang, noun_gender)
    if form is None:
        return None
    i = new.lower().find(head.lower())
    word = form.text.lower() if not head[:1].isupper() else morph.match_case(form.text.lower(), head)
    if head.isupper():
        word = form.text.upper()
    rest = new[i + len(head):]
    if lang == "es" and head_old.pos == NOUN:
        rest = _agree_modifiers(rest, "pl" if "pl" in head_old.tags else "sg", lang)
    text = new[:i] + word + rest
    if not term.case_sensitive:
        text = morph.match_case(text, old_text)
    return Inflected(text, form.generated)


# the action noun of a Spanish verb, by its ending: utilizar → utilización, tratar → tratamiento,
# definir → definición, mantener → mantenimiento (tried in this order; the analyser must know the noun)
_NOMINAL = {"ar": ("ación", "amiento"), "er": ("imiento",), "ir": ("ición", "imiento")}


def nominal(verb: str, lang: str) -> str | None:
    """The action noun of a one-word verb target ("utilizar" → "utilización"),
    when the analyser knows it as a noun; None otherwise (es only: "guardar"
    has no "guardación")."""
    low = verb.lower()
    if lang != "es" or not morph.is_es_infinitive(low) or " " in low:
        return None
    for ending in _NOMINAL.get(low[-2:], ()):
        noun = low[:-2] + ending
        if any(t and t[0] == "n" for _, t in lexicon.analyses(noun, lang)):
            return noun
    return None


def action_verbs(noun: str, lang: str) -> list[str]:
    """The verbs the analyser knows whose action a Spanish noun may name, by
    its ending: "uso" → usar, "utilización" → utilizar, "tratamiento" →
    tratar; none for "conjunto" (no «conjuntar»)."""
    low = noun.lower()
    if lang != "es" or len(low) < 3:
        return []
    stems = [low[:-len(e)] + v for v, ends in _NOMINAL.items() for e in ends if low.endswith(e)]
    if low[-1] in "oae":
        stems.append(low[:-1] + "ar")
    return [v for v in stems if any(t[:2] == ("vblex", "inf") for _, t in lexicon.analyses(v, lang))]


def is_quantifier(rendering: str, lang: str) -> bool:
    """Whether a one-word target is also a determiner ("varios", "muchos"),
    a word that goes before its noun."""
    words = WORD.findall(rendering)
    return len(words) == 1 and any(t and t[0] == "det" for _, t in lexicon.analyses(words[0].lower(), lang))


def noun_gender(text: str, start: int, end: int, lang: str, prenominal: bool = False) -> str:
    """The gender ("m" or "f", else "") of the noun an adjective at
    text[start:end] goes with: the word right after it, else the one right
    before it, when the tagger reads that word as a noun. With `prenominal`,
    only the word after it (a quantifier such as "varios" goes before its
    noun: "Interfaces múltiples" is not "Interfaces varias")."""
    if lang != "es":
        return ""
    words = tag(text, lang)
    after = [w for w in words if w.start >= end][:1]
    before = [] if prenominal else [w for w in words if w.end <= start][-1:]
    for w in after + before:
        if w.tags and w.tags[0] == "n":
            return next((g for g in w.tags if g in ("m", "f")), "")
    return ""


def _agree_modifiers(rest: str, number: str, lang: str) -> str:
    """The adjectives right after a noun head ("modelo| fundacional") in its number."""
    out = rest
    for m in list(WORD.finditer(rest)):
        w = m.group(0)
        if is_function_word(w, lang):
            break  # "centro| de trabajo": what follows a preposition keeps its form
        readings = [t for _, t in lexicon.analyses(w.lower(), lang) if t and t[0] == "adj"]
        lemma = next((lem for lem, t in lexicon.analyses(w.lower(), lang) if t and t[0] == "adj"), None)
        if not readings or lemma is None:
            break
        tags = readings[0]
        if number in tags:
            continue
        gender = next((g for g in tags if g in ("m", "f", "mf")), "mf")
        form = generate(lemma, ("adj", gender, number), lang)
        if not form:
            break
        out = out[:m.start()] + morph.match_case(form, w) + out[m.end():]
        # offsets after this word shift; the next match is recomputed on `out`
        return _agree_modifiers_tail(out, m.start() + len(form), number, lang)
    return out


def _agree_modifiers_tail(text: str, at: int, number: str, lang: str) -> str:
    return text[:at] + _agree_modifiers(text[at:], number, lang)


def source_is_participle(source: str, start: int, end: int, source_lang: str) -> bool:
    """Whether the term's occurrence in the source is, as tagged, a participle ("has been set")."""
    words = [w for w in reading_at(source, start, end, source_lang) if w.tags]
    return bool(words) and words[0].tags[0] == "vblex" and "pp" in words[0].tags


def form_from_source(term, old_text: str, source: str, s_start: int, s_end: int, source_lang: str,
                     lang: str) -> Inflected | None:
    """A verb term's form when the draft's word is unknown to the analyser
    ("Pausado"): a participle in the source ("Paused") gives the participle
    ("Interrumpido", masculine singular: the form a participle takes alone)."""
    if lang != "es" or term.dnt or term_pos(term, lang) != VERB or len(WORD.findall(term.rendering)) > 1:
        return None
    if not source_is_participle(source, s_start, s_end, source_lang):
        return None
    if not re.search(r"[aei]d[oa]s?$", old_text.lower()):
        return None  # the draft's word does not look like a participle either
    low = old_text.lower()
    gender = "f" if re.search(r"[aei]das?$", low) else "m"
    number = "pl" if low.endswith("s") else "sg"
    out = generate(term.rendering.lower(), ("vblex", "pp", gender, number), lang)
    return Inflected(morph.match_case(out, old_text), True) if out else None


def no_form(term, old_words: Sequence[Tagged], lang: str) -> str:
    """Why a rule-made form must not be used ("" when it may): the generator
    knows the target but has no form for the tags of the word it replaces
    ("varios" has no singular to replace "múltiple")."""
    content = [w for w in old_words if w.tags and pos_class(w.tags) != FUNC and "+" not in w.tags]
    head = head_word(term.rendering, lang)
    if term.dnt:
        return ""
    glued = [w for w in old_words if "+" in w.tags]
    if glued and head:
        # «Úselo» is not «Utilizar»: the citation form would drop the pronoun and the person
        return f'"{glued[0].text}" has pronouns written onto it, and the generator made no such form of "{head}"'
    unknown = [w for w in old_words if not w.tags]
    if not content and unknown and term_pos(term, lang) == VERB and not (
            lang == "es" and morph.is_es_infinitive(unknown[0].text) and morph.is_es_infinitive(head)):
        # "Pausado" → "Interrumpir": which form of the verb it is, nothing can tell
        return f'the analyser does not know "{unknown[0].text}", so its verb form cannot be matched'
    if not content or not head or len(WORD.findall(term.rendering)) > 1:
        return ""  # a multiword target keeps its own words; only a one-word target must be generated
    h = content[0] if lang != "en" else content[-1]
    if h.text.lower() == head.lower():
        return ""
    if lexicon.analyses(head.lower(), lang):
        return f'the generator has no form of "{head}" like "{h.text}" ({" ".join(h.tags)})'
    return ""


