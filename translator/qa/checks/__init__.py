"""Deterministic QA checks that emit Suggestions, one file per check.

Every registered check (a module declaring `NAME`, see `registry`) looks
at one source/translation pair (`Pair`) or at all of them, and says what
an editor must look at, in the same Suggestion format as the critic: MQM
category, severity, `original` = the exact span of the translation when
there is one ("" for an absence), origin "check" (glossary findings keep
the glossary's own origin), and the check's machine name in `check`.

Two callers: the translate loop (`run`: segments + their translations, the
placeholders are ours) and `review` (any two files aligned block by block:
placeholder numbers are each document's own, so markup and links are
compared by what they are, with `compare_markup` / `compare_links`).
Target-only review has no source: `Pair.source is None`, and only the
checks that need none run. A run may choose its checks (`select`).

A new check is one new module here declaring NAME and `run` (see
`registry`; `doubled_word.py` is a small example) and its test. The
modules without NAME are what `review` compares over whole blocks and files
(`markup`, `frontmatter`), the loop's `placeholders`, and shared helpers
(`base`, `languages`).
"""

from __future__ import annotations

from typing import Mapping, Sequence

from translator.document import Segment, Suggestion
from translator.segment.placeholders import placeholders_intact
from translator.qa.checks.base import CheckContext, Pair, _clip, _norm, _s, _words, dedupe
from translator.qa.checks.currency import currencies
from translator.qa.checks.duplicate import duplicates
from translator.qa.checks.empty import empty
from translator.qa.checks.engine_marks import engine_marks
from translator.qa.checks.frontmatter import frontmatter_keys
from translator.qa.checks.glossary_terms import glossary_issues
from translator.qa.checks.languages import STOPWORDS, _name_like, guess_language, lang_name, stopword_scores
from translator.qa.checks.length import expected_ratio, length_ratio
from translator.qa.checks.links import compare_links, markdown_refs, text_urls, urls_in_markup
from translator.qa.checks.markup import VERBATIM as _VERBATIM
from translator.qa.checks.markup import compare_markup
from translator.qa.checks.memo import Memo
from translator.qa.checks.numbers import Number, extract_numbers, match_numbers, number_words, numbers, readings
from translator.qa.checks.placeholders import placeholder_issue
from translator.qa.checks.registry import Check, Selection, UnknownCheck, active, names, registered, select, using
from translator.qa.checks.spanish_punctuation import spanish_pairs
from translator.qa.checks.untranslated import untranslated
from translator.qa.checks.wrong_language import language_found, wrong_language

__all__ = [
    "Check", "CheckContext", "Memo", "Number", "Pair", "STOPWORDS", "Selection", "UnknownCheck", "active", "check_pair",
    "check_pairs", "compare_links", "compare_markup", "currencies", "dedupe", "duplicates", "empty", "engine_marks",
    "expected_ratio", "extract_numbers", "frontmatter_keys", "glossary_issues", "guess_language", "lang_name",
    "language_found",
    "length_ratio", "markdown_refs", "match_numbers", "names", "number_words", "numbers", "placeholder_issue",
    "readings", "registered", "run", "select", "spanish_pairs", "stopword_scores", "text_urls", "untranslated",
    "urls_in_markup", "using", "wrong_language", "_VERBATIM", "_clip", "_name_like", "_norm", "_s", "_words",
]


# --- the contract used by the translate loop ----------------------------------


def run(
    segments: Sequence[Segment],
    texts: Mapping[str, str],
    source_lang: str,
    target_lang: str,
    glossary=None,
    *,
    doc=None,
    checks: Selection | None = None,
    memo: Memo | None = None,
) -> list[Suggestion]:
    """Check our own translations of `segments`. Our placeholders stand for
    the source's own markup, so a link can only be lost with its
    placeholder; with `doc` (the source Document) the finding names the
    markup and URL behind each lost placeholder. `checks`: the selection
    (default: the one in force, see `using`); placeholders are always checked.
    `memo`: findings already computed in this run (see `memo`)."""
    out: list[Suggestion] = []
    pairs = []
    for seg in segments:
        text = texts.get(seg.id, "")
        pairs.append(Pair(seg.id, seg.source, text))
        if not placeholders_intact(seg.source, text):
            out.append(placeholder_issue(seg, text, doc))
    out.extend(check_pairs(pairs, source_lang, target_lang, glossary, checks=checks, memo=memo))
    return out


def check_pairs(
    pairs: Sequence[Pair], source_lang: str, target_lang: str, glossary=None, *, checks: Selection | None = None,
    memo: Memo | None = None,
) -> list[Suggestion]:
    """All text checks on aligned pairs (placeholder numbering is not compared
    here: see `run` and `compare_markup`)."""
    selection = checks or active()
    out: list[Suggestion] = []
    ctx = CheckContext(source_lang, target_lang, glossary, memo)
    for p in pairs:
        out.extend(_check_pair(p, ctx, selection))
    for check in selection.scoped("pairs"):
        out.extend(check.run(pairs, ctx))
    return out


def check_pair(p: Pair, source_lang: str, target_lang: str, glossary=None, *,
               checks: Selection | None = None, memo: Memo | None = None) -> list[Suggestion]:
    """The per-pair checks of the selection, in order; a check is silent
    when one named in its QUIET_AFTER found something in this pair (an
    empty translation says it all; a copy of the source is not also in the
    wrong language). With `memo`, each pair is checked once per run."""
    return _check_pair(p, CheckContext(source_lang, target_lang, glossary, memo), checks or active())


def _check_pair(p: Pair, ctx: CheckContext, selection: Selection) -> list[Suggestion]:
    if ctx.memo is not None:
        key = (p.id, p.source, p.target, ctx.source_lang, ctx.target_lang, selection.names)
        return ctx.memo.pair(key, ctx.glossary, lambda: _checked(p, ctx, selection))
    return _checked(p, ctx, selection)


def _checked(p: Pair, ctx: CheckContext, selection: Selection) -> list[Suggestion]:
    out: list[Suggestion] = []
    fired: set[str] = set()
    for check in selection.scoped("pair"):
        if not check.applies(p, ctx.target_lang) or fired.intersection(check.quiet_after):
            continue
        found = check.run(p, ctx)
        if found:
            fired.add(check.name)
            out.extend(found)
    return out
