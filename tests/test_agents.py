"""The translate → critique → revise loop, against the fake server."""

import asyncio

from fake_openai import prefix
from translator.pipeline.agents import run
from translator.engines.base import Context
from translator.engines.llm.engine import LLMEngine
from translator.terms.glossary import Glossary, Term
from translator.io.reader import parse


async def no_sleep(seconds):
    return None


def engine(fake):
    return LLMEngine("fake", base_url=fake.base_url, sleep=no_sleep)


DOC = "<p>Prices fell. Demand rose. Costs stayed flat.</p>"
DRAFTS = {"Prices fell.": "Los precios subieron.", "Demand rose.": "La demanda subió.",
          "Costs stayed flat.": "Los costes se mantuvieron."}


def responder(critic_calls):
    def respond(req):
        if req.task == "translate":
            return {"segments": [{"id": s["id"], "text": DRAFTS[s["source"]]} for s in req.segments]}
        if req.task == "critique":
            critic_calls.append([s["id"] for s in req.segments])
            found = []
            for s in req.segments:
                if "subieron" in s["draft"]:
                    found.append({"id": s["id"], "original": "subieron", "suggestion": "bajaron", "category": "accuracy",
                                  "severity": "critical", "explanation": "The source says prices fell."})
                if "mantuvieron" in s["draft"]:
                    found.append({"id": s["id"], "original": "costes", "suggestion": "costos", "category": "locale",
                                  "severity": "minor", "explanation": "Regional preference."})
            return {"suggestions": found}
        return {"segments": [{"id": s["id"], "text": s["draft"].replace("subieron", "bajaron")} for s in req.segments]}
    return respond


def test_only_major_issues_are_revised_and_later_rounds_review_only_revisions(fake_openai):
    calls = []
    fake_openai.responder = responder(calls)
    doc = parse(DOC, "html", source_lang="en")
    out = asyncio.run(run(doc, engine(fake_openai), Context("en", "es"), rounds=3))
    assert [t.text for t in out.translations.values()] == ["Los precios bajaron.", "La demanda subió.",
                                                           "Los costes se mantuvieron."]
    assert calls == [["s1", "s2", "s3"], ["s1"]]  # round 2 reviews the revised segment only, then stops
    revised = [r for r in fake_openai.chat_requests("revise")]
    assert [s["id"] for r in revised for s in r.segments] == ["s1"]  # the minor issue is not sent to the reviser
    statuses = {(s.id, s.original, s.status) for s in out.suggestions if s.origin == "llm"}
    assert ("s1", "subieron", "applied") in statuses and ("s3", "costes", "open") in statuses
    assert out.usage["translate"].calls == 1 and out.usage["critique"].calls == 2 and out.usage["revise"].calls == 1


def test_glossary_holds_after_the_llm(fake_openai):
    """The reviser ignored the glossary; the deterministic safety net repairs it."""
    def respond(req):
        if req.task == "critique":
            return {"suggestions": []}
        key = "source" if req.task == "translate" else "draft"
        return {"segments": [{"id": s["id"], "text": "Los modelos de fundación son caros." if key == "source" else s[key]}
                             for s in req.segments]}

    fake_openai.responder = respond
    glossary = Glossary("en", "es", (Term("foundation model", "modelo fundacional", forbidden=("modelo de fundación",)),))
    doc = parse("<p>Foundation models are expensive.</p>", "html", source_lang="en")
    out = asyncio.run(run(doc, engine(fake_openai), Context("en", "es", glossary), rounds=1))
    assert out.translations["s1"].text == "Los modelos fundacionales son caros."
    assert any(s.origin == "glossary" and s.status == "applied" for s in out.suggestions)
    assert out.terms == {"found": 1, "satisfied": 1, "violations": []}
    # the glossary entry went into the prompts of the batch that contains the term
    sent = fake_openai.chat_requests("translate")[0].payload["glossary"]
    assert any(e["source"] == "foundation model" for e in sent)


def test_glossary_is_not_spliced_into_text_left_in_the_source_language(fake_openai):
    fake_openai.responder = prefix("")  # the "model" leaves everything in English
    glossary = Glossary("en", "es", (Term("foundation model", "modelo fundacional"),))
    doc = parse("<p>Much of the conversation still revolves around larger foundation models.</p>", "html",
                source_lang="en")
    out = asyncio.run(run(doc, engine(fake_openai), Context("en", "es", glossary), rounds=1))
    assert out.translations["s1"].text == doc.segments[0].source
    assert any(s.check in ("untranslated", "wrong-language") for s in out.suggestions)
