"""`translator glossary …` through typer's CliRunner (the sub-app alone)."""


import pytest
from typer.testing import CliRunner

from translator.cli.glossary import app
from translator.terms.glossary import read_csv

HEADER = "source,target,note,pos,case_sensitive,dnt,forbidden\n"


@pytest.fixture
def runner():
    return CliRunner()


def test_add_list_remove(tmp_path, runner):
    g = tmp_path / "ai.en-es.csv"
    r = runner.invoke(app, ["add", "foundation model", "modelo fundacional", "-g", str(g),
                            "--forbidden", "modelo de fundación|modelo base", "--note", "LLM sense"])
    assert r.exit_code == 0, r.output
    assert 'added "foundation model" → "modelo fundacional"' in r.output
    r = runner.invoke(app, ["add", "Mamba", "-g", str(g), "--dnt", "--case-sensitive"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["add", "foundation model", "modelo base", "-g", str(g)])
    assert r.exit_code == 1 and "Error:" in r.output and "--replace" in r.output
    r = runner.invoke(app, ["add", "prompt", "-g", str(g)])
    assert r.exit_code == 1 and "--dnt" in r.output
    terms = read_csv(g).terms
    assert [(t.source, t.target, t.dnt, t.forbidden) for t in terms] == [
        ("foundation model", "modelo fundacional", False, ("modelo de fundación", "modelo base")),
        ("Mamba", "Mamba", True, ())]
    r = runner.invoke(app, ["list", "mamba", "-g", str(g)])
    assert r.exit_code == 0
    assert "Mamba → Mamba  [dnt, case]" in r.output and "foundation" not in r.stdout
    r = runner.invoke(app, ["remove", "Foundation Model", "-g", str(g)])
    assert r.exit_code == 0 and [t.source for t in read_csv(g).terms] == ["Mamba"]
    r = runner.invoke(app, ["remove", "nothing", "-g", str(g)])
    assert r.exit_code == 1 and 'Error: "nothing" is not in the glossary' in r.output


def test_list_reads_directories(tmp_path, runner):
    (tmp_path / "a.en-es.csv").write_text(HEADER + "token,token,,,,,\n", encoding="utf-8")
    (tmp_path / "b.en-es.csv").write_text(HEADER + "prompt,prompt,,,,,instrucción\n", encoding="utf-8")
    (tmp_path / "c.es-en.csv").write_text(HEADER + "x,y,,,,,\n", encoding="utf-8")
    r = runner.invoke(app, ["list", "-g", str(tmp_path)])
    assert r.exit_code == 0
    assert r.stdout.splitlines() == ["token → token", "prompt → prompt  not: instrucción"]


def test_lint_reports_lines_and_fails_on_errors(tmp_path, runner):
    bad = tmp_path / "bad.en-es.csv"
    bad.write_text(HEADER + "model,modelo,,,,,\nprompt,,,,,,\nmodels,modelo,,,,,\n", encoding="utf-8")
    r = runner.invoke(app, ["lint", str(bad)])
    assert r.exit_code == 1
    assert 'error: bad.en-es.csv, line 3: empty target for "prompt"' in r.output.replace(str(tmp_path) + "/", "")
    assert 'line 4: duplicate entry "models" (same as line 2)' in r.output
    good = tmp_path / "good.en-es.csv"
    good.write_text(HEADER + "model,modelo,,,,,\n", encoding="utf-8")
    r = runner.invoke(app, ["lint", str(good)])
    assert r.exit_code == 0, r.output


def test_malformed_glossary_is_an_error_with_file_and_line(tmp_path, runner):
    bad = tmp_path / "x.en-es.csv"
    bad.write_bytes(HEADER.encode() + b"caf\xe9,caf\xe9,,,,,\n")
    r = runner.invoke(app, ["list", "-g", str(bad)])
    assert r.exit_code == 1
    assert "Error:" in r.output and "x.en-es.csv, line 2: not UTF-8" in r.output


def test_export_import_round_trip(tmp_path, runner):
    src = tmp_path / "ai.en-es.csv"
    src.write_text(HEADER + 'foundation model,modelo fundacional,"a note, really",noun,,,modelo de fundación\n'
                   "Mamba,,,,true,true,\n", encoding="utf-8")
    tbx = tmp_path / "ai.tbx"
    r = runner.invoke(app, ["export", str(src), str(tbx)])
    assert r.exit_code == 0, r.output
    back = tmp_path / "back.en-es.csv"
    r = runner.invoke(app, ["import", str(tbx), str(back)])
    assert r.exit_code == 0, r.output
    assert read_csv(back).terms == read_csv(src).terms
    r = runner.invoke(app, ["import", str(tbx), str(tmp_path / "noname.csv")])
    assert r.exit_code == 1 and "--from" in r.output


def test_extract_candidates(tmp_path, runner):
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.md").write_text("---\ntitle: Issue 1\n---\n# News\n\nThe context window of Zephyron grew. "
                               "We measured the context window again.\n\n```\ncode window\n```\n", encoding="utf-8")
    (news / "b.html").write_text("<p>Our <b>Zephyron</b> team likes the <a href='x'>context windows</a>.</p>"
                                 "<p>A foundation model helps.</p>", encoding="utf-8")
    (news / "c.txt").write_text("Zephyron and a foundation model again.\n", encoding="utf-8")
    gl = tmp_path / "g.en-es.csv"
    gl.write_text(HEADER + "foundation model,modelo fundacional,,,,,\n", encoding="utf-8")
    r = runner.invoke(app, ["extract", str(news), "-g", str(gl), "--csv"])
    assert r.exit_code == 0, r.output
    rows = r.stdout.splitlines()
    assert rows[0] == "text,count,kind,example"
    found = {row.split(",")[0]: row.split(",")[1:3] for row in rows[1:]}
    assert found["Zephyron"] == ["3", "name"]
    assert found["context window"] == ["3", "phrase"]
    assert "foundation model" not in found  # already in the glossary
    assert "code window" not in found  # code is not prose
    r = runner.invoke(app, ["extract", str(tmp_path / "missing")])
    assert r.exit_code == 1 and "Error:" in r.output


