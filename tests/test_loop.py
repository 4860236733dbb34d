"""Issue 11: a translate → critique → revise loop that never publishes worse
than its draft. Against the fake server: a model that copies its source, a
degenerate critic, a reviser that invents; the structured-output mode kept
between runs."""

from __future__ import annotations

import asyncio
import json
import random

from fake_openai import INVENTED, by_task, copier, degenerate_critic, inventing_reviser, prefix
from typer.testing import CliRunner

from translator.pipeline import revision
from translator.cli.main import app
from translator.document import Segment, Suggestion
from translator.engines.base import Context, Item
from translator.engines.llm.engine import LLMEngine
from translator.engines.llm.capabilities import CapabilityStore
from translator.engines.llm.transport import Transport, forget_endpoints

CTX = Context(source_lang="en", target_lang="es")
PROSE = [
    "The new model was trained on more data than any of the earlier ones.",
    "It is not clear whether the results can be reproduced by other labs.",
    "The team says that the code will be published with the paper next month.",
    "Most of the compute was spent on the last stage of the training run.",
    "Critics point out that the benchmark does not measure what users need.",
    "The company has not said how much the new service will cost for schools.",
]
DOC = "# Weekly notes\n\n" + "\n\n".join(PROSE) + "\n"


async def _sleep(_: float) -> None:
    pass


def engine(fake, **kw) -> LLMEngine:
    kw.setdefault("sleep", _sleep)
    kw.setdefault("rng", random.Random(0))
    kw.setdefault("timeout", 5)
    return LLMEngine("fake", base_url=fake.base_url, **kw)


def items(texts=PROSE) -> list[Item]:
    return [Item(f"s{i}", i, t) for i, t in enumerate(texts)]


def cli(*args, env):
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


# --- 1. translate replies that copy the source --------------------------------


def test_a_copy_of_the_source_is_reasked_in_smaller_batches_then_flagged(fake_openai):
    fake_openai.responder = copier
    result = asyncio.run(engine(fake_openai).translate(items(), CTX))
    assert result.failed == {it.id for it in items()}
    assert result.texts == {it.id: it.source for it in items()}  # nothing lost, source kept
    flags = [s for s in result.suggestions if s.check == "llm-failed"]
    assert len(flags) == len(PROSE) and all("copy of the English source" in s.explanation for s in flags)
    calls = fake_openai.chat_requests("translate")
    assert len(calls[0].segments) == len(PROSE)
    assert max(len(r.segments) for r in calls[1:]) <= len(PROSE) // 2  # re-asked in halves
    assert all("copy of the English source" in json.dumps(r.payload.get("errors"), ensure_ascii=False)
               for r in calls[1:])
    assert len(calls) <= 1 + 2 + 4 + 8  # the retries are shared along the halving, not multiplied


def test_a_copy_fixed_on_the_retry_is_taken(fake_openai):
    answers = iter([copier, prefix("ES: ")])

    def respond(req):
        return next(answers, prefix("ES: "))(req)

    fake_openai.responder = respond
    result = asyncio.run(engine(fake_openai).translate(items(), CTX))
    assert not result.failed
    assert all(t.startswith("ES: ") for t in result.texts.values())


REFUSAL = ("I apologize, but I cannot translate that passage, as it appears to be dialogue from a copyrighted "
           "work.")


def test_a_refusal_is_reasked_then_flagged_and_never_published(fake_openai):
    """Seen in published WMT24 output: a strong model answered 13 of 318
    paragraphs with a refusal. In Spanish too («Lo siento, pero no puedo…»)."""
    answers = iter([lambda req: {"segments": [{"id": s["id"], "text": REFUSAL if s["id"] == "s1" else
                                               "Lo siento, pero no puedo traducir esto." if s["id"] == "s2" else
                                               "ES: " + s["source"]} for s in req.segments]}])

    def respond(req):
        return next(answers, prefix("ES: "))(req)

    fake_openai.responder = respond
    result = asyncio.run(engine(fake_openai).translate(items(), CTX))
    assert not result.failed and all(t.startswith("ES: ") for t in result.texts.values())
    retry = fake_openai.chat_requests("translate")[1]
    assert sorted(s["id"] for s in retry.segments) == ["s1", "s2"]
    assert "reply about the task" in json.dumps(retry.payload.get("errors"), ensure_ascii=False)
    # a model that keeps refusing: the source stays, flagged
    fake_openai.responder = lambda req: {"segments": [{"id": s["id"], "text": REFUSAL} for s in req.segments]}
    result = asyncio.run(engine(fake_openai).translate(items(PROSE[:1]), CTX))
    assert result.failed == {"s0"} and result.texts == {"s0": PROSE[0]}


