"""`translator review --model openai:MODEL`: the LLM critic reads every
aligned segment of a review (the critique step of the loop: prompts/
critique.md, MQM JSON with exact spans, batched and validated the same way)
and its findings join the deterministic ones.

The critic is the primary judge of meaning and style; the checks and the
quality estimate keep what a model misses (numbers, links, markup, the
glossary, non-words). Segments the critic could not review after its
retries keep an open "llm-failed" finding; when it could review none, the
review is an error (exit 2), not a pass.
"""

from __future__ import annotations

from dataclasses import replace

from translator.document import Suggestion
from translator.errors import EngineError, InputError
from translator.pipeline import aio


def critic_engine(spec: str):
    from translator.engines import make_engine
    from translator.engines.base import CRITIQUE, supports

    if not spec.strip() or spec.strip() == "apertium" or spec.strip() in ("draft", "none"):
        raise InputError(f"--model {spec}: the review's critic is an LLM: use --model openai:MODEL")
    engine = make_engine(spec)
    if not supports(engine, CRITIQUE):
        raise InputError(f"--model {spec}: this engine cannot critique; use --model openai:MODEL")
    return engine


def critique_review(review, spec: str, *, glossary=None, engine=None):
    """The review with the critic's findings added (a new Review); usage in `review.usage`."""
    from translator.engines.base import Context, Item
    from translator.qa.checks import dedupe

    engine = engine or critic_engine(spec)
    sl = review.source_lang or "en"
    tl = review.target_lang
    engine.check(sl, tl)
    items = [Item(u.id, u.block, u.source, u.target) for u in review.units
             if u.source and u.target.strip() and u.status in ("aligned", "block")]
    if not items:
        return review
    ctx = Context(sl, tl, glossary)
    found, usage = aio.run(engine.critique(items, ctx))
    failed = {s.id for s in found if s.check == "llm-failed"}
    if failed and len(failed) == len(items):
        raise EngineError(f"the critic ({engine.name}) gave no usable reply for any segment: "
                          + next(s.explanation for s in found if s.check == "llm-failed"))
    critic: list[Suggestion] = [s if s.origin else replace(s, origin="llm") for s in found]
    return replace(review, suggestions=dedupe(list(review.suggestions) + critic),
                   usage={"critique": {"calls": usage.calls, "prompt_tokens": usage.prompt_tokens,
                                       "completion_tokens": usage.completion_tokens}})
