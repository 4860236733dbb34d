"""A glossary repair that never makes a translation worse.

`terms.match.enforce` finds where a term was rendered wrongly; this module decides
what to put there and whether to put it at all:

- `tag`: the words of a sentence with the reading Apertium's tagger chooses
  in context (lemma + tags: "Muestra" → mostrar `vblex pri p3 sg` in
  "Muestra el estado", a noun in "una muestra").
- `inflect`: the glossary target in the form of the word it replaces, made
  by the real generator (lexicon.py) with the same tags: "borrará" →
  "eliminará", "Muestra" → "Visualiza", "predeterminado" → "predefinido"
  (a lemma the generator lacks is generated from a known base verb and the
  prefix put back: predefinir = pre + definir).
- `gate`: the no-harm gate. An edit is applied only when the replaced span
  has the term's part of speech (glossary `pos`, else the target's own
  analysis), is whole words, is not a function word, and every word the
  edit introduces is a word (analyser or spelling dictionary) or the
  glossary target itself. Otherwise the caller leaves an open suggestion
  with the exact span.
- `number_mismatch`, `drops_source_words`: the same open suggestion when a
  span found by alignment is plural for a singular source term (or the
  reverse), or when the edit would delete a code the source has ("ODO").
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from translator.terms import lexicon, morph
from translator.terms.lemmas import lemmatizer
from translator.terms.inflect import target_words
from translator.terms.forms import (Inflected, form_from_source, generate, inflect, inflect_word, is_quantifier,
                                    action_verbs, no_form, nominal, noun_gender)
from translator.terms.tagger import (ADJ, ADV, FUNC, NOUN, TAGGER, VERB, WORD, Tagged, pos_classes, head_word,
                                     is_function_word, pos_class, prefetch_tags, reading_at, sentence_at, tag,
                                     term_is_verbish, term_pos, title_case)

__all__ = ["ADJ", "ADV", "FUNC", "Inflected", "NOUN", "Tagged", "VERB", "Verdict", "as_noun", "drops_source_words",
           "form_from_source", "gate", "generate", "head_word", "in_source_language", "inflect",
           "inflect_word", "is_quantifier", "noun_gender", "noun_of_entry", "lexicon", "no_form", "number_mismatch",
           "pos_class", "prefetch_tags", "reading_at", "reread", "source_only_pos",
           "source_pos", "source_sense", "tag", "term_is_verbish", "term_pos"]


# --- the no-harm gate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""


def span_pos(text: str, start: int, end: int, lang: str, want: str) -> str:
    """The part of speech of a span's head, as tagged in context ("" unknown)."""
    words = [w for w in reading_at(text, start, end, lang) if w.tags]
    content = [w for w in words if w.pos != FUNC]
    if not content:
        return FUNC if words else ""
    head = content[0] if lang != "en" or want != NOUN else content[-1]
    if head.tags[0] == "vblex" and "pp" in head.tags:
        return "pp"  # a participle: an adjective, and a form of a verb
    return head.pos


def compatible(want: str, got: str) -> bool:
    if not want or not got:
        return True  # nothing known contradicts the edit
    if got == "pp":
        return want in (VERB, ADJ)
    return want == got


def number_mismatch(source: str, s_start: int, s_end: int, text: str, start: int, end: int,
                    source_lang: str, lang: str) -> str:
    """Why a noun span does not look like the translation of the source noun
    ("" when it may): one is plural and the other singular ("prorated charges"
    against "período")."""
    def head_number(t: str, a: int, b: int, code: str) -> str:
        words = reading_at(t, a, b, code)
        nouns = [w for w in words if w.tags and w.tags[0] == "n"]
        if not nouns:
            if len(words) == 1 and not words[0].tags and words[0].text[:1].isalpha():
                # a word the analyser lacks («Devengos»): its ending tells, as it does for inflection
                plural = morph.is_plural(words[0].text, code)
                return "" if plural is None else "pl" if plural else "sg"
            return ""
        w = nouns[-1] if code == "en" else nouns[0]
        return "pl" if "pl" in w.tags else "sg" if "sg" in w.tags else ""

    if title_case(source, s_start, s_end):
        return ""  # a heading ("SAP Business Partners"): its number is the translator's choice
    if source_lang == "en":
        after = [w for w in tag(source, source_lang) if w.start >= s_end][:1]
        if after and after[0].tags and after[0].tags[0] == "n":
            return ""  # "partner grouping": a noun modifier is singular in English whatever it means
    src, tgt = head_number(source, s_start, s_end, source_lang), head_number(text, start, end, lang)
    if src and tgt and src != tgt:
        names = {"sg": "singular", "pl": "plural"}
        return f'"{text[start:end]}" is {names[tgt]} and the source term is {names[src]}'
    return ""


