"""Glossary files: load, save, resolve, lint, maintain, TBX."""

import shutil
from pathlib import Path

import pytest

from translator.errors import GlossaryError
from translator.terms.glossary import (
    Glossary,
    Term,
    add_term,
    filter_terms,
    lint,
    load_glossary,
    read_csv,
    remove_term,
    resolve_paths,
    write_csv,
)
from translator.terms.tbx import read_tbx, write_tbx

HEADER = "source,target,note,pos,case_sensitive,dnt,forbidden\n"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return p


def test_read_csv_fields_booleans_bom_and_dnt(tmp_path):
    p = write(tmp_path, "ai.en-es.csv", "\ufeff" + HEADER
              + 'foundation model,modelo fundacional,"core, big",noun,,,modelo de fundación|modelo base\n'
              + "Mamba,,a model family,,yes,TRUE,serpiente\n"
              + "\n"
              + "prompt,prompt,,,0,no,\n")
    g = read_csv(p)
    assert (g.source_lang, g.target_lang) == ("en", "es")
    fm, mamba, prompt = g.terms
    assert fm == Term("foundation model", "modelo fundacional", "core, big", "noun", False, False,
                      ("modelo de fundación", "modelo base"))
    assert mamba.dnt and mamba.case_sensitive and mamba.target == "Mamba"
    assert prompt.forbidden == () and not prompt.dnt
    assert fm.where.endswith("ai.en-es.csv, line 2")


def test_only_source_and_target_columns_are_required(tmp_path):
    p = write(tmp_path, "x.en-es.csv", "target,source\nplantilla,template\n")
    assert read_csv(p).terms == (Term("template", "plantilla"),)


@pytest.mark.parametrize("content, message", [
    ("src,target\nx,y\n", "line 1: bad header: unknown column 'src'"),
    ("target,note\nx,y\n", "line 1: bad header: missing column 'source'"),
    (HEADER + "token,token,,,,,\nprompt,,,,,,\n", 'line 3: empty target for "prompt"'),
    (HEADER + "a,b,,,,\n", "line 2: 6 columns, expected 7"),
    (HEADER + "a,b,,,maybe,,\n", "line 2: case_sensitive must be true/false/yes/no/1/0"),
    (HEADER + ",b,,,,,\n", "line 2: empty source"),
    (b"source,target\nmodel,modelo\ncaf\xe9,caf\xe9\n", "line 3: not UTF-8"),
    ("", "empty file"),
])
def test_malformed_glossary_names_file_and_line(tmp_path, content, message):
    p = write(tmp_path, "bad.en-es.csv", content)
    with pytest.raises(GlossaryError) as e:
        read_csv(p)
    assert "bad.en-es.csv" in str(e.value)
    assert message in str(e.value)


def test_write_csv_round_trip_is_atomic(tmp_path):
    g = Glossary("en", "es", (
        Term("foundation model", "modelo fundacional", "a note, with comma", "noun", False, False, ("a", "b")),
        Term("Mamba", "Mamba", case_sensitive=True, dnt=True),
        Term('say "hi"', "di «hola»"),
    ))
    p = tmp_path / "sub" / "t.en-es.csv"
    write_csv(g, p)
    assert read_csv(p).terms == g.terms
    assert [f.name for f in p.parent.iterdir()] == ["t.en-es.csv"]  # no temporary file left
    assert p.read_text(encoding="utf-8").splitlines()[0] == HEADER.strip()


def test_resolve_paths_files_directories_and_default(tmp_path):
    d = tmp_path / "glossaries"
    d.mkdir()
    for name in ("ai.en-es.csv", "shop.en-es.csv", "ai.es-en.csv", "notes.txt"):
        write(d, name, HEADER)
    assert [p.name for p in resolve_paths([d], "en", "es")] == ["ai.en-es.csv", "shop.en-es.csv"]
    assert [p.name for p in resolve_paths([], "es", "en", default_dir=d)] == ["ai.es-en.csv"]
    assert [p.name for p in resolve_paths([d / "notes.txt"], "en", "es")] == ["notes.txt"]
    assert resolve_paths([], "en", "zh", default_dir=d) == []
    with pytest.raises(GlossaryError, match="no such glossary"):
        resolve_paths([d / "missing.csv"], "en", "es")


