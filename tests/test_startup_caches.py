"""Start-up caches (issue 14, item 6): the lemma tables read a piece at a time
from an index in the user's cache, and the analyser's and Hunspell's answers
kept between runs. Each gives what the old whole-table / live-process path gave."""

import gzip
import json
import shutil
from importlib import metadata
from importlib.resources import files

import pytest

from translator import stagecache
from translator.terms import lemmatable, lexicon
from translator.terms.lemmas import Lemmatizer


def _json_table(lang):
    """The table as the old path read it: the JSON, first lemma of a list."""
    raw = json.loads(gzip.decompress((files("spacy_lookups_data") / "data" / f"{lang}_lemma_lookup.json.gz")
                                     .read_bytes()))
    return {f: (v[0] if isinstance(v, list) else v) for f, v in raw.items()}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "newsletter-translator"


def test_lemmas_from_the_index_are_those_of_the_json(cache):
    old = _json_table("es")
    table, lemmas = lemmatable.load("es")
    assert (cache / f"{lemmatable.FORMAT}-es-{metadata.version('spacy-lookups-data')}.bin").is_file()
    table, lemmas = lemmatable.load("es")  # now from the index file
    assert len(table) == len(old)
    assert table.get("modelos") == old["modelos"] == "modelo"
    assert table.get("modelo") == old["modelo"] == "modelar"  # the table's quirk, kept
    assert "modelar" in lemmas and "modelo" in lemmas and "modelos" not in lemmas
    assert table.get("blorfos") is None and "blorfos" not in table and "" not in lemmas
    sample = list(old)[::997]
    assert [table.get(f) for f in sample] == [old[f] for f in sample]


def test_a_lookup_loads_one_piece_not_the_table(cache):
    lemmatable.load("es")
    table, _ = lemmatable.load("es")
    assert table.get("investigadores") == "investigador"
    assert len(table._pieces.loaded) == 1 < len(table._pieces.bounds)


def test_keys_are_the_same_from_the_index(cache):
    lem = Lemmatizer("es")
    assert lem.key("modelos") == "modelo"
    assert lem.key("modelo") == "modelo"  # a base form stays itself
    assert lem.key("investigadores") == "investigador"
    assert Lemmatizer("en").key("models") == "model"


def test_the_index_is_rebuilt_for_another_table_version(cache, monkeypatch):
    lemmatable.load("en")
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "9.9.9" if name == "spacy-lookups-data" else real(name))
    table, _ = lemmatable.load("en")
    assert (cache / f"{lemmatable.FORMAT}-en-9.9.9.bin").is_file()
    assert table.get("models") == "model"


def test_a_damaged_or_stale_index_is_rebuilt(cache):
    lemmatable.load("en")
    path = lemmatable.index_path("en", metadata.version("spacy-lookups-data"))
    path.write_bytes(path.read_bytes()[:5000])  # cut short
    table, _ = lemmatable.load("en")
    assert table.get("models") == "model"
    assert lemmatable._open(path, metadata.version("spacy-lookups-data"), "en") is not None  # whole again
    assert lemmatable._open(path, "0.0.1", "en") is None  # the header names the version it was built from


