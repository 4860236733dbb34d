"""Checking a model's reply against the batch it answers.

Each check returns what was good and, per segment id, a sentence saying what
was wrong; that sentence is what the model is told when it is asked again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, cast

from pydantic import ValidationError

from translator.document import CATEGORIES, SEVERITIES, Category, Severity, Suggestion, placeholder_tokens, strip_placeholders
from translator.engines.base import Item
from translator.engines.llm.rescue import draft_span, in_source, rewrite_edits
from translator.engines.llm.sanity import suggestion_problem, template_problem, translation_problem, whole_segment
from translator.engines.llm.schemas import CritiqueReply, RawSuggestion, SegmentsReply
from translator.segment.placeholders import placeholder_difference

# --- segments -----------------------------------------------------------------


def needs_model(source: str) -> bool:
    """False for segments with nothing to translate (only placeholders, numbers, symbols)."""
    return any(ch.isalpha() for ch in strip_placeholders(source))


def _nesting_ok(tokens: list[str]) -> bool:
    stack: list[str] = []
    for tok in tokens:
        if tok.endswith("/>"):
            continue
        if tok.startswith("</"):
            if stack and stack[-1] == tok[2:-1]:
                stack.pop()
            else:
                return False
        else:
            stack.append(tok[1:-1])
    return not stack


def placeholder_problem(source: str, text: str) -> str | None:
    """Why `text` does not keep the placeholders of `source`, or None."""
    want, got = placeholder_tokens(source), placeholder_tokens(text)
    missing, extra = placeholder_difference(source, text)
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + " ".join(missing))
        if extra:
            parts.append("unexpected " + " ".join(extra))
        expected = " ".join(want) or "none"
        return f"placeholders changed ({'; '.join(parts)}); keep exactly these, each once: {expected}"
    for tok in want:
        if tok.startswith("</"):
            opener = "<" + tok[2:]
            if opener in want and want.index(opener) < want.index(tok) and got.index(opener) > got.index(tok):
                return f"{tok} comes before {opener}; an opening placeholder must come before its closing one"
    if _nesting_ok(want) and not _nesting_ok(got):
        return "placeholder pairs overlap; keep each <n>…</n> pair properly nested"
    return None


_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")


def added_markup(source: str, text: str) -> str | None:
    """An HTML tag in `text` that the source does not have (`<script>`, `<b>`…):
    markup travels as placeholders only, so a model must never write it."""
    have = Counter(m.group(1).lower() for m in _TAG.finditer(source))
    for m in _TAG.finditer(text):
        name = m.group(1).lower()
        if have[name] <= 0:
            return m.group(0)
        have[name] -= 1
    return None


def _keep_outer_space(source: str, text: str) -> str:
    lead = source[: len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()) :]
    return lead + text.strip() + trail


def _as_segment_list(data: Any) -> Any:
    """Accept the few shapes small models produce instead of {"segments": […]}."""
    if isinstance(data, list):
        return {"segments": data}
    if isinstance(data, dict) and "id" in data and "text" in data:
        return {"segments": [data]}
    if isinstance(data, dict) and "segments" not in data:
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(data) == 1 and lists:
            return {"segments": lists[0]}
        if data and all(isinstance(v, str) for v in data.values()):
            return {"segments": [{"id": k, "text": v} for k, v in data.items()]}
    return data


@dataclass
class TextCheck:
    ok: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # id → what was wrong
    copies: set[str] = field(default_factory=set)  # ids answered with (a copy of) the source


def check_texts(items: Mapping[str, Item], data: Any, *, source_lang: str | None = None,
                target_lang: str | None = None) -> TextCheck:
    """Validate a translate/revise reply for the batch `items` (id → Item).
    With the languages, a text that is a copy of its source or still in the
    source language is an error too (see sanity.translation_problem)."""
    result = TextCheck()
    try:
        reply = SegmentsReply.model_validate(_as_segment_list(data))
    except ValidationError as e:
        msg = f'the reply does not match {{"segments": [{{"id": …, "text": …}}]}} ({_first_error(e)})'
        return TextCheck(errors={i: msg for i in items})
    seen = _texts_by_id(reply, items, result.errors)
    for sid, item in items.items():
        if sid in result.errors:
            continue
        if sid not in seen:
            result.errors[sid] = "this id was missing from your reply"
        elif (problem := _text_problem(item, seen[sid])) is not None:
            result.errors[sid] = problem
        elif (problem := translation_problem(item.source, seen[sid], source_lang, target_lang)) is not None:
            result.errors[sid] = problem
            result.copies.add(sid)
        else:
            result.ok[sid] = _keep_outer_space(item.source, seen[sid])
    return result


def _texts_by_id(reply: SegmentsReply, items: Mapping[str, Item], errors: dict[str, str]) -> dict[str, str]:
    """The first text the reply gives each id of the batch; an id given two
    different texts gets an error."""
    seen: dict[str, str] = {}
    for entry in reply.segments:
        if entry.id not in items:
            continue  # an invented id: ignored; the real ids it displaced show up as missing
        if entry.id in seen and seen[entry.id] != entry.text:
            errors[entry.id] = "this id appeared more than once with different texts; give it exactly once"
        seen.setdefault(entry.id, entry.text)
    return seen


def _first_error(e: ValidationError) -> str:
    first = e.errors()[0]
    return f'{".".join(str(p) for p in first["loc"])}: {first["msg"]}'


def _text_problem(item: Item, text: str) -> str | None:
    """What is wrong with the form of one segment's text, or None."""
    if not text.strip() and item.source.strip():
        return "the text was empty"
    if needs_model(item.source) and not needs_model(text):
        return "the text has no words; give the full translation"
    if problem := placeholder_problem(item.source, text):
        return problem
    if tag := added_markup(item.source, text):
        return f"the text adds markup that is not in the source ({tag}); write plain text"
    return None