def test_import_and_export_never_replace_a_file_unasked(tmp_path, runner):
    """Not the input itself (a CSV turned into TBX in place), not an existing file, unless --overwrite."""
    g = tmp_path / "t.en-es.csv"
    g.write_text(HEADER + "model,modelo,,,,,\n", encoding="utf-8")
    csv_text = g.read_text(encoding="utf-8")
    tbx = tmp_path / "t.tbx"
    r = runner.invoke(app, ["export", str(g), str(g)])
    assert r.exit_code == 1 and "is the input itself" in r.output
    assert runner.invoke(app, ["export", str(g), str(tbx)]).exit_code == 0
    tbx_text = tbx.read_text(encoding="utf-8")
    r = runner.invoke(app, ["export", str(g), str(tbx)])
    assert r.exit_code == 1 and "--overwrite" in r.output
    r = runner.invoke(app, ["import", str(tbx), str(tbx), "--from", "en", "--to", "es"])
    assert r.exit_code == 1 and "is the input itself" in r.output
    r = runner.invoke(app, ["import", str(tbx), str(g)])
    assert r.exit_code == 1 and "--overwrite" in r.output
    assert g.read_text(encoding="utf-8") == csv_text and tbx.read_text(encoding="utf-8") == tbx_text
    assert runner.invoke(app, ["import", str(tbx), str(g), "--overwrite"]).exit_code == 0
    assert [t.source for t in read_csv(g).terms] == ["model"]


def test_a_bad_header_names_every_column_a_glossary_may_have(tmp_path, runner):
    g = tmp_path / "t.en-es.csv"
    g.write_text("source,target,comment\nmodel,modelo,x\n", encoding="utf-8")
    r = runner.invoke(app, ["lint", str(g)])
    assert r.exit_code == 1 and "unknown column 'comment'" in r.output and ",forbidden,context" in r.output, r.output
