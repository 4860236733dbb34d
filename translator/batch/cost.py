"""What a run costs: a small price table, and the estimate `--dry-run` prints.

Prices are US dollars per million tokens, online and through the Batch API
(half price). The table holds a few OpenAI models (list prices as of 2025);
a JSON file overrides or extends it, given with `--prices FILE` or the
TRANSLATOR_PRICES variable:

    {"gpt-4o-mini": {"input": 0.15, "output": 0.60},
     "my-vllm-model": {"input": 0, "output": 0}}

"batch_input" / "batch_output" default to half of "input" / "output". A dated
model name (gpt-4o-mini-2024-07-18) takes the price of its longest prefix.

The estimate runs the engine's own batching and message building on every
document with a transport that answers without calling: the translate and
critique requests are exactly those a run would send first (retries come on
top, usually a few per cent); a translation is assumed as long in tokens as
its source (×1.2 for the JSON and a wordier language); the critic a few
tokens per segment; and the reviser, which only sees segments with a major
issue, a share REVISE_SHARE of the critique.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from translator.document import Usage
from translator.errors import TranslatorError
from translator.engines.llm.tokens import estimate_tokens
from translator.engines.llm.replies import Reply

PRICES: dict[str, dict[str, float]] = {
    "gpt-4o-mini": {"input": 0.15, "output": 0.60},
    "gpt-4o": {"input": 2.50, "output": 10.00},
    "gpt-4.1": {"input": 2.00, "output": 8.00},
    "gpt-4.1-mini": {"input": 0.40, "output": 1.60},
    "gpt-4.1-nano": {"input": 0.10, "output": 0.40},
    "gpt-5": {"input": 1.25, "output": 10.00},
    "gpt-5-mini": {"input": 0.25, "output": 2.00},
    "gpt-5-nano": {"input": 0.05, "output": 0.40},
    "o4-mini": {"input": 1.10, "output": 4.40},
}

REVISE_SHARE = 0.3  # segments the reviser sees, of those critiqued (assumed for the estimate)
OUTPUT_RATIO = 1.2  # translation tokens per source token, JSON included
CRITIQUE_TOKENS = 12  # critic's output tokens per segment, on average
MESSAGE_OVERHEAD = 12  # chat framing of a system + user message


@dataclass(frozen=True)
class Price:
    model: str
    input: float
    output: float
    batch_input: float
    batch_output: float

    def cost(self, usage: Usage, batch: bool) -> float:
        pin, pout = (self.batch_input, self.batch_output) if batch else (self.input, self.output)
        return (usage.prompt_tokens * pin + usage.completion_tokens * pout) / 1_000_000


def load_prices(path: Path | None = None) -> dict[str, dict[str, float]]:
    table = {k: dict(v) for k, v in PRICES.items()}
    path = path or (Path(os.environ["TRANSLATOR_PRICES"]) if os.environ.get("TRANSLATOR_PRICES") else None)
    if path is None:
        return table
    try:
        extra = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise TranslatorError(f"{path}: cannot read the price file ({e})") from None
    except json.JSONDecodeError as e:
        raise TranslatorError(f"{path}: not JSON (line {e.lineno}: {e.msg})") from None
    if not isinstance(extra, dict):
        raise TranslatorError(f'{path}: expected {{"MODEL": {{"input": …, "output": …}}}}')
    for model, p in extra.items():
        if not isinstance(p, dict) or not {"input", "output"} <= set(p) or not all(
                isinstance(v, (int, float)) and v >= 0 for v in p.values()):
            raise TranslatorError(f'{path}: {model}: give "input" and "output" as dollars per million tokens')
        table[model] = {k: float(v) for k, v in p.items()}
    return table


def price_for(model: str, table: dict[str, dict[str, float]]) -> Price | None:
    model = model.removeprefix("openai:")
    name = model if model in table else max((k for k in table if model.startswith(k + "-")), key=len, default=None)
    if name is None:
        return None
    p = table[name]
    return Price(name, p["input"], p["output"], p.get("batch_input", p["input"] / 2),
                 p.get("batch_output", p["output"] / 2))


# --- the estimate -------------------------------------------------------------------


@dataclass
class Estimate:
    steps: dict[str, Usage] = field(default_factory=lambda: {s: Usage() for s in ("translate", "critique", "revise")})
    documents: int = 0
    segments: int = 0
    cached: int = 0
    source_bytes: int = 0

    def total(self) -> Usage:
        u = Usage()
        for v in self.steps.values():
            u.add(v)
        return u


class DryTransport:
    """Answers every call at once with a plausible reply and counts what the
    request would cost: translate/revise echo the source (marked), the critic finds
    nothing (the reviser is estimated separately)."""

    def __init__(self, online: Any) -> None:
        self.online = online
        self.endpoint = online.endpoint
        self.retries = online.retries
        self.max_tokens = online.max_tokens

    async def call(self, system: str, user: str, task: str, ids: Sequence[str], cap: int | None = None) -> Reply:
        segments = json.loads(user).get("segments", [])
        prompt = estimate_tokens(system) + estimate_tokens(user) + MESSAGE_OVERHEAD
        if task == "critique":
            data: dict = {"suggestions": []}
            out = 10 + CRITIQUE_TOKENS * len(segments)
        else:
            # a marked copy: an unmarked one would be refused as "a copy of the source" and re-asked
            data = {"segments": [{"id": s["id"], "text": "[dry run] " + (s.get("draft") or s["source"])}
                                 for s in segments]}
            out = 10 + sum(math.ceil(OUTPUT_RATIO * estimate_tokens(s["source"])) + 8 for s in segments)
        return Reply(data=data, usage=Usage(1, prompt, out), mode="json_schema")


async def estimate(engine: Any, docs: list, rounds: int) -> Estimate:
    """`docs`: (Document, Context, cached ids) per input."""
    from translator.engines.base import Item

    est = Estimate()
    for doc, ctx, cached in docs:
        est.documents += 1
        est.segments += len(doc.segments)
        est.cached += len(cached)
        est.source_bytes += len(doc.text.encode("utf-8"))
        items = [Item(s.id, s.block, s.source) for s in doc.segments if s.id not in cached]
        if not items:
            continue
        result = await engine.translate(items, ctx)
        est.steps["translate"].add(result.usage)
        if rounds > 0:
            drafted = [Item(it.id, it.block, it.source, result.texts[it.id]) for it in items]
            _, usage = await engine.critique(drafted, ctx)
            est.steps["critique"].add(usage)
    _extrapolate(est, rounds)
    return est


def _extrapolate(est: Estimate, rounds: int) -> None:
    """The revise steps (and the later critiques) of `rounds` rounds, from the
    first critique and translation: the dry critic finds nothing to revise."""
    c, t = est.steps["critique"], est.steps["translate"]
    per_round = Usage(math.ceil(c.calls * REVISE_SHARE), math.ceil(c.prompt_tokens * REVISE_SHARE * 1.15),
                      math.ceil(t.completion_tokens * REVISE_SHARE))
    for _ in range(rounds):
        est.steps["revise"].add(per_round)
    if rounds > 1:  # later rounds re-critique only what was revised
        extra = Usage(math.ceil(c.calls * REVISE_SHARE), math.ceil(c.prompt_tokens * REVISE_SHARE),
                      math.ceil(c.completion_tokens * REVISE_SHARE))
        for _ in range(rounds - 1):
            est.steps["critique"].add(extra)
