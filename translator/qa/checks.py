"""Deterministic QA checks that emit Suggestions.

Every check looks at one source/translation pair (`Pair`) or at the list of
them, and says what an editor must look at, in the same Suggestion format as
the critic: MQM category, severity, `original` = the exact span of the
translation when there is one ("" for an absence), origin "check" (glossary
findings keep the glossary's own origin), and the check's machine name in
`check`.

Two callers: the translate loop (`run`: segments + their translations, the
placeholders are ours) and `review` (any two files aligned block by block:
placeholder numbers are each document's own, so markup and links are
compared by what they are, with `compare_markup` / `compare_links`).
Target-only review has no source: `Pair.source is None`, and only the
checks that need none run.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from translator.segment.language import STOPWORDS, guess_language, stopword_scores  # noqa: F401 (re-exported)
from translator.segment.placeholders import placeholder_difference, placeholders_intact
from translator.document import PLACEHOLDER_RE, Segment, Suggestion, strip_placeholders


@dataclass(frozen=True)
class Pair:
    """One unit to check: a segment, or a whole block when the two sides do
    not split into the same number of sentences. `source` is None in
    target-only review."""

    id: str
    source: str | None
    target: str


def _s(id_: str, category: str, severity: str, original: str, suggestion: str, explanation: str,
       check: str, origin: str = "check") -> Suggestion:
    return Suggestion(id_, category, severity, original, suggestion, explanation, origin, "open", check)


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --- the contract used by the translate loop ----------------------------------


def run(
    segments: Sequence[Segment],
    texts: Mapping[str, str],
    source_lang: str,
    target_lang: str,
    glossary=None,
    *,
    doc=None,
) -> list[Suggestion]:
    """Check our own translations of `segments`. Our placeholders stand for
    the source's own markup, so a link can only be lost with its
    placeholder; with `doc` (the source Document) the finding names the
    markup and URL behind each lost placeholder."""
    out: list[Suggestion] = []
    pairs = []
    for seg in segments:
        text = texts.get(seg.id, "")
        pairs.append(Pair(seg.id, seg.source, text))
        if not placeholders_intact(seg.source, text):
            out.append(placeholder_issue(seg, text, doc))
    out.extend(check_pairs(pairs, source_lang, target_lang, glossary))
    return out


def check_pairs(
    pairs: Sequence[Pair], source_lang: str, target_lang: str, glossary=None
) -> list[Suggestion]:
    """All text checks on aligned pairs (placeholder numbering is not compared
    here: see `run` and `compare_markup`)."""
    out: list[Suggestion] = []
    for p in pairs:
        out.extend(check_pair(p, source_lang, target_lang, glossary))
    out.extend(duplicates(pairs))
    return out


def check_pair(p: Pair, source_lang: str, target_lang: str, glossary=None) -> list[Suggestion]:
    out: list[Suggestion] = []
    if p.source is not None:
        empty_found = empty(p)
        out.extend(empty_found)
        if empty_found:
            return out
        untranslated_found = untranslated(p, source_lang)
        out.extend(untranslated_found)
        if not untranslated_found:
            out.extend(wrong_language(p, target_lang))
            out.extend(length_ratio(p, source_lang, target_lang))
        out.extend(numbers(p))
        out.extend(currencies(p))
        out.extend(text_urls(p))
    else:
        out.extend(wrong_language(p, target_lang))
    out.extend(engine_marks(p))
    if target_lang.split("-")[0] == "es":
        out.extend(spanish_pairs(p))
    if glossary is not None:
        out.extend(glossary_issues(p, glossary))
    return out


# --- placeholders, markup and links ------------------------------------------


def placeholder_issue(seg: Segment, text: str, doc=None) -> Suggestion:
    lost, added = placeholder_difference(seg.source, text)
    codes = {c.n: c for c in seg.codes}
    parts = []
    if lost:
        parts.append("lost " + ", ".join(_describe(tok, codes, doc) for tok in lost))
    if added:
        parts.append("added " + ", ".join(added))
    return _s(seg.id, "markup", "critical", text, seg.source,
              "Markup placeholders were " + "; ".join(parts) + " (each must appear exactly as in the source).",
              "placeholders")


def _describe(token: str, codes, doc) -> str:
    m = PLACEHOLDER_RE.fullmatch(token)
    code = codes.get(int(m.group(2))) if m else None
    if code is None:
        return token
    what = code.label or "markup"
    if doc is not None and code.open:
        links = urls_in_markup(doc.text[code.open[0]:code.open[1]])
        if links:
            what += " " + links[0]
    return f"{token} ({what})"


_ATTR_URL = re.compile(r"""\b(?:href|src|poster|data-src|cite|action)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_MD_DEST = re.compile(r"\]\(\s*(?:<([^>\n]*)>|([^)\s]+))")
_MD_REF = re.compile(r"\]\[([^\]\n]+)\]")
_BARE_URL = re.compile(r"""\b(?:https?|ftp)://[^\s<>"'`]+[^\s<>"'`.,;:!?)\]}）。，]|\bwww\.[\w-]+\.[^\s<>"'`]*[\w/]""")
_MD_DEF = re.compile(r"(?m)^[ ]{0,3}\[([^\]\n]+)\]:[ \t]*<?([^\s>]+)")


