"""A glossary repair that never makes a translation worse.

`terms.enforce` finds where a term was rendered wrongly; this module decides
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
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from typing import Iterable, Sequence

from translator.terms import lexicon

from translator.terms import morph
from translator.terms.apertium.process import APERTIUM_DATA, NullFlush
from translator.document import PLACEHOLDER_RE

NOUN, VERB, ADJ, ADV, FUNC = "noun", "verb", "adj", "adv", "function"
_CLASS = {"n": NOUN, "np": NOUN, "vblex": VERB, "vbser": VERB, "vbhaver": VERB, "vbmod": VERB, "vaux": VERB,
          "adj": ADJ, "adv": ADV, "preadv": ADV, "det": FUNC, "predet": FUNC, "prn": FUNC, "pr": FUNC,
          "cnjcoo": FUNC, "cnjsub": FUNC, "cnjadv": FUNC, "rel": FUNC, "ij": FUNC}
_GLOSSARY_POS = {"noun": NOUN, "n": NOUN, "propn": NOUN, "proper noun": NOUN, "verb": VERB, "v": VERB,
                 "adj": ADJ, "adjective": ADJ, "adv": ADV, "adverb": ADV}
# prefixes tried when the generator lacks a lemma ("predefinir" = "pre" + "definir")
_PREFIXES = sorted("""pre re des sub auto co inter sobre contra multi post pos anti semi super micro macro ante
extra hiper infra intra meta mini mono poli pro pseudo retro trans ultra bi tri dis ex in""".split(), key=len,
                   reverse=True)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_FUNCTION_WORDS = {"es": morph.ES_FUNCTION}


def pos_class(tags: Sequence[str]) -> str:
    """The part of speech class of a reading's tags; a participle counts as an adjective."""
    if not tags:
        return ""
    if tags[0] == "vblex" and "pp" in tags:
        return ADJ
    return _CLASS.get(tags[0], tags[0])


def _classes(tags: Sequence[str]) -> set[str]:
    c = pos_class(tags)
    return {c, VERB} if c == ADJ and tags and tags[0] == "vblex" else {c}


# --- the tagger ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tagged:
    """One word of a sentence with the reading the tagger chose."""

    text: str
    start: int
    end: int
    lemma: str
    tags: tuple[str, ...]  # () when the analyser does not know the word

    @property
    def pos(self) -> str:
        return pos_class(self.tags)


_TAGGER = {"es": ("spa-eng.automorf.bin", "spa-eng.prob"), "en": ("eng-spa.automorf.bin", "eng-spa.prob")}
_tag_cache: dict[tuple[str, str], tuple[Tagged, ...]] = {}
_tag_lock = threading.Lock()


def _tagger_files(lang: str):
    names = _TAGGER.get(lang)
    if not names or not shutil.which("lt-proc") or not shutil.which("apertium-tagger"):
        return None
    for root in APERTIUM_DATA:
        a, p = root / "apertium-eng-spa" / names[0], root / "apertium-eng-spa" / names[1]
        if a.is_file() and p.is_file():
            return a, p
    return None


def prefetch_tags(texts: Iterable[str], lang: str) -> None:
    """Tag many texts in one tagger run (results cached)."""
    files = _tagger_files(lang)
    todo = [t for t in dict.fromkeys(texts) if (lang, t) not in _tag_cache and t.strip()]
    if not todo:
        return
    if files is None:
        with _tag_lock:
            for t in todo:
                _tag_cache[(lang, t)] = ()
        return
    masked = [PLACEHOLDER_RE.sub(lambda m: " " * len(m.group(0)), t).replace("\0", " ") for t in todo]
    outs = _run_tagger(files, masked)
    if len(outs) < len(masked):  # a chunk went astray: tag one by one rather than misalign
        outs = [(_run_tagger(files, [m]) or [""])[0] for m in masked]
    with _tag_lock:
        for i, (t, m) in enumerate(zip(todo, masked)):
            _tag_cache[(lang, t)] = _parse_tagged(outs[i] if i < len(outs) else "", m)


