"""Getting the JSON value out of a model's reply.

Servers without structured output (and small models even with it) wrap JSON in
```json fences, put a sentence before it, or think aloud in <think> tags first.
"""

from __future__ import annotations

import json
import re
from typing import Any

_THINK = re.compile(r"<think>.*?</think>", re.S | re.I)
_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(.*?)```", re.S)


class ReplyNotJSON(ValueError):
    """The reply holds no JSON object or array we could read."""


def extract_json(text: str) -> Any:
    """The first JSON object (or array) in `text`; raises ReplyNotJSON saying why not."""
    text = _THINK.sub("", text or "").strip()
    if not text:
        raise ReplyNotJSON("the reply was empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        first_error = e
    for block in _FENCE.findall(text):
        try:
            return json.loads(block.strip())
        except json.JSONDecodeError:
            continue
    # JSON inside prose, or a reply cut short: take the complete values found
    # left to right; several objects with an "id" are the entries that survived.
    values = _values_in(text)
    entries = [v for v in values if isinstance(v, dict) and "id" in v]
    if len(entries) > 1 or (entries and len(values) == 1 and values[0] is entries[0]):
        return entries
    if values:
        return values[0]
    raise ReplyNotJSON(f"the reply was not valid JSON ({first_error.msg} at character {first_error.pos})")


def _values_in(text: str) -> list[Any]:
    """Every complete, non-empty JSON object or array in `text`, left to right
    (none inside another)."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    end = 0
    for m in re.finditer(r"[{\[]", text):
        if m.start() < end:
            continue
        try:
            value, end = decoder.raw_decode(text, m.start())
        except json.JSONDecodeError:
            continue
        if isinstance(value, (dict, list)) and value:
            values.append(value)
    return values
