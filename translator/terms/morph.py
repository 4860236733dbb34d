"""Just enough morphology to put a glossary target into a sentence.

When a term is replaced inside a translation, the replacement must take the
number of what it replaces ("modelos de fundación" → "modelos fundacionales"),
a verb its tense ("grabe" → "guarde"), and the words around it the new gender
("la plantilla" → "el modelo", "del" → "de la"). Spanish gets rules (plurals
with accent shifts, gender by ending, a determiner table); when Apertium's
Spanish analyser and generator are installed they refine gender and verb
forms. English gets plurals. Other languages are left as they are.
"""

from __future__ import annotations

import re
from typing import Iterable, Literal

from translator.terms.lexicon import apertium_es

Gender = Literal["m", "f"]

# --- Spanish -------------------------------------------------------------------

ES_LINKS = {"de", "del", "para", "en", "a", "al", "por", "con", "sin", "sobre", "entre", "y", "o", "e", "u"}
ES_FUNCTION = ES_LINKS | set("""el la los las un una unos unas lo le les que se su sus me te nos os mi mis tu tus
este esta estos estas ese esa esos esas esto eso cual cuales quien como cuando donde si no ni es son ser
está están ha han hay muy más ya también sólo solo
qué cuál cuáles quién quiénes cómo cuándo dónde adónde""".split())  # «Y cuándo lo descargas»: Apertium's "when"
_ES_M_IN_A = set("""día mapa problema sistema programa tema esquema idioma clima diagrama dilema paradigma
lema teorema planeta cometa sofá poema drama síntoma fantasma pijama panorama aroma enigma dogma prisma
trauma carisma emblema crucigrama telegrama holograma plasma axioma fonema morfema lexema ecosistema
subsistema telefonema cronograma organigrama histograma pentagrama programa subprograma""".split())
_ES_F_IN_O = {"mano", "foto", "moto", "radio", "libido", "seo", "nao"}
_ES_F_ENDINGS = ("ción", "sión", "xión", "dad", "tad", "tud", "umbre", "eza", "itis", "sis", "ie", "iz")
_ES_M_IN_SIS = {"análisis", "énfasis", "paréntesis", "génesis"}
# masculine ↔ feminine forms of words that agree with a following noun
_ES_SWAP = dict(pair.split(":") for pair in """el:la un:una unos:unas los:las este:esta estos:estas ese:esa
esos:esas aquel:aquella aquellos:aquellas otro:otra otros:otras nuestro:nuestra nuestros:nuestras
vuestro:vuestra vuestros:vuestras mucho:mucha muchos:muchas poco:poca pocos:pocas todo:toda
todos:todas algún:alguna algunos:algunas ningún:ninguna ninguno:ninguna cierto:cierta ciertos:ciertas
dicho:dicha dichos:dichas primer:primera primeros:primeras último:última últimos:últimas nuevo:nueva
nuevos:nuevas propio:propia propios:propias único:única únicos:únicas mismo:misma mismos:mismas
tercer:tercera segundo:segunda segundos:segundas próximo:próxima próximos:próximas
cuyo:cuya cuyos:cuyas""".split())
_ES_SWAP_F = {v: k for k, v in _ES_SWAP.items()}
_ES_SWAP_F["la"] = "el"
_VOWELS = "aeiouáéíóúü"
_ACCENT = str.maketrans("aeiou", "áéíóú")
_UNACCENT = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")