def _run_tagger(files, texts: list[str]) -> list[str]:
    escaped = [re.sub(r"([\\\[\]^$@<>{}/*#+~])", r"\\\1", t) for t in texts]
    data = "".join(e + "\0" for e in escaped).encode("utf-8")
    try:
        ana = subprocess.run(["lt-proc", "-z", str(files[0])], input=data, capture_output=True, timeout=300)
        tag = subprocess.run(["apertium-tagger", "-z", "-g", "-p", str(files[1])], input=ana.stdout,
                             capture_output=True, timeout=300)
    except (OSError, subprocess.SubprocessError):
        return []
    outs = tag.stdout.decode("utf-8", "replace").split("\0")
    return outs[:len(texts)] if len(outs) >= len(texts) else []


def _parse_tagged(out: str, text: str) -> tuple[Tagged, ...]:
    words: list[Tagged] = []
    pos = 0
    for m in re.finditer(r"\^((?:[^$\\/]|\\.)*)/((?:[^$\\]|\\.)*)\$", out):
        surface, reading = m.group(1).replace("\\", ""), m.group(2)
        at = text.find(surface, pos)
        if at < 0:
            continue
        pos = at + len(surface)
        if reading.startswith("*"):  # unknown to the analyser
            words.append(Tagged(surface, at, pos, surface.lower(), ()))
            continue
        first = reading.split("+", 1)[0]  # "visualizar<vblex><inf>+lo<prn>…", "de<pr>+el<det>…"
        tags = tuple(re.findall(r"<([^>]+)>", first.split("#")[0]))
        if "+" in reading:
            tags += ("+",)  # a clitic or a contraction: classed by its first part, never re-inflected
        words.append(Tagged(surface, at, pos, first.split("<", 1)[0], tags))
    return tuple(words)


class _LiveTagger(NullFlush):
    """`lt-proc -z | apertium-tagger -z` kept running: one sentence per request
    (a text changed by a repair is tagged again in a millisecond or two)."""

    def __init__(self, files):
        super().__init__(["sh", "-c", f"lt-proc -z '{files[0]}' | apertium-tagger -z -g -p '{files[1]}'"])

    def ask(self, text: str) -> str | None:  # type: ignore[override]
        esc = re.sub(r"([\\\[\]^$@<>{}/*#+~])", r"\\\1", text.replace("\0", " "))
        return super().ask(esc.encode("utf-8"))


_live: dict[str, _LiveTagger | None] = {}


def tag(text: str, lang: str) -> tuple[Tagged, ...]:
    """The tagged words of `text` (empty when the language has no tagger)."""
    key = (lang, text)
    if key not in _tag_cache:
        if lang not in _live:
            files = _tagger_files(lang)
            _live[lang] = _LiveTagger(files) if files else None
        live = _live[lang]
        masked = PLACEHOLDER_RE.sub(lambda m: " " * len(m.group(0)), text)
        out = live.ask(masked) if live is not None and text.strip() else None
        if out is None:
            prefetch_tags([text], lang)
        else:
            with _tag_lock:
                _tag_cache[key] = _parse_tagged(out, masked)
    return _tag_cache.get(key, ())


def reading_at(text: str, start: int, end: int, lang: str) -> list[Tagged]:
    """The tagged words inside text[start:end]."""
    return [w for w in tag(text, lang) if w.start < end and start < w.end]


# --- the term's part of speech ------------------------------------------------------------------


def term_pos(term, lang: str) -> str:
    """The part of speech of a glossary entry: its `pos` column, else the
    analysis of the target's head word in its citation form (an infinitive
    is a verb; "cambio", a noun and a form of "cambiar", is a noun)."""
    if term.pos:
        return _GLOSSARY_POS.get(term.pos.strip().lower(), term.pos.strip().lower())
    if term.dnt:
        return ""  # a name or a loanword kept as in the source: the target's analyser cannot tell
    head = head_word(term.rendering, lang)
    if not head:
        return ""
    readings = lexicon.analyses(head.lower(), lang) or lexicon.analyses(head, lang)
    low = head.lower()
    citation = [pos_class(t) for lem, t in readings if lem.lower() == low or (t and t[0] == "vblex" and "inf" in t)]
    for c in (VERB, NOUN, ADJ, ADV):
        if c in citation:
            return c
    if any(t and t[0] == "vblex" and "pp" in t for _, t in readings):
        return ADJ  # a participle: "concluido"
    if lang == "es" and head.islower() and morph.is_es_infinitive(head):
        return VERB
    return ""


