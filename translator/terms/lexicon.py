"""Is it a word? What is it? — the real analyser, generator and spelling
dictionary of a language, shared by post-editing (the no-harm gate) and the
review (non-words, agreement).

- Apertium's lttoolbox data (installed with apertium-eng-spa): the Spanish
  and English analysers give every reading of a word (lemma + tags such as
  `vblex pri p3 sg`, `n f pl`), the generators give a lemma's form for tags.
- Hunspell (Debian: hunspell, hunspell-es, hunspell-en-us) knows words the
  analyser lacks.

Both run as long-lived subprocesses, one word per request, cached per word.
Either may be missing: `is_word` then trusts what is there, and with neither
it answers True (it can only report a non-word it is sure of).

    from translator.terms import lexicon
    lexicon.is_word("definires", "es")            # False
    lexicon.analyses("borrará", "es")             # [("borrar", ("vblex", "fti", "p3", "sg"))]
    lexicon.generate("eliminar", ("vblex", "fti", "p3", "sg"), "es")   # "eliminará"
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Literal

from translator.terms.apertium.process import APERTIUM_DATA, LtProc, file_stamp, parse_analyses as _parse_analyses

Analysis = tuple[str, tuple[str, ...]]  # (lemma, tags)
Gender = Literal["m", "f"]

# per language: (analyser, generator) inside apertium-eng-spa, and Hunspell dictionaries to try
_APERTIUM = {"es": ("spa-eng.automorf.bin", "eng-spa.autogen.bin"),
             "en": ("eng-spa.automorf.bin", "spa-eng.autogen.bin")}
_HUNSPELL = {"es": ("es_ES", "es_MX", "es_US"), "en": ("en_US", "en_GB")}
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LETTERS = re.compile(r"[^\W\d_]+")


class Hunspell:
    """`hunspell -a` (ispell pipe mode) for one dictionary; any failure turns it off."""

    def __init__(self, dictionary: str):
        self.cmd = ["hunspell", "-a", "-i", "utf-8", "-d", dictionary]
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.broken = False

    def knows(self, word: str) -> bool | None:
        """True/False for a word; None when Hunspell cannot say (not running)."""
        with self.lock:
            if self.broken:
                return None
            try:
                if self.proc is None:
                    self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                 stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
                                                 bufsize=1)
                    if self.proc.stdout is not None:
                        self.proc.stdout.readline()  # the version banner
                stdin, stdout = self.proc.stdin, self.proc.stdout
                if stdin is None or stdout is None:
                    raise OSError("hunspell has no pipes")
                stdin.write("^" + word.replace("\n", " ") + "\n")
                stdin.flush()
                lines = []
                while True:
                    line = stdout.readline()
                    if not line:
                        raise OSError("hunspell stopped")
                    if line == "\n":
                        break
                    lines.append(line)
                return all(ln[:1] in "*+-" for ln in lines)
            except OSError:
                self.broken = True
                if self.proc is not None:
                    self.proc.kill()
                return None


class Lexicon:
    """The analyser, generator and spelling dictionary of one language."""

    def __init__(self, lang: str):
        self.lang = lang
        self.analyser: LtProc | None = None
        self.generator: LtProc | None = None
        self.spelling: Hunspell | None = None
        names = _APERTIUM.get(lang)
        if names and shutil.which("lt-proc"):
            for root in APERTIUM_DATA:
                a, g = root / "apertium-eng-spa" / names[0], root / "apertium-eng-spa" / names[1]
                if a.is_file() and g.is_file():
                    self.analyser, self.generator = LtProc(a), LtProc(g, "-g")
                    break
        if shutil.which("hunspell"):
            for d in _HUNSPELL.get(lang, ()):
                if any((Path(p) / f"{d}.dic").is_file() for p in ("/usr/share/hunspell", "/usr/share/myspell")):
                    self.spelling = Hunspell(d)
                    break
        self._analyses: dict[str, list[Analysis]] = {}
        self._generated: dict[str, str | None] = {}
        self._spelled: dict[str, bool | None] = {}
        self._compounds: dict[str, bool] = {}
        self._asked: dict[str, str] = {}  # the analyser's raw answers
        self._spelled_before: dict[str, bool] = {}  # `hunspell -l` answers of earlier runs
        self._version: tuple[str, str] | None = None

    @property
    def available(self) -> bool:
        return self.analyser is not None or self.spelling is not None

    def analyses(self, word: str) -> list[Analysis]:
        """Every reading of `word` ([] when the analyser does not know it)."""
        if word not in self._analyses:
            out = self.ask(word) if self.analyser is not None and word.strip() else ""
            self._analyses[word] = _parse_analyses(out) if out else []
        return self._analyses[word]

    def ask(self, word: str) -> str:
        """The analyser's raw answer for `word` ("" without one). Answers are
        kept between runs (stagecache, keyed by the analyser file's size and
        date): a word seen before starts no lt-proc."""
        if self.analyser is None:
            return ""
        out = self._asked.get(word)
        if out is None:
            out = self.analyser.ask(word)
            self._asked[word] = out
            if not self.analyser.broken:  # the "" of a process that failed is no answer
                from translator import stagecache

                stagecache.keep(f"lt-proc-{self.lang}", self._versions()[0], {word: out})
        return out

    def _preload(self, words: list[str]) -> None:
        """Answers of earlier runs for `words`, in one cache read."""
        from translator import stagecache

        a, s = self._versions()
        if self.analyser is not None:
            self._asked.update(stagecache.lookup(f"lt-proc-{self.lang}", a,
                                                 [w for w in words if w not in self._asked]))
        if self.spelling is not None:
            got = stagecache.lookup(f"hunspell-l-{self.lang}", s, [w for w in words if w not in self._spelled])
            self._spelled_before.update((w, v == "1") for w, v in got.items())

    def _versions(self) -> tuple[str, str]:
        """What the analyser's and the spelling dictionary's answers depend on."""
        if self._version is None:
            files = [Path(self.analyser.cmd[-1]), Path(shutil.which("lt-proc") or "lt-proc")] if self.analyser else []
            dicts = [Path(p) / f"{self.spelling.cmd[-1]}.{ext}" for p in ("/usr/share/hunspell", "/usr/share/myspell")
                     for ext in ("dic", "aff")] if self.spelling is not None else []
            hunspell = [Path(shutil.which("hunspell") or "hunspell")] if self.spelling is not None else []
            self._version = (file_stamp(files), file_stamp(dicts + hunspell) + "|" + os.environ.get("DICPATH", ""))
        return self._version

    def known_to_analyser(self, word: str) -> bool:
        return bool(self.analyses(word) or (word[:1].isupper() and self.analyses(word.lower())))

    def spelled(self, word: str) -> bool | None:
        if self.spelling is None:
            return None
        if word not in self._spelled:
            self._spelled[word] = self.spelling.knows(word)
        return self._spelled[word]

    def prefetch(self, words: Iterable[str]) -> None:
        """Spell many words in one `hunspell -l` run, which computes no
        suggestions (the pipe mode does, ~0.1 s per unknown word): a whole
        document's vocabulary then costs one process. Words of letters only.
        What earlier runs answered is read from the cache first (see `ask`)."""
        if self.spelling is None or self.spelling.broken:
            return
        words = list(dict.fromkeys(words))
        self._preload(words + [w.lower() for w in words if w[:1].isupper()])
        todo = [w for w in words
                if w not in self._spelled and _LETTERS.fullmatch(w) and not (
                    self.analyser is not None and self.known_to_analyser(w))]
        for w in [w for w in todo if w in self._spelled_before]:
            self._spelled[w] = self._spelled_before[w]
        todo = [w for w in todo if w not in self._spelled]
        if not todo:
            return
        cmd = [c for c in self.spelling.cmd if c != "-a"] + ["-l"]
        try:
            proc = subprocess.run(cmd, input="\n".join(todo) + "\n", capture_output=True, text=True,
                                  encoding="utf-8", timeout=120, check=False)
        except (OSError, subprocess.SubprocessError):
            return
        if proc.returncode != 0:
            return
        wrong = set(proc.stdout.split())
        for w in todo:
            self._spelled[w] = w not in wrong
        from translator import stagecache

        stagecache.keep(f"hunspell-l-{self.lang}", self._versions()[1],
                        {w: "1" if self._spelled[w] else "0" for w in todo})

    def _compound(self, word: str) -> bool:
        if word not in self._compounds:
            self._compounds[word] = _compound(self.ask(word)) if self.analyser is not None else False
        return self._compounds[word]

    def is_word(self, word: str) -> bool:
        """Known to the analyser or to the spelling dictionary. With neither
        available, True: only a word we are sure of is called a non-word."""
        if not self.available or not _WORD.fullmatch(word):
            return True
        if self.analyser is not None and (self.known_to_analyser(word) or self._compound(word)):
            return True  # a compound reading counts too: a verb with enclitics ("configurarlo")
        spelled = self.spelled(word)
        if spelled is not None:
            return spelled
        return self.analyser is None or self.analyser.broken

    def generate(self, lemma: str, tags: Iterable[str]) -> str | None:
        """The form of `lemma` for `tags`, or None when the generator has none."""
        if self.generator is None:
            return None
        key = "^" + lemma + "".join(f"<{t}>" for t in tags) + "$"
        if key not in self._generated:
            out = self.generator.ask(key)
            self._generated[key] = None if not out or out[:1] in "#@*" or "<" in out or " " in out else out
        return self._generated[key]


def _compound(out: str) -> bool:
    """An analyser answer with some reading, compounds (configurar+lo) included."""
    return bool(out) and "/" in out and not out.split("/", 1)[1].startswith("*")


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    """The (shared, cached) lexicon of a language code ("es", "en-US" …)."""
    return Lexicon(lang.split("-")[0].split("_")[0].lower())


def is_word(word: str, lang: str) -> bool:
    return lexicon(lang).is_word(word)


def non_words(words: Iterable[str], lang: str) -> list[str]:
    """The words (in order, once each) that neither the analyser nor the spelling dictionary knows."""
    lex = lexicon(lang)
    return [w for w in dict.fromkeys(words) if not lex.is_word(w)]


def prefetch(words: Iterable[str], lang: str) -> None:
    """Look many words up at once (see Lexicon.prefetch); later is_word calls are cached."""
    lexicon(lang).prefetch(words)


@lru_cache(maxsize=65536)
def analysable(word: str, lang: str) -> bool:
    """The analyser has some reading of `word`, compounds included (a verb
    with enclitic pronouns, "configurarlo" = configurar+lo, which
    `analyses` leaves out as not one word)."""
    lex = lexicon(lang)
    if lex.analyser is None or not word.strip():
        return False
    if lex.analyses(word):
        return True
    return _compound(lex.ask(word))


def analyses(word: str, lang: str) -> list[Analysis]:
    return lexicon(lang).analyses(word)


# Apertium's bilingual dictionaries, per (from, to)
_BIDIX = {("es", "en"): "spa-eng.autobil.bin", ("en", "es"): "eng-spa.autobil.bin"}


@lru_cache(maxsize=None)
def _bilingual(lang: str, to_lang: str) -> LtProc | None:
    name = _BIDIX.get((lang, to_lang))
    if not name or not shutil.which("lt-proc"):
        return None
    for root in APERTIUM_DATA:
        path = root / "apertium-eng-spa" / name
        if path.is_file():
            return LtProc(path, "-b")
    return None


@lru_cache(maxsize=65536)
def translations(word: str, lang: str, to_lang: str) -> tuple[str, ...]:
    """What Apertium's bilingual dictionary gives, in `to_lang`, for every
    reading of `word` (lemmas, in order, once each): "muestra" (the noun and
    a form of "mostrar") → ("sample", "show"); "gastos" → ("cost", "expense").
    Empty without the dictionary."""
    return tuple(dict.fromkeys(lemma for lemma, _ in senses(word, lang, to_lang)))


def senses(word: str, lang: str, to_lang: str) -> tuple[tuple[str, str], ...]:
    """`translations` with the first tag of each ("save" → ("salvar",
    "vblex"), ("ahorrar", "vblex"), ("guardar", "vblex")), once each."""
    bidix = _bilingual(lang, to_lang)
    if bidix is None:
        return ()
    out: list[tuple[str, str]] = []
    for lemma, tags in analyses(word, lang):
        answer = bidix.ask("^" + lemma + "".join(f"<{t}>" for t in tags) + "$")
        for reading in answer.strip("^$").split("/")[1:]:
            if reading[:1] not in "@*#" and "<" in reading:
                head, rest = reading.split("<", 1)
                out.append((head.replace("#", "").strip().lower(), rest.split(">", 1)[0]))
    return tuple(dict.fromkeys((w, t) for w, t in out if w))


def generate(lemma: str, tags: Iterable[str], lang: str) -> str | None:
    return lexicon(lang).generate(lemma, tuple(tags))


# --- Spanish, as morphology asks it -----------------------------------------


class ApertiumSpanish:
    """Apertium's Spanish analyser and generator, cached per word."""

    def __init__(self, analyser: LtProc, generator: LtProc, ask=None):
        self.analyser, self.generator = analyser, generator
        self._ask = ask or analyser.ask  # Lexicon.ask: answers kept between runs
        self._analyses: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self._generated: dict[str, str] = {}

    def analyses(self, word: str) -> list[tuple[str, tuple[str, ...]]]:
        if word not in self._analyses:
            self._analyses[word] = _parse_analyses(self._ask(word)) if word.strip() else []
        return self._analyses[word]

    def gender(self, word: str) -> Gender | None:
        for _, tags in self.analyses(word):
            if tags and tags[0] == "n":
                if "m" in tags:
                    return "m"
                if "f" in tags:
                    return "f"
        return None

    def number(self, word: str) -> str | None:
        for _, tags in self.analyses(word):
            if tags and tags[0] in ("n", "adj"):
                if "pl" in tags:
                    return "pl"
                if "sg" in tags:
                    return "sg"
        return None

    def is_agreeing(self, word: str) -> bool:
        """An adjective or a past participle (words that agree with a noun)."""
        return any(tags and (tags[0] == "adj" or (tags[0] == "vblex" and "pp" in tags))
                   for _, tags in self.analyses(word))

    def generate(self, lemma: str, tags: tuple[str, ...]) -> str | None:
        key = "^" + lemma + "".join(f"<{t}>" for t in tags) + "$"
        if key not in self._generated:
            self._generated[key] = self.generator.ask(key)
        out = self._generated[key]
        return None if not out or out[:1] in "#@*" or "<" in out or " " in out else out


@lru_cache(maxsize=1)
def apertium_es() -> ApertiumSpanish | None:
    """Apertium's Spanish analyser/generator when `apertium-eng-spa` is installed,
    else None; the same lt-proc processes as `lexicon.lexicon("es")`."""
    lex = lexicon("es")
    if lex.analyser is None or lex.generator is None:
        return None
    return ApertiumSpanish(lex.analyser, lex.generator, lex.ask)