def test_words_of_the_source_that_sound_like_a_refusal_are_translated():
    from translator.qa.checks.meta_reply import meta_reply

    assert meta_reply("\"I'm sorry, but I can't help you,\" she said.",
                      "—Lo siento, pero no puedo ayudarte —dijo.") is None
    assert meta_reply("Aim for their heads!", REFUSAL) == "I apologize, but I cannot"
    assert meta_reply("Team assemble mode.", "Aquí está la traducción: Modo de ensamblaje del equipo.") \
        == "Aquí está la traducción"
    assert meta_reply("他说得对。", "抱歉，我无法翻译这段内容。") == "抱歉，我无法"


def test_names_titles_and_code_may_stay_as_they_are(fake_openai):
    fake_openai.responder = copier
    same = ["GPT-4o vs Llama 3.1", "Weekly notes", "pip install transformers", "Hugging Face Transformers 4.40"]
    result = asyncio.run(engine(fake_openai).translate(items(same), CTX))
    assert not result.failed and result.texts == {f"s{i}": t for i, t in enumerate(same)}
    assert len(fake_openai.chat_requests("translate")) == 1


def test_cli_copy_persists_counts_as_untranslated(tmp_path, fake_openai):
    src = tmp_path / "n.en.md"
    src.write_text(DOC, encoding="utf-8")
    fake_openai.responder = copier
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": "", "XDG_CACHE_HOME": str(tmp_path / "c")}
    cli("translate", src, "--to", "es", "--model", "openai:fake", "--no-glossary", "--rounds", "0",
        "--report", tmp_path, "-q", env=env)
    report = json.loads((tmp_path / "n.es.report.json").read_text(encoding="utf-8"))
    status = {s["source"]: s["status"] for s in report["segments"]}
    assert all(status[p] == "fallback" for p in PROSE)
    assert status["Weekly notes"] != "fallback"  # a title may stay in English
    flagged = {s["id"] for s in report["suggestions"] if s["check"] == "llm-failed" and s["status"] == "open"}
    assert len(flagged) == len(PROSE)
    assert len([s for s in report["suggestions"] if s["check"] == "untranslated"]) >= len(PROSE)


# --- 2. the critic's sanity filter ---------------------------------------------


def _critique(fake, responder, drafts):
    fake.responder = responder
    its = [Item(f"s{i}", i, src, draft) for i, (src, draft) in enumerate(drafts)]
    return asyncio.run(engine(fake).critique(its, CTX))


DRAFTS = [
    ("The price of the model tripled in a year.", "El precio del modelo se tripleó en un año."),
    ("The news spread quickly among the researchers.", "La noticia se spreadó rápidamente entre los investigadores."),
    ("The lab will publish the weights next week.", "El laboratorio publicará los pesos la próxima semana."),
]


def test_whole_segment_invented_and_wrong_language_suggestions_are_discarded(fake_openai):
    def critic(req):
        d = {s["id"]: s["draft"] for s in req.segments}
        return {"suggestions": [
            {"id": "s0", "original": "se tripleó", "suggestion": "se triplicó", "severity": "major",
             "category": "fluency", "explanation": "Not a Spanish verb form."},
            {"id": "s0", "original": d["s0"], "suggestion": "El precio se triplicó.", "severity": "critical",
             "category": "accuracy", "explanation": "Wrong."},
            {"id": "s1", "original": "se spreadó", "suggestion": "se difundió", "severity": "major",
             "category": "fluency", "explanation": "Anglicism."},
            {"id": "s1", "original": "rápidamente", "suggestion": "the news was spread by all of them",
             "severity": "minor", "category": "style", "explanation": "English."},
            {"id": "s2", "original": "la próxima semana", "suggestion": "creará ejemplos nuevos para lectores",
             "severity": "major", "category": "accuracy", "explanation": "Invented."},
        ]}

    found, usage = _critique(fake_openai, by_task(critique=critic), DRAFTS)
    assert sorted((s.id, s.suggestion) for s in found) == [("s0", "se triplicó"), ("s1", "se difundió")]
    assert usage.discarded == 3


def test_an_all_critical_template_critique_is_asked_again_once_then_ignored(fake_openai):
    found, usage = _critique(fake_openai, by_task(critique=degenerate_critic), DRAFTS)
    assert found == []  # ignored: no suggestion, and no "llm-failed" flag either
    calls = fake_openai.chat_requests("critique")
    assert len(calls) == 2
    assert "critical" in json.dumps(calls[1].payload["errors"])
    assert usage.discarded == 2 * len(DRAFTS)


