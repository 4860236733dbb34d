"""Post-edit mode: an existing translation is aligned to the source and
critiqued/revised (LLM) or repaired against the glossary (no LLM)."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from fake_openai import prefix
from translator.cli.main import app
from translator.engines.draft import align_draft
from translator.io.reader import parse

SRC = """<html><body>
<h1>Cheaper inference</h1>
<p>Read <a href="https://a.example">the report</a> and <a href="https://b.example">the paper</a>. It is short.</p>
<p>Foundation models keep getting cheaper.</p>
<p>Thanks for reading.</p>
</body></html>
"""
# The translator moved the links and merged the two sentences of the first paragraph.
DRAFT = """<html><body>
<h1>Inferencia más barata</h1>
<p>Lea <a href="https://b.example">el artículo</a> y <a href="https://a.example">el informe</a>, que es breve.</p>
<p>Los modelos de fundación son cada vez más baratos.</p>
<p>Gracias por leer.</p>
</body></html>
"""


def test_draft_aligned_by_structure_with_placeholders_renumbered(tmp_path):
    draft = tmp_path / "d.es.html"
    draft.write_text(DRAFT, encoding="utf-8")
    doc = parse(SRC, "html", source_lang="en")
    doc, texts, notes = align_draft(doc, draft, "es")
    by_source = {s.source: texts[s.id] for s in doc.segments}
    # the paragraph whose sentence counts differ became one unit; links keep their own targets
    assert by_source["Read <1>the report</1> and <2>the paper</2>. It is short."] == (
        "Lea <2>el artículo</2> y <1>el informe</1>, que es breve."
    )
    assert by_source["Foundation models keep getting cheaper."] == "Los modelos de fundación son cada vez más baratos."
    assert notes == []


def test_line_aligned_text_draft(tmp_path):
    doc = parse("<p>One. Two.</p><p>Three.</p>", "html", source_lang="en")
    draft = tmp_path / "d.txt"
    draft.write_text("Uno.\nDos.\nTres.\n", encoding="utf-8")
    _, texts, _ = align_draft(doc, draft, "es")
    assert list(texts.values()) == ["Uno.", "Dos.", "Tres."]


def test_missing_block_keeps_the_source_and_is_flagged(tmp_path):
    draft = tmp_path / "d.es.html"
    draft.write_text(DRAFT.replace("<p>Gracias por leer.</p>\n", ""), encoding="utf-8")
    doc, texts, notes = align_draft(parse(SRC, "html", source_lang="en"), draft, "es")
    last = doc.segments[-1]
    assert last.source == "Thanks for reading." and last.id not in texts
    assert [(n.id, n.check, n.severity) for n in notes] == [(last.id, "draft-missing", "critical")]


def write_inputs(tmp_path):
    src, draft, glossary = tmp_path / "issue.en.html", tmp_path / "mt.es.html", tmp_path / "g.en-es.csv"
    src.write_text(SRC, encoding="utf-8")
    draft.write_text(DRAFT, encoding="utf-8")
    glossary.write_text("source,target\nfoundation model,modelo fundacional\n", encoding="utf-8")
    return src, draft, glossary


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_post_edit_without_llm_repairs_glossary_terms(tmp_path):
    src, draft, glossary = write_inputs(tmp_path)
    result = CliRunner().invoke(app, [
        "translate", str(src), "--to", "es", "--model", "apertium", "--draft", str(draft), "--glossary",
        str(glossary), "--out", str(tmp_path / "out"), "--report", str(tmp_path / "out"), "-q"],
        env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out/issue.es.html").read_text(encoding="utf-8")
    assert "Los modelos fundacionales son cada vez más baratos." in out
    assert '<a href="https://b.example">el artículo</a> y <a href="https://a.example">el informe</a>' in out
    report = json.loads((tmp_path / "out/issue.es.report.json").read_text(encoding="utf-8"))
    applied = [s for s in report["suggestions"] if s["origin"] == "glossary" and s["status"] == "applied"]
    assert applied and applied[0]["original"] == "modelos de fundación"


def test_post_edit_with_llm_critiques_and_revises_the_draft(tmp_path, fake_openai):
    src, draft, _ = write_inputs(tmp_path)

    def critic(seg):
        if "baratos" in seg["draft"]:
            return [{"original": "son cada vez", "suggestion": "se vuelven cada vez", "category": "style",
                     "severity": "major", "explanation": "Closer to the source."}]
        return []

    fake_openai.responder = prefix("NEVER ", critic)
    result = CliRunner().invoke(app, [
        "translate", str(src), "--to", "es", "--model", "openai:fake", "--draft", str(draft), "--no-glossary",
        "--out", str(tmp_path / "out"), "--report", str(tmp_path / "out"), "-q"],
        env={"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""})
    assert result.exit_code == 0, result.output
    assert not fake_openai.chat_requests("translate")  # the draft is not re-translated
    out = (tmp_path / "out/issue.es.html").read_text(encoding="utf-8")
    assert "Los modelos de fundación se vuelven cada vez más baratos." in out
    report = json.loads((tmp_path / "out/issue.es.report.json").read_text(encoding="utf-8"))
    assert any(s["check"] == "" and s["status"] == "applied" for s in report["suggestions"] if s["origin"] == "llm")


def test_markup_trimmed_from_the_draft_edge_comes_back(tmp_path):
    # "### Comment `X` files" has the code inside; the draft's heading ends in
    # it, so the draft's segment was "Limas de comentario" without it.
    doc = parse("### Comment `DESCRIPTION` files\n\nText `a` and `b`.\n", "markdown", source_lang="en")
    draft = tmp_path / "d.es.md"
    draft.write_text("### Limas de comentario `DESCRIPTION`\n\n`b` y `a` texto.\n", encoding="utf-8")
    doc, texts, notes = align_draft(doc, draft, "es")
    assert [texts[s.id] for s in doc.segments] == ["Limas de comentario <1/>", "<2/> y <1/> texto."]
    assert notes == []


def test_markup_the_draft_lost_is_put_back_and_reported(tmp_path):
    doc = parse("Install `pip` first, then run it.\n\nSee [the docs](https://d.example).\n", "markdown",
                source_lang="en")
    draft = tmp_path / "d.es.md"
    draft.write_text("Instale primero y luego ejecútelo.\n\nVea la documentación [aquí](https://x.example) ya.\n",
                     encoding="utf-8")
    doc, texts, notes = align_draft(doc, draft, "es")
    first = doc.segments[0]
    # the draft's words are kept; the code goes to the end, and the editor is told
    assert texts[first.id] == "Instale primero y luego ejecútelo. <1/>"
    assert [(n.id, n.check, n.severity) for n in notes] == [(first.id, "draft-markup", "major")]
    assert "`pip`" in notes[0].explanation


def test_draft_markup_without_a_source_counterpart_is_left_out(tmp_path):
    doc = parse("Read the report.\n", "markdown", source_lang="en")
    draft = tmp_path / "d.es.md"
    draft.write_text("Lea el informe {{< ref >}} ya.\n", encoding="utf-8")
    doc, texts, notes = align_draft(doc, draft, "es")
    assert texts[doc.segments[0].id] == "Lea el informe ya."
    assert [(n.check, n.severity) for n in notes] == [("draft-markup", "minor")]


def test_protected_words_of_the_draft_without_a_source_counterpart_are_kept_as_text(tmp_path):
    """The source wrote the address as speech recognition heard it; the draft's
    address (an email atom there) is words of the translation, not markup to drop."""
    doc = parse("This is TS Madison. Email me at Bosmadison@ gmail . com today. Run the tool.\n", "markdown",
                source_lang="en")
    draft = tmp_path / "d.es.md"
    draft.write_text("Soy TS Madison. Escríbeme a Bosmadison@gmail.com hoy. Ejecuta `tool`.\n", encoding="utf-8")
    doc, texts, notes = align_draft(doc, draft, "es")
    assert list(texts.values()) == ["Soy TS Madison.", "Escríbeme a Bosmadison@gmail.com hoy.", "Ejecuta tool."]
    assert [n.explanation for n in notes] == [
        "The source does not protect «Bosmadison@gmail.com» as the draft does; it was kept as text.",
        "The source does not protect «tool» as the draft does; it was kept as text."]


def post_edit(tmp_path, source: str, draft_text: str, draft_name: str):
    """n.en.md post-edited with `draft_text` as --draft, no glossary, into tmp_path/out."""
    src, draft = tmp_path / "n.en.md", tmp_path / draft_name
    src.write_text(source, encoding="utf-8")
    draft.write_text(draft_text, encoding="utf-8")
    result = CliRunner().invoke(app, [
        "translate", str(src), "--to", "es", "--draft", str(draft), "--no-glossary",
        "--out", str(tmp_path / "out"), "--report", str(tmp_path / "out"), "-q"],
        env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert result.exit_code == 0, result.output
    return draft


def test_a_draft_heading_with_trailing_code_is_not_replaced_by_the_source(tmp_path):
    draft = post_edit(tmp_path, "# News\n\n### Comment `DESCRIPTION` files\n\nThanks for reading.\n",
                      "# Noticias\n\n### Limas de comentario `DESCRIPTION`\n\nGracias por leer.\n", "mt.es.md")
    assert (tmp_path / "out/n.es.md").read_text(encoding="utf-8") == draft.read_text(encoding="utf-8")


def test_a_segment_that_breaks_the_structure_keeps_the_source_and_the_file_is_written(tmp_path):
    post_edit(tmp_path, "Read _this_ now. Thanks a lot.\n\nSecond para here.\n",
              "Lea <1>esto</1>s ahora.\nMuchas gracias.\nSegundo párrafo aquí.\n", "mt.es.txt")
    assert (tmp_path / "out/n.es.md").read_text(encoding="utf-8") == (
        "Read _this_ now. Muchas gracias.\n\nSegundo párrafo aquí.\n")
    report = json.loads((tmp_path / "out/n.es.report.json").read_text(encoding="utf-8"))
    assert [(s["id"], s["severity"]) for s in report["suggestions"] if s["check"] == "structure"] == [("s1", "critical")]


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
@pytest.mark.parametrize("draft_name, draft_text", [
    ("mt.es.md", "# Noticias\n\nOpenAI lanzó un nuevo modelo para desarrolladores esta semana.\n"),
    # one line per segment: the same repair
    ("mt.es.txt", "Noticias\nOpenAI lanzó un nuevo modelo para desarrolladores esta semana.\n"),
])
def test_a_draft_that_lost_links_and_bold_keeps_its_words_and_gets_them_back(tmp_path, draft_name, draft_text):
    post_edit(tmp_path, "# News\n\nOpenAI released a [new model](https://o.example/x) for **developers** this week.\n",
              draft_text, draft_name)
    assert (tmp_path / "out/n.es.md").read_text(encoding="utf-8") == (
        "# Noticias\n\nOpenAI lanzó un [nuevo modelo](https://o.example/x) para **desarrolladores** esta semana.\n")
    report = json.loads((tmp_path / "out/n.es.report.json").read_text(encoding="utf-8"))
    assert [(s["check"], s["severity"]) for s in report["suggestions"]] == [("draft-markup", "major")] * 2


def test_a_quote_before_spanish_question_mark_stays_with_its_sentence(tmp_path):
    """«"¿Los negocios…?"»: the sentence starts at the quote, not between it and «¿»,
    so the draft comes back as written (it came back «" ¿Los»)."""
    doc = parse('I took a sip. "Business still slow?" I spoke quietly.\n', "text", source_lang="en")
    draft = tmp_path / "d.txt"
    draft.write_text('Tomé un sorbo. "¿Los negocios siguen bajos?" Hablé en voz baja.\n', encoding="utf-8")
    _, texts, notes = align_draft(doc, draft, "es")
    assert list(texts.values()) == ["Tomé un sorbo.", '"¿Los negocios siguen bajos?"', "Hablé en voz baja."]
    assert notes == []


def test_words_of_the_draft_outside_its_sentences_are_kept(tmp_path):
    """«04:30.» is no sentence (nothing to translate), so it lies outside the
    draft's segments; the output is written around the source's, which has
    nothing there: the time stays with the next sentence instead of being lost."""
    doc = parse("0430 Itania time. Cohren hated waking up this early.\n", "text", source_lang="en")
    draft = tmp_path / "d.txt"
    draft.write_text("04:30. Hora de Italia. Cohren odiaba despertarse tan temprano.\n", encoding="utf-8")
    _, texts, _ = align_draft(doc, draft, "es")
    assert list(texts.values()) == ["04:30. Hora de Italia.", "Cohren odiaba despertarse tan temprano."]


def test_a_plain_draft_with_a_line_for_each_line_is_paired_line_by_line(tmp_path):
    """A reply that is no translation (an English refusal) stays on its line,
    flagged, instead of the next line's translation moving up into its place."""
    doc = parse('"We go now."\n"AIM FOR THEIR HEADS!"\n"THAT\'S GONNA BE TRICKY!"\nThey ran.\n', "text",
                source_lang="en")
    draft = tmp_path / "d.txt"
    draft.write_text('"Nos vamos ya."\nI apologize, but I don\'t feel comfortable translating that phrase, as it could '
                     "be interpreted as promoting violence. Perhaps we could have a thoughtful discussion about "
                     'nonviolent communication instead.\n"¡ESO VA A SER COMPLICADO!"\nCorrieron.\n', encoding="utf-8")
    _, texts, notes = align_draft(doc, draft, "es")
    got = list(texts.values())
    assert len(got) == 4 and got[2:] == ['"¡ESO VA A SER COMPLICADO!"', "Corrieron."]
    assert got[1].startswith("I apologize") and notes == []


def test_a_draft_of_a_pair_apertium_lacks_is_post_edited_without_it(tmp_path):
    """zh→en with no API key: the default engine (Apertium) has no such pair,
    but a given translation needs no engine to be checked and written."""
    src, draft = tmp_path / "a.zh.txt", tmp_path / "d.en.txt"
    src.write_text("Stability AI推出了Stable Audio Open。\n", encoding="utf-8")
    draft.write_text("Stability AI released Stable Audio Open.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["translate", str(src), "--from", "zh", "--to", "en", "--draft", str(draft),
                                      "--out", str(tmp_path / "out"), "-q"],
                                env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out/a.en.txt").read_text(encoding="utf-8") == "Stability AI released Stable Audio Open.\n"
    # translating (no draft) still says what is missing
    result = CliRunner().invoke(app, ["translate", str(src), "--from", "zh", "--to", "en", "--out",
                                      str(tmp_path / "out2"), "-q"], env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert result.exit_code != 0 and "Error:" in result.output and "zh→en" in result.output


def test_a_plain_draft_without_glossary_violations_comes_back_byte_for_byte(tmp_path):
    """What the WMT24 systems' outputs showed: a time outside the sentences, two
    spaces after a period, a quote before «¿», a dialogue dash, an escaped quote."""
    source = ('0430 Itania time. Cohren hated waking up.  "Business still slow?" I asked. "Why?" he said. '
              "Call me at Bosmadison@ gmail . com today.\n")
    draft_text = ('04:30. Hora de Italia. Cohren odiaba despertarse.  "¿Los negocios siguen lentos?" Pregunté. '
                  "—¿Por qué? —dijo. &quot;Llámame&quot; a Bosmadison@gmail.com hoy.\n")
    src, draft = tmp_path / "a.en.txt", tmp_path / "d.es.txt"
    src.write_text(source, encoding="utf-8")
    draft.write_text(draft_text, encoding="utf-8")
    result = CliRunner().invoke(app, ["translate", str(src), "--to", "es", "--draft", str(draft), "--no-glossary",
                                      "--out", str(tmp_path / "out"), "-q"],
                                env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out/a.es.txt").read_text(encoding="utf-8") == draft_text


def test_a_paragraph_only_the_draft_has_is_reported(tmp_path):
    """The output has no place for it: it is left out, and the report says so, not silently."""
    draft = tmp_path / "d.es.html"
    draft.write_text(DRAFT.replace("<p>Gracias por leer.</p>", "<p>Nota del traductor: revisado el lunes por la "
                                                               "tarde.</p>\n<p>Gracias por leer.</p>"), encoding="utf-8")
    doc, texts, notes = align_draft(parse(SRC, "html", source_lang="en"), draft, "es")
    assert "Gracias por leer." in texts.values()
    [note] = notes
    assert note.check == "draft-extra" and "Nota del traductor" in note.explanation
    assert note.id == next(s.id for s in doc.segments if s.source.startswith("Foundation"))


def test_a_draft_that_lacks_a_paragraph_is_an_error_with_the_file_written(tmp_path):
    """The source text kept for it is an untranslated segment: `Error:` and exit 1, as for an engine."""
    src, draft, _ = write_inputs(tmp_path)
    draft.write_text(DRAFT.replace("<p>Gracias por leer.</p>\n", ""), encoding="utf-8")
    env = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = CliRunner().invoke(app, ["translate", str(src), "--to", "es", "--draft", str(draft), "--no-glossary",
                                      "--out", str(tmp_path / "out"), "-q"], env=env)
    assert result.exit_code == 1
    [err] = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert "1 of" in err and "the draft has no translation" in err, result.output
    assert "Thanks for reading." in (tmp_path / "out" / "issue.es.html").read_text(encoding="utf-8")