def test_an_index_of_the_right_size_with_other_bytes_is_not_trusted(cache):
    """Written without fsync, a file can survive a crash at its full size with
    zeros in it: the pieces' CRCs catch it, the run answers from the JSON table
    and the file is removed, to be built again by the next run."""
    lemmatable.load("es")
    path = lemmatable.index_path("es", metadata.version("spacy-lookups-data"))
    data = bytearray(path.read_bytes())
    data[len(data) // 2:] = bytes(len(data) - len(data) // 2)  # the second half zeroed, the size kept
    path.write_bytes(bytes(data))
    table, lemmas = lemmatable.load("es")
    assert table.get("wsxyz") is None  # a form in a piece of the zeroed half
    assert table.get("zanahorias") == "zanahoria" and "zanahoria" in lemmas
    assert table.get("modelos") == "modelo" and not path.exists()
    table, _ = lemmatable.load("es")  # built again
    assert path.is_file() and table.get("zanahorias") == "zanahoria"


def test_an_unwritable_cache_keeps_the_table_in_memory(cache, monkeypatch):
    def refuse(*a):
        raise OSError("read-only")

    monkeypatch.setattr(lemmatable, "_write", refuse)
    table, lemmas = lemmatable.load("es")
    assert table.get("modelos") == "modelo" and "modelar" in lemmas and len(table) == len(_json_table("es"))


def test_no_table_for_a_language(cache):
    table, lemmas = lemmatable.load("qq")
    assert not table and not lemmas and table.get("x") is None


needs_apertium = pytest.mark.skipif(not lexicon.lexicon("es").analyser or not shutil.which("hunspell"),
                                    reason="apertium-eng-spa or hunspell not installed")


@needs_apertium
def test_analyser_and_spelling_answers_last_between_runs(cache, monkeypatch):
    words = ["borrará", "definires", "modelos", "Investigadores"]
    first = lexicon.Lexicon("es")
    first.prefetch(words)
    before = {w: (first.analyses(w), first.is_word(w)) for w in words}
    stagecache.disk_cache().flush()

    again = lexicon.Lexicon("es")  # the next run: no process may start
    monkeypatch.setattr(lexicon.LtProc, "ask", lambda self, text: pytest.fail(f"lt-proc asked {text!r}"))
    monkeypatch.setattr(lexicon.subprocess, "run", lambda *a, **k: pytest.fail("hunspell -l run"))
    monkeypatch.setattr(lexicon.Hunspell, "knows", lambda self, w: pytest.fail(f"hunspell asked {w!r}"))
    again.prefetch(words)
    assert {w: (again.analyses(w), again.is_word(w)) for w in words} == before
    assert before["definires"][1] is False and before["borrará"][1] is True


@needs_apertium
def test_no_cache_asks_the_processes(cache, monkeypatch):
    lexicon.Lexicon("es").prefetch(["borrará"])
    stagecache.disk_cache().flush()
    asked = []
    real = lexicon.LtProc.ask
    monkeypatch.setattr(lexicon.LtProc, "ask", lambda self, text: asked.append(text) or real(self, text))
    with stagecache.off():
        lex = lexicon.Lexicon("es")
        lex.prefetch(["borrará"])
        assert lex.is_word("borrará")
    assert "borrará" in asked


def test_adequacy_chrf_is_sacrebleus():
    import random

    from sacrebleu.metrics import CHRF

    from translator.qa.qe.adequacy import similarity

    rng = random.Random(7)
    alphabet = "abcdeé ñ.,¿?  \n\t"
    pairs = [("", ""), ("a", ""), ("", "a"), ("abc", "abc"), ("x" * 10, "x" * 3),
             ("The new model is faster.", "El modelo nuevo es más rápido.")]
    for _ in range(2000):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        pairs += [(a, b), (a, a[: len(a) // 2] + b)]
    assert [similarity(a, b) for a, b in pairs] == [CHRF().sentence_score(a, [b]).score for a, b in pairs]


def test_plain_language_codes_are_what_langcodes_says(monkeypatch):
    import langcodes

    from translator.segment import langtags

    shortcut = {code: langtags.check(f" {code} ") for code in langtags.PLAIN}
    monkeypatch.setattr(langtags, "PLAIN", frozenset())  # the langcodes path
    for code in shortcut:
        tag = langcodes.get(code)
        assert tag.is_valid() and tag.language and str(tag) == code
        assert shortcut[code] == langtags.check(f" {code} ") == code


@needs_apertium
def test_answers_of_another_dictionary_version_are_not_used(cache, monkeypatch):
    lexicon.Lexicon("es").prefetch(["borrará"])
    stagecache.disk_cache().flush()
    lex = lexicon.Lexicon("es")
    lex._version = ("another analyser", "another dictionary")  # as after an upgrade of apertium-eng-spa
    asked = []
    real = lexicon.LtProc.ask
    monkeypatch.setattr(lexicon.LtProc, "ask", lambda self, text: asked.append(text) or real(self, text))
    lex.prefetch(["borrará"])
    assert "borrará" in asked and lex.is_word("borrará")


def test_the_whole_table_files_of_earlier_releases_are_removed(cache):
    cache.mkdir(parents=True)
    old = cache / "lemma-lookup-v2-en-1.0.5.marshal"
    old.write_bytes(b"old")
    other = cache / "lemma-lookup-v2-es-1.0.5.marshal"
    other.write_bytes(b"old")
    lemmatable.load("en")
    assert not old.exists() and other.exists()  # only the language whose index was built
