"""Sentence boundaries: spaCy blank pipelines + the sentencizer + our rules.

The blank sentencizer splits after every ".", "!" or "?" token. Newsletter
text needs more: abbreviations ("Dr.", "Jan. 13", "EE. UU.", "p. ej.") and
decimals never end a sentence; "$25M. Next" does even though the tokenizer
kept the period on "25M."; a Spanish "¿" or "¡" opens the next sentence
instead of closing the previous one. Chinese splits on 。！？ and never on
the "." of "v0.2" or "3.5" (the blank Chinese tokenizer cuts every
character, so the "." rule there needs a following space).
"""

from __future__ import annotations

import re
from functools import lru_cache

from translator.segment.nlp import blank

# Abbreviations after which a capitalised word does not start a sentence.
_NO_SPLIT = {
    "en": """mr. mrs. ms. dr. prof. sr. jr. st. mt. vs. v. no. nos. fig. figs. eq. vol. ch. sec.
    jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec. e.g. i.e. cf. approx. est.
    u.s. u.k. u.n. e.u. inc. ltd. co. corp. dept. gen. gov. rep. sen. rev. hon.""",
    "es": """sr. sra. srta. sres. dr. dra. dres. lic. ing. prof. profa. d. dña. ud. uds. vd. vds.
    p. ej. pág. págs. núm. n.º art. arts. cap. vol. etc. aprox. fig. tel. av. avda. c. cía.
    ene. feb. mar. abr. may. jun. jul. ago. sep. sept. oct. nov. dic. ee. uu. ee.uu. eeuu.
    ss. ss.aa. a.c. d.c. s.a. s.l. p.d. vs. máx. mín.""",
}
_SENT_END = re.compile(r"[.!?…。！？]")
_OPENERS = "¿¡“«„‘"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=None)
def _pipeline(lang: str):
    nlp = blank(lang)
    nlp = nlp.__class__(vocab=nlp.vocab)  # a fresh pipeline sharing the vocab
    config = {}
    if nlp.lang == "zh":
        config = {"punct_chars": ["。", "！", "？", "!", "?", "…"]}
    nlp.add_pipe("sentencizer", config=config)
    return nlp


def split(text: str, lang: str) -> list[int]:
    """Offsets in `text` where a new sentence starts (never 0). Kept between
    runs for short files (segment.nlp.persist), keyed by this module's rules."""
    if not _SENT_END.search(text):
        return []
    import json

    from translator.segment.nlp import persist

    got = persist(f"sentences-{lang}", _rules_version(), [text], lambda todo: {t: json.dumps(_split(t, lang))
                                                                               for t in todo})
    return json.loads(got[text])


@lru_cache(maxsize=None)
def _rules_version() -> str:
    import hashlib
    from pathlib import Path

    from translator.segment import nlp

    code = Path(__file__).read_bytes() + Path(nlp.__file__).read_bytes()  # the rules and the pipelines
    return hashlib.blake2b(code, digest_size=8).hexdigest()


def _split(text: str, lang: str) -> list[int]:
    no_split = set(_NO_SPLIT.get(lang, _NO_SPLIT["en"]).split())
    tokens = list(_pipeline(lang)(text))
    starts = [t.is_sent_start is True for t in tokens]
    for i in range(1, len(tokens)):
        starts[i] = _starts_sentence(tokens[i - 1], tokens[i], starts[i], no_split, lang)
    _move_to_openers(tokens, starts)
    if lang != "zh":
        _start_at_words(tokens, starts)
    return [tokens[i].idx for i in range(1, len(tokens)) if starts[i]]


def _start_at_words(tokens: list, starts: list[bool]) -> None:
    """A sentence starts where a word does, never inside one: the sentencizer
    leaves the punctuation after "?" or "." with the sentence before, so
    «ese? —preguntó» and «papá. &quot;Saldré» would start at «preguntó» and
    «quot;», and a sentence split there comes back with a space inside («—
    preguntó»). The start moves back to the whitespace before; none is kept
    when there is no whitespace since the last start."""
    def glued(k: int) -> bool:
        return not tokens[k - 1].whitespace_ and not tokens[k - 1].is_space

    for i in range(1, len(tokens)):
        if not starts[i] or not glued(i):
            continue
        starts[i] = False
        j = i - 1
        while j > 0 and glued(j) and not starts[j]:
            j -= 1
        if j > 0 and not starts[j]:
            starts[j] = True


def _starts_sentence(prev, tok, start: bool, no_split: set[str], lang: str) -> bool:
    """spaCy's answer for whether `tok` starts a sentence, corrected by our rules."""
    ptext = prev.text.lower()
    last_word = ptext.split()[-1] if ptext.split() else ""
    first = tok.text[:1]
    if start:
        if ptext in no_split or last_word in no_split:
            return False
        if prev.text.endswith(".") and (first.islower() or first.isdigit()):
            return False
        if not prev.whitespace_ and prev.text == "." and not _CJK.match(first) and lang != "zh":
            return False  # "v0.2", "example.com"
        return True
    if (
        len(prev.text) > 1 and prev.text.endswith(".") and prev.whitespace_
        and ptext not in no_split and not re.fullmatch(r"[A-Z]\.", prev.text)
        and (first.isupper() or first in _OPENERS + "“\"«")
    ):
        return True  # "$25M. Next", "p.m. The"
    return lang == "zh" and prev.text == "." and bool(prev.whitespace_) and bool(first.isupper() or _CJK.match(first))


def _move_to_openers(tokens: list, starts: list[bool]) -> None:
    """"¿", "¡" and opening quotes open the next sentence: its start moves onto
    them, over several ("\"¿Los negocios…?\"", «¡Ya!»)."""
    def opener(tok) -> bool:
        return tok.text in _OPENERS or (tok.text in ('"', "'") and not tok.whitespace_)

    for i in range(1, len(tokens)):
        if starts[i] and opener(tokens[i - 1]):
            j = i - 1
            while j > 0 and opener(tokens[j - 1]) and not starts[j]:
                j -= 1
            if j > 0:
                starts[i] = False
                starts[j] = True
