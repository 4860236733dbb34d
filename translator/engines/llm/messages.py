"""The user message of the LLM contract: one JSON document per call.

Everything from the newsletter (segments, drafts, context, glossary) travels
inside this JSON as data; the instructions live only in the system message
(the step's prompt file).
"""

from __future__ import annotations

import json
from typing import Mapping, Sequence

from translator.document import Suggestion, severity_at_least
from translator.engines.base import Context, Item
from translator.engines.llm.schemas import Task

LANGUAGE_NAMES = {
    "ar": "Arabic", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "eu": "Basque", "fi": "Finnish", "fr": "French", "gl": "Galician",
    "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian", "it": "Italian",
    "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "no": "Norwegian", "pl": "Polish",
    "pt": "Portuguese", "pt-br": "Brazilian Portuguese", "ro": "Romanian", "ru": "Russian",
    "sv": "Swedish", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese",
    "zh": "Chinese (Simplified)", "zh-tw": "Chinese (Traditional)",
}

SUMMARY_CHARS = 600


def language_name(code: str) -> str:
    name = LANGUAGE_NAMES.get(code.lower()) or LANGUAGE_NAMES.get(code.lower().split("-")[0])
    return f"{name} ({code})" if name else code


def to_fix(item: Item) -> list[Suggestion]:
    """The suggestions a reviser acts on: open, major or critical (or a span
    the estimate names, `qe.REVISABLE`), and not our own record of a failed call."""
    from translator.qa.qe import REVISABLE

    return [s for s in item.suggestions if s.status == "open" and s.check != "llm-failed"
            and (severity_at_least(s.severity, "major") or s.check in REVISABLE)]


def _segment(task: Task, item: Item) -> dict:
    seg: dict = {"id": item.id, "source": item.source}
    if task != "translate":
        seg["draft"] = item.draft
    if task == "revise":
        seg["suggestions"] = [
            {"category": s.category, "severity": s.severity, "original": s.original,
             "suggestion": s.suggestion, "explanation": s.explanation}
            for s in to_fix(item)
        ]
    return seg


NOTE_CHARS = 60


def glossary_entries(ctx: Context, batch: Sequence[Item]) -> list[dict]:
    """The glossary entries whose source term occurs in the batch, as sent."""
    if ctx.glossary is None:
        return []
    entries = []
    for term in ctx.glossary.entries_for([it.source for it in batch]):
        entry: dict = {"source": term.source, "target": term.source if term.dnt else term.target}
        if term.dnt:
            entry["note"] = "do not translate"
        if term.note:  # an editor's short hint helps; a paragraph of it costs every call
            note = term.note if len(term.note) <= NOTE_CHARS else term.note[: NOTE_CHARS - 1] + "…"
            entry["note"] = (entry.get("note", "") + "; " + note).strip("; ")
        if term.forbidden:
            entry["avoid"] = list(term.forbidden)
        entries.append(entry)
    return entries


def user_message(task: Task, batch: Sequence[Item], ctx: Context, before: Sequence[str] = (),
                 after: Sequence[str] = (), errors: Mapping[str, str] | None = None,
                 glossary: list[dict] | None = None) -> str:
    context: dict = {}
    if ctx.summary:
        summary = ctx.summary.strip()
        context["summary"] = summary if len(summary) <= SUMMARY_CHARS else summary[: SUMMARY_CHARS - 1] + "…"
    if before:
        context["before"] = list(before)
    if after:
        context["after"] = list(after)
    doc: dict = {
        "task": task,
        "source_lang": ctx.source_lang,
        "target_lang": ctx.target_lang,
        "glossary": glossary_entries(ctx, batch) if glossary is None else glossary,
        "context": context,
        "segments": [_segment(task, it) for it in batch],
    }
    if errors:
        # key "" is about the previous reply as a whole (e.g. it was not JSON)
        doc["errors"] = [{"id": sid, "error": msg} if sid else {"error": msg} for sid, msg in errors.items()]
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