def head_word(phrase: str, lang: str) -> str:
    """The head of a target phrase: in Spanish the first content word ("partida
    de compensación" → "partida"), in English the last before a preposition."""
    words = _WORD.findall(phrase)
    content = [w for w in words if not _is_function_word(w, lang)]
    if not content:
        return words[0] if words else ""
    if lang == "en":
        low = [w.lower() for w in words]
        for i, w in enumerate(low):
            if w in ("of", "for", "in", "on", "as") and i > 0:
                return words[i - 1]
        return content[-1] if term_is_verbish(words[0], lang) is False else content[0]
    return content[0]


def term_is_verbish(word: str, lang: str) -> bool | None:
    readings = lexicon.analyses(word.lower(), lang)
    if not readings:
        return None
    return all(pos_class(t) == VERB for _, t in readings)


def _is_function_word(word: str, lang: str) -> bool:
    low = word.lower()
    if low in _FUNCTION_WORDS.get(lang, ()):
        return True
    if lang == "en":
        from translator.terms.align import EN_FUNCTION

        if low in EN_FUNCTION:
            return True
    readings = lexicon.analyses(low, lang)
    return bool(readings) and all(pos_class(t) == FUNC for _, t in readings)


# --- inflection by the generator -------------------------------------------------------------------


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
        if want in _classes(t):
            return lem, t
    if want == VERB and (lang != "es" or morph.is_es_infinitive(low)):
        return low, ("vblex", "inf")
    if want == ADJ and lang == "es" and morph.is_es_infinitive(low):
        return low, ("vblex", "pp")  # "predeterminado" → the participle of "predefinir"
    if want == NOUN and not any(t and t[0] == "n" for _, t in readings):
        return low, ("n",)  # a noun the analyser lacks ("pulsador") or knows only as a verb form ("ajuste")
    return None


def inflect_word(target: str, old: Tagged, lang: str) -> Inflected | None:
    """One target word (a citation form) in the form of the tagged word it replaces."""
    want = old.pos
    if "+" in old.tags and old.tags[:2] == ("vblex", "inf") and old.text.lower().startswith(old.lemma.lower()):
        got = _target_lemma(target, VERB, lang)  # "grabarlas" → "guardarlas": the clitics stay
        base = generate(got[0], ("vblex", "inf"), lang) if got else None
        if not base:
            return None
        out = base + old.text[len(old.lemma):]
        return Inflected(morph.match_case(out, old.text), True)
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
            out = generate(lemma, ("vblex", "pp", gender, number), lang)
        else:
            for g in (gender, "mf"):
                out = generate(lemma, ("adj", g, number), lang) or generate(lemma, ("adj", number), lang)
                if out:
                    break
    elif want == ADV:
        out = target
    if not out:
        return None
    return Inflected(morph.match_case(out, old.text) if not old.text.isupper() else out, True)


def inflect(term, old_text: str, old_words: Sequence[Tagged], lang: str) -> Inflected | None:
    """The term's rendering in the form of the span it replaces: its head
    word generated with the tags of the span's head; the rest as written."""
    new = term.rendering
    if term.dnt or not old_words:
        return None
    content = [w for w in old_words if w.tags and pos_class(w.tags) != FUNC]
    if not content:
        return None
    head_old = content[0] if lang != "en" else content[-1]
    head = head_word(new, lang)
    if not head:
        return None
    form = inflect_word(head, head_old, lang)
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


def _agree_modifiers(rest: str, number: str, lang: str) -> str:
    """The adjectives right after a noun head ("modelo| fundacional") in its number."""
    out = rest
    for m in list(_WORD.finditer(rest)):
        w = m.group(0)
        if _is_function_word(w, lang):
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


