"""The `openai:MODEL` engine: any OpenAI-compatible chat server through
LangChain's ChatOpenAI (OpenAI, vLLM, llama.cpp server, Ollama, LM Studio…).

    engine = LLMEngine("gpt-4o-mini")                    # OPENAI_API_KEY
    engine = LLMEngine("qwen", base_url="http://127.0.0.1:8080/v1")
    result = await engine.translate(items, ctx)           # EngineResult
    suggestions, usage = await engine.critique(items, ctx)
    result = await engine.revise(items, ctx)

Each step cuts the document's items into batches by a token budget (between
blocks) and runs the batches concurrently; `jobs` bounds the calls in flight
across every document that shares this engine. Nothing here raises because a
model misbehaved: a segment that gets no valid answer keeps its best text and
an open critical Suggestion (check "llm-failed").
"""

from __future__ import annotations

import asyncio
import os
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Sequence

from translator.document import Suggestion, Usage
from translator.errors import EngineError
from translator.engines.llm.prompts import PromptSet, load_prompts
from translator.engines.base import Context, EngineResult, Item

if TYPE_CHECKING:
    from translator.engines.llm.schemas import Task
    from translator.engines.llm.steps import Outcome

DEFAULT_MODEL = "gpt-4o-mini"
NO_KEY = "no-key-needed"  # local servers ignore the key, but the SDK insists on one


class LLMEngine:
    capabilities: frozenset[str] = frozenset({"critique", "revise", "clean", "batch"})  # see engines.base.supports

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        jobs: int = 4,
        retries: int = 3,
        timeout: float | None = None,
        batch_tokens: int = 1500,
        max_tokens: int = 4096,
        max_items: int = 40,
        temperature: float | None = 0.2,
        prompts: PromptSet | Path | str | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        from translator.engines.llm.transport import Transport

        model = model.removeprefix("openai:")
        self.model = model
        self.name = f"openai:{model}"
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        key = api_key or os.environ.get("OPENAI_API_KEY") or None
        self._has_key = key is not None
        self.api_key = key or (NO_KEY if self.base_url else None)
        if timeout is None:
            timeout = _default_timeout(self.base_url)
        self.retries = retries
        self.max_items = max_items
        # a batch's reply must fit under the output cap: ~1.3× the source in most
        # language pairs, plus the JSON around each segment
        self.batch_tokens = max(64, min(batch_tokens, int(max_tokens / 1.6)))
        self.prompts = prompts if isinstance(prompts, PromptSet) else load_prompts(prompts)
        self.transport: Any = Transport(  # a BatchTransport or JournaledTransport may stand in
            model, base_url=self.base_url, api_key=self.api_key, timeout=timeout, retries=retries,
            max_tokens=max_tokens, temperature=temperature, jobs=jobs, sleep=sleep, rng=rng)

    # -- the Engine protocol ----------------------------------------------------

    def check(self, source_lang: str, target_lang: str) -> None:
        if not self._has_key and not self.base_url:
            raise EngineError(
                f"the {self.name} engine needs an API key: set OPENAI_API_KEY, or OPENAI_BASE_URL "
                "for a local OpenAI-compatible server, or use --model apertium")

    @property
    def mode(self) -> str | None:
        """The structured-output mode found for this server and model (None before the first call)."""
        return self.transport.endpoint.mode

    @property
    def signature(self) -> str:
        return f"engine:{self.name}|prompts:{self.prompts.signature}|output:{self.mode or 'unprobed'}"

    @property
    def fingerprint(self) -> str:
        """What a cached translation depends on: model, server and prompt versions."""
        return f"{self.name}|{self.base_url or 'openai'}|{self.prompts.signature}"

    async def translate(self, items: Sequence[Item], ctx: Context) -> EngineResult:
        from translator.engines.llm.validate import needs_model

        result = EngineResult(texts={})
        todo = []
        for it in items:
            if needs_model(it.source):
                todo.append(it)
            else:  # only numbers, symbols or placeholders: nothing to ask
                result.texts[it.id] = it.source
        out = await self._run("translate", todo, items, ctx)
        return self._result(items, out, result)

    async def critique(self, items: Sequence[Item], ctx: Context) -> tuple[list[Suggestion], Usage]:
        todo = [it for it in items if it.draft.strip()]
        out = await self._run("critique", todo, items, ctx)
        return out.suggestions, out.usage

    async def revise(self, items: Sequence[Item], ctx: Context) -> EngineResult:
        from translator.engines.llm.messages import to_fix

        result = EngineResult(texts={})
        todo = []
        for it in items:
            if to_fix(it):
                todo.append(it)
            else:  # nothing major or critical to apply: the draft stands
                result.texts[it.id] = it.draft
        out = await self._run("revise", todo, items, ctx)
        return self._result(items, out, result)

    # -- internals --------------------------------------------------------------

    def _system(self, task: str, ctx: Context) -> str:
        from translator.engines.llm.messages import language_name

        return self.prompts[task].render({
            "source_lang": language_name(ctx.source_lang),
            "target_lang": language_name(ctx.target_lang),
            "register": ctx.register,
        })

    async def _run(self, task: Task, todo: Sequence[Item], context_items: Sequence[Item], ctx: Context) -> Outcome:
        from translator.engines.llm.batching import plan_batches
        from translator.engines.llm.steps import Outcome, Step

        self.check(ctx.source_lang, ctx.target_lang)
        out = Outcome()
        if not todo:
            return out
        step = Step(task, self._system(task, ctx), ctx, self.transport, self.retries, list(context_items))
        # critique and revise items carry a draft as long as the source: twice the
        # budget keeps their batches like the translation's (calls ≈ 3 × batches)
        # while a reviser's long list of suggestions still splits a batch
        budget = self.batch_tokens * (1 if task == "translate" else 2)
        batches = plan_batches(todo, budget, self.max_items)
        # Online (a transport with `jobs`): a few batches ahead of the calls in
        # flight, not all of them: each one waiting holds its message, and building
        # them all came before the first call. The Batch API's transport has no
        # `jobs`: it waits for every batch of the step and sends them as one job.
        jobs = getattr(self.transport, "jobs", None)
        ahead = asyncio.Semaphore(4 * max(1, jobs)) if isinstance(jobs, int) else None

        async def run(batch: list[Item]) -> Outcome:
            if ahead is None:
                return await step.run(batch)
            async with ahead:
                return await step.run(batch)

        for part in await asyncio.gather(*(run(b) for b in batches)):
            out.merge(part)
        return out

    @staticmethod
    def _result(items: Sequence[Item], out: Outcome, result: EngineResult) -> EngineResult:
        result.texts.update(out.texts)
        result.texts = {it.id: result.texts[it.id] for it in items}  # document order, every id once
        result.suggestions.extend(out.suggestions)
        result.usage.add(out.usage)
        result.failed = set(out.failed)
        return result


def _default_timeout(base_url: str | None) -> float:
    """A local server answers one request at a time: queued requests wait."""
    official = not base_url or "api.openai.com" in base_url
    return float(os.environ.get("TRANSLATOR_TIMEOUT") or (120 if official else 600))
