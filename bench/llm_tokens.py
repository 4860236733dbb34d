"""Prompt tokens sent per source token over one translate → critique → revise
round, for 2 KB, 20 KB and 200 KB documents, against the fake server.

    .venv/bin/python bench/llm_tokens.py [--flag-every 3]

The fake translates by prefixing, flags one segment in N with a major issue
(so the reviser has work), and reports usage as characters/4, the same rule as
our estimator: the ratio measures what we send, not a tokenizer's quirks. A
bounded ratio (not growing with document length) means each call carries its
batch plus a fixed amount of context, never the document so far.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fake_openai import FakeOpenAI, prefix  # noqa: E402

from translator.engines.base import Context, Item  # noqa: E402
from translator.engines.llm.engine import LLMEngine  # noqa: E402
from translator.terms.glossary import Term  # noqa: E402
from translator.engines.llm.tokens import estimate_tokens  # noqa: E402

WORDS = ("model data compute inference training agents newsletter research team cost token benchmark "
         "open source release paper company developer language vision latency hardware").split()


class SubstringGlossary:
    """A glossary whose entries_for is a plain substring test (the real one is
    lemma-aware; its speed is not what this bench measures)."""

    def __init__(self, terms):
        self.terms = terms

    def entries_for(self, texts):
        joined = " ".join(texts).lower()
        return [t for t in self.terms if t.source in joined]


def document(size: int, seed: int = 1) -> list[Item]:
    rng = random.Random(seed)
    items: list[Item] = []
    chars = block = 0
    while chars < size:
        for _ in range(rng.randint(1, 5)):  # sentences per paragraph
            words = [rng.choice(WORDS) for _ in range(rng.randint(6, 28))]
            if rng.random() < 0.3:
                k = rng.randrange(len(words))
                words[k] = f"<1>{words[k]}</1>"
            text = " ".join(words).capitalize() + "."
            items.append(Item(f"s{len(items) + 1}", block, text))
            chars += len(text) + 1
        block += 1
    return items


async def one_round(fake: FakeOpenAI, items: list[Item], flag_every: int) -> dict:
    def critic(seg: dict) -> list[dict]:
        if int(seg["id"][1:]) % flag_every:
            return []
        word = seg["draft"].split()[2]
        return [{"original": word, "suggestion": word.upper(), "explanation": "bench", "category": "fluency",
                 "severity": "major"}]

    fake.responder = prefix("ES: ", critic=critic)
    glossary = SubstringGlossary(tuple(Term(w, w + "-es") for w in WORDS[:8]))
    ctx = Context("en", "es", glossary=glossary, summary="A synthetic newsletter used to measure token use. " * 4)
    eng = LLMEngine("bench", base_url=fake.base_url, api_key="x", jobs=8)
    tr = await eng.translate(items, ctx)
    drafts = [Item(i.id, i.block, i.source, draft=tr.texts[i.id]) for i in items]
    sugg, cu = await eng.critique(drafts, ctx)
    by: dict[str, list] = {}
    for s in sugg:
        by.setdefault(s.id, []).append(s)
    rv = await eng.revise([Item(d.id, d.block, d.source, d.draft, tuple(by.get(d.id, ()))) for d in drafts], ctx)
    return {"translate": tr.usage, "critique": cu, "revise": rv.usage}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--flag-every", type=int, default=3, help="the critic flags one segment in N")
    args = ap.parse_args()
    fake = FakeOpenAI().start()
    try:
        print(f"{'size':>7} {'segments':>8} {'src tok':>8} {'calls T/C/R':>12} "
              f"{'translate':>9} {'critique':>9} {'revise':>8} {'total':>7} {'out/src':>8} {'time':>6}")
        for size in (2_000, 20_000, 200_000):
            items = document(size)
            src = sum(estimate_tokens(i.source) for i in items)
            t = time.perf_counter()
            usage = asyncio.run(one_round(fake, items, args.flag_every))
            secs = time.perf_counter() - t
            ratio = {k: u.prompt_tokens / src for k, u in usage.items()}
            out = sum(u.completion_tokens for u in usage.values()) / src
            calls = "/".join(str(u.calls) for u in usage.values())
            print(f"{size // 1000:>5}KB {len(items):>8} {src:>8} {calls:>12} {ratio['translate']:>9.2f} "
                  f"{ratio['critique']:>9.2f} {ratio['revise']:>8.2f} {sum(ratio.values()):>7.2f} {out:>8.2f} "
                  f"{secs:>5.1f}s")
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