def es_pluralize_word(word: str, foreign: bool = False) -> str:
    """The plural of one Spanish noun or adjective ("orden" → "órdenes",
    "canción" → "canciones", "luz" → "luces", "análisis" → "análisis").
    `foreign`: a loanword kept from English, which takes -s ("token" → "tokens")."""
    if not word or not word[-1].isalpha() or (word.isupper() and len(word) > 1):
        return word
    low = word.lower()
    last = low[-1]
    if foreign:
        if len(low) > 2 and low[-1] == "y" and low[-2] not in "aeiou":
            return word[:-1] + _case_like("ies", word[-1])  # "query" → "queries"
        return word + ("es" if low.endswith(("s", "x", "sh", "ch")) else "s")
    if last in "aeiouáéóíú":
        return word + "s"
    if last == "z":
        return word[:-1] + _case_like("ces", word[-1])
    nuclei = _nuclei(low)
    stressed_last = any(c in "áéíóú" for c in low[nuclei[-1][0]:nuclei[-1][1]]) if nuclei else False
    if last in "sx" and len(nuclei) > 1 and not stressed_last:
        return word  # crisis, análisis, lunes, tórax
    if last in "lrndjsxy":
        if stressed_last and len(nuclei) > 1:
            a, b = nuclei[-1]
            seg = word[a:b]
            hiatus = len(seg) > 1 and any(c in "íú" for c in seg.lower())
            if not hiatus:
                word = word[:a] + seg.translate(_UNACCENT) + word[b:]
        elif last == "n" and len(nuclei) > 1 and not any(c in "áéíóú" for c in low):
            word = _accent_nucleus(word, nuclei[-2])  # orden → órdenes, imagen → imágenes
        return word + _case_like("es", word[-1])
    return word + _case_like("s", word[-1])  # chatbot → chatbots, club → clubs


def es_pluralize(phrase: str, foreign: Iterable[str] = ()) -> str:
    """The plural of a Spanish noun phrase: nouns and adjectives before the first
    preposition ("centro de trabajo" → "centros de trabajo",
    "modelo fundacional" → "modelos fundacionales")."""
    foreign = {f.lower() for f in foreign}
    words = phrase.split()
    if len(words) > 1 and all(w.lower() in foreign for w in words):
        # an English phrase kept as it is takes the English plural on its last word: «pull requests»
        last = phrase.rstrip().rsplit(None, 1)[-1]
        at = phrase.rstrip().rfind(last)
        return phrase[:at] + es_pluralize_word(last, True) + phrase[at + len(last):]
    out = []
    head = True
    for tok in re.split(r"(\s+)", phrase):
        if head and tok.strip():
            if tok.lower() in ES_LINKS:
                head = False
            elif tok[0].isalpha():
                tok = es_pluralize_word(tok, tok.lower() in foreign)
        out.append(tok)
    return "".join(out)


def es_gender(noun: str) -> Gender | None:
    """The grammatical gender of a Spanish noun (or the head of a noun phrase)."""
    head = _first_word(noun)
    if not head:
        return None
    low = head.lower()
    ap = apertium_es()
    found = ap.gender(low) if ap else None
    if found:
        return found
    if low.endswith("s") and low not in _ES_M_IN_SIS and es_is_plural(low):
        from translator.terms.lemmas import lemmatizer

        low = lemmatizer("es").key(low)  # plantillas → plantilla
    if low in _ES_M_IN_A or low in _ES_M_IN_SIS:
        return "m"
    if low in _ES_F_IN_O:
        return "f"
    if low.endswith(_ES_F_ENDINGS) or low.endswith("a"):
        return "f"
    return "m"


def es_is_plural(phrase: str) -> bool | None:
    """Whether the head of a Spanish phrase is plural (None: cannot tell)."""
    from translator.terms.lemmas import lemmatizer

    head = _first_word(phrase)
    if not head:
        return None
    low = head.lower()
    ap = apertium_es()
    if ap:
        number = ap.number(low)
        if number:
            return number == "pl"
    if lemmatizer("es").key(low) != low:
        return low.endswith("s")
    return len(low) > 3 and low.endswith("s") and not low.endswith(("is", "us", "ss"))


def es_swap_gender(word: str, to: Gender) -> str | None:
    """A determiner or prenominal adjective in the other gender ("los" → "las"), or None."""
    low = word.lower()
    table = _ES_SWAP if to == "f" else _ES_SWAP_F
    new = table.get(low)
    return None if new is None else _case_like(new, word)