def form_from_source(term, old_text: str, source: str, s_start: int, s_end: int, source_lang: str,
                     lang: str) -> Inflected | None:
    """A verb term's form when the draft's word is unknown to the analyser
    ("Pausado"): a participle in the source ("Paused") gives the participle
    ("Interrumpido", masculine singular: the form a participle takes alone)."""
    if lang != "es" or term.dnt or term_pos(term, lang) != VERB or len(_WORD.findall(term.rendering)) > 1:
        return None
    words = [w for w in reading_at(source, s_start, s_end, source_lang) if w.tags]
    if not words or words[0].tags[0] != "vblex" or "pp" not in words[0].tags:
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
    unknown = [w for w in old_words if not w.tags]
    if not content and unknown and term_pos(term, lang) == VERB and not (
            lang == "es" and morph.is_es_infinitive(unknown[0].text) and morph.is_es_infinitive(head)):
        # "Pausado" → "Interrumpir": which form of the verb it is, nothing can tell
        return f'the analyser does not know "{unknown[0].text}", so its verb form cannot be matched'
    if not content or not head or len(_WORD.findall(term.rendering)) > 1:
        return ""  # a multiword target keeps its own words; only a one-word target must be generated
    h = content[0] if lang != "en" else content[-1]
    if h.text.lower() == head.lower():
        return ""
    if lexicon.analyses(head.lower(), lang):
        return f'the generator has no form of "{head}" like "{h.text}" ({" ".join(h.tags)})'
    return ""


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
        nouns = [w for w in reading_at(t, a, b, code) if w.tags and w.tags[0] == "n"]
        if not nouns:
            return ""
        w = nouns[-1] if code == "en" else nouns[0]
        return "pl" if "pl" in w.tags else "sg" if "sg" in w.tags else ""

    if source_lang == "en":
        after = [w for w in tag(source, source_lang) if w.start >= s_end][:1]
        if after and after[0].tags and after[0].tags[0] == "n":
            return ""  # "partner grouping": a noun modifier is singular in English whatever it means
    src, tgt = head_number(source, s_start, s_end, source_lang), head_number(text, start, end, lang)
    if src and tgt and src != tgt:
        names = {"sg": "singular", "pl": "plural"}
        return f'"{text[start:end]}" is {names[tgt]} and the source term is {names[src]}'
    return ""


def source_pos(term, source: str, start: int, end: int, source_lang: str, target_lang: str) -> str:
    """The part of speech of the term's occurrence in its source sentence, as tagged ("" unknown)."""
    if not source or source_lang not in _TAGGER:
        return ""
    a, b = sentence_at(source, start, end)
    words = _WORD.findall(source[a:b])
    if len(words) > 1 and sum(w[:1].isupper() for w in words) >= 0.6 * len(words):
        return ""  # a title in title case: the tagger reads its verbs as nouns
    return span_pos(source, start, end, source_lang, term_pos(term, target_lang))


