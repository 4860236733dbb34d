"""SRT / WebVTT / SBV: cues, timings and styling survive; sentences over
cues are redistributed onto the same cues."""

import html
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fake_openai import prefix, echo_ok
from subtitle_fixtures import build_srt, build_vtt, cue_texts
from translator.io import reader
from translator.cli.main import app
from translator.formats.subtitles import MAX_LINE, assemble, distribute, find_cues, _wrap

ROOT = Path(__file__).resolve().parents[1]
NTREX = ROOT.parent / "shared" / "data" / "ntrex" / "ntrex.en.txt"
needs_apertium = pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
needs_ntrex = pytest.mark.skipif(not NTREX.exists(), reason="../shared/data is not available")
runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env or {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})


def ntrex_files(folder: Path) -> list[Path]:
    texts = cue_texts(NTREX.read_text(encoding="utf-8").splitlines(), 40)
    srt, vtt = folder / "ntrex40.en.srt", folder / "ntrex40.en.vtt"
    srt.write_text(build_srt(texts), encoding="utf-8")
    vtt.write_text(build_vtt(texts), encoding="utf-8")
    return [srt, vtt]


def cue_metrics(src: Path, out: Path) -> dict:
    fmt = src.suffix[1:]
    a, b = src.read_text(encoding="utf-8"), out.read_text(encoding="utf-8")
    ca, cb = find_cues(a, fmt), find_cues(b, fmt)
    ta, tb = [a[c.start:c.end] for c in ca], [b[c.start:c.end] for c in cb]
    lines = [ln for t in tb for ln in t.split("\n")]
    return {
        "cues": len(cb), "source_cues": len(ca),
        "same_timings": [c.timing for c in ca] == [c.timing for c in cb],
        "empty": sum(1 for t in tb if not re.sub(r"<[^>]*>|\{[^}]*\}", "", t).strip()),
        "translated": sum(1 for x, y in zip(ta, tb) if x != y) / len(ca),
        "over": [ln for ln in lines if len(re.sub(r"<[^>]*>|\{[^}]*\}", "", ln)) > MAX_LINE],
    }


SAMPLES = [ROOT / "samples" / "lightning-talk.en.srt", ROOT / "samples" / "lightning-talk.en.vtt"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.suffix)
def test_samples_are_read_as_subtitles(path):
    doc = reader.read(path)
    assert doc.format == path.suffix[1:]
    sources = [s.source for s in doc.segments]
    # sentences run over cues; cue numbers, timings and settings are not segments
    assert any("weekly newsletter" in s and "single link" in s for s in sources)
    assert not any("-->" in s or re.fullmatch(r"\d+", s) for s in sources)
    assert not any("Ana" in s or "an8" in s for s in sources)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.suffix)
def test_echo_gives_the_file_back_and_prefix_keeps_cues(tmp_path, path):
    doc = reader.read(path)
    assert assemble(doc, {s.id: s.source for s in doc.segments}).text == doc.text
    out = assemble(doc, {s.id: "ZQX " + s.source for s in doc.segments}, "es").text
    a, b = find_cues(doc.text, doc.format), find_cues(out, doc.format)
    assert [c.timing for c in a] == [c.timing for c in b]
    assert out.count("ZQX") == len(doc.segments)
    if path.suffix == ".vtt":
        assert out.count("<v Ana>") == doc.text.count("<v Ana>")
        assert "<v Luis><i>ZQX Does it work on subtitles too?</i></v>" in out
        assert "align:start position:10%" in out and "STYLE\n::cue(.term)" in out
    else:
        assert "{\\an8}" in out and "<b>Llama</b>" in out


def test_a_styled_pair_cut_by_redistribution_is_closed_and_reopened():
    doc = reader.parse("1\n00:00:01,000 --> 00:00:02,000\nwe have <i>one</i>\n\n"
                       "2\n00:00:02,000 --> 00:00:03,000\nsentence here.\n", "srt", source_lang="en")
    seg = doc.segments[0]
    assert seg.source == "we have <1>one</1> sentence here."
    out = assemble(doc, {seg.id: "<1>una frase entera aquí</1>"}).text
    assert "\n<i>una frase</i>\n" in out and "\n<i>entera aquí</i>\n" in out


def test_distribute_and_wrap():
    parts = distribute("uno dos tres cuatro cinco seis siete ocho", [10, 30])
    assert len(parts) == 2 and all(parts) and len(parts[0].split()) < len(parts[1].split())
    assert distribute("uno", [1, 1]) is None
    assert distribute("<1>Stable Diffusion</1> es un modelo", [1, 1])[0] == "<1>Stable Diffusion</1>"
    lines = _wrap("una frase bastante larga que no cabe en una sola línea de subtítulo")
    assert len(lines) == 2 and all(len(x) <= MAX_LINE for x in lines)


def test_bad_subtitles_get_one_error_line(tmp_path):
    bad = tmp_path / "broken.en.srt"
    bad.write_text("1\n00:00:01,000 --> 00:00:02,000\nfine\n\nno timing here\nat all\n", encoding="utf-8")
    result = run("translate", bad, "--to", "es", "--model", "apertium", "--out", tmp_path, "--no-cache", "-q")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "SRT" in result.output and "Traceback" not in result.output


