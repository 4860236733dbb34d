"""Speech-recognition term repair: glossary names a transcript misheard.

Auto-generated captions write names as they sound and in lower case:
"openillai" for OpenAI, "stable difusión" for Stable Diffusion, "llama 2"
and "meta" for Llama and Meta. The glossary knows the names (entries that
are proper nouns or do-not-translate, written with a capital), so each is
looked for in the transcript case-insensitively, accent-insensitively and,
for words the source language's dictionary does not know, fuzzily (string
similarity with rapidfuzz).

Being wrong here would corrupt the source, so the rules are conservative:
- a fuzzy match needs a word the dictionary does not know ("openillai"),
  the same first letter, a similarity of at least 80, and is never a mere
  derivation of the name ("Amazonia" is not "Amazon");
- a name that is also an ordinary word ("llama" flame / calls, "meta"
  goal) is repaired only when a version follows ("llama 2"), or when the
  transcript is plainly about these names (two other glossary names found)
  and the word is not preceded by an article, possessive or pronoun ("la
  meta", "se llama" stay);
- nothing is repaired without Apertium's dictionary for the language.
Every repair is reported with the original words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:[.'’-][^\W_]+)*")
_VERSION = re.compile(r"\s+(?:v?\d[\w.]*)\b")
_BLOCKERS = {
    "es": set("""la las el los un una unos unas su sus mi mis tu tus nuestra nuestro nuestras nuestros
              vuestra vuestro esta este esa ese aquella aquel cuya cuyo se me te le les lo nos os que
              él ella quien no ya gran nueva primera misma""".split()),
    "en": set("""the a an my your his her its our their this that to i you he she we they it
              who which not""".split()),
}
_MODES = {"es": "spa-eng", "en": "eng-spa"}
MIN_RATIO = 80.0


@dataclass(frozen=True)
class Repair:
    start: int  # span in the original text
    end: int
    original: str
    replacement: str
    reason: str  # "case", "fuzzy", "ordinary word"


def _key(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if ch.isalnum() and not unicodedata.combining(ch)).lower()


def names(glossary) -> list[str]:
    """Glossary source entries that are names: proper nouns or do-not-translate, with a capital."""
    if glossary is None:
        return []
    out = []
    for t in glossary.terms:
        if (t.dnt or t.pos == "propn") and re.search(r"[A-Z]", t.source) and _key(t.source):
            out.append(t.source)
    return sorted(set(out), key=lambda s: (-len(s.split()), s))


def find_repairs(text: str, lang: str, glossary, known=None) -> list[Repair]:
    """The repairs to make in `text`. `known(words) -> {word: bool}` tells
    which words the language's dictionary knows (default: Apertium's)."""
    candidates = names(glossary)
    if not candidates:
        return []
    if known is None:
        known = _apertium_known(lang)
        if known is None:
            return []
    words = list(_WORD.finditer(text))
    lower = [w.group(0).lower() for w in words]
    vocabulary = known(sorted(set(lower)))
    scan = _Scan(text, lang, words, [not vocabulary.get(w, True) for w in lower], [_key(w) for w in lower],
                 candidates)
    found = _non_overlapping(scan, sorted(m for i in range(len(words)) for m in scan.matches_at(i)))
    sure = {r.replacement for r in found if r.reason != "ordinary word"}
    versioned = {r.replacement for r in found if r.reason == "ordinary word" and _VERSION.match(text, r.end)}
    exact_names = {w.group(0) for w in words} & set(candidates)  # names written right: the topic
    topic = len(sure | exact_names | versioned) >= 2
    out = [r for r in found if r.reason != "ordinary word" or _VERSION.match(text, r.end) or topic]
    return sorted(out, key=lambda r: r.start)


Match = tuple[float, int, int, str, str]  # (rank, first word, past the last word, name, reason)


class _Scan:
    """A transcript's words, looked up against the glossary's names."""

    def __init__(self, text: str, lang: str, words: list[re.Match[str]], unknown: list[bool], wkeys: list[str],
                 candidates: list[str]) -> None:
        self.text, self.lang, self.words, self.unknown, self.wkeys = text, lang, words, unknown, wkeys
        self.by_key: dict[str, str] = {}
        self.by_size: dict[int, dict[str, str]] = {}
        for name in candidates:
            self.by_key.setdefault(_key(name), name)
            if len(_key(name)) >= 5:
                self.by_size.setdefault(len(name.split()), {})[_key(name)] = name
        self.longest = max(len(n.split()) for n in candidates) + 1

    def matches_at(self, i: int) -> list[Match]:
        """Every name the words from `i` on may be, by case, as an ordinary word or fuzzily."""
        text, words = self.text, self.words
        out: list[Match] = []
        for size in range(1, self.longest + 1):
            j = i + size
            if j > len(words):
                break
            original = text[words[i].start():words[j - 1].end()]
            if "\n\n" in original or re.search(r"[.!?;:]", text[words[i].end():words[j - 1].start()]):
                break
            ck = "".join(self.wkeys[i:j])
            exact = self.by_key.get(ck)
            found = self._exact(i, j, original, exact) if exact is not None else self._fuzzy(i, j, ck, original)
            if found is not None:
                out.append(found)
        return out

    def _exact(self, i: int, j: int, original: str, exact: str) -> Match | None:
        if " ".join(original.split()) == exact or not original.islower():
            return None
        if j - i == 1 and not self.unknown[i] and original.lower() == exact.lower():
            return (1, i, j, exact, "ordinary word") if _ordinary_ok(self.text, self.words, i, self.lang) else None
        if j - i > 1 and not any(self.unknown[i:j]) and len(exact.split()) == 1:
            return None  # "open ai" may be ordinary words; leave it
        return (0, i, j, exact, "case")

    def _fuzzy(self, i: int, j: int, ck: str, original: str) -> Match | None:
        from rapidfuzz import fuzz, process

        pool = self.by_size.get(j - i)
        if not pool or not any(self.unknown[i:j]):
            return None
        best = process.extractOne(ck, list(pool), scorer=fuzz.ratio, score_cutoff=MIN_RATIO)
        if best and _fuzzy(ck, best[0], original) and _word_by_word(self.wkeys[i:j], pool[best[0]]):
            return (2 + (100 - best[1]) / 100, i, j, pool[best[0]], "fuzzy")
        return None


def _non_overlapping(scan: _Scan, matches: list[Match]) -> list[Repair]:
    """The best-ranked matches that do not overlap, as repairs."""
    words, text = scan.words, scan.text
    taken = [False] * len(words)
    found: list[Repair] = []
    for rank, i, j, name, reason in matches:
        if any(taken[i:j]):
            continue
        for k in range(i, j):
            taken[k] = True
        found.append(Repair(words[i].start(), words[j - 1].end(), text[words[i].start():words[j - 1].end()],
                            name, reason))
    return found


def _fuzzy(cand: str, name: str, original: str) -> bool:
    from rapidfuzz import fuzz

    if cand[:1] != name[:1] or not original.islower():
        return False
    if cand.startswith(name) or name.startswith(cand):
        return False  # a derivation ("amazonia") or a cut word, not a mishearing
    if not 0.7 <= len(cand) / len(name) <= 1.6:
        return False
    return fuzz.ratio(cand, name) >= MIN_RATIO


def _word_by_word(cand_words: list[str], name: str) -> bool:
    """Each heard word must sound like its word of the name ("stable
    difusión" ~ "Stable Diffusion"; "stability hizo" is not "Stability AI")."""
    from rapidfuzz import fuzz

    name_words = [_key(w) for w in name.split()]
    if len(name_words) != len(cand_words):
        return len(name_words) == 1
    return all(a == b or fuzz.ratio(a, b) >= 75 for a, b in zip(cand_words, name_words))


def _ordinary_ok(text: str, words, i: int, lang: str) -> bool:
    """An ordinary-word reading is ruled out by what precedes it."""
    if i == 0:
        return True
    prev = words[i - 1].group(0).lower()
    between = text[words[i - 1].end():words[i].start()]
    if prev in _BLOCKERS.get(lang, set()) and not re.search(r"[.!?;:]", between):
        return False
    return True


def apply(text: str, repairs: list[Repair]) -> tuple[str, list[tuple[int, int, Repair]]]:
    """The repaired text, and where each repair sits in it."""
    out, pos, placed, shift = [], 0, [], 0
    for r in repairs:
        out.append(text[pos:r.start])
        new_start = r.start + shift
        new = _same_breaks(text[r.start:r.end], r.replacement)
        out.append(new)
        shift += len(new) - (r.end - r.start)
        placed.append((new_start, new_start + len(new), r))
        pos = r.end
    out.append(text[pos:])
    return "".join(out), placed


def _same_breaks(old: str, new: str) -> str:
    """`new` with the spaces and line breaks of `old` between its words when
    both have as many ("hugging\nface" → "Hugging\nFace"): a caption line
    break is not the term's to remove."""
    gaps = re.findall(r"\s+", old.strip())
    words = new.split()
    if len(words) != len(gaps) + 1:
        return new
    return words[0] + "".join(g + w for g, w in zip(gaps, words[1:]))


def _apertium_known(lang: str):
    mode = _MODES.get(lang.split("-")[0])
    if mode is None:
        return None
    try:
        from translator.engines.apertium import _analyser, known_words
    except ImportError:
        return None
    if not _analyser(mode):
        return None
    import shutil

    if not shutil.which("lt-proc"):
        return None
    return lambda ws: known_words(mode, ws)