def gate(term, text: str, start: int, end: int, new: str, new_text: str, lang: str, *,
         generated: bool = False, want: str | None = None, source_pos: str = "") -> Verdict:
    """May `new` replace text[start:end] (giving `new_text`, agreement included)?"""
    old = text[start:end]
    if not old.strip() or not new.strip():
        return Verdict(False, "empty span")
    if (start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-‐_")) or \
            (end < len(text) and (text[end].isalnum() or text[end] in "-‐_")):
        return Verdict(False, "the span is part of a word")
    if (start > 0 and new[:1].isalnum() and text[start - 1].isalnum()) or \
            (end < len(text) and new[-1:].isalnum() and text[end:end + 1].isalnum()):
        return Verdict(False, "the edit would glue words together")
    old_words = _WORD.findall(old)
    if old_words and all(_is_function_word(w, lang) for w in old_words):
        return Verdict(False, f'"{old}" is a function word')
    if old_words and (_is_function_word(old_words[0], lang) or _is_function_word(old_words[-1], lang)) \
            and not any(_is_function_word(w, lang) for w in _WORD.findall(new)[:1] + _WORD.findall(new)[-1:]):
        return Verdict(False, f'the span "{old}" begins or ends with a function word')
    new_low = {w.lower() for w in _WORD.findall(new)}
    stray = [w for w in old_words if _is_function_word(w, lang) and w.lower() not in new_low
             and not _is_preposition(w, lang)]
    if stray:
        return Verdict(False, f'the span "{old}" takes in "{stray[0]}", which the term does not replace')
    want = term_pos(term, lang) if want is None else want
    got = span_pos(text, start, end, lang, want)
    if got == FUNC:
        return Verdict(False, f'"{old}" is a function word')
    if not got and source_pos in (NOUN, VERB) and want in (NOUN, VERB) and source_pos != want:
        # the analyser does not know the draft's word ("sets"): the source says what it is
        return Verdict(False, f'"{old}" translates a {source_pos} and the term is a {want}')
    if not compatible(want, got):
        what = got if got in (NOUN, VERB, ADJ, ADV) else ("a participle" if got == "pp" else "another part of speech")
        what = what if what.startswith(("a ", "another")) else ("an " if what[0] in "aeiou" else "a ") + what
        return Verdict(False, f'"{old}" is {what} here and the term is {("an " if want[:1] in "aeiou" else "a ") + want}')
    allowed = {w.lower() for w in _WORD.findall(term.rendering) + _WORD.findall(term.source)}
    if generated:
        allowed |= {w.lower() for w in _WORD.findall(new)}
    before = {w.lower() for w in _WORD.findall(text)}
    for w in _WORD.findall(new_text):
        lw = w.lower()
        if lw in before or lw in allowed:
            continue
        if not lexicon.is_word(w, lang):
            return Verdict(False, f'"{w}" is not a word')
    return Verdict(True)


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
    if source_lang not in _TAGGER:
        return ""
    words = [w for w in reading_at(source, start, end, source_lang) if w.tags]
    content = [w for w in words if w.pos != FUNC]
    if not content:
        return ""
    term_words = _WORD.findall(term.source)
    if len(term_words) == 1 and len(content) == 1:
        lemmas = {term.source.lower()} | {lem.lower() for lem, _ in lexicon.analyses(term.source.lower(), source_lang)}
        if content[0].lemma.lower() not in lemmas:
            return f'"{content[0].text}" is a form of "{content[0].lemma.lower()}", not of "{term.source}"'
    if not want:
        return ""
    head = content[-1] if want == NOUN and source_lang == "en" else content[0]
    readings = lexicon.analyses(head.text, source_lang) or lexicon.analyses(head.text.lower(), source_lang)
    classes = {c for _, t in readings for c in _classes(t)}
    if readings and want not in classes and not (want == ADJ and VERB in classes):
        return f'"{head.text}" cannot be a {want} in the source and the term is a {want}'.replace(
            f"cannot be a {want} in the source and the term is a {want}", f"is not a {want} in the source")
    return ""


# --- never splice into the wrong language ------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?;:…。！？]\s+|\n|<[^>]*>|[\"“”«»()\[\]|]")


def sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence (or title, attribute, bracketed part) around a span."""
    a = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            a = m.end()
        elif m.start() >= end:
            return a, m.start()
    return a, len(text)


def in_source_language(text: str, start: int, end: int, source_lang: str, target_lang: str) -> bool:
    """Whether the sentence around text[start:end] was left in the source
    language (words only the source language knows outnumber words only the
    target language knows): a term spliced there would mix languages
    ("Policy Updates for use of IA generativa Tools")."""
    if source_lang == target_lang or not (lexicon.lexicon(source_lang).available
                                          and lexicon.lexicon(target_lang).available):
        return False
    a, b = sentence_at(text, start, end)
    words = [w for w in _WORD.findall(text[a:start] + " " + text[end:b]) if not w.isupper() and len(w) > 1]
    if not words:
        words = [w for w in _WORD.findall(text[start:end]) if not w.isupper() and len(w) > 1]
    src = tgt = 0
    for w in words:
        s_ok, t_ok = lexicon.is_word(w, source_lang), lexicon.is_word(w, target_lang)
        if s_ok and not t_ok:
            src += 1
        elif t_ok and not s_ok:
            tgt += 1
    return src > tgt
