"""A glossary target shaped for the place it goes: number, verb form and
capitalisation of the span it replaces (`inflect_like`), and in Spanish the
gender of the determiners and adjective around it (`agree_gender`)."""

from __future__ import annotations

import re

from translator.terms import lexicon, morph
from translator.terms.lemmas import lemmatizer, mask_placeholders
from translator.terms.term import Term


def inflect_like(term: Term, old: str, target_lang: str, *, plural: bool | None = None) -> str:
    """The term's rendering shaped like `old`, the span it replaces: same
    number (or `plural` when given), same verb form, same capitalisation.
    A form the rules make that is not a word ("definires") is not used: the
    rendering is then kept as the glossary gives it."""
    new = headword_case(term, _inflect_like(term, old, target_lang, plural=plural), old)
    if new != term.rendering and target_lang in ("es", "en"):
        given = target_words(term, target_lang)
        if any(w.lower() not in given and not lexicon.is_word(w, target_lang)
               for w in re.findall(r"[^\W\d_]+", new)):
            return term.rendering if term.case_sensitive else headword_case(term, morph.match_case(term.rendering,
                                                                                                  old), old)
    return new


def target_words(term: Term, target_lang: str) -> set[str]:
    """The words of the term's rendering (lower case), with the plural of its
    last word when it is kept from the source: a loanword takes -s in
    Spanish ("feature" → «muchos features», "pull request" → «pull
    requests»), and that plural is no non-word."""
    found = [w.lower() for w in re.findall(r"[^\W\d_]+", term.rendering)]
    words = set(found)
    if found and found[-1] in re.findall(r"[^\W\d_]+", term.source.lower()):
        words.add(morph.es_pluralize_word(found[-1], True).lower() if target_lang == "es"
                  else morph.pluralize(found[-1], target_lang).lower())
    return words


def number_before(before: str, lang: str) -> bool | None:
    """Whether the determiner or adjective right before a noun is plural (None
    when there is none or it cannot tell): the noun takes its number, so a
    word the analyser does not know is no evidence («el siguiente *iFlows» →
    «el siguiente flow», not «flows»)."""
    m = re.search(r"([^\W\d_]+)\s+$", before)
    if lang != "es" or not m:
        return None
    readings = [t for _, t in lexicon.analyses(m.group(1).lower(), lang) if t and t[0] != "prn"]
    if not readings or any(t[0] not in ("det", "predet", "adj") for t in readings):
        return None  # «bajo», «solo», «cargado»: a preposition, an adverb or a verb too
    numbers = {t[-1] for t in readings if t[-1] in ("sg", "pl")}
    return numbers == {"pl"} if len(numbers) == 1 else None


def headword_case(term: Term, new: str, old: str) -> str:
    """A target written with a capital only as a headword ("adjustment" →
    "Ajuste") is written in lower case where it replaces a word in lower
    case: «un ajuste de índice», not «un Ajuste». A source with capitals (a
    name) or a case-sensitive entry keeps the target as written."""
    if term.case_sensitive or term.dnt or term.source != term.source.lower() or not old[:1].islower():
        return new
    if new[:1].isupper() and new[1:] == new[1:].lower():
        return new[:1].lower() + new[1:]
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


def agree_article(before: str, new: str) -> str:
    """English: the indefinite article right before a replaced word follows
    the new word's first sound ("a model" → "an engine", "an option" → "a
    setting"; "a user", "an hour", "an SQL query")."""
    m = re.search(r"(?<![\w'’-])(an?)(\s+)$", before, re.IGNORECASE)
    word = re.match(r"[^\W\d_]+", new)
    if not m or not word:
        return before
    article = "an" if _vowel_sound(word.group(0)) else "a"
    if article == m.group(1).lower():
        return before
    return before[:m.start(1)] + morph.match_case(article, m.group(1)) + m.group(2)


_AN_LETTERS = set("AEFHILMNORSX")  # letter names that begin with a vowel sound: "an F1 score", "an LLM"


def _vowel_sound(word: str) -> bool:
    low = word.lower()
    if len(word) > 1 and word.isupper():
        return word[0] in _AN_LETTERS  # an acronym read letter by letter
    if re.match(r"(uni|use|usu|uti|ure|euro?|eu|one|once|ubi)", low):
        return False  # "a user", "a unit", "a European"
    if re.match(r"(hour|honest|honou?r|heir)", low):
        return True
    return low[:1] in "aeiou"


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
    if m2 and not _same_last_noun(old, new):
        adj = morph.es_adjective_to(m2.group(2), new_g)
        if adj:
            after = after[:m2.start(2)] + adj + after[m2.end(2):]
    return before, after