def drops_source_words(source: str, s_start: int, s_end: int, old: str, new: str) -> str:
    """Why replacing `old` by `new` would delete something the translation
    copied from the source ("" when nothing): a code or acronym the source has
    outside the term, even glued to a word («Clase de documentoODO» → «Tipo
    de documento» for "ODO Document Type" loses "ODO")."""
    term_words = {w.casefold() for w in WORD.findall(source[s_start:s_end])}
    for w in dict.fromkeys(WORD.findall(source[:s_start] + " " + source[s_end:])):
        code = len(w) > 1 and any(c.isupper() or c.isdigit() for c in w[1:])  # "ODO", "S4HANA", "iOS"
        if code and w.casefold() not in term_words and old.count(w) > new.count(w):
            return f'it would delete "{w}", which the source has'
    return ""


def source_pos(term, source: str, start: int, end: int, source_lang: str, target_lang: str) -> str:
    """The part of speech of the term's occurrence in its source sentence, as tagged ("" unknown)."""
    if not source or source_lang not in TAGGER:
        return ""
    if title_case(source, start, end):
        return ""  # a title in title case: the tagger reads its verbs as nouns
    return span_pos(source, start, end, source_lang, term_pos(term, target_lang))


def source_only_pos(source: str, start: int, end: int, source_lang: str) -> str:
    """The part of speech the source word can only be: every reading the
    analyser has of it is a noun ("tab"), or every one a verb; "" when it has
    readings of both ("displays"), is several words, or is unknown."""
    words = WORD.findall(source[start:end])
    if len(words) != 1:
        return ""
    classes = {c for _, tags in lexicon.analyses(words[0].lower(), source_lang) for c in pos_classes(tags)}
    if classes == {VERB} and source_lang == "en" and _after_article(source[:start]):
        return ""  # "force a save", "a great save": a noun the analyser lacks, not a verb
    return next(iter(classes)) if len(classes) == 1 and classes <= {NOUN, VERB} else ""


def _settled_by_source(old: str, want: str, source_only: str, lang: str) -> bool:
    """Whether the source overrules the tagger for the one word `old`: the
    source word can only be `want` and `old` has a reading that is."""
    words = WORD.findall(old)
    return bool(want) and source_only == want and len(words) == 1 and any(
        want in pos_classes(tags) for _, tags in lexicon.analyses(words[0].lower(), lang))


def reread(words: list[Tagged], want: str, source_only: str, lang: str) -> list[Tagged]:
    """The span's words with its one word read as `want` where the tagger
    read it otherwise, when the source word can only be `want` and the word
    has such a reading (the gate's rule, _settled_by_source); else as tagged."""
    if len(words) != 1 or not want or source_only != want or want in pos_classes(words[0].tags):
        return words
    w = words[0]
    reading = next(((lem, t) for lem, t in lexicon.analyses(w.text.lower(), lang) if want in pos_classes(t)), None)
    return [Tagged(w.text, w.start, w.end, *reading)] if reading else words


