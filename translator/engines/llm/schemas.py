"""What the model must send back, as pydantic models (to validate replies) and
as JSON schemas (to send as `response_format` / tool parameters).

The schema sent for a batch lists that batch's ids as an enum, so a server
with constrained decoding (llama.cpp grammars, OpenAI strict mode) cannot
invent one.
"""

from __future__ import annotations

from typing import Any, Literal, Sequence

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StrictStr

from translator.document import CATEGORIES, SEVERITIES

Task = Literal["translate", "critique", "revise"]


class SegmentText(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: StrictStr
    text: StrictStr


class SegmentsReply(BaseModel):
    model_config = ConfigDict(extra="ignore")
    segments: list[SegmentText]


class RawSuggestion(BaseModel):
    """A critic's suggestion as sent; category and severity are normalised later.
    The schema asks for "draft_words" and "replacement" (critique@2): a small
    model reads "original" as the source text and copies the source sentence
    into it; the contract's names "original" and "suggestion" are accepted too."""

    model_config = ConfigDict(extra="ignore")
    id: StrictStr
    original: StrictStr = Field("", validation_alias=AliasChoices("draft_words", "original"))
    explanation: StrictStr = ""
    category: StrictStr = ""
    severity: StrictStr = ""
    suggestion: StrictStr = Field("", validation_alias=AliasChoices("replacement", "suggestion"))


class CritiqueReply(BaseModel):
    model_config = ConfigDict(extra="ignore")
    suggestions: list[RawSuggestion]


def _obj(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def reply_schema(task: Task, ids: Sequence[str]) -> dict[str, Any]:
    """The JSON schema of the reply to one batch."""
    id_schema = {"type": "string", "enum": list(ids)}
    if task == "critique":
        # the draft's words → explanation → classification → fix: quote first, then reason.
        item = _obj(
            {
                "id": id_schema,
                "draft_words": {"type": "string"},
                "explanation": {"type": "string"},
                "category": {"type": "string", "enum": list(CATEGORIES)},
                "severity": {"type": "string", "enum": list(SEVERITIES)},
                "replacement": {"type": "string"},
            }
        )
        return _obj({"suggestions": {"type": "array", "items": item}})
    item = _obj({"id": id_schema, "text": {"type": "string"}})
    return _obj({"segments": {"type": "array", "items": item}})


def schema_name(task: Task) -> str:
    return "submit_suggestions" if task == "critique" else "submit_segments"
