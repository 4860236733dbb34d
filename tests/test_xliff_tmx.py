"""CAT tools round-trip: XLIFF written by `translate --xliff` opens with
translate-toolkit with inline codes as codes; targets changed there come back
through `xliff import` (same block structure) and are reused; TMX export →
import gives the same units with their inline codes."""

import shutil
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from formats_oracle import md_tokens
from translator.cli.main import app
from translator.memory.xliff import from_rich, to_rich

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "hugo-digest-2026-03.en.md"
runner = CliRunner()
needs_apertium = pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
XLIFF_NS = "{urn:oasis:names:tc:xliff:document:1.2}"


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})


def structure(path: Path) -> list:
    return [(t.type, t.tag, t.attrs.get("href"), t.attrs.get("src")) for t in md_tokens(path.read_text("utf-8"))
            if t.type != "text"]


def test_placeholders_become_inline_codes_and_come_back():
    for text in ("Read <1>the <2>docs</2></1> now<3/>.", "Half <1>open", "closed</1> here", "<1>a<2>b</1>c</2>",
                 "a < b & <1>c</1>"):
        assert from_rich(to_rich(text)) == text
    rich = to_rich("Read <1>the <2>docs</2></1> now<3/> and <4>more </5>x")
    assert [type(e).__name__ for e in rich.sub] == \
        ["StringElem", "G", "StringElem", "X", "StringElem", "Bx", "StringElem", "Ex", "StringElem"]
    crossed = to_rich("<1>a<2>b</1>c</2>")  # pairs that cross cannot be <g>: begin/end codes
    assert [type(e).__name__ for e in crossed.sub] == ["Bx", "StringElem", "Bx", "StringElem", "Ex", "StringElem", "Ex"]


@needs_apertium
def test_xliff_round_trip_through_translate_toolkit(tmp_path):
    from translate.storage import factory
    from translate.storage.placeables import StringElem
    from translate.storage.placeables import xliff as xp

    cache = tmp_path / "tm.sqlite"
    src = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, src)
    args = ("translate", src, "--to", "es", "--model", "apertium", "--cache", cache, "-q")
    result = run(*args, "--xliff")
    assert result.exit_code == 0, result.output
    out, xlf = tmp_path / "hugo-digest-2026-03.es.md", tmp_path / "hugo-digest-2026-03.es.xlf"
    machine = out.read_text(encoding="utf-8")

    store = factory.getobject(str(xlf))
    units = {u.getid().split("\x04")[-1]: u for u in store.units if not u.isheader()}
    assert len(units) > 50
    root = etree.parse(str(xlf)).getroot()
    assert root.get("version") == "1.2"
    assert all(t.get("state") == "needs-review-translation" for t in root.iter(XLIFF_NS + "target"))
    assert "&lt;1&gt;" not in xlf.read_text(encoding="utf-8")  # codes, not text
    link = units["s12"]
    assert [type(e).__name__ for e in link.rich_source[0].sub if not isinstance(e, str)].count("G") == 1
    assert any(u.getnotes() for u in units.values())  # findings as notes

    # an editor changes three targets in a CAT tool (here: translate-toolkit)
    units["s4"].target = "Hola a todos"
    units["s8"].target = "Como siempre, responde a este correo si tienes comentarios."
    g = next(e for e in units["s12"].rich_target[0].sub if isinstance(e, xp.G))
    units["s12"].set_rich_target([StringElem(["Según el ", g, ", el modelo obtiene 71.2 en MMLU."])], lang="es")
    store.save()

    imported = run("xliff", "import", xlf, "--cache", cache)
    assert imported.exit_code == 0, imported.output
    assert "3 changed" in imported.output
    text = out.read_text(encoding="utf-8")
    assert "Hola a todos :wave:" in text
    assert "Como siempre, responde a este correo si tienes comentarios." in text
    assert 'Según el [informe técnico](https://example.com/reports/small-model.pdf "Technical report (PDF)"), ' \
           "el modelo obtiene 71.2 en MMLU." in text
    assert structure(out) == structure(src)
    changed = [a for a, b in zip(machine.splitlines(), text.splitlines()) if a != b]
    assert len(changed) == 3

    # reused on re-translation (also into a fresh output folder)
    again = run(*args, "--out", tmp_path / "again")
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again" / out.name).read_text(encoding="utf-8") == text


