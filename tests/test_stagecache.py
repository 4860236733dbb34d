"""The stage cache: answers kept between runs, and nothing read or kept under `off()` (--no-cache);
and a converted page takes its title from TOML front matter as from YAML."""

from translator import stagecache


def _counting():
    calls = []

    def compute(todo):
        calls.append(list(todo))
        return {t: t.upper() for t in todo}

    return calls, compute


def test_answers_are_kept_for_the_next_call(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calls, compute = _counting()
    assert stagecache.cached_map("t", "v1", ["a", "b", "a"], compute) == {"a": "A", "b": "B"}
    assert stagecache.cached_map("t", "v1", ["b", "c"], compute) == {"b": "B", "c": "C"}
    assert calls == [["a", "b"], ["c"]]
    stagecache.cached_map("t", "v2", ["a"], compute)  # a new version of the data: computed again
    assert calls[-1] == ["a"]


def test_off_computes_everything_and_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calls, compute = _counting()
    with stagecache.off():
        assert stagecache.cached_map("t", "v1", ["a"], compute) == {"a": "A"}
        assert stagecache.cached_map("t", "v1", ["a"], compute) == {"a": "A"}
    assert calls == [["a"], ["a"]]
    assert not list(tmp_path.rglob("stage-cache*"))
    stagecache.cached_map("t", "v1", ["a"], compute)  # on again after the block
    assert len(calls) == 3


def test_markdown_to_html_takes_the_title_of_toml_front_matter_too():
    from translator.io import writer

    page = writer._markdown_to_html('+++\ntitle = "Notas"\n+++\n# Hola\n', "html", "es")
    assert "<title>Notas</title>" in page and "+++" not in page