def test_load_glossary_merges_and_later_files_win(tmp_path):
    a = write(tmp_path, "a.en-es.csv", HEADER + "model,modelo,,,,,\ntemplate,plantilla,,,,,\n")
    b = write(tmp_path, "b.en-es.csv", HEADER + "Template,modelo,,,,,\n")
    g = load_glossary([a, b], "en", "es")
    assert [(t.source, t.target) for t in g.terms] == [("model", "modelo"), ("Template", "modelo")]
    assert g.paths == (str(a), str(b))


@pytest.mark.parametrize("rows", [
    "approval,autorización,,,,,\nApproval,Autorización,,,,,\n",
    "Approval,Autorización,,,,,\napproval,autorización,,,,,\n",
])
def test_of_two_entries_that_differ_only_in_case_the_lower_case_one_stays(tmp_path, rows):
    """Seen in the SAP post-edit data: with the capitalised entry last,
    «pendiente de aprobación» became «pendiente de Autorización»."""
    g = load_glossary([write(tmp_path, "g.en-es.csv", HEADER + rows)], "en", "es")
    assert [(t.source, t.target) for t in g.terms] == [("approval", "autorización")]


@pytest.mark.parametrize("rows, expected", [
    ("foundation model,modelo fundacional,,,,,\nfoundation models,modelo fundacional,,,,,\n",
     [("warning", 3, 'duplicate entry "foundation models" (same as line 2)')]),
    ("prompt,prompt,,,,,\nPrompt,instrucción,,,,,\n",
     [("warning", 3, 'conflicting targets for "Prompt": "instrucción" here, "prompt" on line 2')]),
    ("template,plantilla,,,,,plantilla\n",
     [("error", 2, 'forbidden variant "plantilla" of "template" is its own target')]),
    ("template,plantilla,,,,,\nmodel,modelo,,,,,plantillas\n",
     [("warning", 3, 'forbidden variant "plantillas" of "model" is the target of "template" (line 2)')]),
    ("a,b,,,,,\nc,,,,,,\n", [("error", 3, 'empty target for "c"')]),
    ("GPU,GPU,,,yes,,\ngpu,GPU,,,yes,,\n", []),  # case-sensitive entries differ
])
def test_lint(tmp_path, rows, expected):
    p = write(tmp_path, "l.en-es.csv", HEADER + rows)
    assert [(i.level, i.line, i.message) for i in lint(p)] == expected


def test_add_remove_filter():
    g = Glossary("en", "es", (Term("model", "modelo"),))
    g = add_term(g, Term("token", "token", note="unit of text"))
    assert [t.source for t in g.terms] == ["model", "token"]
    with pytest.raises(GlossaryError, match="already in the glossary"):
        add_term(g, Term("Model", "maqueta"))
    g = add_term(g, Term("Model", "maqueta"), replace_existing=True)
    assert g.terms[0].target == "maqueta"
    assert [t.source for t in filter_terms(g, "UNIT")] == ["token"]
    assert len(filter_terms(g, "")) == 2
    g = remove_term(g, "TOKEN")
    assert [t.source for t in g.terms] == ["Model"]
    with pytest.raises(GlossaryError, match="not in the glossary"):
        remove_term(g, "token")


def test_tbx_round_trip(tmp_path):
    g = Glossary("en", "es", (
        Term("foundation model", "modelo fundacional", "big pretrained model", "noun", False, False,
             ("modelo de fundación",)),
        Term("Mamba", "Mamba", case_sensitive=True, dnt=True),
        Term("save", "guardar", pos="verb"),
    ))
    p = tmp_path / "g.tbx"
    write_tbx(g, p)
    text = p.read_text(encoding="utf-8")
    assert 'type="TBX-Basic"' in text and "deprecatedTerm-admn-sts" in text
    back = read_tbx(p, "en", "es")
    assert [(t.source, t.target, t.note, t.pos, t.case_sensitive, t.dnt, t.forbidden) for t in back.terms] == \
        [(t.source, t.target, t.note, t.pos, t.case_sensitive, t.dnt, t.forbidden) for t in g.terms]