def es_adjective_to(word: str, to: Gender) -> str | None:
    """An adjective or participle right after a noun, in gender `to` ("nueva" → "nuevo"),
    or None when `word` does not look like a gendered adjective."""
    low = word.lower()
    ap = apertium_es()
    if ap:
        if not ap.is_agreeing(low):
            return None
    elif not re.search(r"(ad|id)[oa]s?$", low) and not _es_o_lemma(word):
        return None
    m = re.match(r"^(.+?)([oa])(s?)$", word, re.IGNORECASE)  # «intermedia», «propia», «europea» too
    if not m:
        return None
    stem, vowel, plural = m.groups()
    new_vowel = "a" if to == "f" else "o"
    if vowel.lower() == new_vowel:
        return None
    return stem + _case_like(new_vowel, vowel) + plural


def _es_o_lemma(word: str) -> bool:
    """A lowercase word inflected from a lemma in -o: nueva, nuevos (an adjective, most likely)."""
    from translator.terms.lemmas import lemmatizer

    low = word.lower()
    lemma = lemmatizer("es").key(low)
    return word.islower() and lemma.endswith("o") and low != lemma and low[:-1].rstrip("oa") == lemma[:-1] \
        if len(low) > 2 else False


def es_conjugate_like(verb: str, form: str) -> str | None:
    """`verb` (an infinitive) in the tense and person of `form` ("guardar",
    "grabe" → "guarde"). None when `form` is not a form of a verb."""
    low = form.lower()
    ap = apertium_es()
    if ap:
        for _, tags in ap.analyses(low):
            if tags and tags[0] == "vblex":
                out = ap.generate(verb.lower(), tags)
                if out:
                    return _case_like(out, form)
    lemma = _es_verb_lemma(low)
    if not lemma:
        return None
    if lemma == low:
        return _case_like(verb, form)
    if lemma[-2:] != verb.lower()[-2:] or not low.startswith(lemma[:-2]):
        return None
    return _case_like(verb[:-2] + low[len(lemma) - 2:], form)


def _es_verb_lemma(word: str) -> str | None:
    from translator.terms.lemmas import lemmatizer

    lemma = lemmatizer("es").key(word)
    return lemma if re.search(r"[aei]r$", lemma) and len(lemma) > 3 else None


def is_es_infinitive(word: str) -> bool:
    low = word.lower()
    return bool(re.fullmatch(r"[a-záéíóúñ]{2,}[aeií]r", low)) and low not in {
        "lugar", "hogar", "mar", "bar", "par", "taller", "poder", "deber", "placer", "ser", "mujer",
        "alquiler", "cráter", "láser", "bazar", "militar", "familiar", "similar", "particular",
        "popular", "regular", "titular", "celular", "solar", "nivel", "collar", "azar", "pilar",
        "dólar", "ámbar", "altar", "radar", "auxiliar", "peculiar", "singular", "vulgar", "polar",
        "escolar", "modular", "estelar", "tabular", "molecular", "lunar", "elemental", "sur",
    }


# --- English -------------------------------------------------------------------


def en_pluralize_word(word: str) -> str:
    if not word or not word[-1].isalpha():
        return word
    low = word.lower()
    if word.isupper() and len(word) > 1:
        return word + "s"
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return word[:-1] + _case_like("ies", word[-1])
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + _case_like("es", word[-1])
    return word + _case_like("s", word[-1])


def en_pluralize(phrase: str) -> str:
    """The plural of an English noun phrase: its head ("model of the year" → "models of the year")."""
    words = phrase.split(" ")
    idx = next((i - 1 for i, w in enumerate(words) if w.lower() in {"of", "for", "in", "on"} and i > 0),
               len(words) - 1)
    words[idx] = en_pluralize_word(words[idx])
    return " ".join(words)


def en_is_plural(phrase: str) -> bool | None:
    from translator.terms.lemmas import lemmatizer

    words = [w for w in re.findall(r"[\w'-]+", phrase)]
    if not words:
        return None
    idx = next((i - 1 for i, w in enumerate(words) if w.lower() in {"of", "for", "in", "on"} and i > 0),
               len(words) - 1)
    head = words[idx]
    return head.lower().endswith("s") and lemmatizer("en").key(head) != head.lower()


# --- language dispatch ------------------------------------------------------------