def test_same_stem_srt_and_vtt_do_not_overwrite_each_other(tmp_path, fake_openai):
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    result = run("translate", *SAMPLES, "--to", "fr", "--model", "openai:fake", "--out", tmp_path, "--no-cache",
                 "-q", env=env)
    assert echo_ok(result), result.output
    for p in SAMPLES:
        assert (tmp_path / f"lightning-talk.fr{p.suffix}").read_bytes() == p.read_bytes()


def test_subtitles_as_markdown_and_html_with_timestamps(tmp_path, fake_openai):
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    fake_openai.responder = prefix("")
    for fmt in ("md", "html"):
        result = run("translate", SAMPLES[0], "--to", "fr", "--model", "openai:fake", "--output-format", fmt,
                     "--out", tmp_path, "--no-cache", "-q", env=env)
        assert echo_ok(result), result.output
    md = (tmp_path / "lightning-talk.fr.md").read_text(encoding="utf-8")
    assert md.startswith("# Hi everyone, and welcome back to the lightning talks")
    assert "[00:00:00](#t-00-00-00)" in md and "-->" not in md
    page = (tmp_path / "lightning-talk.fr.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and 'href="#t-00-00-00"' in page and "<p" in page


@needs_ntrex
@pytest.mark.parametrize("kind", [0, 1], ids=["srt", "vtt"])
def test_ntrex_echo_through_the_llm_path_is_byte_identical(tmp_path, fake_openai, kind):
    src = ntrex_files(tmp_path)[kind]
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    out_dir = tmp_path / "out"
    result = run("translate", src, "--to", "es", "--model", "openai:fake", "--out", out_dir, "--no-cache", "-q",
                 env=env)
    assert echo_ok(result), result.output
    assert (out_dir / f"ntrex40.es{src.suffix}").read_bytes() == src.read_bytes()


@needs_ntrex
@needs_apertium
@pytest.mark.parametrize("kind", [0, 1], ids=["srt", "vtt"])
def test_ntrex_through_apertium_keeps_every_cue(tmp_path, kind):
    src = ntrex_files(tmp_path)[kind]
    out_dir = tmp_path / "out"
    result = run("translate", src, "--to", "es", "--model", "apertium", "--out", out_dir, "--report", out_dir,
                 "--no-cache", "-q")
    assert result.exit_code == 0, result.output
    m = cue_metrics(src, out_dir / f"ntrex40.es{src.suffix}")
    assert m["cues"] == m["source_cues"] == 40 and m["same_timings"]
    assert m["empty"] == 0 and m["translated"] >= 0.9 and m["over"] == []


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.suffix)
def test_changing_every_segment_changes_only_cue_text(path):
    from formats_oracle import swapped_translations

    from translator.formats.assemble import assemble as assemble_any

    doc = reader.read(path)
    out = assemble_any(doc, swapped_translations(doc)).text
    a, b = find_cues(doc.text, doc.format), find_cues(out, doc.format)
    assert [(c.timing, c.head, c.frame) for c in a] == [(c.timing, c.head, c.frame) for c in b]
    # the same words, case swapped, on the same lines of the same cues
    for ca, cb in zip(a, b):
        before, after = doc.text[ca.start:ca.end], out[cb.start:cb.end]
        if any(s.start < ca.end and s.end > ca.start for s in doc.segments):
            plain = [html.unescape(re.sub(r"<[^>]*>|\{[^}]*\}", "", x)) for x in (after, before)]
            assert plain[0] == plain[1].swapcase()
    outside = [doc.text[x.end:y.start] for x, y in zip(a, a[1:])]
    assert [out[x.end:y.start] for x, y in zip(b, b[1:])] == outside


def test_sbv_round_trip_and_translation(tmp_path):
    text = ("0:00:01.000,0:00:03.500\nhello everyone and welcome\nto the show.\n\n"
            "0:00:03.600,0:00:06.000\nToday we talk about subtitles.\n")
    doc = reader.parse(text, "sbv", source_lang="en")
    assert [s.source for s in doc.segments] == ["hello everyone and welcome to the show.",
                                                "Today we talk about subtitles."]
    assert assemble(doc, {s.id: s.source for s in doc.segments}).text == text
    out = assemble(doc, {"s1": "hola a todos y bienvenidos al programa.", "s2": "Hoy hablamos de subtítulos."}).text
    assert out.startswith("0:00:01.000,0:00:03.500\n") and "\n\n0:00:03.600,0:00:06.000\nHoy hablamos de subtítulos.\n" in out


def test_chinese_target_is_cut_between_characters():
    parts = distribute("大家好，这里是AI大模型周报的第一期。", [10, 10], no_spaces=True)
    assert len(parts) == 2 and "".join(parts) == "大家好，这里是AI大模型周报的第一期。"
    assert "AI" in parts[0] or "AI" in parts[1]  # a Latin word is never cut


def test_dialogue_cues_keep_one_speaker_per_line():
    text = ("1\n00:00:01,000 --> 00:00:03,000\n- Are you coming tonight?\n- Yes, of course I am.\n\n"
            "2\n00:00:03,000 --> 00:00:05,000\nGreat.\n")
    doc = reader.parse(text, "srt", source_lang="en")
    assert [s.source for s in doc.segments] == ["Are you coming tonight?", "Yes, of course I am.", "Great."]
    assert assemble(doc, {s.id: s.source for s in doc.segments}).text == text
    out = assemble(doc, {"s1": "¿Vienes esta noche?", "s2": "Sí, claro que voy.", "s3": "Genial."}).text
    assert "\n- ¿Vienes esta noche?\n- Sí, claro que voy.\n\n" in out
