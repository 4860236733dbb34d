"""Evaluation: sacrebleu metrics (known answers from the sacrebleu command
line), pairing of documents / lines / JSONL, term success, structure
fidelity, and the CLI."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translator.qa import evaluate
from translator.cli.review import make_app
from translator.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "review"
DATA = ROOT.parent / "shared" / "data"
HYP = ["The cat sat on the mat.", "It is raining today in Madrid."]
REF = ["The cat is on the mat.", "Today it is raining in Madrid."]
runner = CliRunner()


@pytest.mark.parametrize(
    "hyps, refs, lang, bleu, chrf, ter",
    [
        # `sacrebleu ref.txt -i hyp.txt -m bleu chrf ter -b -w 2`
        (HYP, REF, "en", 36.21, 69.71, 16.67),
        (REF, REF, "en", 100.0, 100.0, 0.0),
        # `… -tok zh --ter-asian-support`
        (["我们今天发布了新的模型。"], ["我们今天发布了一个新模型。"], "zh", 59.74, 51.64, 100.0),
    ],
)
def test_metrics_known_answers(hyps, refs, lang, bleu, chrf, ter):
    m = evaluate.metrics(hyps, refs, lang)
    assert (m["bleu"], m["chrf"], m["ter"]) == (bleu, chrf, ter)


def test_signatures():
    m = evaluate.metrics(HYP, REF, "en")
    assert m["bleu_signature"].startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:")
    assert m["chrf_signature"].startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:")
    assert m["ter_signature"].startswith("nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:")
    assert "tok:zh" in evaluate.metrics(["你好"], ["你好"], "zh")["bleu_signature"]


def test_line_aligned_text(tmp_path):
    (tmp_path / "h.txt").write_text("\n".join(HYP) + "\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("\n".join(REF) + "\n", encoding="utf-8")
    result = evaluate.evaluate(tmp_path / "h.txt", tmp_path / "r.txt", target_lang="en")
    assert result.scores["bleu"] == 36.21 and result.corpus.kind == "lines"
    assert result.signature.startswith("hyp:h.txt|ref:r.txt|kind:lines|units:2|glossary:none|translator:")


def test_line_count_mismatch(tmp_path):
    (tmp_path / "h.txt").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("a\n", encoding="utf-8")
    with pytest.raises(InputError, match="line-aligned"):
        evaluate.load(tmp_path / "h.txt", tmp_path / "r.txt")


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


ROWS = [
    {"en": "Open the work center.", "mt": "Abra el puesto de trabajo.", "pe": "Abra el centro de trabajo.",
     "terms": [{"source": "work center", "mt": "puesto de trabajo", "target": "centro de trabajo"}]},
    {"en": "Save the sales orders.", "mt": "Guarde los pedidos de venta.", "pe": "Guarde los pedidos de cliente.",
     "terms": [{"source": "sales order", "mt": "pedido de venta", "target": "pedido de cliente"}]},
]


@pytest.mark.parametrize(
    "hyp_field, success",
    [("mt", 0.0), ("pe", 1.0)],
)
def test_jsonl_fields_and_per_line_terms(tmp_path, hyp_field, success):
    f = write_jsonl(tmp_path / "d.jsonl", ROWS)
    result = evaluate.evaluate(f, f, f, hyp_field=hyp_field, ref_field="pe", src_field="en", target_lang="es")
    assert result.corpus.kind == "jsonl" and result.corpus.srcs == [r["en"] for r in ROWS]
    assert result.term_success == success  # "pedidos de cliente" satisfies "pedido de cliente"


def test_jsonl_terms_as_a_map(tmp_path):
    f = write_jsonl(tmp_path / "t.jsonl", [{"en": "Open the work center.", "es": "Abra el centro de trabajo.",
                                            "terms": {"work center": "centro de trabajo"}}])
    h = tmp_path / "h.txt"
    h.write_text("Abra el puesto de trabajo.\n", encoding="utf-8")
    result = evaluate.evaluate(h, f, f, ref_field="es", src_field="en", target_lang="es")
    assert result.term_success == 0.0


def test_jsonl_field_errors(tmp_path):
    f = write_jsonl(tmp_path / "d.jsonl", ROWS)
    with pytest.raises(InputError, match="no field 'xx'"):
        evaluate.load(f, f, hyp_field="xx")
    with pytest.raises(InputError, match="which field"):
        evaluate.load(write_jsonl(tmp_path / "e.jsonl", [{"a": "x", "b": "y"}]), f, ref_field="pe")


def test_documents_align_by_structure():
    result = evaluate.evaluate(FIX / "issue-07.es.html", FIX / "issue-07.es.html")
    assert result.corpus.kind == "documents"
    assert (result.scores["bleu"], result.scores["chrf"], result.scores["ter"]) == (100.0, 100.0, 0.0)
    assert result.corpus.structure == {"units": 12, "same_skeleton": 1.0, "same_links": 1.0,
                                       "link_set_equal": True, "missing_blocks": 0, "added_blocks": 0}


def test_document_structure_fidelity_sees_a_lost_link(tmp_path):
    text = (FIX / "issue-07.es.html").read_text(encoding="utf-8")
    hyp = tmp_path / "h.es.html"
    hyp.write_text(text.replace('<a href="https://example.org/flash">FlashAttention</a>', "FlashAttention"),
                   encoding="utf-8")
    st = evaluate.evaluate(hyp, FIX / "issue-07.es.html").corpus.structure
    assert st["link_set_equal"] is False and st["same_links"] == round(11 / 12, 4)
    assert st["same_skeleton"] == round(11 / 12, 4)


def test_document_term_success_with_glossary():
    from translator.terms.glossary import load_glossary

    g = load_glossary([ROOT / "translator" / "glossaries" / "ai.en-es.csv"], "en", "es")
    result = evaluate.evaluate(FIX / "issue-07.es.html", FIX / "issue-07.es.html", FIX / "issue-07.en.html",
                               glossary=g)
    assert result.corpus.srcs[4].startswith("This week we look")
    assert 0.5 < result.term_success <= 1.0


@pytest.mark.parametrize(
    "hyp, ref, same",
    [
        ("<b>Hola</b> <1>mundo</1>", "<b>Hello</b> <1>world</1>", True),
        ("Hola <1>mundo</1>", "<b>Hello</b> <1>world</1>", False),
        ('<a href="x">a</a>', '<A HREF="y">b</A>', True),
    ],
)
def test_skeleton(hyp, ref, same):
    assert (evaluate.skeleton(hyp) == evaluate.skeleton(ref)) is same


def test_line_structure():
    st = evaluate.line_structure(['<a href="https://a.org">x</a>', "y"], ['<a href="https://b.org">x</a>', "y"])
    assert st == {"units": 2, "same_skeleton": 1.0, "same_links": 0.5}


def test_cli_evaluate(tmp_path):
    (tmp_path / "h.txt").write_text("\n".join(HYP) + "\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("\n".join(REF) + "\n", encoding="utf-8")
    res = runner.invoke(make_app(), ["evaluate", str(tmp_path / "h.txt"), str(tmp_path / "r.txt"), "--to", "en"])
    assert res.exit_code == 0, res.output
    assert "36.21" in res.output and "BLEU signature: nrefs:1|case:mixed" in res.output
    res = runner.invoke(make_app(), ["evaluate", str(tmp_path / "h.txt"), str(tmp_path / "r.txt"), "--json"])
    assert json.loads(res.stdout)["chrf"] == 69.71
    res = runner.invoke(make_app(), ["evaluate", str(tmp_path / "h.txt"), str(tmp_path / "nope.txt")])
    assert res.exit_code == 1 and "Error: " in res.output and "nope.txt" in res.output


@pytest.mark.skipif(not (DATA / "postedit-en-es" / "dev.jsonl").is_file(), reason="shared data not available")
def test_shared_postedit_raw_mt():
    f = DATA / "postedit-en-es" / "dev.jsonl"
    result = evaluate.evaluate(f, f, f, hyp_field="mt", ref_field="pe", src_field="en", target_lang="es")
    assert len(result.corpus.refs) == 300
    assert result.term_success < 0.05  # raw MT has the wrong terms by construction
    assert 50 < result.scores["chrf"] < 100
