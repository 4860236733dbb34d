"""A server's reply as the steps see it: the parsed JSON value (or why there
is none), whether it was cut off at the output cap, and what it cost. Every
structured-output mode's reply is read the same way: a tool call's arguments,
else the message text through the tolerant JSON extraction of jsonparse.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.document import Usage
from translator.engines.llm.jsonparse import ReplyNotJSON, extract_json
from translator.engines.llm.tokens import estimate_tokens


@dataclass
class Reply:
    data: Any = None  # the parsed JSON value, or None
    error: str | None = None  # why there is no data
    truncated: bool = False  # the server stopped at the output cap
    usage: Usage = field(default_factory=Usage)
    mode: str = ""


def message_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in content)
    return ""


def _finish(reply: Reply, text: str | None, parsed: Any, usage: Usage, tokens: tuple[int | None, int | None],
            prompt: str) -> Reply:
    """Count the tokens (estimated when the server did not say) and parse the text."""
    prompt_tokens, completion_tokens = tokens
    usage.prompt_tokens += prompt_tokens if prompt_tokens is not None else estimate_tokens(prompt)
    usage.completion_tokens += completion_tokens if completion_tokens is not None else estimate_tokens(text or "")
    reply.usage = usage
    if parsed is not None:
        reply.data = parsed
        return reply
    try:
        reply.data = extract_json(text or "")
    except ReplyNotJSON as e:
        reply.error = str(e) + (" (cut off at the output limit)" if reply.truncated else "")
    return reply


def from_message(msg: Any, mode: str, usage: Usage, prompt: str) -> Reply:
    """The Reply in a LangChain AIMessage (`prompt`: system + user, for estimates)."""
    meta = msg.response_metadata or {}
    reply = Reply(truncated=meta.get("finish_reason") == "length", mode=mode)
    parsed, text = None, message_text(msg.content)
    if msg.tool_calls:
        parsed = msg.tool_calls[0].get("args")
    elif getattr(msg, "invalid_tool_calls", None):
        text = msg.invalid_tool_calls[0].get("args") or text
    um = msg.usage_metadata
    tokens = (um["input_tokens"], um["output_tokens"]) if um else (None, None)
    return _finish(reply, text, parsed, usage, tokens, prompt)


def from_completion(completion: Any, mode: str, usage: Usage, prompt: str) -> Reply:
    """The Reply in an OpenAI SDK ChatCompletion (the parse() path, a Batch API line)."""
    choice = completion.choices[0]
    reply = Reply(truncated=choice.finish_reason == "length", mode=mode)
    u = completion.usage
    tokens = (u.prompt_tokens, u.completion_tokens) if u else (None, None)
    return _finish(reply, choice.message.content, None, usage, tokens, prompt)
