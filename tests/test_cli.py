"""Every sample through the CLI; bad input gets `Error:` and the batch goes on."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fake_openai import prefix, echo_ok
from formats_oracle import html_nodes, md_tokens
from translator.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (ROOT / "samples").glob("*.*") if p.name != "README.md")
runner = CliRunner()
needs_apertium = pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env or {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_segment_every_sample(path):
    result = run("segment", path)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["segments"] and all(s["source"].strip() for s in data["segments"])
    assert [s["id"] for s in data["segments"]] == [f"s{i}" for i in range(1, len(data["segments"]) + 1)]


def skeleton(path: Path) -> list:
    """Tags and token types, without the text (which an engine changes)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        return [(n.name, sorted(k for k in n.attrs)) for kind, n in html_nodes(text) if kind == "tag"]
    if path.suffix == ".md":
        return [(t.type, t.attrs.get("href"), t.attrs.get("src")) for t in md_tokens(text) if t.type != "text"]
    return []


@needs_apertium
@pytest.mark.parametrize(
    "name, target",
    [("ai-weekly-042.en.html", "es"), ("hugo-digest-2026-03.en.md", "es"), ("boletin-ia-2024-05.es.md", "en"),
     ("podcast-llama.es.txt", "en"), ("mojibake-note.en.txt", "es")],
)
def test_translate_samples_with_apertium(tmp_path, name, target):
    src = ROOT / "samples" / name
    result = run("translate", src, "--to", target, "--out", tmp_path, "--report", tmp_path, "--no-cache", "-q")
    assert result.exit_code == 0, result.output
    stem = name.split(".")[0]
    out = tmp_path / f"{stem}.{target}{src.suffix}"
    assert out.exists()
    assert skeleton(out) == skeleton(src)
    report = json.loads((tmp_path / f"{stem}.{target}.report.json").read_text(encoding="utf-8"))
    assert report["engine"] == "apertium" and report["target_lang"] == target
    assert len(report["segments"]) > 5
    assert all(s["translation"] for s in report["segments"])
    text = out.read_text(encoding="utf-8")
    assert "*" not in "".join(s["translation"] for s in report["segments"] if "*" not in s["source"])
    assert text != src.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_identity_engine_reproduces_every_sample(tmp_path, fake_openai, path):
    """An engine that returns each segment unchanged gives back the input, byte for byte."""
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    target = "fr"  # a pair no sample is in
    result = run("translate", path, "--to", target, "--model", "openai:fake", "--out", tmp_path, "--no-cache",
                 "-q", env=env)
    assert echo_ok(result), result.output
    out = next(tmp_path.glob(f"*.{target}{path.suffix}"))
    assert out.read_bytes() == path.read_bytes() or "Mac Roman" in run("segment", path).output


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_prefix_engine_changes_each_segment_once(tmp_path, fake_openai, path):
    fake_openai.responder = prefix("ZQX ")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    result = run("translate", path, "--to", "fr", "--model", "openai:fake", "--out", tmp_path, "--report",
                 tmp_path, "--no-cache", "-q", env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(next(tmp_path.glob("*.report.json")).read_text(encoding="utf-8"))
    out = next(tmp_path.glob(f"*.fr{path.suffix}")).read_text(encoding="utf-8")
    assert all(s["translation"] == "ZQX " + s["source"] for s in report["segments"])
    assert out.count("ZQX") == len(report["segments"])
    assert skeleton(next(tmp_path.glob(f"*.fr{path.suffix}"))) == skeleton(path)


@pytest.mark.parametrize("quiet", [["-q"], []], ids=["quiet", "with the summary table"])
def test_bad_inputs_get_one_error_line_each_and_the_rest_is_done(tmp_path, fake_openai, quiet):
    good = tmp_path / "good.en.md"
    good.write_text("# Hello\n\nA short newsletter about models.\n", encoding="utf-8")
    (tmp_path / "binary.html").write_bytes(b"\x00\x01\x02\x03PNG\x00" * 50)
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "latin.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 40)
    (tmp_path / "broken.html").write_text('<p>Hello <a href="x', encoding="utf-8")
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "image.png").write_bytes(b"\x89PNG")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    files = ["good.en.md", "binary.html", "empty.md", "latin.txt", "broken.html", "nothing", "missing.md"]
    out = tmp_path / "out"
    result = run("translate", *[tmp_path / f for f in files], "--to", "fr", "--model", "openai:fake", "--out", out,
                 "--no-cache", *quiet, env=env)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 6, result.output
    assert "Traceback" not in result.output
    for word in ("binary", "empty", "unknown text encoding", "malformed HTML", "nothing to translate", "no such file"):
        assert any(word in e for e in errors), word
    assert (out / "good.fr.md").exists()
    assert sorted(p.name for p in out.iterdir()) == ["good.fr.md"]


def test_missing_engine_pair_names_the_fix(tmp_path):
    if shutil.which("apertium") is None:
        pytest.skip("apertium is not installed")
    result = run("translate", ROOT / "samples/ai-news-briefing.zh.txt", ROOT / "samples/mojibake-note.en.txt",
                 "--to", "es", "--model", "apertium", "--out", tmp_path, "--no-cache", "-q")
    assert result.exit_code == 1
    assert "Error:" in result.output and "zh" in result.output
    assert (tmp_path / "mojibake-note.es.txt").exists()


def test_malformed_glossary_stops_before_translating(tmp_path):
    bad = tmp_path / "bad.en-es.csv"
    bad.write_text("source,target\nprompt,\n", encoding="utf-8")
    result = run("translate", ROOT / "samples/mojibake-note.en.txt", "--to", "es", "--glossary", bad,
                 "--out", tmp_path, "--no-cache", "-q")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "line 2" in result.output
    assert not list(tmp_path.glob("*.es.txt"))


