"""Segments → batches sized by a token budget, cut between blocks.

A batch holds whole blocks (paragraphs, headings, list items) so that the
model sees each paragraph in one piece; only a block larger than the budget
is cut, and then between its sentences.
"""

from __future__ import annotations

from itertools import groupby
from typing import Sequence

from translator.engines.base import Item
from translator.engines.llm.tokens import estimate_tokens

ITEM_OVERHEAD = 8  # {"id":"s12","source":"…"} around the text


def item_cost(item: Item) -> int:
    """Tokens the item adds to a request: its source, its draft (critique,
    revise) and the suggestions the reviser must apply."""
    cost = estimate_tokens(item.source) + ITEM_OVERHEAD
    if item.draft:
        cost += estimate_tokens(item.draft) + 4
    for s in item.suggestions:
        cost += estimate_tokens(s.original + s.suggestion + s.explanation) + 24
    return cost


def plan_batches(items: Sequence[Item], budget: int, max_items: int) -> list[list[Item]]:
    batches: list[list[Item]] = []
    current: list[Item] = []
    cost = 0
    for _, group in groupby(items, key=lambda it: it.block):
        block = list(group)
        block_cost = sum(item_cost(it) for it in block)
        if current and (cost + block_cost > budget or len(current) + len(block) > max_items):
            batches.append(current)
            current, cost = [], 0
        if block_cost <= budget and len(block) <= max_items:
            current.extend(block)
            cost += block_cost
            continue
        for it in block:  # a block bigger than a batch: cut between sentences
            c = item_cost(it)
            if current and (cost + c > budget or len(current) >= max_items):
                batches.append(current)
                current, cost = [], 0
            current.append(it)
            cost += c
    if current:
        batches.append(current)
    return batches


def neighbours(items: Sequence[Item], batch: Sequence[Item], before: int = 2, after: int = 1,
               max_chars: int = 300) -> tuple[list[str], list[str]]:
    """Source texts of the segments just before and after `batch` in `items`."""
    index = _positions(items)
    first, last = index[batch[0].id], index[batch[-1].id]

    def clip(text: str) -> str:
        return text if len(text) <= max_chars else text[: max_chars - 1] + "…"

    prev = [clip(it.source) for it in items[max(0, first - before) : first]]
    nxt = [clip(it.source) for it in items[last + 1 : last + 1 + after]]
    return prev, nxt


_POSITIONS: dict[int, tuple[Sequence[Item], dict[str, int]]] = {}


def _positions(items: Sequence[Item]) -> dict[str, int]:
    """id → position in `items`, built once per items list (not once per batch:
    that made planning a big document quadratic)."""
    got = _POSITIONS.get(id(items))
    if got is None or got[0] is not items or len(got[1]) != len(items):
        if len(_POSITIONS) >= 8:
            _POSITIONS.pop(next(iter(_POSITIONS)))
        got = _POSITIONS[id(items)] = (items, {it.id: n for n, it in enumerate(items)})
    return got[1]
