"""The pre-publish review: structure alignment, the five classic damages, the
gate through the CLI, target-only review."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translator.qa import review
from translator.cli.review import make_app
from translator.errors import InputError
from translator.terms.glossary import load_glossary

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "review"
SRC, GOOD = FIX / "issue-07.en.html", FIX / "issue-07.es.html"
SEED = ROOT.parent / "shared" / "seeds" / "001_2e8f3ad32d4320a0.txt"
runner = CliRunner()


def swap(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def damaged() -> str:
    """The good translation after an unlucky edit: a link removed, a number
    changed, a sentence dropped, a paragraph left in English, a glossary
    term broken."""
    en, es = SRC.read_text(encoding="utf-8"), GOOD.read_text(encoding="utf-8")
    d = swap(es, '<a href="https://example.org/flash">FlashAttention</a>', "FlashAttention")
    d = swap(d, "12.900 millones", "21.900 millones")
    d = swap(d, " Varios fundadores nos dijeron que los márgenes ya son escasos y que una guerra de precios "
                "no beneficia a nadie a largo plazo.", "")
    english = en.split("<p>AI21 Labs")[1].split("</p>")[0]
    spanish = es.split("<p>AI21 Labs")[1].split("</p>")[0]
    d = swap(d, spanish, english)
    return swap(d, "modelos fundacionales", "modelos de fundación")


@pytest.fixture(scope="module")
def glossary():
    return load_glossary([ROOT / "translator" / "glossaries" / "ai.en-es.csv"], "en", "es")


@pytest.fixture()
def bad(tmp_path) -> Path:
    path = tmp_path / "issue-07.es.html"
    path.write_text(damaged(), encoding="utf-8")
    return path


# --- alignment -------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ([1, 2, 3], [1, 2, 3], [(0, 0), (1, 1), (2, 2)]),
        ([1, 2, 3, 4], [1, 3, 4], [(0, 0), (1, None), (2, 1), (3, 2)]),
        ([1, 3, 4], [1, 2, 3, 4], [(0, 0), (None, 1), (1, 2), (2, 3)]),
        ([1, 2], [], [(0, None), (1, None)]),
        ([], [7], [(None, 0)]),
        ([1, 2, 3], [9, 9, 9], [(0, None), (1, None), (2, None), (None, 0), (None, 1), (None, 2)]),
    ],
)
def test_align_known_answers(a, b, expected):
    got = review.align(a, b, lambda x, y: 1.0 if x == y else 0.0, threshold=0.5)
    matched = [p for p in got if None not in p]
    assert matched == [p for p in expected if None not in p]
    assert sorted(i for i, _ in got if i is not None) == list(range(len(a)))
    assert sorted(j for _, j in got if j is not None) == list(range(len(b)))


def test_align_long_sequences_stay_banded():
    a = list(range(3000))
    b = [x for x in a if x % 500 != 7]  # 6 dropped
    got = review.align(a, b, lambda x, y: 1.0 if x == y else 0.0, threshold=0.5)
    assert sum(1 for i, j in got if j is None) == 6
    assert all(a[i] == b[j] for i, j in got if i is not None and j is not None)


# --- the untouched and the damaged translation --------------------------------------


def test_untouched_translation_is_clean(glossary):
    r = review.review_files(GOOD, source=SRC, target_lang="es", glossary=glossary)
    assert r.passed("critical")
    assert {u.status for u in r.units} == {"aligned"}
    assert [s for s in r.suggestions if s.origin == "check"] == []


def test_five_damages_are_reported(bad, glossary):
    r = review.review_files(bad, source=SRC, target_lang="es", glossary=glossary)
    got = {(s.check, s.category) for s in r.suggestions}
    assert ("links", "markup") in got  # the FlashAttention link
    assert ("numbers", "accuracy") in got  # 12.9 billion → 21.900 millones
    assert ("dropped-sentence", "accuracy") in got
    assert ("untranslated", "accuracy") in got
    assert ("glossary-forbidden", "terminology") in got  # modelos de fundación
    by_check = {s.check: s for s in r.suggestions}
    assert by_check["links"].suggestion == "https://example.org/flash"
    assert by_check["numbers"].original == "21.900 millones"
    assert "Several founders" in by_check["dropped-sentence"].suggestion
    assert by_check["glossary-forbidden"].original == "modelos de fundación"
    untranslated = {s.id for s in r.suggestions if s.check == "untranslated"}
    assert untranslated == {"s16", "s17", "s18"}  # the three sentences of the English paragraph
    assert not r.passed("major")
    assert not r.passed("critical")  # the forbidden term is critical


def test_dropped_and_added_blocks_do_not_shift_the_rest(tmp_path):
    src = tmp_path / "notes.en.md"
    src.write_text(MD_SRC, encoding="utf-8")
    tgt = tmp_path / "notes.es.md"
    second = "El segundo párrafo explica por qué los modelos pequeños importan a equipos con 3 GPU.\n\n"
    tgt.write_text(MD_ES.replace(second, "")
                   .replace("El cuarto", "Un párrafo nuevo que nadie pidió y que no está en el original.\n\nEl cuarto"),
                   encoding="utf-8")
    r = review.review_files(tgt, source=src, target_lang="es")
    checks_found = sorted((s.check, s.id) for s in r.suggestions)
    assert [c for c in checks_found if c[0] in ("dropped-block", "added-block")] == [
        ("added-block", "t5"), ("dropped-block", "s4")]
    assert {s.check for s in r.suggestions} <= {"dropped-block", "added-block"}
    statuses = [u.status for u in r.units]
    assert statuses.count("missing") == 1 and statuses.count("added") == 1


def test_markdown_pair_is_clean_and_frontmatter_keys_are_checked(tmp_path):
    src = tmp_path / "notes.en.md"
    src.write_text(MD_SRC, encoding="utf-8")
    tgt = tmp_path / "notes.es.md"
    tgt.write_text(MD_ES, encoding="utf-8")
    assert review.review_files(tgt, source=src, target_lang="es").suggestions == []
    tgt.write_text(MD_ES.replace("slug: weekly-notes\n", ""), encoding="utf-8")
    got = review.review_files(tgt, source=src, target_lang="es").suggestions
    assert [(s.check, s.suggestion) for s in got] == [("frontmatter", "slug")]


def test_markdown_link_changed_and_reference_link(tmp_path):
    src = tmp_path / "notes.en.md"
    src.write_text(MD_SRC, encoding="utf-8")
    tgt = tmp_path / "notes.es.md"
    tgt.write_text(MD_ES.replace("https://example.com/guide", "https://example.com/gide")
                   .replace("https://example.com/talks", "https://example.com/es/talks"), encoding="utf-8")
    got = {(s.check, s.category, s.original) for s in review.review_files(tgt, source=src, target_lang="es").suggestions}
    assert got == {("links", "accuracy", "https://example.com/gide"),
                   ("links", "locale", "https://example.com/es/talks")}


def test_sentence_count_mismatch_reviews_the_whole_block():
    from translator.io.reader import parse

    src = parse("<p>One thing. Two things are here. Three things now.</p>", "html", source_lang="en")
    tgt = parse("<p>Una cosa y dos cosas están aquí. Tres cosas ahora.</p>", "html", source_lang="es")
    r = review.review_documents(src, tgt, "es")
    assert [(u.status, u.source_ids, u.target_ids) for u in r.units] == [("block", ("s1", "s2", "s3"), ("s1", "s2"))]
    # merged, not dropped: the length is right, so only a minor note
    assert [(s.check, s.severity) for s in r.suggestions] == [("dropped-sentence", "minor")]


def test_swapped_files_are_refused():
    with pytest.raises(InputError, match="swapped"):
        review.review_files(SRC, source=GOOD, target_lang="es")


# --- target-only -------------------------------------------------------------------


def test_target_only_runs_the_checks_that_need_no_source(tmp_path, glossary):
    page = tmp_path / "nota.es.txt"
    page.write_text(
        "Datos BRICS presentó un modelo nuevo hoy.\n"
        "Entonces nos preguntamos qué pasará después?\n"
        "This line was never translated into Spanish by anyone at all.\n"
        "El *asombroso modelo llega mañana a todos.\n", encoding="utf-8")
    r = review.review_files(page, target_lang="es", glossary=glossary)
    got = sorted((s.id, s.check) for s in r.suggestions)
    assert got == [("s1", "glossary-forbidden"), ("s2", "spanish-punctuation"),
                   ("s3", "wrong-language"), ("s4", "engine-marks")]
    assert r.terms["forbidden_found"] == 1


@pytest.mark.skipif(not SEED.is_file(), reason="shared seeds not available")
def test_target_only_seed_lists_forbidden_names(glossary):
    r = review.review_files(SEED, target_lang="es", glossary=glossary)
    wrong = {s.original for s in r.suggestions if s.check == "glossary-forbidden"}
    assert {"Datos BRICS", "Tipo de serpiente venenosa", "Gamba"} <= wrong
    assert any(w.lower().startswith("conmutador") for w in wrong)
    assert all(s.category == "terminology" for s in r.suggestions if s.check.startswith("glossary"))


# --- the CLI --------------------------------------------------------------------------


def test_cli_gate(bad, tmp_path):
    app = make_app()
    html = tmp_path / "report.html"
    res = runner.invoke(app, ["review", str(SRC), str(bad), "--to", "es", "--fail-on", "major", "--html", str(html)])
    assert res.exit_code == 1, res.output
    assert "Gate (--fail-on major): FAIL" in res.output
    assert html.is_file() and "<table id=\"side\">" in html.read_text(encoding="utf-8")
    res = runner.invoke(app, ["review", str(SRC), str(GOOD), "--to", "es", "--fail-on", "critical"])
    assert res.exit_code == 0, res.output
    assert "PASS" in res.output


def test_cli_json_summary(bad):
    res = runner.invoke(make_app(), ["review", str(SRC), str(bad), "--to", "es", "--json", "--no-glossary",
                                     "--max-penalty", "1000"])
    assert res.exit_code == 0  # gate at critical, and without the glossary nothing is critical
    data = json.loads(res.stdout)
    assert data["gate"] == {"fail_on": "critical", "passed": True, "blocking": 0, "max_penalty": 1000.0,
                            "over_max_penalty": False}
    assert data["counts"]["open"]["major"] == len([i for i in data["issues"] if i["severity"] == "major"])
    assert {i["check"] for i in data["issues"]} == {"links", "numbers", "dropped-sentence", "untranslated"}


def test_cli_report_json_schema(bad, tmp_path):
    out = tmp_path / "r.json"
    runner.invoke(make_app(), ["review", str(SRC), str(bad), "--to", "es", "--report", str(out), "--json"])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"source", "target_lang", "engine", "segments", "suggestions", "usage", "score", "counts"} <= set(data)
    assert set(data["segments"][0]) >= {"id", "source", "translation", "status"}
    assert set(data["suggestions"][0]) >= {"id", "category", "severity", "original", "suggestion", "explanation",
                                           "origin", "status"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["review", "missing.html", "--to", "es"], "Error: missing.html: cannot read"),
        (["review", str(GOOD), "--to", "es", "-g", "nope.csv"], "Error: nope.csv: no such glossary"),
        (["review", str(GOOD), str(SRC), "--to", "es"], "swapped"),
    ],
)
def test_cli_errors(args, message):
    res = runner.invoke(make_app(), args)
    assert res.exit_code == 2  # an error, not a failed gate (1)
    assert message in res.output
    assert "Traceback" not in res.output


def test_cli_wrong_argument_count():
    res = runner.invoke(make_app(), ["review", "a", "b", "c", "--to", "es"])
    assert res.exit_code == 2


@pytest.mark.parametrize("sample", sorted((ROOT / "samples").glob("*.*.*")), ids=lambda p: p.name)
def test_cli_target_only_on_every_sample(sample, tmp_path):
    lang = re.search(r"\.([a-z]{2})\.[a-z]+$", sample.name).group(1)
    html = tmp_path / "r.html"
    res = runner.invoke(make_app(), ["review", str(sample), "--to", lang, "--html", str(html), "--json"])
    assert res.exit_code in (0, 1), res.output
    assert json.loads(res.stdout)["mode"] == "target-only"
    assert html.is_file()


MD_SRC = """---
title: Weekly notes
date: 2026-03-01
slug: weekly-notes
---

# Weekly notes

The first paragraph talks about [our new guide](https://example.com/guide) and its 12 chapters.

The second paragraph explains why small models matter for teams with 3 GPUs.

The third paragraph lists the events of March and the [2 talks](https://example.com/talks) we will give.

The fourth paragraph closes the issue with thanks to our 250 readers.

Thanks for reading!
"""

MD_ES = """---
title: Notas semanales
date: 2026-03-01
slug: weekly-notes
---

# Notas semanales

El primer párrafo habla de [nuestra nueva guía](https://example.com/guide) y de sus 12 capítulos.

El segundo párrafo explica por qué los modelos pequeños importan a equipos con 3 GPU.

El tercer párrafo enumera los eventos de marzo y las [2 charlas](https://example.com/talks) que daremos.

El cuarto párrafo cierra el número con un agradecimiento a nuestros 250 lectores.

¡Gracias por leernos!
"""
