"""A glossary of many thousand rows costs what the document contains, not
what the glossary holds: only entries the document can contain are matched
and sent to Apertium, and a big file is parsed once."""

import csv
import random
import shutil

import pytest
from typer.testing import CliRunner

from translator.terms import cache as glossary_cache
from translator.terms import index as glossary_index

from translator.terms import match as terms
from translator.cli.main import app
from translator.terms.glossary import Glossary, Term, read_csv

runner = CliRunner()
WORDS = ("model data training foundation network layer token weight benchmark agent retrieval prompt "
         "laptop paper chart result user system language vision speech score test answer question").split()
INFLECTED = ["models", "trained", "networks", "layers", "tokens", "weights", "agents", "papers", "results"]


def big_glossary(n: int = 6000, seed: int = 1) -> Glossary:
    rng = random.Random(seed)
    vocab = WORDS + INFLECTED + [f"w{i}" for i in range(3000)]
    seen, rows = set(), []
    while len(rows) < n:
        s = " ".join(rng.choice(vocab) for _ in range(rng.choice((1, 2, 2, 3))))
        if s not in seen:
            seen.add(s)
            rows.append((s, "x" + s.replace(" ", "_")))
    rows += [("FlashAttention", "FlashAttention"), ("e-mail address", "dirección de correo"), ("GPT-4o", "GPT-4o")]
    return Glossary.from_pairs(rows, "en", "es")


TEXTS = ["The foundation models were trained on new data.", "Send your e-mail address and a chart of results.",
         "FlashAttention speeds up the layers; GPT-4o answers questions.", "Networks of agents read papers."]


def test_restricted_glossary_finds_exactly_what_the_full_one_finds():
    full = big_glossary()
    small = glossary_index.for_document(full, TEXTS)
    assert len(small.terms) < len(full.terms) / 5
    for text in TEXTS:
        assert [(h.term, h.start, h.end) for h in small.find(text)] == [(h.term, h.start, h.end) for h in full.find(text)]
    assert [t for t in small.terms] == [t for t in full.terms if t in set(small.terms)]  # glossary order


class Recorder:
    def __init__(self):
        self.prefetched: list[int] = []

    def renderings(self, term):
        return []

    def draft(self, source, span):
        return None

    def prefetch_terms(self, ts):
        self.prefetched.append(len(list(ts)))


def test_enforcement_prefetches_only_the_terms_found():
    g = big_glossary()
    hints = Recorder()
    pairs = [(TEXTS[0], "Los modelos fundacionales se entrenaron con datos nuevos.")]
    terms.prepare_enforcement(g, pairs, hints=hints)
    terms.enforce(g, pairs[0][0], pairs[0][1], "s1", hints=hints)
    found = {h.term for h in g.find(TEXTS[0])}
    assert hints.prefetched and max(hints.prefetched) <= len(found) < 20


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_cli_sends_only_the_documents_terms_to_apertium(tmp_path, monkeypatch):
    from translator.engines import apertium

    g = big_glossary()
    path = tmp_path / "big.en-es.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["source", "target"])
        w.writerows([(t.source, t.target) for t in g.terms])
    sizes: list[int] = []
    real = apertium.ApertiumHints.prefetch_terms

    def spy(self, ts):
        ts = list(ts)
        sizes.append(len(ts))
        return real(self, ts)

    monkeypatch.setattr(apertium.ApertiumHints, "prefetch_terms", spy)
    (tmp_path / "two.en.txt").write_text(TEXTS[0] + "\n" + TEXTS[3] + "\n", encoding="utf-8")
    r = runner.invoke(app, ["translate", str(tmp_path / "two.en.txt"), "--from", "en", "--to", "es", "--model",
                            "apertium", "--glossary", str(path), "--out", str(tmp_path / "out")],
                      env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "XDG_CACHE_HOME": str(tmp_path / "c")})
    assert r.exit_code == 0, r.output
    assert sizes and max(sizes) < 50  # before: every one of the 6,003 entries
    assert "xdata" in (tmp_path / "out" / "two.es.txt").read_text(encoding="utf-8")


def test_big_file_is_parsed_once_and_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(glossary_cache, "BIG", 1000)
    path = tmp_path / "g.en-es.csv"
    path.write_text("source,target,note\n" + "".join(f"term {i},término {i},n{i}\n" for i in range(500)), encoding="utf-8")
    first = read_csv(path)
    glossary_cache._PARSED.clear()
    calls = []
    monkeypatch.setattr(glossary_cache, "parse_csv", lambda *a: calls.append(a) or ([], []))
    again = read_csv(path)
    assert calls == [] and again.terms == first.terms and again.terms[3] == Term("term 3", "término 3", "n3")
    path.write_text(path.read_text(encoding="utf-8") + "new,nuevo,\n", encoding="utf-8")
    glossary_cache._PARSED.clear()
    read_csv(path)
    assert len(calls) == 1  # changed content: parsed again
