"""The one comparison of placeholders: which tokens of a source a text
lost and which it added. Every placeholder check (the assembler, the LLM
answer validator, the QA check) asks this and words its own message."""

from __future__ import annotations

from collections import Counter

from translator.document import placeholder_tokens


def placeholder_difference(source: str, text: str) -> tuple[list[str], list[str]]:
    """(missing, extra): the placeholder tokens of `source` that `text` does
    not have (as often), and those of `text` that `source` does not have."""
    want, got = Counter(placeholder_tokens(source)), Counter(placeholder_tokens(text))
    return list((want - got).elements()), list((got - want).elements())


def placeholders_intact(source: str, text: str) -> bool:
    """Same placeholder tokens, each as often (order may change)."""
    missing, extra = placeholder_difference(source, text)
    return not missing and not extra