def test_output_format_html_for_markdown_and_transcripts(tmp_path, fake_openai):
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    for name in ("hugo-digest-2026-03.en.md", "podcast-llama.es.txt"):
        result = run("translate", ROOT / "samples" / name, "--to", "fr", "--model", "openai:fake",
                     "--output-format", "html", "--out", tmp_path, "--no-cache", "-q", env=env)
        assert echo_ok(result), result.output
    page = (tmp_path / "hugo-digest-2026-03.fr.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page and "<h2>" in page
    assert "<title>The Monthly Digest: March 2026</title>" in page
    transcript = (tmp_path / "podcast-llama.fr.html").read_text(encoding="utf-8")
    assert transcript.count("<p>") >= 3  # paragraphs at pauses and connectives, not only at blank lines


def test_folders_skip_our_own_outputs(tmp_path, fake_openai):
    (tmp_path / "a.en.md").write_text("Hello there, readers.\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("Not a newsletter.\n", encoding="utf-8")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    first = run("translate", tmp_path, "--to", "fr", "--model", "openai:fake", "--no-cache", "-q", env=env)
    assert first.exit_code == 0, first.output
    assert (tmp_path / "a.fr.md").exists() and not (tmp_path / "README.fr.md").exists()
    again = run("translate", tmp_path, "--to", "fr", "--model", "openai:fake", "--no-cache", "-q", env=env)
    assert again.exit_code == 0 and not (tmp_path / "a.fr.fr.md").exists()


def test_translation_memory_skips_what_was_done(tmp_path, fake_openai):
    src = tmp_path / "a.en.md"
    src.write_text("# Title\n\nFirst sentence here. Second sentence here.\n", encoding="utf-8")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    cache = tmp_path / "tm.sqlite"
    fake_openai.responder = prefix("FR ")
    assert run("translate", src, "--to", "fr", "--model", "openai:fake", "--cache", cache, "-q", env=env).exit_code == 0
    calls = len(fake_openai.chat_requests())
    src.write_text("# Title\n\nFirst sentence here. A new second sentence.\n", encoding="utf-8")
    assert run("translate", src, "--to", "fr", "--model", "openai:fake", "--cache", cache, "-q", env=env).exit_code == 0
    new = fake_openai.chat_requests()[calls:]
    sent = [s["source"] for r in new if r.task == "translate" for s in r.segments]
    assert sent == ["A new second sentence."]
    assert (tmp_path / "a.fr.md").read_text(encoding="utf-8") == (
        "# FR Title\n\nFR First sentence here. FR A new second sentence.\n"
    )
    # a run served from the memory still reports what the checks find in the output
    def keep_english(req):  # translate and revise leave the text in English: "untranslated"
        if req.task == "revise":
            return {"segments": [{"id": s["id"], "text": s["draft"]} for s in req.segments]}
        return prefix("")(req)

    fake_openai.responder = keep_english
    src.write_text("# Title\n\nA third sentence that stays in English here.\n", encoding="utf-8")
    report_dir = tmp_path / "reports"
    args = ("translate", src, "--to", "fr", "--model", "openai:fake", "--cache", cache, "--report", report_dir, "-q")
    assert run(*args, env=env).exit_code == 0
    before = len(fake_openai.chat_requests())
    assert run(*args, env=env).exit_code == 0
    assert len(fake_openai.chat_requests()) == before  # all served from memory
    report = json.loads((report_dir / "a.fr.report.json").read_text(encoding="utf-8"))
    assert any(s["check"] == "untranslated" for s in report["suggestions"])
    tmx = tmp_path / "tm.tmx"
    assert run("memory", "export", tmx, "--cache", cache).exit_code == 0
    assert tmx.read_text(encoding="utf-8").count("<tu>") >= 4



@pytest.mark.parametrize("group", ["", "glossary", "batch", "memory", "xliff"])
def test_command_lists_give_each_command_one_line_when_wide(group):
    """A command's summary is its docstring's first paragraph, reflowed: on a
    wide terminal each command takes one line (the docstring's own line breaks
    gave "review  … structure-aligned checks, a" / "reference-free …")."""
    r = run(*([group] if group else []), "--help", env={"COLUMNS": "250"})
    assert r.exit_code == 0
    rows = [line[1:-1] for line in r.output.split("Commands")[1].splitlines()[1:] if line.startswith("│")]
    assert rows and all(not row[1:2].isspace() for row in rows), rows


@needs_apertium
def test_a_file_of_an_unsupported_type_is_refused_and_the_batch_goes_on(tmp_path):
    """JSON keys, YAML, a .docx are no newsletter: one Error: each, unless --format says how to read it."""
    (tmp_path / "data.en.json").write_text('{"title": "Hello"}\n', encoding="utf-8")
    (tmp_path / "conf.en.yaml").write_text("title: Hello\n", encoding="utf-8")
    good = tmp_path / "good.en.txt"
    good.write_text("Hello world.\n", encoding="utf-8")
    out = tmp_path / "out"
    r = run("translate", tmp_path / "data.en.json", tmp_path / "conf.en.yaml", good, "--to", "es", "--from", "en",
            "--out", out, "-q", "--no-cache")
    errors = [line for line in r.output.splitlines() if line.startswith("Error:")]
    assert r.exit_code == 1 and len(errors) == 2 and all("unsupported file type" in e for e in errors), r.output
    assert sorted(p.name for p in out.iterdir()) == ["good.es.txt"]
    r = run("translate", tmp_path / "data.en.json", "--format", "text", "--to", "es", "--from", "en", "--out", out,
            "-q", "--no-cache")
    assert r.exit_code == 0 and (out / "data.es.json").exists(), r.output