def noun_of_entry(term, source: str, s_start: int, s_end: int, source_lang: str, lang: str,
                  gerund: bool = False) -> str | None:
    """The action noun a verb entry takes where its source word is a noun
    ("use" → "utilizar" in "Restrictions on Use": «utilización»), or None:
    only for Spanish, an entry without `pos`, one source word that has a noun
    reading and is not read as a verb here, a glossary verb that translates
    back to the source word in Apertium's dictionary (utilizar → "use"; not
    "grabar" for the noun "record", «grabación»), and a noun the analyser
    knows (forms.nominal: no «guardación»). With `gerund`, an English -ing
    form counts as a noun too ("Deleting Users": «Eliminación de usuarios»
    renders "delete" → "eliminar"), for telling whether a translation has
    the term, not for an edit."""
    if lang != "es" or term.pos or term.dnt or term_pos(term, lang) != VERB:
        return None
    src = WORD.findall(source[s_start:s_end])
    if len(src) != 1:
        return None
    if gerund and source_lang == "en" and src[0].lower().endswith("ing"):
        pass  # "Deleting", "Managing": the action named, as a noun would
    elif source_pos(term, source, s_start, s_end, source_lang, lang) == VERB:
        return None
    elif not any(t and t[0] == "n" for _, t in lexicon.analyses(src[0].lower(), source_lang)):
        return None
    elif not _after_determiner(source, s_start, source_lang):
        return None  # "Use the app": the tagger's noun at the start of a sentence is the imperative
    if not _source_keys(src[0], source_lang) & set(lexicon.translations(term.rendering.lower(), lang, source_lang)):
        return None
    return nominal(term.rendering, lang)


def as_noun(term, words: list[Tagged], source: str, s_start: int, s_end: int, source_lang: str, lang: str):
    """A verb entry where both the draft and the source have a noun ("use" →
    "utilizar" in "Restrictions on Use", «Restricciones de Uso»): the entry as
    the action noun of its verb (noun_of_entry), so the noun is replaced by a
    noun. The draft's noun must name the action of a verb that translates the
    source word too («uso»: usar → "use"); «conjunto» for the noun "set" is a
    thing, «registro» for "record" (registrar → "register") another sense."""
    if len(words) != 1 or not words[0].tags or words[0].pos != NOUN:
        return None
    noun = noun_of_entry(term, source, s_start, s_end, source_lang, lang)
    if noun is None:
        return None
    keys = _source_keys(WORD.findall(source[s_start:s_end])[0], source_lang)
    if not any(keys & set(lexicon.translations(v, lang, source_lang)) for v in action_verbs(words[0].lemma, lang)):
        return None
    return dataclasses.replace(term, target=noun, pos="noun")


_DETERMINERS = {"en": set("""the a an of on for in to with by from about its their our your his her my this that
these those any some no each every""".split())}


def _after_article(before: str) -> bool:
    """Whether English text ends with an article and at most one adjective
    (one the analyser reads only as an adjective): "a ", "the great "."""
    m = re.search(r"(?i)\b(?:a|an|the)\s+(?:([A-Za-z]+)\s+)?$", before)
    if not m:
        return False
    if not m.group(1):
        return True
    readings = lexicon.analyses(m.group(1).lower(), "en")
    return bool(readings) and all(t[:1] == ("adj",) for _, t in readings)


def _after_determiner(source: str, start: int, lang: str) -> bool:
    """Whether the word at `start` comes after a determiner, a preposition or
    an adjective ("on Use", "the use", "Special Uses"): a noun for sure, as a
    tagger's reading alone is not (it reads "Use the app" as a noun)."""
    before = [w for w in tag(source, lang) if w.end <= start][-1:]
    if not before or source[before[0].end:start].strip():
        return False
    w = before[0]
    return w.text.lower() in _DETERMINERS.get(lang, set()) or bool(w.tags) and w.tags[0] in ("det", "adj", "num")


def _source_keys(word: str, lang: str) -> set[str]:
    return set(lemmatizer(lang).keys(word))