# --- critique -----------------------------------------------------------------

_CATEGORY_ALIASES = {
    "mistranslation": "accuracy", "omission": "accuracy", "addition": "accuracy",
    "untranslated": "accuracy", "untranslated text": "accuracy", "non-translation": "accuracy",
    "meaning": "accuracy", "grammar": "fluency", "spelling": "fluency", "punctuation": "fluency",
    "agreement": "fluency", "readability": "fluency", "consistency": "terminology",
    "glossary": "terminology", "term": "terminology", "register": "style", "awkward": "style",
    "tone": "style", "locale convention": "locale", "format": "locale", "formatting": "locale",
    "number": "locale", "date": "locale", "placeholder": "markup", "placeholders": "markup",
    "tag": "markup", "tags": "markup",
}
_SEVERITY_ALIASES = {"high": "major", "error": "major", "medium": "major", "severe": "critical",
                     "low": "minor", "warning": "minor", "neutral": "minor"}
_QUOTES = "\"'“”„‟«»‘’‚‛‹›「」『』"


def _norm_category(raw: str) -> Category | None:
    key = raw.strip().lower()
    for part in [key, *re.split(r"[/\-:,(]", key)]:
        part = part.strip()
        if part in CATEGORIES:
            return cast(Category, part)
        if part in _CATEGORY_ALIASES:
            return cast(Category, _CATEGORY_ALIASES[part])
    return None


def _norm_severity(raw: str) -> Severity | None:
    key = raw.strip().lower()
    return cast("Severity | None", key if key in SEVERITIES else _SEVERITY_ALIASES.get(key))


