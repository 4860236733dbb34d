"""A translation much shorter or longer than its source should be (content
missing or added), by the target language's expected expansion."""

from __future__ import annotations

from translator.document import Severity, Suggestion, strip_placeholders
from translator.qa.checks.base import CheckContext, Pair, _s

NAME = "length"
NEEDS_SOURCE = True
ORDER = 40
QUIET_AFTER = ("empty", "untranslated")

# characters a language needs, relative to English, for the same content
_EXPANSION = {"en": 1.0, "es": 1.15, "fr": 1.18, "de": 1.2, "it": 1.12, "pt": 1.12, "ca": 1.12,
              "nl": 1.15, "ru": 1.1, "zh": 0.3, "ja": 0.4, "ko": 0.45}


def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]:
    return tuple(length_ratio(pair, ctx.source_lang, ctx.target_lang))


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
        sev: Severity = "major" if r < 0.35 else "minor"
        return [_s(p.id, "accuracy", sev, p.target, "",
                   f"Much shorter than the source ({len(tgt)} vs {len(src)} characters): content may be missing.",
                   "length")]
    if r > 2.2:
        sev = "major" if r > 3.5 else "minor"
        return [_s(p.id, "accuracy", sev, p.target, "",
                   f"Much longer than the source ({len(tgt)} vs {len(src)} characters): something may have been added.",
                   "length")]
    return []
