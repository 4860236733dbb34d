"""The review's quality estimate in the loop (issues 10 and 11): a revision
whose estimate is worse than its draft's is refused."""

import asyncio

from translator.pipeline.agents import run
from translator.engines.base import Context
from translator.engines.llm.engine import LLMEngine
from translator.io.reader import parse

STUCK = "El modelo es rápido rápido rápido rápido rápido rápido."
FIXED = "El modelo es rápido."


async def no_sleep(seconds):
    return None


def loop(fake, revised: str, draft: str = STUCK, critic=()):
    def respond(req):
        if req.task == "translate":
            return {"segments": [{"id": s["id"], "text": draft} for s in req.segments]}
        if req.task == "critique":
            return {"suggestions": [dict(c, id=s["id"]) for s in req.segments for c in critic]}
        return {"segments": [{"id": s["id"], "text": revised} for s in req.segments]}

    fake.responder = respond
    doc = parse("<p>The model is fast.</p>", "html", source_lang="en")
    engine = LLMEngine("fake", base_url=fake.base_url, sleep=no_sleep)
    return doc, asyncio.run(run(doc, engine, Context("en", "es"), rounds=1))


def test_a_revision_the_estimate_finds_worse_is_refused(fake_openai):
    critic = [{"original": "es", "suggestion": "está", "category": "fluency", "severity": "major",
               "explanation": "Use estar."}]
    doc, out = loop(fake_openai, "El model is rápido.", draft=FIXED, critic=critic)  # English words slipped in
    assert out.translations[doc.segments[0].id].text == FIXED  # the draft stays
    [verdict] = out.revisions
    assert not verdict.accepted and "estimate" in verdict.reason