def _loose(text: str) -> str:
    """A regex for `text` up to whitespace runs and quote style."""
    out: list[str] = []
    for ch in text:
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif ch in _QUOTES:
            out.append("[" + re.escape(_QUOTES) + "]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def locate_span(draft: str, original: str) -> str | None:
    """The span of `draft` the critic meant by `original`: exact, or equal up to
    whitespace, quote style and case, or without the quotes the critic put
    around it. None when it is not there (or not in one place only)."""
    if original in draft:
        return original
    unquoted = original.strip().strip(_QUOTES).strip()
    for candidate in (original.strip(), unquoted):
        if not candidate:
            continue
        if candidate in draft:
            return candidate
        matches = list(re.finditer(_loose(candidate), draft, re.I))
        if len(matches) == 1:
            return matches[0].group(0)
    return None


@dataclass
class CritiqueCheck:
    valid: dict[str, list[Suggestion]] = field(default_factory=dict)  # only ids the reply mentioned
    errors: dict[str, str] = field(default_factory=dict)
    reply_error: str | None = None  # the reply as a whole was unusable
    discarded: list[tuple[Suggestion, str]] = field(default_factory=list)  # failed the sanity filter, and why
    template: str | None = None  # every suggestion critical and one template: a failed critique


def _sort(result: CritiqueCheck, raw: RawSuggestion, item: Item, target_lang: str | None,
          sent: Mapping[str, str] | None) -> None:
    """File one raw suggestion as valid, discarded (the sanity filter) or an error."""
    result.valid.setdefault(raw.id, [])
    for suggestion, error in _read(raw, item, result):
        if error:
            result.errors[raw.id] = error
        elif suggestion is not None:
            if (why := suggestion_problem(suggestion, item.source, item.draft, target_lang, sent)) is not None:
                result.discarded.append((suggestion, why))
            else:
                result.valid[raw.id].append(suggestion)


def _read(raw: RawSuggestion, item: Item, result: CritiqueCheck) -> list[tuple[Suggestion | None, str | None]]:
    """The suggestions `raw` makes about the draft (rescue.py): a whole sentence
    quoted (of the source or the draft) with the draft rewritten gives the
    words the rewrite changed; a quote of the source, the draft's words for
    it; what cannot be mapped is discarded (on `result`), not re-asked."""
    whole = in_source(raw.original, item.source, item.draft) and whole_segment(raw.original, item.source)
    span = locate_span(item.draft, raw.original) if raw.original else None
    if (whole or (span and whole_segment(span, item.draft))) and (edits := rewrite_edits(item.draft, raw.suggestion)):
        read = [_to_suggestion(raw.model_copy(update={"suggestion": new}), item, old) for old, new in edits]
        return [(replace(s, check="rewrite") if s is not None else None, e) for s, e in read]
    suggestion, error = _to_suggestion(raw, item)
    if error and in_source(raw.original, item.source, item.draft):
        rescue = draft_span(raw.original, raw.suggestion, item.source, item.draft)
        if rescue.span is None:
            result.discarded.append((_suggestion(raw, raw.original), rescue.why))
            return []
        if rescue.flag:  # no fix given, and it may as well be the critic agreeing: reported (minor), never revised
            raw = raw.model_copy(update={"suggestion": "", "severity": "minor", "explanation": (
                f"The critic pointed at these words as its reading of the source words «{raw.original.strip()}» "
                f"without a correction: check them by hand. Its note: {raw.explanation.strip()}")})
        suggestion, error = _to_suggestion(raw, item, rescue.span)
        suggestion = replace(suggestion, check="source-span") if suggestion is not None else None
    return [(suggestion, error)]


def _to_suggestion(raw: RawSuggestion, item: Item, span: str | None = None) -> tuple[Suggestion | None, str | None]:
    """A validated Suggestion, or (None, error) when its span is not in the draft.
    `span`: the draft span it is about, when already known (see rescue.py)."""
    if span is None:
        span = "" if raw.original == "" else locate_span(item.draft, raw.original)  # "": an omission
    if span is None:
        return None, (f"the draft_words «{raw.original}» do not occur in the draft of {raw.id}; "
                      "copy the exact characters of the draft, never the source")
    if span and span == raw.suggestion:
        return None, None  # a no-op
    if tag := added_markup(item.source + item.draft, raw.suggestion):
        return None, f"the replacement for {raw.id} adds markup that is not in the source ({tag})"
    return _suggestion(raw, span), None


def _suggestion(raw: RawSuggestion, span: str) -> Suggestion:
    """The Suggestion `raw` makes about `span`. Unknown categories or
    severities are downgraded to minor rather than re-asked."""
    category = _norm_category(raw.category)
    severity = _norm_severity(raw.severity)
    downgraded = category is None or severity is None
    return Suggestion(
        id=raw.id,
        category=category or "style",
        severity="minor" if downgraded or severity is None else severity,
        original=span,
        suggestion=raw.suggestion,
        explanation=raw.explanation.strip(),
        origin="llm",
    )


def check_critique(items: Mapping[str, Item], data: Any, *, target_lang: str | None = None,
                   sent: Mapping[str, str] | None = None) -> CritiqueCheck:
    """Validate a critique reply; suggestions that fail the sanity filter
    (sanity.suggestion_problem) are discarded, not re-asked. `sent` is the
    errors the request carried: an explanation repeating them is no explanation."""
    if isinstance(data, list):
        data = {"suggestions": data}
    try:
        reply = CritiqueReply.model_validate(data)
    except ValidationError as e:
        return CritiqueCheck(reply_error=(
            'the reply does not match {"suggestions": [{"id", "draft_words", "explanation", "category", '
            f'"severity", "replacement"}}]}} ({_first_error(e)})'))
    result = CritiqueCheck()
    seen: set[tuple[str, str, str]] = set()
    for raw in reply.suggestions:
        item = items.get(raw.id)
        key = (raw.id, raw.original, raw.suggestion)
        if item is None or key in seen:
            continue  # about a segment not in this batch (nothing to attach it to), or said twice
        seen.add(key)
        _sort(result, raw, item, target_lang, sent)
    every = [s for found in result.valid.values() for s in found] + [s for s, _ in result.discarded]
    if (problem := template_problem(every)) is not None:
        result.template = problem
        result.discarded = [(s, "template critique") for s in every]
        result.valid = {sid: [] for sid in result.valid}
    return result
