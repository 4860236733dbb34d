"""A short word in capitals stands for itself. spaCy's lookup tables hold
contraction pieces under the same letters ("ai" of "ain't" → "have"), so a
user's glossary entry "AI,IA" used to match every "have": Apertium's
"Tenemos un plan" came out as "IA un plan". The same junk made the context
word "AI" of the default entries true near any "have" ("specially trained
colleagues" in news got a "training → entrenamiento" finding)."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from translator.cli.main import app
from translator.terms.glossary import read_csv
from translator.terms.lemmas import lemmatizer


@pytest.mark.parametrize("lang, word, keys", [
    ("en", "AI", {"ai"}),  # the table: ai → have
    ("en", "IS", {"is"}),  # is → be
    ("en", "AWS", {"aws"}),  # aws → aw
    ("es", "UN", {"un"}),  # un → uno
    ("es", "ML", {"ml"}),  # ml → mililitro
])
def test_a_short_word_in_capitals_is_not_looked_up(lang, word, keys):
    assert lemmatizer(lang).keys(word) == keys
    assert lemmatizer(lang).key(word) == word.lower()


def test_other_words_keep_their_lemmas():
    en = lemmatizer("en")
    assert en.key("MODELS") == "model"  # a heading in capitals is still looked up
    assert "have" in en.keys("has") and "be" in en.keys("is")
    assert "gpu" in en.keys("GPUs")  # a plural acronym still meets its singular


def test_an_entry_for_ai_does_not_match_have(tmp_path):
    path = tmp_path / "mine.en-es.csv"
    path.write_text("source,target\nAI,IA\n", encoding="utf-8")
    glossary = read_csv(path)
    assert glossary.find("We have a plan and we have time.") == []
    assert [h.text for h in glossary.find("AI labs have GPUs.")] == ["AI"]


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_translate_with_an_ai_entry_leaves_have_alone(tmp_path):
    src = tmp_path / "plan.en.txt"
    src.write_text("We have a plan and we have time.\n", encoding="utf-8")
    glossary = tmp_path / "mine.en-es.csv"
    glossary.write_text("source,target\nAI,IA\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["translate", str(src), "--to", "es", "--model", "apertium", "-q",
                                 "--glossary", str(glossary), "--out", str(tmp_path / "out")],
                           env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert r.exit_code == 0, r.output
    out = (tmp_path / "out" / "plan.es.txt").read_text(encoding="utf-8")
    assert out.startswith("Tenemos un plan") and "IA" not in out


def test_review_of_general_news_raises_no_training_finding(tmp_path):
    src, tgt = tmp_path / "news.en.txt", tmp_path / "news.es.txt"
    src.write_text("We've also invested in specially trained colleagues who will be on hand to offer advice.\n",
                   encoding="utf-8")
    tgt.write_text("Además, hemos invertido en un personal especializado que estará disponible para ofrecer "
                   "asesoramiento.\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["review", str(src), str(tgt), "--from", "en", "--to", "es", "--json"],
                           env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    report = report[0] if isinstance(report, list) else report
    assert [i for i in report["issues"] if i["check"] == "glossary-term"] == []
