"""Words a draft glued together where a space was lost (often where inline
markup was stripped): "delbotón" is "del" + "botón", "documentoODO" is
"documento" + the source's "ODO". A term repair at such a place may put the
space back; nothing else is split."""

from __future__ import annotations

import re

from translator.terms import lexicon

_WORD = re.compile(r"[^\W\d_]+")
# words a space is most often lost after, in front of the next word
_LEADING = {
    "es": "del al de el la las los en con por para un una y o su sus".split(),
    "en": "the of to in on for and a an with by".split(),
}


def splits(text: str, lang: str, source: str = "") -> list[tuple[int, int, int]]:
    """Where a space is missing inside a glued word of `text`: (the word's
    start, its end, the position of the missing space). A glued word is one
    neither the analyser nor the spelling dictionary knows that is a short
    function word and a known word ("delbotón"), or a known word and a word
    in capitals written as such in the source ("documentoODO"). A word that
    splits more than one way, a word the source has, and a capitalised word
    («Labella», a name more likely than "La bella") are left alone."""
    lex = lexicon.lexicon(lang)
    if not lex.available:
        return []
    out: list[tuple[int, int, int]] = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if len(word) < 6 or lex.is_word(word) or _has_word(source, word):
            continue  # a word, or a name copied from the source
        # a capitalised word is more likely a name («Labella») than a glued article
        cuts = {i for i in _function_cuts(word, lang) if lex.is_word(word[i:])} if not word[:1].isupper() else set()
        cuts |= {i for i in _capital_cuts(word, source) if lex.is_word(word[:i])}
        if len(cuts) == 1:
            out.append((m.start(), m.end(), m.start() + cuts.pop()))
    return out


def _function_cuts(word: str, lang: str) -> list[int]:
    low = word.lower()
    return [len(f) for f in _LEADING.get(lang, ()) if low.startswith(f) and len(word) - len(f) >= 4
            and word[len(f)].isalpha()]


def _capital_cuts(word: str, source: str) -> list[int]:
    m = re.fullmatch(r"([^\W\d_]*[a-záéíóúñü])([A-Z][A-Z0-9]+)", word)
    if not m or len(m.group(1)) < 4:
        return []
    tail = m.group(2)
    return [m.end(1)] if _has_word(source, tail) else []


def _has_word(text: str, word: str) -> bool:
    """Whether `text` has `word` as a whole word."""
    return re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text) is not None


def unglue(text: str, at: int) -> str:
    """`text` with a space put back at `at`."""
    return text[:at] + " " + text[at:]
