"""A reply about the task instead of a translation: a model that refuses
("I apologize, but I cannot translate that passage…", «Lo siento, pero no
puedo traducir…», «抱歉，我无法翻译…»), speaks as an assistant («Como modelo
de lenguaje…») or introduces its answer («Aquí está la traducción:»).

Seen in the published WMT24 output of a strong system: 13 of 318 paragraphs
were refusals. Words the source has too are its own (a character who says
"I'm sorry, I can't help you" is translated, not refusing): a pattern counts
only when the source shows none. `meta_reply(source, text)` is the test,
public for the LLM reply filter (engines/llm/sanity.py)."""

from __future__ import annotations

import re

from translator.document import Suggestion, strip_placeholders
from translator.qa.checks.base import CheckContext, Pair, _s

NAME = "meta-reply"
NEEDS_SOURCE = True
ORDER = 35
QUIET_AFTER = ("empty", "untranslated", "wrong-language")  # an English refusal is said once

_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    # English
    r"\b(?:I apologi[sz]e|I'?m sorry|I am sorry)\b[^.!?]{0,60}\b(?:can(?:no|')t|can not|unable|not able|"
    r"don'?t feel comfortable|won'?t)\b",
    r"\bI (?:cannot|can'?t|can not|am unable to|am not able to|won'?t) (?:translate|assist|help with|provide|"
    r"reproduce)\b",
    r"\bas an AI(?: language model| assistant)?\b",
    r"^\s*(?:here is|here'?s) (?:the|your|a|my) translation\b",
    # Spanish
    r"\b(?:lo siento|lo lamento|disculpa|disculpe|lamento)\b[^.!?]{0,60}\bno (?:puedo|es posible|me es posible)\b",
    r"\bno (?:puedo|me es posible|estoy en condiciones de) (?:traducir|ayudar(?:te|le)? con|reproducir|"
    r"proporcionar)\b",
    r"\bcomo (?:un |una )?(?:modelo de lenguaje|IA|inteligencia artificial|asistente virtual)\b",
    r"^\s*(?:aquí (?:está|tienes|tiene)|esta es) (?:la|tu|su) traducción\b",
    # Chinese
    r"(?:抱歉|对不起|很遗憾)[^。！？]{0,15}(?:无法|不能)",
    r"我(?:无法|不能)(?:翻译|提供|协助|复制)",
    r"作为(?:一个)?(?:AI|人工智能|语言模型)",
    r"^\s*以下是[^。]{0,8}翻译",
)]


def meta_reply(source: str, text: str) -> str | None:
    """The words of `text` that make it a reply about the task, or None
    (also when the source has such words itself)."""
    src = strip_placeholders(source)
    if any(p.search(src) for p in _PATTERNS):
        return None
    plain = strip_placeholders(text)
    for p in _PATTERNS:
        m = p.search(plain)
        if m:
            return m.group(0).strip()
    return None


def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]:
    if pair.source is None:
        return ()
    found = meta_reply(pair.source, pair.target)
    if found is None:
        return ()
    return (_s(pair.id, "accuracy", "major", found, "",
               f"This is a reply about the task («{found}»), not a translation of the source: translate it.",
               NAME),)
