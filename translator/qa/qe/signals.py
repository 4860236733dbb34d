"""Reference-free signals of a bad translation, one segment at a time.

Each signal is a Suggestion (origin "estimate") with the exact span of the
translation it is about, so the editor sees it highlighted like any other
finding:

- `non_words`: words neither Apertium's analyser nor Hunspell knows
  (``lexicon.is_word``). Not an issue: a word the source has too (a name,
  a product, a code: "R", "rOpenSci"), a capitalised word inside a
  sentence (a proper noun), a word with inner capitals or digits, a
  glossary rendering. A non-word that splits into two known words is
  reported as glued words ("dela" → "de la").
- `foreign_sentences`: a sentence of the translation whose words are
  mostly words of the source language and not of the target (left in
  English, or an English rewrite).
- `copied`: a long run of the source's words copied verbatim.
- `repetition`: a phrase repeated over and over (a model stuck in a loop),
  which the source does not repeat.
- `agreement`: a determiner and the noun after it disagreeing in gender or
  number by every reading of the analyser ("las tijera", "el casa").

Each signal is conservative: it speaks only when the lexicon is sure, and
is silent for a language it has no data for.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

from translator.document import Suggestion, strip_placeholders
from translator.qa.checks import _clip
from translator.qa.qe.agreement import agreement
from translator.qa.qe.repetition import repetition
from translator.qa.qe.text import ORIGIN, _TOKEN, _s, sentences, tokens

__all__ = ["ORIGIN", "agreement", "repetition", "sentences", "tokens", "non_words", "foreign_sentences", "copied",
           "consistent_loanwords", "prefetch", "signals", "allowed_words_of", "_s"]

def _lexicon_ready(lang: str) -> bool:
    from translator.terms import lexicon

    return lexicon.lexicon(lang).available


# --- non-words and glued words ---------------------------------------------------------------


def _sentence_starts(text: str) -> set[int]:
    """Offsets of the first word of each sentence (and after a colon, a dash, a quote)."""
    starts = set()
    for a, _ in sentences(text):
        m = _TOKEN.search(text, a)
        if m:
            starts.add(m.start())
    for m in re.finditer(r"(?:^|[:;\n—–\-\"“«(¿¡]\s*)([^\W\d_])", text):
        starts.add(m.start(1))
    return starts


_PREFIXES = ("anti", "auto", "bi", "co", "contra", "des", "ex", "hiper", "inter", "micro", "mini", "multi",
             "neo", "post", "pre", "pro", "re", "semi", "sobre", "sub", "super", "tele", "ultra")


def _is_word(word: str, lang: str) -> bool:
    """A word of `lang`: known to the lexicon (either case), to the analyser
    as a compound (verb + enclitics), or regularly derived from a known
    word (Spanish -mente adverbs, common prefixes: "exesposa")."""
    from translator.terms import lexicon

    if lexicon.is_word(word, lang) or (word[:1].isupper() and lexicon.is_word(word.lower(), lang)):
        return True
    w = word.lower()
    if lexicon.analysable(w, lang):
        return True
    if lang != "es":
        return False
    # derived forms: the stem must be known to the analyser (fast, no spelling round trip)
    if w.endswith("mente") and len(w) > 9 and lexicon.analysable(w[:-5], lang):
        return True
    return any(w.startswith(p) and len(w) - len(p) >= 4 and lexicon.analysable(w[len(p):], lang) for p in _PREFIXES)


def _left_in_source_language(tok: str, sl: str, tl: str) -> bool:
    """A lower-case word of the source, known to the source language's
    analyser and to neither the target's analyser nor its spelling
    dictionary: a common word left untranslated ("roofing"), not a name."""
    if not sl or sl == tl or not tok.islower() or len(tok) < 3 or not _lexicon_ready(sl):
        return False
    from translator.terms import lexicon

    return lexicon.is_word(tok, sl) and not _is_word(tok, tl)


def _analysed(word: str, lang: str) -> bool:
    """Known to the analyser (fast; no spelling-dictionary round trip)."""
    from translator.terms import lexicon

    return lexicon.lexicon(lang).known_to_analyser(word)


def _glued(word: str, lang: str) -> tuple[str, str] | None:
    """Two known words run together ("dela" → "de", "la"), when exactly such a split exists."""
    w = word.lower()
    for i in range(1, len(w)):
        a, b = w[:i], w[i:]
        if len(a) >= 2 and len(b) >= 2 and len(w) >= 5:
            if _analysed(a, lang) and _analysed(b, lang):
                return word[:i], word[i:]
    return None


def non_words(id_: str, source: str | None, target: str, target_lang: str,
              allowed: Iterable[str] = (), source_lang: str = "") -> list[Suggestion]:
    lang = target_lang.split("-")[0]
    sl = (source_lang or "").split("-")[0]
    if not _lexicon_ready(lang):
        return []
    text = strip_placeholders(target)
    src_words = {w.casefold() for _, _, w in tokens(strip_placeholders(source or ""))}
    src_parts = {p for w in src_words for p in re.split(r"['’-]", w)}
    allowed_words = allowed if isinstance(allowed, (set, frozenset)) else allowed_words_of(allowed)
    starts = _sentence_starts(text)
    out: list[Suggestion] = []
    seen: set[str] = set()
    for a, _, tok in tokens(text):
        if tok[0].isdigit() or tok in seen:
            continue
        seen.add(tok)
        folded = tok.casefold()
        if folded in allowed_words:
            continue  # a glossary term
        if folded in src_words:
            if _left_in_source_language(tok, sl, lang):
                out.append(_s(id_, "accuracy", "major", tok, "",
                              f"“{tok}” is left untranslated: a word of the source in {_lang(sl)}, "
                              f"not {_lang(lang)}.", "untranslated-word"))
            continue  # otherwise a name, a code, a term the source has too
        found = _unknown(id_, tok, a in starts, src_parts, lang)
        if found is not None:
            out.append(found)
    return out


def _unknown(id_: str, tok: str, starts_sentence: bool, src_parts: set[str], lang: str) -> Suggestion | None:
    """A token neither dictionary knows: glued words, or a non-word. Not an
    acronym, a brand, a proper noun inside a sentence, a single letter."""
    if any(c.isupper() for c in tok[1:]):
        return None  # an acronym or a brand: GPT, rOpenSci, McDonald
    if tok[0].isupper() and not starts_sentence:
        return None  # a proper noun inside a sentence
    parts = [p for p in re.split(r"['’-]", tok) if p]
    if len(tok) < 2 and len(parts) == 1:
        return None
    bad = [p for p in parts if len(p) > 1 and p.casefold() not in src_parts and not _is_word(p, lang)]
    if not bad:
        return None
    glued = _glued(tok, lang) if len(parts) == 1 else None
    if glued:
        return _s(id_, "fluency", "minor", tok, " ".join(glued),
                  f"“{tok}” looks like two words run together (“{glued[0]} {glued[1]}”).", "glued-words")
    return _s(id_, "fluency", "minor", tok, "",
              f"“{tok}” is not a word the {_lang(lang)} dictionary or analyser knows "
              "(a typo, an invented word, or a word of another language).", "non-word")


def allowed_words_of(phrases: Iterable[str]) -> frozenset[str]:
    """The words of glossary renderings (casefolded): never non-words."""
    return frozenset(w.casefold() for phrase in phrases for _, _, w in tokens(phrase))


def _lang(code: str) -> str:
    from translator.qa.checks import lang_name

    return lang_name(code)


# --- wrong language, copies of the source ----------------------------------------------------


def foreign_sentences(id_: str, source: str | None, target: str, source_lang: str,
                      target_lang: str) -> list[Suggestion]:
    """Sentences of the translation whose words are mostly source-language words
    that are not target-language words."""
    sl, tl = (source_lang or "").split("-")[0], target_lang.split("-")[0]
    if not sl or sl == tl or not _lexicon_ready(sl) or not _lexicon_ready(tl):
        return []
    text = strip_placeholders(target)
    out = []
    for a, b in sentences(text):
        sent = text[a:b].strip()
        words = [w for _, _, w in tokens(sent) if not w[0].isdigit() and not any(c.isupper() for c in w[1:])]
        lower = [w for w in words if w[:1].islower()]
        if len(lower) < 4:
            continue
        foreign = [w for w in lower if _foreign(w, sl, tl)]
        if len(foreign) >= 3 and len(foreign) >= 0.5 * len(lower):
            out.append(_s(id_, "accuracy", "major", sent, "",
                          f"This sentence is in {_lang(sl)}, not {_lang(tl)} "
                          f"({len(foreign)} of its {len(lower)} words).", "foreign-sentence"))
    return out


def _foreign(word: str, sl: str, tl: str) -> bool:
    from translator.terms import lexicon

    return lexicon.is_word(word, sl) and not lexicon.is_word(word, tl)


def _longest_common_run(s: Sequence[str], t: Sequence[str]) -> tuple[int, int]:
    """(length, end in `t`) of the longest run of tokens common to both
    (dynamic programming, small inputs)."""
    best, end = 0, 0
    prev = [0] * (len(t) + 1)
    for i in range(1, len(s) + 1):
        cur = [0] * (len(t) + 1)
        si = s[i - 1]
        for j in range(1, len(t) + 1):
            if si == t[j - 1]:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best, end = cur[j], j
        prev = cur
    return best, end


def copied(id_: str, source: str | None, target: str, min_words: int = 6, source_lang: str = "",
           target_lang: str = "") -> list[Suggestion]:
    """The longest run of at least `min_words` source words found verbatim in
    the translation (names and numbers do not count towards the length).
    With the languages given, the run must be mostly source-language words:
    a source that quotes a title in the target language may be copied."""
    if not source:
        return []
    s = [w.casefold() for _, _, w in tokens(strip_placeholders(source))]
    t_text = strip_placeholders(target)
    t_tok = tokens(t_text)
    t = [w.casefold() for _, _, w in t_tok]
    if len(s) < min_words or len(t) < min_words:
        return []
    best, end = _longest_common_run(s, t)
    if best < min_words:
        return []
    run = t_tok[end - best:end]
    plain = [w for _, _, w in run if w[:1].islower()]
    if len(plain) < min_words - 1 or best >= 0.9 * len(s):
        return []  # a run of names, or the whole segment (the untranslated check says that)
    sl, tl = source_lang.split("-")[0], target_lang.split("-")[0]
    if sl and tl and sl != tl and _lexicon_ready(sl) and _lexicon_ready(tl):
        if sum(_foreign(w.lower(), sl, tl) for w in plain) < len(plain) / 2:
            return []  # text of the target language the source already had
    span = t_text[run[0][0]:run[-1][1]]
    return [_s(id_, "accuracy", "major", span, "",
               f"{best} words copied from the source without translation: “{_clip(span)}”.", "copied-source")]


LOANWORD_SEGMENTS = 3  # a source word kept in this many segments is a choice, not an oversight


def consistent_loanwords(found: list[Suggestion], check: str = "untranslated-word") -> list[Suggestion]:
    """A source word left untranslated in many segments of a document
    ("tokens", "banjo") is a loanword kept on purpose, as a translator keeps
    a term: not an issue. A one-off is an oversight and stays a finding.
    (With check="non-word", for target-only review: without a source, an
    unknown word used throughout, like a package name, is taken as a name.)"""
    uses: Counter = Counter(s.original.casefold() for s in found if s.check == check)
    return [s for s in found if not (s.check == check and uses[s.original.casefold()] >= LOANWORD_SEGMENTS)]


def prefetch(pairs: Sequence, source_lang: str, target_lang: str) -> None:
    """One dictionary run for every word of the translations (in the target
    language, and lower-case ones in the source language for the
    wrong-language test)."""
    from translator.terms import lexicon

    words = [part for p in pairs for _, _, w in tokens(strip_placeholders(p.target)) if not w[0].isdigit()
             for part in re.split(r"['’-]", w) if part]
    tl, sl = target_lang.split("-")[0], (source_lang or "").split("-")[0]
    if _lexicon_ready(tl):
        lexicon.prefetch(words + [w.lower() for w in words if w[:1].isupper()], tl)
    if sl and sl != tl and _lexicon_ready(sl):
        lexicon.prefetch([w for w in words if w[:1].islower()], sl)


def signals(id_: str, source: str | None, target: str, source_lang: str, target_lang: str,
            allowed: Iterable[str] = ()) -> list[Suggestion]:
    """Every signal of this module for one segment."""
    from translator.qa import checks

    if not strip_placeholders(target).strip():
        return []
    pair = checks.Pair(id_, source, target)
    if checks.wrong_language(pair, target_lang) or (source is not None and checks.untranslated(pair, source_lang)):
        return repetition(id_, source, target)  # the whole unit is reported already: no word-by-word detail
    foreign = foreign_sentences(id_, source, target, source_lang, target_lang)
    out = list(foreign)
    text = strip_placeholders(target)
    inside = [(text.find(f.original), text.find(f.original) + len(f.original)) for f in foreign]
    for nw in non_words(id_, source, target, target_lang, allowed, source_lang):
        at = text.find(nw.original)
        if not any(a <= at < b for a, b in inside):
            out.append(nw)  # a word inside a sentence reported as foreign is said already
    if not foreign:
        out.extend(copied(id_, source, target, source_lang=source_lang, target_lang=target_lang))
    out.extend(repetition(id_, source, target))
    out.extend(agreement(id_, target, target_lang))
    return out