def test_a_retry_answering_nothing_keeps_the_earlier_valid_suggestions(fake_openai):
    replies = iter([
        {"suggestions": [
            {"id": "s0", "original": "se tripleó", "suggestion": "se triplicó", "severity": "major",
             "category": "fluency", "explanation": "Not a Spanish verb form."},
            {"id": "s0", "original": "no such words", "suggestion": "x", "severity": "minor",
             "category": "style", "explanation": "bad span"},
            {"id": "s1", "original": "se spreadó", "suggestion": "se difundió", "severity": "major",
             "category": "fluency", "explanation": "Anglicism."},
        ]},
        {"suggestions": []},
    ])
    found, _ = _critique(fake_openai, by_task(critique=lambda req: next(replies, {"suggestions": []})), DRAFTS)
    assert ("s0", "se triplicó") in [(s.id, s.suggestion) for s in found]
    assert ("s1", "se difundió") in [(s.id, s.suggestion) for s in found]
    assert len(fake_openai.chat_requests("critique")) == 2


def test_our_error_message_is_never_taken_as_an_explanation(fake_openai):
    def critic(req):
        errors = req.payload.get("errors") or []
        if not errors:
            return {"suggestions": [{"id": "s0", "original": "se tripleado", "suggestion": "se triplicó",
                                     "severity": "major", "category": "fluency", "explanation": "x"}]}
        return {"suggestions": [{"id": "s0", "original": "se tripleó", "suggestion": "se triplicó",
                                 "severity": "major", "category": "fluency", "explanation": errors[0]["error"]}]}

    found, usage = _critique(fake_openai, by_task(critique=critic), DRAFTS[:1])
    assert not [s for s in found if s.check != "llm-failed"]
    assert usage.discarded >= 1


# --- 3. revisions are accepted, not assumed -------------------------------------


def _seg(i, source):
    return Segment(f"s{i}", i, 0, len(source), source)


def test_the_gate_accepts_a_real_fix_and_refuses_a_no_op_or_a_worse_estimate():
    segs = {f"s{i}": _seg(i, src) for i, (src, _) in enumerate(DRAFTS)}
    texts = {f"s{i}": d for i, (_, d) in enumerate(DRAFTS)}
    ask = Suggestion("s0", "fluency", "major", "se tripleó", "se triplicó", "verb", "llm")
    ask1 = Suggestion("s1", "fluency", "major", "se spreadó", "se difundió", "anglicism", "llm")
    revised = {"s0": "El precio del modelo se triplicó en un año.",
               "s1": "La noticia se spreadó muy rápidamente entre los investigadores."}
    verdicts = revision.judge(segs, texts, revised, {"s0": [ask], "s1": [ask1]}, "en", "es")
    assert verdicts["s0"].accepted
    assert not verdicts["s1"].accepted and "unchanged" in verdicts["s1"].reason
    worse = revision.judge(segs, texts, {"s0": revised["s0"]}, {"s0": [ask]}, "en", "es",
                           estimate=lambda src, text: 1.0 if "triplicó" in text else 0.0)
    assert not worse["s0"].accepted and "estimate" in worse["s0"].reason


def test_the_gate_refuses_other_languages_duplicates_and_implausible_lengths():
    segs = {f"s{i}": _seg(i, src) for i, (src, _) in enumerate(DRAFTS)}
    texts = {f"s{i}": d for i, (_, d) in enumerate(DRAFTS)}
    asks = {sid: [Suggestion(sid, "accuracy", "major", "", "", "omission", "llm")] for sid in texts}
    revised = {
        "s0": "The price of the model has tripled in just one year.",  # English
        "s1": texts["s2"],  # another segment's text
        "s2": texts["s2"] + " " + texts["s2"] + " " + texts["s2"],  # three times as long
    }
    verdicts = revision.judge(segs, texts, revised, asks, "en", "es")
    assert not any(v.accepted for v in verdicts.values())
    assert "Spanish" in verdicts["s0"].reason or "copy" in verdicts["s0"].reason
    assert "same text" in verdicts["s1"].reason
    assert "length" in verdicts["s2"].reason


