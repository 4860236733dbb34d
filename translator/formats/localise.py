"""The target language and locale in every output.

- The document says which language it is in: `<html lang>` and `xml:lang`
  of an HTML page, `lang:`/`language:` in front matter, the `Language:`
  header of a WebVTT file follow the target language (only on a file that
  was translated: an untouched file comes back byte for byte).
- Dates and numbers the engine left in the source's form are rewritten in
  the target locale's (Babel's CLDR data): "February 23" → "23 de febrero",
  "1,200" → "1200" (Spanish groups only from five digits) or "1.200.000".
  Only where it is safe: the exact form is in the source and the
  translation, the date is a real date, the number is a grouped integer
  standing alone (never "GPT-3.5", "v1,200", "Llama 3.1"); decimals are
  left alone (a version and a decimal look the same). Each rewrite is
  reported as an applied locale suggestion; a given translation (`--draft`)
  is not rewritten, each is an open suggestion.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace

from translator.document import Document, Suggestion
from translator.segment.placeholders import placeholders_intact

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]
_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
_EN_DATE = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
    r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?(?![\w-])")
_EN_GROUPED = re.compile(r"(?<![\w.,\-/])(\d{1,3}(?:,\d{3})+)(?![\w\-/]|[.,]\d)")
_SUPPORTED = {"es", "zh", "en"}


def _base(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def _date(m: re.Match) -> tuple[datetime.date, bool] | None:
    name = m.group("month").rstrip(".").lower()
    month = _MONTHS.index(name) + 1 if name in _MONTHS else _ABBR.get(name)
    year = int(m.group("year")) if m.group("year") else None
    if month is None:
        return None
    try:
        return datetime.date(year or 2000, month, int(m.group("day"))), year is not None
    except (TypeError, ValueError):
        return None


def localise_text(source: str, text: str, source_lang: str, target_lang: str) -> tuple[str, list[tuple[str, str]]]:
    """Rewrite dates and numbers of `text` left in the source's form; returns
    the text and the (before, after) of each rewrite."""
    src, tgt = _base(source_lang), _base(target_lang)
    if src != "en" or tgt not in _SUPPORTED or tgt == src:
        return text, []
    changes: list[tuple[str, str]] = []
    text = _EN_DATE.sub(lambda m: _local_date(m, source, tgt, changes), text)
    text = _EN_GROUPED.sub(lambda m: _local_number(m, source, tgt, changes), text)
    return text, changes


def _local_date(m: re.Match, source: str, tgt: str, changes: list[tuple[str, str]]) -> str:
    """An English date the source has too, written the target locale's way."""
    from babel.dates import format_skeleton

    found = _date(m)
    if found is None or m.group(0) not in source:
        return m.group(0)
    day, with_year = found
    new = format_skeleton("yMMMMd" if with_year else "MMMMd", day, locale=tgt)
    changes.append((m.group(0), new))
    return new


def _local_number(m: re.Match, source: str, tgt: str, changes: list[tuple[str, str]]) -> str:
    """A grouped integer standing alone in the source, grouped the target locale's way."""
    from babel.numbers import format_decimal

    raw = m.group(1)
    if not re.search(rf"(?<![\w.,\-/]){re.escape(raw)}(?![\w\-/]|[.,]\d)", source):
        return raw
    value = int(raw.replace(",", ""))
    new = str(value) if tgt == "es" and value < 10000 else format_decimal(value, locale=tgt)
    if new != raw:
        changes.append((raw, new))
    return new


def apply(outcome, doc: Document, source_lang: str, target_lang: str, *, edit: bool = True) -> None:
    """Localise every translated segment of an outcome in place, reporting each
    rewrite; with `edit` False (a given translation, `--draft`, comes out as it
    was given) each is an open suggestion instead."""
    by_id = {s.id: s for s in doc.segments}
    for sid, tr in list(outcome.translations.items()):
        seg = by_id.get(sid)
        if seg is None or tr.text == seg.source or tr.status == "fallback":
            continue
        new, changes = localise_text(seg.source, tr.text, source_lang, target_lang)
        if not changes or not placeholders_intact(tr.text, new):
            continue
        if edit:
            outcome.translations[sid] = replace(tr, text=new)
        for before, after in changes:
            why = (f"Written the {target_lang} way: the engine left {before!r} as in the source." if edit else
                   f"The {target_lang} way to write {before!r} is {after!r}; the translation keeps the source's form.")
            outcome.suggestions.append(Suggestion(sid, "locale", "minor", before, after, why, "check",
                                                  "applied" if edit else "open", "locale"))


def set_language(text: str, original: str, fmt: str, source_lang: str, target_lang: str) -> str:
    """The output declares the target language (only when it was translated)."""
    from translator import formats

    if text == original or not target_lang:
        return text
    declare = formats.get(fmt).declare_language
    return declare(text, source_lang, target_lang) if declare else text
