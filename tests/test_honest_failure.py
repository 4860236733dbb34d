"""A run that could not translate everything says so: which file, how many
segments, why; the exit code is non-zero; a file where nothing was translated
is not written; a context-length refusal splits the batch (and, at one
segment, drops the neighbouring context) before it gives up."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from fake_openai import prefix
from translator.cli.main import app

runner = CliRunner()

DOC = ("# Weekly notes\n\nThe first sentence is here. The second sentence follows it.\n\n"
       "A third sentence closes the issue.\n")


def translate(tmp_path, fake, *args):
    env = {"OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    return runner.invoke(app, ["translate", *map(str, args), "--to", "es", "--from", "en", "--rounds", "0"], env=env)


def too_large_when(fake, predicate):
    """The fake answers 400 context_length_exceeded for requests where predicate(request) holds."""
    handle = fake._handle

    def wrapped(path, body, headers):
        from fake_openai import FakeRequest

        req = FakeRequest(path, body, headers)
        if path.endswith("/chat/completions") and predicate(req):
            with fake._lock:
                req.status = 400
                fake.requests.append(req)
            return 400, {"error": {"message": "This model's maximum context length is exceeded.",
                                   "code": "context_length_exceeded"}}, {}
        return handle(path, body, headers)

    fake._handle = wrapped


def lines_with(output: str, word: str) -> list[str]:
    return [line for line in output.splitlines() if word in line]


def test_http_500_throughout_is_an_error_and_writes_nothing(tmp_path, fake_openai):
    fake_openai.fault_rate, fake_openai.fault_kinds = 1.0, ("500",)
    src = tmp_path / "a.en.md"
    src.write_text(DOC, encoding="utf-8")
    r = translate(tmp_path, fake_openai, src, "--out", tmp_path / "out")
    assert r.exit_code == 1, r.output
    [err] = lines_with(r.output, "Error:")
    assert str(src) in err and "4 of 4 segments could not be translated" in err and "HTTP 500" in err, err
    assert "nothing was written" in err
    assert not (tmp_path / "out" / "a.es.md").exists()
    assert "untranslated" in r.output  # the summary table has the column
    assert "Traceback" not in r.output


def test_context_length_exceeded_for_every_batch_is_an_error(tmp_path, fake_openai):
    fake_openai.context_chars = 100  # not even the system prompt fits
    src = tmp_path / "a.en.md"
    src.write_text(DOC, encoding="utf-8")
    r = translate(tmp_path, fake_openai, src, "--out", tmp_path / "out")
    assert r.exit_code == 1, r.output
    [err] = lines_with(r.output, "Error:")
    assert "4 of 4 segments could not be translated" in err and "context" in err, err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.md"))
    # split down to single segments before giving up: 1 + 2 + 4 requests, then each alone without context
    sizes = [len(q.segments) for q in fake_openai.chat_requests(status=None)]
    assert sorted(set(sizes)) == [1, 2, 4]


def test_context_length_refusal_splits_the_batch(tmp_path, fake_openai):
    fake_openai.responder = prefix("ES: ")
    too_large_when(fake_openai, lambda req: len(req.segments) > 1)
    src = tmp_path / "a.en.md"
    src.write_text(DOC, encoding="utf-8")
    r = translate(tmp_path, fake_openai, src, "--out", tmp_path / "out")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "a.es.md").read_text(encoding="utf-8").count("ES: ") == 4


def test_one_segment_too_large_with_its_context_is_sent_without_it(tmp_path, fake_openai):
    fake_openai.responder = prefix("ES: ")
    too_large_when(fake_openai, lambda req: len(req.segments) > 1 or bool(req.payload.get("context")))
    src = tmp_path / "a.en.md"
    src.write_text(DOC, encoding="utf-8")
    r = translate(tmp_path, fake_openai, src, "--out", tmp_path / "out")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "a.es.md").read_text(encoding="utf-8").count("ES: ") == 4


def test_some_segments_untranslated_writes_the_rest_and_exits_non_zero(tmp_path, fake_openai):
    fake_openai.responder = prefix("ES: ")
    too_large_when(fake_openai, lambda req: "POISON" in req.user)
    bad, good = tmp_path / "a.en.md", tmp_path / "b.en.md"
    bad.write_text(DOC.replace("A third sentence", "A POISON sentence"), encoding="utf-8")
    good.write_text(DOC, encoding="utf-8")
    out = tmp_path / "out"
    r = translate(tmp_path, fake_openai, bad, good, "--out", out, "--report", out)
    assert r.exit_code == 1, r.output
    [err] = lines_with(r.output, "Error:")
    assert str(bad) in err and "1 of 4 segments could not be translated" in err, err
    assert err.endswith("the output keeps the source text for them, flagged in its report"), err
    text = (out / "a.es.md").read_text(encoding="utf-8")
    assert text.count("ES: ") == 3 and "A POISON sentence closes the issue." in text
    assert (out / "b.es.md").read_text(encoding="utf-8").count("ES: ") == 4
    report = json.loads((out / "a.es.report.json").read_text(encoding="utf-8"))
    [seg] = [s for s in report["segments"] if "POISON" in s["source"]]
    assert seg["status"] == "fallback"
    assert any(s["id"] == seg["id"] and s["severity"] == "critical" and s["status"] == "open"
               for s in report["suggestions"])


def test_exit_codes_are_in_the_help():
    r = runner.invoke(app, ["translate", "--help"], env={"COLUMNS": "200"})
    assert "Exit codes" in r.output and "untranslated" in r.output


def test_apertium_fallbacks_count_as_untranslated(tmp_path):
    """An apertium that answers garbage: every segment falls back to the source."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "apertium"
    fake.write_text("#!/bin/sh\ncat >/dev/null\necho '???'\n", encoding="utf-8")
    fake.chmod(0o755)
    src = tmp_path / "a.en.md"
    src.write_text(DOC, encoding="utf-8")
    import os

    env = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    r = runner.invoke(app, ["translate", str(src), "--to", "es", "--model", "apertium", "--out", str(tmp_path / "out")],
                      env=env)
    assert r.exit_code == 1, r.output
    [err] = lines_with(r.output, "Error:")
    assert "4 of 4 segments could not be translated (Apertium could not translate" in err, err
    assert not (tmp_path / "out" / "a.es.md").exists()