def test_tbx3_import_with_namespace_and_region_codes(tmp_path):
    p = write(tmp_path, "v3.tbx", """<?xml version="1.0"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" xml:lang="en">
 <text><body>
  <conceptEntry id="c1">
   <langSec xml:lang="en-US"><termSec><term>inference</term></termSec></langSec>
   <langSec xml:lang="es-ES">
    <termSec><term>inferencia</term></termSec>
    <termSec><term>deducción</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
   </langSec>
  </conceptEntry>
  <conceptEntry id="c2"><langSec xml:lang="en"><termSec><term>only english</term></termSec></langSec></conceptEntry>
 </body></text>
</tbx>""")
    g = read_tbx(p, "en", "es")
    assert [(t.source, t.target, t.forbidden) for t in g.terms] == [("inference", "inferencia", ("deducción",))]


def test_tbx_malformed(tmp_path):
    p = write(tmp_path, "bad.tbx", "<martif><text>\n<body>\n</martif>")
    with pytest.raises(GlossaryError, match=r"bad.tbx, line \d+: not valid TBX"):
        read_tbx(p, "en", "es")


def test_plain_rows_parse_as_the_full_row_path_does():
    """A row with only source and target takes a shorter path (a 100k-row
    glossary is mostly such rows); it gives the Term the full path gives,
    and rows with any other cell still go the full way."""
    from translator.terms import csvfile

    data = ("source,target,note,pos,case_sensitive,dnt,forbidden\n"
            "foundation model , modelo fundacional ,,,,,\n"
            "GPU,,,,,yes,\n"
            "paper,artículo,in AI news,noun,,,papel\n"
            "'=SUM,'=SUMA,,,,,\n").encode()
    terms, issues = csvfile.parse_csv(data, "g.csv")
    columns = ["source", "target", "note", "pos", "case_sensitive", "dnt", "forbidden"]
    full = [csvfile._row_term(dict(zip(columns, row)), 7, 7, f"g.csv, line {n}")[0] for n, row in [
        (2, ["foundation model ", " modelo fundacional ", "", "", "", "", ""]),
        (3, ["GPU", "", "", "", "", "yes", ""]),
        (4, ["paper", "artículo", "in AI news", "noun", "", "", "papel"]),
        (5, ["=SUM", "=SUMA", "", "", "", "", ""])]]
    assert not issues
    assert [(t, t.where) for t in terms] == [(t, t.where) for t in full]
    assert terms[0] == Term("foundation model", "modelo fundacional") and terms[3].source == "=SUM"


@pytest.mark.skipif(not shutil.which("lt-proc")
                    or not Path("/usr/share/apertium/apertium-eng-spa/eng-spa.autobil.bin").exists(),
                    reason="needs Apertium's eng-spa dictionary")
def test_lint_warns_about_an_entry_that_picks_one_of_the_dictionarys_senses(tmp_path):
    """"save" → "guardar" would turn «ahorrar dinero» into «guardar dinero»;
    a target the dictionary lacks is the glossary's own choice; a context
    settles it; a kept word has no senses to tell."""
    p = write(tmp_path, "s.en-es.csv", "source,target,note,pos,case_sensitive,dnt,forbidden,context\n"
              "save,guardar,,,,,,\napproval,autorización,,,,,,\ncourse,curso,,,,,,model|lesson\n"
              "windows,Windows,,,,,,\nSave,Guardar,,,,,,\n")
    assert [(i.level, i.line, i.message) for i in lint(p)] == [
        ("warning", 6, 'duplicate entry "Save" (same as line 2)'),  # and no second warning about its senses
        ("warning", 2, '"save" → "guardar": Apertium\'s dictionary also gives "salvar", "ahorrar"; '
                       "without a context the entry applies in every sense")]