def pluralize(phrase: str, lang: str, foreign: Iterable[str] = ()) -> str:
    if lang == "es":
        return es_pluralize(phrase, foreign)
    if lang == "en":
        return en_pluralize(phrase)
    return phrase


def is_plural(phrase: str, lang: str) -> bool | None:
    if lang == "es":
        return es_is_plural(phrase)
    if lang == "en":
        return en_is_plural(phrase)
    return None


def gender(phrase: str, lang: str) -> Gender | None:
    return es_gender(phrase) if lang == "es" else None


def match_case(new: str, old: str) -> str:
    """`new` with the capitalisation of `old` (first letter; all caps for acronyms)."""
    if not new or not old:
        return new
    if old[0].isupper() and new[0].islower():
        return new[0].upper() + new[1:]
    return new


def _case_like(new: str, old: str) -> str:
    if old.isupper() and len(old) > 1:
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    if old.isupper():
        return new.upper()
    return new


def _first_word(phrase: str) -> str:
    m = re.search(r"[^\W\d_]+", phrase)
    return m.group(0) if m else ""


def with_clitics(verb: str, clitics: str) -> str:
    """A Spanish verb form with pronouns written onto it, accented where the
    stress then needs it: "utilice" + "lo" → "utilícelo", "lea" + "lo" →
    "léalo", "dé" + "me" → "deme", "guardemos" + "nos" → "guardémonos"."""
    if not clitics:
        return verb
    nuclei = _syllable_nuclei(verb)
    if not nuclei:
        return verb + clitics
    accented = [k for k, (a, b) in enumerate(nuclei) if any(c in "áéíóú" for c in verb[a:b].lower())]
    if accented:
        stress = accented[0]
    elif len(nuclei) > 1 and verb[-1:].lower() in _VOWELS + "ns":
        stress = len(nuclei) - 2
    else:
        stress = len(nuclei) - 1
    a, b = nuclei[stress]
    low_c = clitics.lower()
    if verb.lower().endswith("mos") and low_c.startswith(("nos", "se")):
        verb = verb[:-1]  # guardemos + nos → guardémonos
    if verb.lower().endswith("d") and low_c == "os":
        verb = verb[:-1]  # guardad + os → guardaos
    weak_hiatus = bool(accented) and any(c in "íú" for c in verb[a:b].lower())  # envíe: the accent stays
    word = verb + clitics
    if accented and not weak_hiatus:
        word = word.translate(_UNACCENT)  # the accent is decided again for the new word (dé + me → deme)
    if len(_syllable_nuclei(word)) - stress >= 3 and not weak_hiatus:
        word = _accent_nucleus(word, (a, b))
    return word


_STRONG = "aeoáéóíú"


def _syllable_nuclei(word: str) -> list[tuple[int, int]]:
    """Syllable nuclei with two strong vowels apart (a hiatus: «le-a», «cre-e»)."""
    out = []
    for a, b in _nuclei(word):
        seg, start = word[a:b].lower(), a
        for i in range(1, len(seg)):
            if seg[i - 1] in _STRONG and seg[i] in _STRONG:
                out.append((start, a + i))
                start = a + i
        out.append((start, b))
    return out


def _nuclei(word: str) -> list[tuple[int, int]]:
    """Vowel groups (syllable nuclei, approximately) as (start, end) offsets."""
    out = []
    for m in re.finditer(f"[{_VOWELS}]+", word.lower()):
        a, b = m.span()
        if word[a:a + 1].lower() == "u" and a > 0 and word[a - 1].lower() in "qg" and b - a > 1:
            a += 1  # que, gui: the u is silent
        out.append((a, b))
    return out


def _accent_nucleus(word: str, nucleus: tuple[int, int]) -> str:
    a, b = nucleus
    seg = word[a:b].lower()
    strong = [i for i, c in enumerate(seg) if c in "aeo"]
    i = a + (strong[-1] if strong else len(seg) - 1)
    accented = word[i].lower().translate(_ACCENT)
    return word[:i] + (accented.upper() if word[i].isupper() else accented) + word[i + 1:]
