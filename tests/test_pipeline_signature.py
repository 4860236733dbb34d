"""The run's signature keys the memory (as before: an existing memory stays
valid) and is in the report; a run and its dry run prepare a file alike; a
failure is carried as data."""

import asyncio
import hashlib
import json
from pathlib import Path

from translator.document import Suggestion, Translation
from translator.engines.base import EngineResult
from translator.memory.store import Memory
from translator.pipeline import failures, prepare
from translator.pipeline.agents import Outcome
from translator.pipeline.run import Job
from translator.pipeline.setup import checked
from translator.pipeline.signature import RunSignature
from translator.terms.glossary import Glossary, Term

ROOT = Path(__file__).resolve().parents[1]


class Echo:
    name = "echo"
    fingerprint = "echo|v1"

    def check(self, source_lang, target_lang):
        pass

    async def translate(self, items, ctx):
        return EngineResult({it.id: it.source for it in items})


def legacy_fingerprint(engine, glossary, rounds):
    """The settings fingerprint as pipeline/run.py built it before RunSignature."""
    parts = [engine.name, str(rounds), getattr(engine, "fingerprint", "")]
    if glossary is not None:
        parts.extend(f"{t.source}\x1e{t.target}\x1e{t.dnt}\x1e{'|'.join(t.forbidden)}" for t in glossary.terms)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def test_memory_keys_are_those_of_earlier_versions():
    g = Glossary("en", "es", (Term("model", "modelo"), Term("GPU", "GPU", dnt=True, forbidden=("gepeú",))))
    for glossary in (None, g):
        sig = RunSignature.of(Echo(), glossary, 2, "en", "es")
        assert sig.fingerprint == legacy_fingerprint(Echo(), glossary, 2)
        assert sig.memory_key("Hello.") == Memory.key("echo", "en", "es", sig.fingerprint, "Hello.")
    sig = RunSignature.of(Echo(), g, 1, "en", "es")
    assert sig.glossary_terms == 2 and sig.glossary_hash and sig.engine_fingerprint == "echo|v1"
    assert RunSignature.of(Echo(), None, 1, "en", "es").glossary_hash is None


def test_the_report_records_the_run(tmp_path):
    from typer.testing import CliRunner

    from translator.cli.main import app

    src = tmp_path / "note.en.md"
    src.write_text("# Models\n\nA model runs on a GPU.\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["translate", str(src), "--to", "es", "--from", "en", "--model", "apertium", "--no-cache",
                                 "--report", str(tmp_path / "r"), "-q"],
                           env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert r.exit_code == 0, r.output
    run = json.loads((tmp_path / "r" / "note.es.report.json").read_text(encoding="utf-8"))["run"]
    assert run["engine"] == "apertium" and run["target_lang"] == "es" and run["rounds"] == 1
    assert len(run["fingerprint"]) == 16


def test_chinese_names_are_protected_in_the_prepared_glossary_and_keys(tmp_path):
    src = tmp_path / "brief.zh.txt"
    src.write_text("Stability AI推出了Stable Audio Open。\n", encoding="utf-8")
    job = Job(target_lang="en", source_lang="zh")
    doc = asyncio.run(prepare.read(src, job))
    prep = asyncio.run(prepare.prepare(doc, job, checked(Echo()), lambda s, t: None))
    assert {t.source for t in prep.glossary.terms} >= {"Stability AI", "Stable Audio Open"}
    assert prep.signature.glossary_terms == len(prep.glossary.terms)
    assert prep.memory_keys() == {s.id: prep.signature.memory_key(s.source) for s in prep.doc.segments}


def test_a_failure_is_data():
    explanation = ("The model gave no usable translate reply after 3 attempt(s) (the text is a copy of the English "
                   "source; write it in Spanish); the source text was kept, untranslated.")
    found = failures.from_engine([
        Suggestion("s1", "accuracy", "critical", "", "", explanation, "llm", "open", "llm-failed"),
        Suggestion("s2", "accuracy", "critical", "", "", "Apertium could not translate this segment.",
                   "engine", "open", "engine-fallback"),
        Suggestion("s3", "fluency", "minor", "", "", "A minor issue.", "check", "open", "grammar"),
    ])
    assert set(found) == {"s1", "s2"}
    assert found["s1"].kind == "copied-source" and found["s1"].answered
    assert found["s2"] == failures.Failure("s2", "engine-fallback", "Apertium could not translate this segment")
    outcome = Outcome({"s3": Translation("s3", "x", "fallback")}, [], failures={"s1": found["s1"]})
    assert outcome.failures["s1"].reason.startswith("the text is a copy")


def test_a_changed_condition_column_changes_the_memory_keys():
    """The case, part-of-speech and context columns change what a repair does,
    so an entry that gains one gives other memory keys (and a plain entry keeps
    the keys of earlier versions, as above)."""
    plain = Glossary("en", "es", (Term("training", "entrenamiento"),))
    seen = {RunSignature.of(Echo(), plain, 1, "en", "es").fingerprint}
    for term in (Term("training", "entrenamiento", context=("model", "GPU")),
                 Term("training", "entrenamiento", context=("model",)),
                 Term("training", "entrenamiento", pos="noun"),
                 Term("training", "entrenamiento", case_sensitive=True)):
        seen.add(RunSignature.of(Echo(), Glossary("en", "es", (term,)), 1, "en", "es").fingerprint)
    assert len(seen) == 5


def test_an_apertium_translation_written_by_older_term_matching_is_not_reused(monkeypatch):
    """Apertium costs nothing to run again: a release that changes how terms
    are found or repaired (terms.MATCHING) keys its translations anew, so an
    upgrade does not keep serving what the old code wrote."""
    from translator.engines import apertium

    glossary = Glossary("en", "es", (Term("model", "modelo"),))
    now = RunSignature.of(apertium.ApertiumEngine(), glossary, 1, "en", "es")
    monkeypatch.setattr(apertium, "MATCHING", "1999-01-01")
    before = RunSignature.of(apertium.ApertiumEngine(), glossary, 1, "en", "es")
    assert now.engine_fingerprint.startswith("terms@") and now.fingerprint != before.fingerprint
    assert now.memory_key("Hello.") != before.memory_key("Hello.")