def urls_in_markup(raw: str, refs: Mapping[str, str] | None = None) -> list[str]:
    """Link targets and image sources in raw markup or text, in order:
    HTML attributes (href, src …), Markdown destinations `](url)`,
    reference links `][ref]` (resolved through `refs` when given) and bare
    URLs. Each URL is counted once where it sits."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _ATTR_URL.finditer(raw):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        found.append((m.start(), m.group(g).strip()))
        taken.append(m.span())
    for m in _MD_DEST.finditer(raw):
        g = 1 if m.group(1) is not None else 2
        found.append((m.start(), m.group(g).strip()))
        taken.append(m.span())
    for m in _MD_REF.finditer(raw):
        label = m.group(1).strip().lower()
        found.append((m.start(), (refs or {}).get(label, f"[{label}]")))
        taken.append(m.span())
    for m in _BARE_URL.finditer(raw):
        if not any(a <= m.start() < b for a, b in taken):
            found.append((m.start(), m.group(0)))
    return [u for _, u in sorted(found) if u]


def markdown_refs(text: str) -> dict[str, str]:
    """Reference-style link definitions of a Markdown text: {label: url}."""
    return {m.group(1).strip().lower(): m.group(2) for m in _MD_DEF.finditer(text)}


_LANG_PART = re.compile(
    r"(?<=[/.])(?:en|es|fr|de|it|pt|zh|ja|ko|ca|nl|ru)(?:[-_][a-z]{2,4})?(?:[/.]|$)"
    r"|[?&](?:lang|hl|locale)=[a-z]{2}(?:[-_][a-z]{2,4})?", re.I)


def _localized(a: str, b: str) -> bool:
    """Two URLs that differ only in a language code (/en/ → /es/, en.site →
    es.site, /talks → /es/talks, ?lang=es)."""
    return a != b and _LANG_PART.sub("", a) == _LANG_PART.sub("", b)


def compare_links(id_: str, source: Iterable[str], target: Iterable[str], *, where: str = "") -> list[Suggestion]:
    """Links and image sources dropped, changed or added between two lists of URLs."""
    src, tgt = Counter(source), Counter(target)
    lost, added = list((src - tgt).elements()), list((tgt - src).elements())
    out: list[Suggestion] = []
    where = f" {where}" if where else ""
    for url in list(lost):
        match = next((a for a in added if _localized(url, a)), None)
        if match is not None:
            lost.remove(url)
            added.remove(match)
            out.append(_s(id_, "locale", "minor", match, url,
                          f"Link{where} points to a localized address ({match} instead of {url}): check it exists.",
                          "links"))
    for url, new in zip(lost, added):
        out.append(_s(id_, "accuracy", "major", new, url,
                      f"Link or image source{where} changed from {url} to {new}.", "links"))
    for url in lost[len(added):]:
        out.append(_s(id_, "markup", "major", "", url, f"Link or image source{where} dropped: {url}.", "links"))
    for url in added[len(lost):]:
        out.append(_s(id_, "markup", "minor", url, "", f"Link or image source{where} added: {url}.", "links"))
    return out


_LINK_TAGS = {"a", "link", "image", "img", "url", "email"}
_VERBATIM = {"code", "kbd", "samp", "shortcode", "footnote", "html:kbd", "emojicode"}


def compare_markup(id_: str, source: Counter, target: Counter) -> list[Suggestion]:
    """Inline markup (tag names, or (label, raw) for verbatim pieces such as
    inline code and shortcodes) lost or added. Links are left to
    `compare_links`."""
    out: list[Suggestion] = []
    src = Counter({k: v for k, v in source.items() if _name(k) not in _LINK_TAGS})
    tgt = Counter({k: v for k, v in target.items() if _name(k) not in _LINK_TAGS})
    for key, n in (src - tgt).items():
        name, raw = _name(key), _raw(key)
        major = name in _VERBATIM
        out.append(_s(id_, "markup", "major" if major else "minor", "", raw or f"<{name}>",
                      f"Markup lost: {raw or '<' + name + '>'}" + (f" (×{n})" if n > 1 else "")
                      + (" — it must be kept exactly as in the source." if major else "."),
                      "markup"))
    for key, n in (tgt - src).items():
        name, raw = _name(key), _raw(key)
        out.append(_s(id_, "markup", "minor", raw or "", "",
                      f"Markup added: {raw or '<' + name + '>'}" + (f" (×{n})" if n > 1 else "") + ".",
                      "markup"))
    return out


def _name(key) -> str:
    return key[0] if isinstance(key, tuple) else key


def _raw(key) -> str:
    return key[1] if isinstance(key, tuple) else ""


def text_urls(p: Pair) -> list[Suggestion]:
    """URLs written in the text itself (not behind placeholders)."""
    src = _BARE_URL.findall(strip_placeholders(p.source or ""))
    tgt = _BARE_URL.findall(strip_placeholders(p.target))
    if Counter(src) == Counter(tgt):
        return []
    return compare_links(p.id, src, tgt)


# --- untranslated, wrong language, empty, duplicated, length -----------------

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

_LANG_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian",
               "pt": "Portuguese", "zh": "Chinese", "ja": "Japanese", "ko": "Korean"}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def lang_name(code: str) -> str:
    return _LANG_NAMES.get(code, code)


def _norm(text: str) -> str:
    return " ".join(strip_placeholders(text).split()).casefold()


def _words(text: str) -> list[str]:
    return _WORD.findall(strip_placeholders(text))


def _name_like(text: str) -> bool:
    """A short run of names, numbers and codes ("GPT-4o vs Llama 3.1"), which
    a translation may rightly leave as is."""
    words = [w for w in strip_placeholders(text).split() if _WORD.search(w)]
    lower = [w for w in words if _WORD.fullmatch(w.strip(".,;:!?()\"'“”«»")) and w[:1].islower()]
    return len(words) < 4 or len(lower) < 2


def untranslated(p: Pair, source_lang: str) -> list[Suggestion]:
    if p.source is None or _norm(p.source) != _norm(p.target) or _name_like(p.source):
        return []
    return [_s(p.id, "accuracy", "major", p.target, "",
               f"Left untranslated: the text is identical to the {lang_name(source_lang)} source.",
               "untranslated")]


def wrong_language(p: Pair, target_lang: str) -> list[Suggestion]:
    tgt = target_lang.split("-")[0]
    if len(_words(p.target)) < 5 and len(_CJK.findall(p.target)) < 8:
        return []
    guess = guess_language(p.target)
    if guess is None:
        return []
    if tgt in ("zh", "ja", "ko"):
        wrong = guess != "cjk"
    else:
        wrong = guess != tgt and (tgt in STOPWORDS or guess == "cjk")
    if not wrong:
        return []
    found = "Chinese/Japanese/Korean" if guess == "cjk" else lang_name(guess)
    return [_s(p.id, "accuracy", "major", p.target, "",
               f"This text is in {found}, not {lang_name(tgt)}.", "wrong-language")]


def empty(p: Pair) -> list[Suggestion]:
    has = re.compile(r"[^\W_]")
    if p.source is not None and has.search(strip_placeholders(p.source)) and not has.search(strip_placeholders(p.target)):
        return [_s(p.id, "accuracy", "critical", "", p.source, "The translation is empty.", "empty")]
    return []


def duplicates(pairs: Sequence[Pair]) -> list[Suggestion]:
    """The same translation for different sources (a shifted or repeated
    segment); in target-only review, a long sentence repeated."""
    out: list[Suggestion] = []
    seen: dict[str, Pair] = {}
    for p in pairs:
        key = _norm(p.target)
        if len(_words(p.target)) < 4:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = p
            continue
        if p.source is None:
            if len(_words(p.target)) >= 6:
                out.append(_s(p.id, "fluency", "minor", p.target, "",
                              f"The same text appears already in {first.id}.", "duplicate"))
        elif first.source is not None and _norm(first.source) != _norm(p.source):
            out.append(_s(p.id, "accuracy", "major", p.target, "",
                          f"Same translation as {first.id}, whose source is different: a segment may be shifted or repeated.",
                          "duplicate"))
    return out


# characters a language needs, relative to English, for the same content
_EXPANSION = {"en": 1.0, "es": 1.15, "fr": 1.18, "de": 1.2, "it": 1.12, "pt": 1.12, "ca": 1.12,
              "nl": 1.15, "ru": 1.1, "zh": 0.3, "ja": 0.4, "ko": 0.45}


def expected_ratio(source_lang: str, target_lang: str) -> float:
    s = _EXPANSION.get(source_lang.split("-")[0], 1.0)
    t = _EXPANSION.get(target_lang.split("-")[0], 1.0)
    return t / s


def length_ratio(p: Pair, source_lang: str, target_lang: str) -> list[Suggestion]:
    src, tgt = strip_placeholders(p.source or "").strip(), strip_placeholders(p.target).strip()
    min_chars = 12 if source_lang.split("-")[0] in ("zh", "ja", "ko") else 40
    if len(src) < min_chars or not tgt:
        return []
    r = len(tgt) / len(src) / expected_ratio(source_lang, target_lang)
    if r < 0.5:
        sev = "major" if r < 0.35 else "minor"
        return [_s(p.id, "accuracy", sev, p.target, "",
                   f"Much shorter than the source ({len(tgt)} vs {len(src)} characters): content may be missing.",
                   "length")]
    if r > 2.2:
        sev = "major" if r > 3.5 else "minor"
        return [_s(p.id, "accuracy", sev, p.target, "",
                   f"Much longer than the source ({len(tgt)} vs {len(src)} characters): something may have been added.",
                   "length")]
    return []


# --- numbers, dates, currencies ----------------------------------------------

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
    for dec, grp in ((".", ","), (",", ".")):
        parts = re.split(r"([.,_])", s)
        groups, seps = parts[0::2], parts[1::2]
        ok, decimal_at = True, None
        for i, sep in enumerate(seps):
            if sep == dec:
                if decimal_at is not None:
                    ok = False
                decimal_at = i
            elif len(groups[i + 1]) != 3 or decimal_at is not None:
                ok = False
        if not ok:
            continue
        if decimal_at is None:
            out.add(float("".join(groups)))
        else:
            whole = "".join(groups[: decimal_at + 1])
            frac = "".join(groups[decimal_at + 1:])
            out.add(float(f"{whole}.{frac}"))
    return out


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
    still_lost = []
    for n in lost:
        hit = next((v for v in sorted(n.values, key=str) if tgt_words[v] > 0), None)
        if hit is None:
            still_lost.append(n)
        else:
            tgt_words[hit] -= 1
    added = []
    for n in tgt:
        hit = next((v for v in sorted(n.values, key=str) if src_words[v] > 0), None)
        if hit is None:
            added.append(n)
        else:
            src_words[hit] -= 1
    return still_lost, added


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


_CURRENCY = {
    "USD": r"\$|\bUSD\b|\bd[oó]lar|\bdollars?\b|美元",
    "EUR": r"€|\bEUR\b|\beuros?\b|欧元",
    "GBP": r"£|\bGBP\b|\blibras?\b|\bpounds?\b|英镑",
    "JPY": r"\bJPY\b|\byen(?:es)?\b|日元",
    "CNY": r"\bCNY\b|\bRMB\b|\byuan(?:es)?\b|人民币",
}


def currencies(p: Pair) -> list[Suggestion]:
    if p.source is None:
        return []
    src, tgt = strip_placeholders(p.source), strip_placeholders(p.target)
    out = []
    for code, pattern in _CURRENCY.items():
        if re.search(pattern, src, re.I) and not re.search(pattern, tgt, re.I):
            out.append(_s(p.id, "locale", "major", "", code,
                          f"Currency {code} of the source is missing in the translation.", "currency"))
    return out


# --- engine marks, Spanish punctuation ----------------------------------------

_MARK = re.compile(r"(?<![^\W\d_])(?<![*#@/&])([*#@])([^\W\d_][\w'’-]*)(?![\w*])")


def engine_marks(p: Pair) -> list[Suggestion]:
    """Apertium's marks left in the text: `*word` (unknown word), `@word`
    (no translation in the dictionary), `#word` (could not generate the form).
    Hashtags and handles that are in the source are not marks."""
    text = strip_placeholders(p.target)
    src = strip_placeholders(p.source or "")
    out = []
    for m in _MARK.finditer(text):
        mark, word = m.group(1), m.group(2)
        if re.search(re.escape(m.group(0)) + r"(?!\w)", src):
            continue  # in the source too: a hashtag, a handle, emphasis
        if mark == "*" and re.search(r"\S\*", text[m.end():].split("\n")[0]):
            continue  # *emphasis over several words*
        if mark in "#@" and (p.source is None or re.search(mark + r"\w", src)):
            sev = "minor"  # a hashtag or handle, perhaps
        else:
            sev = "major"
        what = {"*": "unknown word", "@": "word without a dictionary translation", "#": "word the engine could not inflect"}[mark]
        out.append(_s(p.id, "fluency", sev, m.group(0), word,
                      f"Engine mark left in the text ('{mark}' marks an {what}): check the word and remove the mark.",
                      "engine-marks"))
    return out


_SENT_CUT = re.compile(r"[.!?¡¿;:\n…]")
_SENT_END = re.compile(r"[.!?…\n]")


def spanish_pairs(p: Pair) -> list[Suggestion]:
    """¿…? and ¡…! must open and close in Spanish."""
    text = strip_placeholders(p.target)
    out = []
    for open_, close, what in (("¿", "?", "question"), ("¡", "!", "exclamation")):
        stack: list[int] = []
        for i, ch in enumerate(text):
            if ch == open_:
                stack.append(i)
            elif ch == close:
                if stack:
                    stack.pop()
                    continue
                start = _clause_start(text, i, open_)
                span = text[start:i + 1]
                out.append(_s(p.id, "fluency", "minor", span, open_ + span,
                              f"Spanish {what} without the opening '{open_}'.", "spanish-punctuation"))
        for i in stack:
            m = _SENT_END.search(text, i + 1)
            end = m.start() if m else len(text.rstrip())
            span = text[i:end + 1] if m else text[i:end]
            fixed = text[i:end].rstrip() + close
            out.append(_s(p.id, "fluency", "minor", span, fixed,
                          f"Spanish {what} opened with '{open_}' but not closed with '{close}'.",
                          "spanish-punctuation"))
    return out


def _clause_start(text: str, end: int, opener: str) -> int:
    start = 0
    for m in _SENT_CUT.finditer(text, 0, end):
        if m.start() < end:
            start = m.end()
    while start < end and text[start] in " \t\"“«'(":
        start += 1
    return start


# --- glossary ----------------------------------------------------------------


def glossary_issues(p: Pair, glossary) -> list[Suggestion]:
    from translator.terms import match as terms

    if p.source is None:
        return list(terms.verify_target_only(glossary, p.target, p.id))
    return list(terms.verify(glossary, p.source, p.target, p.id).suggestions)


# --- front matter (review of two files) ----------------------------------------


def frontmatter_keys(source_text: str, target_text: str, id_: str = "frontmatter") -> list[Suggestion]:
    """Front-matter keys added, removed or renamed, and values that are never
    translated (dates, slugs, flags) changed."""
    from translator.formats import frontmatter

    src, tgt = _front(source_text), _front(target_text)
    if src is None and tgt is None:
        return []
    if src is None or tgt is None:
        which = "translation" if tgt is None else "source"
        return [_s(id_, "markup", "major", "", "", f"The {which} has no front matter but the other file does.",
                   "frontmatter")]
    out = []
    for key in sorted(set(src) - set(tgt)):
        out.append(_s(id_, "markup", "major", "", key, f"Front-matter key '{key}' is missing in the translation.",
                      "frontmatter"))
    for key in sorted(set(tgt) - set(src)):
        out.append(_s(id_, "markup", "major", key, "", f"Front-matter key '{key}' is not in the source.",
                      "frontmatter"))
    keep = set(frontmatter.TRANSLATED_KEYS) | set(frontmatter.LIST_KEYS)
    for key in sorted(set(src) & set(tgt)):
        a, b = src[key], tgt[key]
        if key.lower() in keep or a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            missing = sorted(set(map(str, a)) - set(map(str, b)))
            extra = sorted(set(map(str, b)) - set(map(str, a)))
            if missing or extra:
                out.append(_s(id_, "markup", "major", "", "",
                              f"Front-matter '{key}' keys differ (missing: {', '.join(missing) or '–'};"
                              f" added: {', '.join(extra) or '–'}).", "frontmatter"))
            continue
        if not isinstance(a, (dict, list)):
            out.append(_s(id_, "accuracy", "minor", str(b), str(a),
                          f"Front-matter '{key}' changed from {a!r} to {b!r} (it is not a translated field).",
                          "frontmatter"))
    return out


def _front(text: str) -> dict | None:
    from translator.formats import frontmatter

    fm = frontmatter.find(text)
    if fm is None:
        return None
    try:
        data = frontmatter.load(text, fm)
    except frontmatter.FrontMatterError:
        return {}
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}