# forms of the copulas (ser, estar, quedar, resultar, parecer, permanecer) that link a noun to its adjective
_COPULAS = set("""es son era eran fue fueron será serán sería serían sea sean sido ser está están estaba
estaban estuvo estará estarán estaría estén esté estar queda quedan quedó quedará quedarán resulta resultan
resultó parece parecen pareció permanece permanecen siendo estando""".split())
# words that end the clause of the noun: what follows belongs to another subject
_CLAUSE_END = set("que cuando si y o pero porque donde mientras aunque como".split())


def predicate_disagrees(after: str, old: str, new: str) -> str:
    """Spanish: the predicative adjective of the noun's clause ("La
    utilización … es gratuito", «ha sido desactivada», «debe ser pulsada»)
    that agreed with `old` and would not agree with `new` when the gender
    changes ("" when none): agree_gender changes only the words next to the
    noun, so such an edit is left to the editor. The clause ends at a comma
    or a conjunction («cuando la pantalla está oscura» is another subject's)."""
    old_g, new_g = morph.es_gender(old), morph.es_gender(new)
    if not old_g or not new_g or old_g == new_g:
        return ""
    masked = mask_placeholders(after)
    words: list[str] = []
    tokens = [m.group(0) for m in re.finditer(r"\w+|[,;:!?()]|\.(?!\d)", masked)]
    for k, w in enumerate(tokens):
        if not w[0].isalnum() or w.lower() in _CLAUSE_END:
            if not words and w not in ".;:!?()":
                continue  # a clause right after the noun is about it («La tecla, que es roja»)
            if w.lower() in ("y", "o") and k + 1 < len(tokens) and tokens[k + 1].lower() in _COPULAS:
                continue  # the same subject goes on («mide 3.5 mm y es roja»)
            break
        words.append(w)
    at = next((i for i, w in enumerate(words) if w.lower() in _COPULAS
               or (w.lower() == "estado" and i and words[i - 1].lower() in ("ha", "han", "había", "habían"))), None)
    if at is None:
        return ""
    # the first word after the verb that is not an adverb ("es ahora roja", "está muy lleno")
    word = next((w for w in words[at + 1:at + 4] if not _adverb(w) and w.lower() not in _COPULAS), "")
    if not word:
        return ""
    readings = lexicon.analyses(word.lower(), "es")
    genders = {t[1] for _, t in readings if len(t) > 1 and t[0] == "adj" and t[1] in ("m", "f")}
    genders |= {t[2] for _, t in readings if len(t) > 2 and t[:2] == ("vblex", "pp") and t[2] in ("m", "f")}
    if not readings:  # a participle the analyser lacks ("desactivada")
        ending = re.search(r"[aei]d([oa])s?$", word.lower())
        genders = {"m" if ending.group(1) == "o" else "f"} if ending else set()
    return word if genders == {old_g} else ""


def _adverb(word: str) -> bool:
    readings = lexicon.analyses(word.lower(), "es")
    return bool(readings) and all(t[:1] == ("adv",) or t[:1] == ("preadv",) for _, t in readings) \
        or word.lower() in ("no", "muy", "más", "menos", "tan", "ya", "siempre", "nunca", "ahora", "también")


def _agree_before(before: str, gender: morph.Gender) -> str:
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
            if _invariant_adjective(word):
                continue  # "las siguientes medidas" → "los siguientes indicadores"
            break
        edits.append((w.start(), w.end(), swapped))
    for start, end, text in sorted(edits, reverse=True):
        before = before[:start] + text + before[end:]
    return before


def _same_last_noun(old: str, new: str) -> bool:
    """A replaced phrase that ends in the same word ("Tipo de objeto" →
    "Categoría del objeto"): the adjective after it agrees with that word,
    which has not changed ("objeto técnico")."""
    a, b = re.findall(r"\w+", old.lower()), re.findall(r"\w+", new.lower())
    return len(a) > 1 and len(b) > 1 and a[-1] == b[-1]


def _invariant_adjective(word: str) -> bool:
    """An adjective with one form for both genders ("siguientes", "grandes"):
    a determiner before it still agrees with the noun."""
    readings = lexicon.analyses(word.lower(), "es")
    return bool(readings) and all(t[:2] == ("adj", "mf") for _, t in readings)
