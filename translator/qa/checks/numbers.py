"""Numbers of the source missing, changed or added in the translation,
read in every locale ("1,200" = "1.200" = "1 200"), with scales ("46.7B" =
"46.700 millones"), number words ("two" = "dos"), months and 12-hour times."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from translator.document import Suggestion, strip_placeholders
from translator.qa.checks.base import CheckContext, Pair, _s

NAME = "numbers"
NEEDS_SOURCE = True
ORDER = 50
QUIET_AFTER = ("empty",)


def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]:
    return tuple(numbers(pair))


_SEP = ".,\u00a0\u202f\u2009"
_NUM = re.compile(
    r"(?<![\d])(\d+(?:[" + _SEP + r"]\d+)*)(?::(\d\d)(?!\d))?"
    r"(?:(?P<sx>[KkMBT]|bn|mn|mln)(?![^\W\d_])"
    r"|[ \u00a0]?(?P<word>mil millones|millones|millón|millon|millardos?|billones|billón|mil"
    r"|millions?|billions?|trillions?|thousands?)\b)?"
)
_SCALE = {
    "k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, "bn": 1e9, "mn": 1e6, "mln": 1e6,
    "mil millones": 1e9, "millones": 1e6, "millón": 1e6, "millon": 1e6, "millardo": 1e9, "millardos": 1e9,
    "billones": 1e12, "billón": 1e12, "mil": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9,
    "billions": 1e9, "trillion": 1e12, "trillions": 1e12, "thousand": 1e3, "thousands": 1e3,
}
_PM = re.compile(r"\s?(?:p\.\s?m\.|pm\b|PM\b)")
_NUMBER_WORDS = {
    # en
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12, "half": 0.5, "first": 1, "second": 2,
    "third": 3, "fourth": 4, "fifth": 5, "once": 1, "twice": 2, "single": 1, "double": 2,
    "million": 1e6, "billion": 1e9, "thousand": 1e3, "trillion": 1e12,
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    # es
    "cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "doce": 12, "trece": 13, "catorce": 14,
    "quince": 15, "dieciséis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "cien": 100, "ciento": 100, "docena": 12,
    "medio": 0.5, "media": 0.5, "mitad": 0.5, "primer": 1, "primero": 1, "primera": 1, "segundo": 2,
    "segunda": 2, "tercer": 3, "tercero": 3, "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5,
    "quinta": 5, "doble": 2, "millón": 1e6, "millones": 1e6, "mil": 1e3, "millardo": 1e9,
    "enero": 1, "ene": 1, "febrero": 2, "marzo": 3, "abril": 4, "abr": 4, "mayo": 5, "junio": 6,
    "julio": 7, "agosto": 8, "ago": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12, "dic": 12,
}
_AMBIGUOUS_WORDS = {"once": (1, 11)}  # English "once", Spanish "once" (11)
_SCALE_WORDS = {"mil millones": 1e9, "millones": 1e6, "millón": 1e6, "million": 1e6, "millions": 1e6,
                "billion": 1e9, "billions": 1e9, "mil": 1e3, "thousand": 1e3}


@dataclass(frozen=True)
class Number:
    text: str  # as written, with its scale ("46.7B", "46.700 millones")
    values: frozenset  # every reading of it (locales differ on "." and ","); a str for "3.1.4"


def _key(v: float) -> float:
    return float(f"{v:.9g}")


def readings(digits: str) -> set[float]:
    """The values a numeral can mean: "1,200" → {1200, 1.2}; "12.9" → {12.9};
    "1.234,5" → {1234.5}. Spaces (no-break, thin) always group thousands."""
    s = re.sub("[\u00a0\u202f\u2009]", "_", digits)
    out: set[float] = set()
    for dec in (".", ","):
        value = _reading(re.split(r"([.,_])", s), dec)
        if value is not None:
            out.add(value)
    return out


def _reading(parts: list[str], dec: str) -> float | None:
    """The value of a numeral split at its separators, with `dec` as the
    decimal mark (the others group thousands), or None when it cannot be."""
    groups, seps = parts[0::2], parts[1::2]
    decimal_at = None
    for i, sep in enumerate(seps):
        if sep == dec:
            if decimal_at is not None:
                return None
            decimal_at = i
        elif len(groups[i + 1]) != 3 or decimal_at is not None:
            return None
    if decimal_at is None:
        return float("".join(groups))
    whole = "".join(groups[: decimal_at + 1])
    frac = "".join(groups[decimal_at + 1:])
    return float(f"{whole}.{frac}")


def extract_numbers(text: str) -> list[Number]:
    """Numerals in a text (placeholders removed), with every value each can
    mean: scales applied ("46.7B" = 46.7e9), times read as hours ("3 p.m."
    also 15)."""
    text = strip_placeholders(text)
    out = []
    for m in _NUM.finditer(text):
        scale = _SCALE.get(m.group("sx") or (m.group("word") or "").lower(), 1.0)
        vals: set = {_key(v * scale) for v in readings(m.group(1))}
        if not vals:  # "3.1.4", a version: compare as written
            vals = {m.group(1)}
        if m.group(2) is not None or _PM.match(text, m.end()):
            hours = {v for v in vals if isinstance(v, float)}
            vals |= {_key(v + 12) for v in hours if v < 12} | {_key(v - 12) for v in hours if 12 < v <= 24}
        out.append(Number(m.group(0).strip(), frozenset(vals)))
    return out


_NUMWORD_RE = re.compile(r"[^\W\d_]+(?:\s+(?:mil\s+)?(?:millones|millón|million|billion|thousand|mil))?", re.I)


def number_words(text: str) -> list[float]:
    """Values of number words, ordinals and month names ("two", "tres mil",
    "enero"); they may stand for a numeral on the other side."""
    out = []
    for m in _NUMWORD_RE.finditer(strip_placeholders(text)):
        head, *rest = m.group(0).lower().split(None, 1)
        values = _AMBIGUOUS_WORDS.get(head) or ((_NUMBER_WORDS[head],) if head in _NUMBER_WORDS else ())
        for v in values:
            out.append(_key(v))
            if rest:
                out.append(_key(v * _SCALE_WORDS.get(" ".join(rest[0].split()), 1.0)))
    return out


def match_numbers(source: str, target: str) -> tuple[list[Number], list[Number]]:
    """Numerals of the source with no counterpart in the target, and the
    target's with none in the source. A number word on the other side
    ("two", "dos", "enero") counts as a counterpart."""
    src, tgt = extract_numbers(source), extract_numbers(target)
    lost = []
    for n in src:  # exact spelling first, then any shared reading
        same = next((t for t in tgt if t.text == n.text), None) or next((t for t in tgt if t.values & n.values), None)
        if same is not None:
            tgt.remove(same)
        else:
            lost.append(n)
    src_words, tgt_words = Counter(number_words(source)), Counter(number_words(target))
    return _unmatched(lost, tgt_words), _unmatched(tgt, src_words)


def _unmatched(nums: list[Number], words: Counter) -> list[Number]:
    """The numerals no number word of the other side stands for (each word
    is used once)."""
    out = []
    for n in nums:
        hit = next((v for v in sorted(n.values, key=str) if words[v] > 0), None)
        if hit is None:
            out.append(n)
        else:
            words[hit] -= 1
    return out


def numbers(p: Pair) -> list[Suggestion]:
    if p.source is None:
        return []
    lost, added = match_numbers(p.source, p.target)
    out = []
    for n, new in zip(lost, added):
        out.append(_s(p.id, "accuracy", "major", new.text, n.text,
                      f"Number changed: the source says {n.text}, the translation {new.text}.", "numbers"))
    for n in lost[len(added):]:
        out.append(_s(p.id, "accuracy", "major", "", n.text,
                      f"Number missing: {n.text} is in the source but not in the translation.", "numbers"))
    for n in added[len(lost):]:
        out.append(_s(p.id, "accuracy", "minor", n.text, "",
                      f"Number added: {n.text} is not in the source.", "numbers"))
    return out

