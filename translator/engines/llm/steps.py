"""The loop around one batch: ask, validate, ask again for what failed only
(with the error stated), and past the retry budget fall back without losing a
segment. A reply cut off at the output cap, or a request too large for the
context, splits the batch in two instead of failing it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

from translator.document import Suggestion, Usage
from translator.engines.base import Context, Item
from translator.engines.llm.batching import neighbours
from translator.engines.llm.messages import glossary_entries, user_message
from translator.engines.llm.schemas import Task
from translator.engines.llm.tokens import estimate_tokens
from translator.engines.llm.transport import CallFailed, TooLarge, Transport
from translator.engines.llm.validate import check_critique, check_texts


def output_cap(task: str, items: Sequence[Item]) -> int:
    """Output tokens a reply for these items needs, with room to spare: a
    translation is about as long as its source (×3 allows for a wordier
    language and the JSON around it); a critique a few issues per segment.
    A reply cut at the cap is split and asked again, never lost; a model
    that rambles is stopped early instead of running to the context limit."""
    if task == "critique":
        return 300 + 150 * len(items)
    return 200 + sum(40 + 3 * estimate_tokens(it.draft or it.source) for it in items)


# a revise batch of at least this many segments, mostly given back unchanged, is asked again in parts this size
REASK_MIN, REASK_SIZE = 4, 2


@dataclass
class Outcome:
    """What one batch (or one step) produced."""

    texts: dict[str, str] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    suggestions: list[Suggestion] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    handed_off: set[str] = field(default_factory=set)  # ids a split batch answers for instead

    def merge(self, other: Outcome) -> None:
        self.texts.update(other.texts)
        self.failed |= other.failed
        self.suggestions.extend(other.suggestions)
        self.usage.add(other.usage)


# accept(pending, reply data, outcome, errors the request carried) → errors per id
Accept = Callable[[dict[str, Item], Any, "Outcome", dict[str, str]], dict[str, str]]


def failure(item_id: str, task: Task, error: str, attempts: int) -> Suggestion:
    kept = {"translate": "the source text was kept, untranslated", "revise": "the draft was kept",
            "critique": "the segment was not reviewed"}.get(task, "the text was kept")
    return Suggestion(
        id=item_id,
        category="markup" if "placeholder" in error else "accuracy",
        severity="critical",
        original="",
        suggestion="",
        explanation=f"The model gave no usable {task} reply after {attempts} attempt(s) ({error}); {kept}.",
        origin="llm",
        status="open",
        check="llm-failed",
    )


@dataclass
class _Asking:
    """Where the asking for one batch stands."""

    out: Outcome
    pending: dict[str, Item]  # not yet answered
    errors: dict[str, str]  # what the next request states
    last: dict[str, str] = field(default_factory=dict)  # the last error per pending id
    attempts: int = 0
    bare: bool = False  # without the document summary and neighbours

    def hand_off(self, halves: Outcome) -> bool:
        """Halves asked anew answer for everything: nothing is left to ask."""
        self.out.merge(halves)
        self.pending, self.last = {}, {}
        return False


@dataclass
class Step:
    """One step (translate, critique or revise) of one document."""

    task: Task
    system: str
    ctx: Context
    transport: Transport
    retries: int
    context_items: Sequence[Item]  # the document's items, for neighbouring context
    before: int = 2
    after: int = 1
    _context: dict = field(default_factory=dict)  # first id of a batch → (before, after, glossary)
    reasked: bool = False  # a revise batch already asked again in small parts (see _revise_again)

    def _message(self, batch: Sequence[Item], pending: Sequence[Item], errors: dict[str, str],
                 bare: bool = False) -> str:
        """The user message for `pending` (all of `batch`, or what failed of it):
        context and glossary are those of the whole batch, worked out once.
        `bare`: without the document summary and neighbouring segments (for a
        single segment too large for the context with them)."""
        key = batch[0].id
        if key not in self._context:
            prev, nxt = neighbours(self.context_items, batch, self.before, self.after)
            self._context[key] = (prev, nxt, glossary_entries(self.ctx, batch))
        prev, nxt, glossary = self._context[key]
        if bare:
            return user_message(self.task, pending, replace(self.ctx, summary=""), (), (), errors, glossary)
        return user_message(self.task, pending, self.ctx, prev, nxt, errors, glossary)

    async def run(self, batch: Sequence[Item]) -> Outcome:
        return await self._run(list(batch), {})

    async def _loop(self, batch: list[Item], accept: Accept, errors: dict[str, str] | None = None,
                    shrink: Callable[[dict[str, Item]], bool] | None = None,
                    ) -> tuple[Outcome, dict[str, Item], dict[str, str], int]:
        """Ask for `batch`, then again for whatever `accept` did not take, with
        its errors, until done or out of retries. `accept(pending, data, out,
        sent)` records what it takes (removing it from `pending`) and returns
        the errors per id ("" for the reply as a whole); `sent` is the errors
        the request stated. Returns the outcome, what
        is still pending, the last error per pending id, and attempts made.
        `errors` are stated with the first request (a re-ask handed down);
        when `shrink(pending)` says so, what is pending is asked again in two
        halves sharing the retries left (a model copying its input does
        better with fewer segments at once)."""
        a = _Asking(Outcome(), {it.id: it for it in batch}, dict(errors or {}))
        while a.pending and a.attempts <= self.retries:
            a.attempts += 1
            if not await self._attempt(batch, a, accept, shrink):
                break
        return a.out, a.pending, a.last, a.attempts

    async def _attempt(self, batch: list[Item], a: _Asking, accept: Accept,
                       shrink: Callable[[dict[str, Item]], bool] | None) -> bool:
        """One request for what is pending; False when asking is over."""
        items = list(a.pending.values())
        try:
            reply = await self.transport.call(self.system, self._message(batch, items, a.errors, a.bare), self.task,
                                              list(a.pending), output_cap(self.task, items))
        except CallFailed as e:
            return await self._failed(e, items, a)
        a.out.usage.add(reply.usage)
        # Cut off at the output cap: ask again in halves. The complete entries
        # of a cut translation are kept; a cut critique may lack issues of any
        # segment, so it is asked again whole.
        partial_ok = reply.data is not None and self.task != "critique"
        if reply.truncated and len(items) > 1 and not partial_ok:
            return a.hand_off(await self._halves(items, a.out))
        if reply.data is None:
            a.errors = {"": reply.error or "the reply was empty"}
        else:
            a.errors = accept(a.pending, reply.data, a.out, a.errors)
        if reply.truncated and len(a.pending) > 1:
            return a.hand_off(await self._halves(list(a.pending.values()), a.out))
        if shrink is not None and len(a.pending) > 1 and a.attempts <= self.retries and shrink(a.pending):
            left = self.retries - a.attempts
            return a.hand_off(await self._halves(list(a.pending.values()), a.out, a.errors, left))
        a.last.update({sid: a.errors[""] for sid in a.pending} if "" in a.errors else a.errors)
        return True

    async def _failed(self, e: CallFailed, items: list[Item], a: _Asking) -> bool:
        """No reply came: split a request too large, else give up on it."""
        a.out.usage.add(e.usage)
        if isinstance(e, TooLarge) and len(items) > 1:
            return a.hand_off(await self._halves(items, a.out))
        if isinstance(e, TooLarge) and not a.bare:  # one segment: try it once without the context
            a.bare = True
            return True
        a.last = {sid: str(e) for sid in a.pending}
        return False

    async def _halves(self, items: list[Item], out: Outcome, errors: dict[str, str] | None = None,
                      retries: int | None = None) -> Outcome:
        """Ask `items` again in two halves, which answer for them instead of
        `out`: each half states its `errors` and has `retries` left (by
        default the whole budget)."""
        out.handed_off |= {it.id for it in items}
        sub = self if retries is None else replace(self, retries=retries)
        errors = errors or {}
        half = len(items) // 2
        merged = Outcome()
        for part in await asyncio.gather(*(
                sub._run(p, {it.id: errors[it.id] for it in p if it.id in errors})
                for p in (items[:half], items[half:]))):
            merged.merge(part)
        return merged

    async def _run(self, batch: list[Item], errors: dict[str, str]) -> Outcome:
        if self.task == "critique":
            return await self._critique(batch)
        return await self._texts(batch, errors)

    # -- translate / revise -----------------------------------------------------

    async def _texts(self, batch: list[Item], errors: dict[str, str] | None = None) -> Outcome:
        copies: set[str] = set()

        def accept(pending: dict[str, Item], data: Any, out: Outcome, sent: dict[str, str]) -> dict[str, str]:
            check = check_texts(pending, data, source_lang=self.ctx.source_lang, target_lang=self.ctx.target_lang)
            copies.clear()
            copies.update(check.copies)
            for sid, text in check.ok.items():
                out.texts[sid] = text
                del pending[sid]
            return check.errors

        def shrink(pending: dict[str, Item]) -> bool:
            # most of what is pending came back as the source: ask fewer at once
            return len(pending) > 2 and len(copies & set(pending)) * 2 >= len(pending)

        out, pending, last, attempts = await self._loop(batch, accept, errors, shrink)
        for sid, item in pending.items():  # past the budget: keep the best text we have
            out.texts[sid] = item.source if self.task == "translate" else item.draft
            out.failed.add(sid)
            out.suggestions.append(failure(sid, self.task, last.get(sid, "no reply"), attempts))
        if self.task == "revise" and not self.reasked:
            await self._revise_again(batch, out)
        return out

    async def _revise_again(self, batch: list[Item], out: Outcome) -> None:
        """A small model asked to revise many segments at once tends to copy
        every draft back (measured: Qwen2.5-1.5B gave 15 of 16 back as they
        were, and fixed the same segments asked two or three at a time).
        When most of a batch of `REASK_MIN` or more came back unchanged, those
        segments are asked once more, `REASK_SIZE` at a time; a draft given
        back again stands."""
        same = [it for it in batch if it.id in out.texts and it.id not in out.failed
                and it.id not in out.handed_off and out.texts[it.id] == it.draft]
        if len(batch) < REASK_MIN or 2 * len(same) < len(batch):
            return
        again = replace(self, reasked=True, _context={})  # each part its own neighbours
        parts = [same[i:i + REASK_SIZE] for i in range(0, len(same), REASK_SIZE)]
        for part in await asyncio.gather(*(again._texts(p) for p in parts)):
            out.usage.add(part.usage)
            out.texts.update({sid: t for sid, t in part.texts.items() if sid not in part.failed})

    # -- critique ---------------------------------------------------------------

    async def _critique(self, batch: list[Item]) -> Outcome:
        answers = _Critiques(self.ctx.target_lang)
        out, pending, last, attempts = await self._loop(batch, answers.accept)
        for it in batch:
            if it.id not in out.handed_off:
                # a suggestion whose span the critic never quoted right is dropped:
                # on real models it is nearly always about the source or made up
                out.suggestions.extend(answers.valid.get(it.id, []))
        for sid in pending:
            if sid not in answers.valid:  # never got a usable answer for this segment
                out.failed.add(sid)
                out.suggestions.append(failure(sid, "critique", last.get(sid, "no reply"), attempts))
        return out


class _Critiques:
    """The valid suggestions of every answer to one critique batch."""

    def __init__(self, target_lang: str) -> None:
        self.target_lang = target_lang
        self.valid: dict[str, list[Suggestion]] = {}  # id → its valid suggestions from every answer
        self.templates = 0

    def accept(self, pending: dict[str, Item], data: Any, out: Outcome, sent: dict[str, str]) -> dict[str, str]:
        check = check_critique(pending, data, target_lang=self.target_lang, sent=sent)
        if check.reply_error:
            return {"": check.reply_error}
        out.usage.discarded += len(check.discarded)
        if check.template:
            self.templates += 1
            if self.templates > 1:  # asked again once, the same form again: ignore this critique
                for sid in pending:
                    self.valid.setdefault(sid, [])
                pending.clear()
                return {}
            return {"": check.template}
        for sid in list(pending):  # a re-asked segment's answer adds to what it had, never erases it
            have = self.valid.setdefault(sid, [])
            for s in check.valid.get(sid, []):
                if all((h.original, h.suggestion) != (s.original, s.suggestion) for h in have):
                    have.append(s)
            if sid not in check.errors:
                del pending[sid]
        return check.errors
