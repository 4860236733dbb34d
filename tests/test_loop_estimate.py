"""The review's quality estimate in the loop (issues 10 and 11): a segment it
finds bad goes to the reviser even when the critic says nothing, and a
revision whose estimate is worse than its draft's is refused."""

import asyncio

from translator import qe
from translator.agents import run
from translator.engines.base import Context
from translator.engines.llm import LLMEngine
from translator.reader import parse

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


def test_the_estimate_sends_a_stuck_translation_to_the_reviser(fake_openai):
    assert any(s.check == "repetition" for s in qe.estimate("The model is fast.", STUCK, "en", "es").suggestions)
    doc, out = loop(fake_openai, FIXED)
    assert fake_openai.chat_requests("revise")  # the critic said nothing; the estimate did
    assert out.translations[doc.segments[0].id].text == FIXED


def test_a_revision_the_estimate_finds_worse_is_refused(fake_openai):
    critic = [{"original": "es", "suggestion": "está", "category": "fluency", "severity": "major",
               "explanation": "Use estar."}]
    doc, out = loop(fake_openai, "El model is rápido.", draft=FIXED, critic=critic)  # English words slipped in
    assert out.translations[doc.segments[0].id].text == FIXED  # the draft stays
    [verdict] = out.revisions
    assert not verdict.accepted and "estimate" in verdict.reason