@needs_apertium
def test_an_unchanged_xliff_imports_as_translate_wrote_it(tmp_path):
    """Byte for byte, <html lang="es"> included (the import had declared the source's language)."""
    src = tmp_path / "ai-weekly-042.en.html"
    shutil.copy(SAMPLE.parent / src.name, src)
    cache = tmp_path / "tm.sqlite"
    assert run("translate", src, "--to", "es", "--model", "apertium", "--cache", cache, "--xliff", "-q").exit_code == 0
    r = run("xliff", "import", tmp_path / "ai-weekly-042.es.xlf", "--cache", cache, "--out", tmp_path / "imp")
    assert r.exit_code == 0, r.output
    written = (tmp_path / "ai-weekly-042.es.html").read_bytes()
    assert b'<html lang="es"' in written and (tmp_path / "imp" / "ai-weekly-042.es.html").read_bytes() == written


def test_xliff_import_refuses_a_broken_file(tmp_path):
    bad = tmp_path / "bad.es.xlf"
    bad.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
                   '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a.md" '
                   'source-language="en" target-language="es" datatype="x-markdown"><body><trans-unit id="s1">'
                   '<source>Hi</source><target>&e;</target></trans-unit></body></file></xliff>', encoding="utf-8")
    result = run("xliff", "import", bad, "--cache", tmp_path / "tm.sqlite")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "root:" not in result.output  # the external entity was not resolved


@needs_apertium
def test_tmx_export_import_same_units_with_inline_codes(tmp_path):
    cache, fresh = tmp_path / "tm.sqlite", tmp_path / "fresh.sqlite"
    src = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, src)
    assert run("translate", src, "--to", "es", "--model", "apertium", "--cache", cache, "-q").exit_code == 0
    tmx, again = tmp_path / "tm.tmx", tmp_path / "again.tmx"
    assert run("memory", "export", tmx, "--cache", cache).exit_code == 0
    text = tmx.read_text(encoding="utf-8")
    assert "&lt;1&gt;" not in text and '<bpt i="1" x="1"/>' in text and "<ph " in text
    result = run("memory", "import", tmx, "--cache", fresh)
    assert result.exit_code == 0, result.output
    assert run("memory", "export", again, "--cache", fresh).exit_code == 0

    def units(path):
        root = etree.parse(str(path)).getroot()
        return [etree.tostring(tu, encoding="unicode") for tu in root.iter("tu")]

    assert units(tmx) == units(again) and len(units(tmx)) > 50
    before = src.read_bytes()  # an export never replaces a file unasked: not a newsletter, not an earlier export
    for out, args in ((src, []), (tmx, []), (cache, ["--overwrite"])):
        result = run("memory", "export", out, "--cache", cache, *args)
        assert result.exit_code == 1 and result.output.startswith("Error: "), result.output
    assert src.read_bytes() == before and units(tmx) == units(again)
    assert run("memory", "export", tmx, "--cache", cache, "--overwrite").exit_code == 0

    # a CAT tool's TMX (no x-origin) is learned as approved human translations
    cat = tmp_path / "cat.tmx"
    cat.write_text('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en-US" datatype="plaintext" '
                   'segtype="sentence" adminlang="en" creationtool="x" creationtoolversion="1" o-tmf="x"/><body>'
                   '<tu><tuv xml:lang="en-US"><seg>We read <bpt i="1" x="4">&lt;b&gt;</bpt>everything'
                   '<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>'
                   '<tuv xml:lang="es-ES"><seg>Lo leemos <bpt i="1" x="4">&lt;b&gt;</bpt>todo<ept i="1">&lt;/b&gt;'
                   '</ept>.</seg></tuv></tu></body></tmx>', encoding="utf-8")
    result = run("memory", "import", cat, "--cache", fresh)
    assert result.exit_code == 0 and "1 approved human" in result.output, result.output
    from translator.memory.store import Memory

    assert Memory(fresh).get_human("en", "es", ["We read <1>everything</1>."]) == \
        {"We read <1>everything</1>.": "Lo leemos <1>todo</1>."}


@needs_apertium
def test_xliff_target_that_lost_its_codes_keeps_the_words_and_the_markup(tmp_path):
    from translate.storage import factory
    from translate.storage.placeables import StringElem

    cache = tmp_path / "tm.sqlite"
    src = tmp_path / "note.en.md"
    src.write_text("# Note\n\nRead the [full report](https://example.com/r) today.\n\nThanks.\n", encoding="utf-8")
    assert run("translate", src, "--to", "es", "--model", "apertium", "--cache", cache, "-q", "--xliff").exit_code == 0
    xlf = tmp_path / "note.es.xlf"
    store = factory.getobject(str(xlf))
    unit = next(u for u in store.units if not u.isheader() and "report" in u.source)
    unit.set_rich_target([StringElem(["Lee hoy el informe completo."])], lang="es")  # the CAT tool lost the link
    store.save()
    result = run("xliff", "import", xlf, "--cache", cache)
    assert result.exit_code == 0, result.output
    assert "did not match" in result.output
    text = (tmp_path / "note.es.md").read_text(encoding="utf-8")
    assert "Lee hoy el informe [completo](https://example.com/r)." in text