def gate(term, text: str, start: int, end: int, new: str, new_text: str, lang: str, *,
         generated: bool = False, want: str | None = None, source_pos: str = "",
         source_only: str = "") -> Verdict:
    """May `new` replace text[start:end] (giving `new_text`, agreement included)?
    `source_only` is the part of speech the source word can only be: when the
    tagger reads the draft's word otherwise but the word has that reading too
    («Las órdenes de mantenimiento etiqueta muestra» for "tab"), the source
    settles it."""
    old = text[start:end]
    if not old.strip() or not new.strip():
        return Verdict(False, "empty span")
    if (start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-‐_")) or \
            (end < len(text) and (text[end].isalnum() or text[end] in "-‐_")):
        return Verdict(False, "the span is part of a word")
    if (start > 0 and new[:1].isalnum() and text[start - 1].isalnum()) or \
            (end < len(text) and new[-1:].isalnum() and text[end:end + 1].isalnum()):
        return Verdict(False, "the edit would glue words together")
    old_words = WORD.findall(old)
    if old_words and all(is_function_word(w, lang) for w in old_words):
        return Verdict(False, f'"{old}" is a function word')
    if old_words and (is_function_word(old_words[0], lang) or is_function_word(old_words[-1], lang)) \
            and not any(is_function_word(w, lang) for w in WORD.findall(new)[:1] + WORD.findall(new)[-1:]):
        return Verdict(False, f'the span "{old}" begins or ends with a function word')
    new_low = {w.lower() for w in WORD.findall(new)}
    stray = [w for w in old_words if is_function_word(w, lang) and w.lower() not in new_low
             and not _is_preposition(w, lang)]
    if stray:
        return Verdict(False, f'the span "{old}" takes in "{stray[0]}", which the term does not replace')
    want = term_pos(term, lang) if want is None else want
    if not want and source_pos != VERB and len(WORD.findall(term.rendering)) == 1 \
            and term.rendering.lower() == term.source.lower():
        want = NOUN  # a word kept from the source ("webhook", "token") is a noun: «Defina la URL» stays
    got = span_pos(text, start, end, lang, want)
    if got == FUNC:
        return Verdict(False, f'"{old}" is a function word')
    if got == "pp" and lang == "es":
        prev = re.search(r"(\w+)\s+$", text[:start])
        if prev and prev.group(1).lower() in _ARTICLES and not any(
                t[:1] == ("n",) for w in WORD.findall(new)[:1] for _, t in lexicon.analyses(w.lower(), lang)):
            # «El borrado de usuarios»: a participle after an article is a noun; «el eliminado» is not one
            return Verdict(False, f'"{old}" is a noun here (after "{prev.group(1)}") and "{new}" is no noun')
    if not got and source_pos in (NOUN, VERB) and want in (NOUN, VERB) and source_pos != want:
        # the analyser does not know the draft's word ("sets"): the source says what it is
        return Verdict(False, f'"{old}" translates a {source_pos} and the term is a {want}')
    if not compatible(want, got) and not _settled_by_source(old, want, source_only, lang):
        what = got if got in (NOUN, VERB, ADJ, ADV) else ("a participle" if got == "pp" else "another part of speech")
        what = what if what.startswith(("a ", "another")) else ("an " if what[0] in "aeiou" else "a ") + what
        return Verdict(False, f'"{old}" is {what} here and the term is {("an " if want[:1] in "aeiou" else "a ") + want}')
    allowed = target_words(term, lang) | {w.lower() for w in WORD.findall(term.source)}
    if generated:
        allowed |= {w.lower() for w in WORD.findall(new)}
    before = {w.lower() for w in WORD.findall(text)}
    for w in WORD.findall(new_text):
        lw = w.lower()
        if lw in before or lw in allowed:
            continue
        if not lexicon.is_word(w, lang):
            return Verdict(False, f'"{w}" is not a word')
    return Verdict(True)


_ARTICLES = set("el la los las un una unos unas del al este esta estos estas ese esa su sus".split())


def _is_preposition(word: str, lang: str) -> bool:
    """A preposition or a preposition+article contraction ("de", "del"): the
    link inside a multiword rendering ("unidad de negocio")."""
    low = word.lower()
    if lang == "es" and low in ("de", "del", "a", "al", "en", "por", "para", "con", "sin", "sobre"):
        return True
    readings = lexicon.analyses(low, lang)
    return bool(readings) and all(t and t[0] == "pr" for _, t in readings)


def source_sense(term, source: str, start: int, end: int, source_lang: str, target_lang: str) -> str:
    """Why this occurrence of the term in the source is not the glossary's
    sense ("" when nothing says so): the word is a form of another lemma
    ("settings" is "setting", not the term "set"), or it cannot be the
    term's part of speech (no reading of it is)."""
    want = term_pos(term, target_lang)
    if source_lang not in TAGGER:
        return ""
    derived = _ing_form(term.source, source[start:end], source_lang)
    if derived and want == NOUN:
        return f'"{derived}" is another word than the noun "{term.source}"'
    particle = _particle_after(term.source, source, end, source_lang)
    if particle and want == VERB:
        return f'"{source[start:end]} {particle}" is a phrasal verb, not "{term.source}"'
    words = [w for w in reading_at(source, start, end, source_lang) if w.tags]
    content = [w for w in words if w.pos != FUNC]
    if not content:
        return ""
    term_words = WORD.findall(term.source)
    if len(term_words) == 1 and len(content) == 1:
        lemmas = {term.source.lower()} | {lem.lower() for lem, _ in lexicon.analyses(term.source.lower(), source_lang)}
        if content[0].lemma.lower() not in lemmas:
            return f'"{content[0].text}" is a form of "{content[0].lemma.lower()}", not of "{term.source}"'
    if not want:
        return ""
    head = content[-1] if want == NOUN and source_lang == "en" else content[0]
    readings = lexicon.analyses(head.text, source_lang) or lexicon.analyses(head.text.lower(), source_lang)
    classes = {c for _, t in readings for c in pos_classes(t)}
    if len(term_words) == 1 and not any(want in pos_classes(t) for _, t in
                                        lexicon.analyses(term.source.lower(), source_lang)):
        return ""  # the analyser lacks the entry's own word in that class («ajuste» only as "ajustar"): no evidence
    if readings and want not in classes and not (want == ADJ and VERB in classes):
        return f'"{head.text}" cannot be a {want} in the source and the term is a {want}'.replace(
            f"cannot be a {want} in the source and the term is a {want}", f"is not a {want} in the source")
    return ""


def _ing_form(term_source: str, occurrence: str, lang: str) -> str:
    """The occurrence when it is the -ing form of a one-word term ("sourcing"
    for "source", "setting" for "set"): in English a noun of its own (a
    sourcing project is not a source), whatever the lemma table says."""
    term_low, occ = term_source.lower(), occurrence.lower()
    if lang != "en" or " " in term_low or not occ.endswith("ing") or term_low.endswith("ing"):
        return ""
    return occurrence


_PARTICLES = ("up", "out", "off", "down")


def _particle_after(term_source: str, source: str, end: int, lang: str) -> str:
    """The particle that makes a one-word verb term a phrasal verb of another
    meaning ("set up" is to configure, "log off", "carry out", "shut down")."""
    if lang != "en" or " " in term_source.strip():
        return ""
    m = re.match(r"\s+([A-Za-z]+)\b(?!\s+(?:to|from)\b)", source[end:])  # "increase up to 20%": no phrasal verb
    return m.group(1) if m and m.group(1).lower() in _PARTICLES else ""


# --- never splice into the wrong language ------------------------------------------------------------

def in_source_language(text: str, start: int, end: int, source_lang: str, target_lang: str) -> bool:
    """Whether the sentence around text[start:end] was left in the source
    language (words only the source language knows outnumber words only the
    target language knows): a term spliced there would mix languages
    ("Policy Updates for use of IA generativa Tools")."""
    if source_lang == target_lang or not (lexicon.lexicon(source_lang).available
                                          and lexicon.lexicon(target_lang).available):
        return False
    a, b = sentence_at(text, start, end)
    words = [w for w in WORD.findall(text[a:start] + " " + text[end:b]) if not w.isupper() and len(w) > 1]
    if not words:
        words = [w for w in WORD.findall(text[start:end]) if not w.isupper() and len(w) > 1]
    src = tgt = 0
    for w in words:
        s_ok, t_ok = lexicon.is_word(w, source_lang), lexicon.is_word(w, target_lang)
        if s_ok and not t_ok:
            src += 1
        elif t_ok and not s_ok:
            tgt += 1
    return src > tgt
