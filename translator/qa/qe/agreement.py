"""A determiner and the noun after it disagreeing in gender or number by
every reading of the analyser ("las tijera", "el casa"), Spanish."""

from __future__ import annotations

import re

from translator.document import Suggestion, strip_placeholders
from translator.qa.qe.text import _s, tokens

_GENDERS, _NUMBERS = {"m", "f"}, {"sg", "pl"}
# "el agua", "un hacha": a feminine noun with stressed a- takes el/un
_EL_BEFORE_A = {"el", "un", "algún", "ningún", "aquel"}


def _feats(tags: tuple[str, ...]) -> tuple[str | None, str | None]:
    g = next((t for t in tags if t in _GENDERS), None)
    n = next((t for t in tags if t in _NUMBERS), None)
    return g, n


def _disagree(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    return (a[0] is not None and b[0] is not None and a[0] != b[0]) or \
           (a[1] is not None and b[1] is not None and a[1] != b[1])


def agreement(id_: str, target: str, target_lang: str) -> list[Suggestion]:
    """A determiner followed by a noun that disagrees with it in gender or
    number by every reading of both (Spanish)."""
    if target_lang.split("-")[0] != "es":
        return []
    from translator.terms import lexicon

    if lexicon.lexicon("es").analyser is None:
        return []
    text = strip_placeholders(target)
    toks = tokens(text)
    out = []
    for (a, _, w1), (_, e2, w2) in zip(toks, toks[1:]):
        if text[a + len(w1):e2 - len(w2)].strip():
            continue  # punctuation between: not one phrase
        if w2[:1].isupper() and not w1[:1].isupper():
            continue  # a name after the determiner
        dets = [t for _, t in lexicon.analyses(w1.lower(), "es") if t and t[0] == "det"]
        if not dets:
            continue
        r2 = lexicon.analyses(w2.lower(), "es") or lexicon.analyses(w2, "es")
        if not r2 or any(t and t[0] not in ("n",) for _, t in r2):
            continue  # unknown, or also a verb, adjective, … : we cannot be sure it is the noun
        if w1.lower() in _EL_BEFORE_A and re.match(r"h?[aá]", w2.lower()):
            continue
        if all(_disagree(_feats(d), _feats(n)) for d in dets for _, n in r2):
            out.append(_s(id_, "fluency", "minor", f"{w1} {w2}", "",
                          f"“{w1}” and “{w2}” do not agree in gender or number.", "agreement"))
    return out