def test_done_means_a_degenerate_critic_and_an_inventing_reviser_change_nothing(tmp_path, fake_openai):
    """The issue's run: whole-segment critical spans with invented replacements,
    a reviser writing one invented sentence everywhere. No invented text is
    published, every draft is kept, the rejections are counted."""
    src = tmp_path / "n.en.md"
    src.write_text(DOC, encoding="utf-8")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": "", "XDG_CACHE_HOME": str(tmp_path / "c")}

    def critic(req):  # the degenerate form, plus one plausible-looking issue per segment so the reviser runs
        found = degenerate_critic(req)["suggestions"]
        for s in req.segments:
            found.append({"id": s["id"], "original": s["draft"].split()[1], "suggestion": "mejor",
                          "severity": "major", "category": "fluency", "explanation": "Awkward."})
        return {"suggestions": found}

    for append, out in ((False, "a"), (True, "b")):
        fake_openai.responder = by_task(translate=prefix("ES: "), critique=critic,
                                        revise=inventing_reviser(append=append))
        result = cli("translate", src, "--to", "es", "--model", "openai:fake", "--no-glossary", "--out",
                     tmp_path / out, "--report", tmp_path / out, "--no-cache", env=env)
        text = (tmp_path / out / "n.es.md").read_text(encoding="utf-8")
        report = json.loads((tmp_path / out / "n.es.report.json").read_text(encoding="utf-8"))
        assert INVENTED not in text and "mejor" not in text
        assert all(s["translation"] == "ES: " + s["source"] for s in report["segments"])  # every draft kept
        # the reviser's text is only in the report's record of what was refused
        assert INVENTED not in json.dumps({k: v for k, v in report.items() if k != "revisions"}, ensure_ascii=False)
        assert report["revisions"]["accepted"] == 0
        assert report["revisions"]["rejected"] == len(report["segments"])
        assert report["usage"]["revise"].get("rejected") == len(report["segments"])
        assert report["usage"]["critique"].get("discarded", 0) >= len(report["segments"])  # the whole-segment ones
        assert all(s["status"] == "rejected" for s in report["suggestions"] if s["suggestion"] == "mejor")
        assert "revisions rejected" in result.output


# --- 4. what a server can do, remembered -----------------------------------------


def _transport(fake, store):
    t = Transport("fake", base_url=fake.base_url, api_key="k", timeout=5, sleep=_sleep, rng=random.Random(0))
    t.capabilities = store
    return t


def _one_call(t):
    return asyncio.run(t.call("system", json.dumps({"task": "translate", "segments": []}), "translate", ["s0"]))


def test_the_mode_found_is_kept_for_the_next_run(tmp_path, fake_openai):
    fake_openai.like_llama_cpp()
    fake_openai.responder = lambda req: {"segments": [{"id": "s0", "text": "hola"}]}
    store = CapabilityStore(tmp_path / "memory.sqlite")
    assert _one_call(_transport(fake_openai, store)).data
    assert [r.mode for r in fake_openai.requests] == ["json_schema", "json_object"]
    forget_endpoints()  # a new process
    assert _one_call(_transport(fake_openai, store)).data
    assert [r.mode for r in fake_openai.requests[2:]] == ["json_object"]  # no refused probe again
    forget_endpoints()
    _one_call(_transport(fake_openai, CapabilityStore(None)))  # no memory: probed again
    assert [r.mode for r in fake_openai.requests[3:]] == ["json_schema", "json_object"]


def test_a_stored_mode_the_server_now_refuses_is_probed_again_and_replaced(tmp_path, fake_openai):
    fake_openai.responder = lambda req: {"segments": [{"id": "s0", "text": "hola"}]}
    store = CapabilityStore(tmp_path / "memory.sqlite")
    _one_call(_transport(fake_openai, store))
    assert store.load(fake_openai.base_url, "fake")["mode"] == "json_schema"
    forget_endpoints()
    fake_openai.like_llama_cpp()  # the server was replaced by llama.cpp on the same address
    assert _one_call(_transport(fake_openai, store)).data
    assert store.load(fake_openai.base_url, "fake")["mode"] == "json_object"


def test_cli_runs_share_the_mode_unless_no_cache(tmp_path, fake_openai):
    src = tmp_path / "n.en.md"
    src.write_text("# Hola\n\nA short note.\n", encoding="utf-8")
    fake_openai.like_llama_cpp()
    fake_openai.responder = prefix("ES: ")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": "", "XDG_CACHE_HOME": str(tmp_path / "c")}
    args = ("translate", src, "--to", "es", "--model", "openai:fake", "--no-glossary", "--rounds", "0", "-q")
    for n in range(2):
        forget_endpoints()
        src.write_text(f"# Hola\n\nA short note number {n}.\n", encoding="utf-8")
        assert cli(*args, env=env).exit_code == 0
    modes = [r.mode for r in fake_openai.requests]
    assert modes.count("json_schema") == 1 and modes[-1] == "json_object"
    forget_endpoints()
    before = len(fake_openai.requests)
    assert cli(*args, "--no-cache", env=env).exit_code == 0
    assert fake_openai.requests[before].mode == "json_schema"  # --no-cache: nothing remembered or read
