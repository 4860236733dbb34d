"""The words of a sentence with the reading Apertium's tagger chooses in
context (lemma + tags: "Muestra" → mostrar `vblex pri p3 sg` in "Muestra el
estado", a noun in "una muestra"), and the part of speech of a glossary term."""

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
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_FUNCTION_WORDS = {"es": morph.ES_FUNCTION}


def pos_class(tags: Sequence[str]) -> str:
    """The part of speech class of a reading's tags; a participle counts as an adjective."""
    if not tags:
        return ""
    if tags[0] == "vblex" and "pp" in tags:
        return ADJ
    return _CLASS.get(tags[0], tags[0])


def pos_classes(tags: Sequence[str]) -> set[str]:
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


TAGGER = {"es": ("spa-eng.automorf.bin", "spa-eng.prob"), "en": ("eng-spa.automorf.bin", "eng-spa.prob")}
_tag_cache: dict[tuple[str, str], tuple[Tagged, ...]] = {}
_tag_lock = threading.Lock()


def _tagger_files(lang: str):
    names = TAGGER.get(lang)
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
    masked = [_mask(t).replace("\0", " ") for t in todo]
    outs = _run_tagger(files, masked)
    if len(outs) < len(masked):  # a chunk went astray: tag one by one rather than misalign
        outs = [(_run_tagger(files, [m]) or [""])[0] for m in masked]
    with _tag_lock:
        for i, (t, m) in enumerate(zip(todo, masked)):
            _tag_cache[(lang, t)] = _parse_tagged(outs[i] if i < len(outs) else "", m)


_GLUED = re.compile(r"(?<=[^\W\d_])\.(?=[A-ZÁÉÍÓÚÑ][a-záéíóúñ])")


def _mask(text: str) -> str:
    """The text the tagger reads, offsets kept: placeholders blanked, and two
    sentences glued by a period without a space ("processed.If") set apart,
    else the tagger reads one unknown word."""
    return _GLUED.sub(" ", PLACEHOLDER_RE.sub(lambda m: " " * len(m.group(0)), text))


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
        masked = _mask(text)
        out = live.ask(masked) if live is not None and text.strip() else None
        if out is None:
            prefetch_tags([text], lang)
        else:
            with _tag_lock:
                _tag_cache[key] = _parse_tagged(out, masked)
    return _tag_cache.get(key, ())


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


def title_case(source: str, start: int, end: int) -> bool:
    """Whether the sentence around source[start:end] is a title in title case
    (the tagger reads the verbs of such a title as nouns)."""
    a, b = sentence_at(source, start, end)
    words = WORD.findall(source[a:b])
    return len(words) > 1 and sum(w[:1].isupper() for w in words) >= 0.6 * len(words)


def reading_at(text: str, start: int, end: int, lang: str) -> list[Tagged]:
    """The tagged words inside text[start:end]."""
    return [w for w in tag(text, lang) if w.start < end and start < w.end]


# --- the term's part of speech ------------------------------------------------------------------


def term_pos(term, lang: str) -> str:
    """The part of speech of a glossary entry: its `pos` column, else the
    analysis of the target's head word in its citation form (an infinitive
    is a verb; "cambio", a noun and a form of "cambiar", is a noun; a
    one-word English target that is a noun and a verb alike tells nothing)."""
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
    if lang == "en" and len(WORD.findall(term.rendering)) == 1 and VERB in citation and NOUN in citation:
        return ""  # "update", "change", "display": an English noun and verb alike, the word cannot tell
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
    words = WORD.findall(phrase)
    content = [w for w in words if not is_function_word(w, lang)]
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


def is_function_word(word: str, lang: str) -> bool:
    low = word.lower()
    if low in _FUNCTION_WORDS.get(lang, ()):
        return True
    if lang == "en":
        from translator.terms.align import EN_FUNCTION

        if low in EN_FUNCTION:
            return True
    readings = lexicon.analyses(low, lang)
    return bool(readings) and all(pos_class(t) == FUNC for _, t in readings)


