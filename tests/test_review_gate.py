"""The review gate through the CLI: exit codes 0 passed / 1 failed / 2 error,
--max-penalty, the LLM critic (fake server), and the report's segment scores."""

import json
from pathlib import Path

from typer.testing import CliRunner

from fake_openai import prefix
from translator.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "review"
SRC, GOOD = FIX / "issue-07.en.html", FIX / "issue-07.es.html"
runner = CliRunner()
NO_LLM = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""}


def review(*args, env=None):
    return runner.invoke(app, ["review", *map(str, args)], env=env or NO_LLM)


def test_good_translation_passes_with_exit_0():
    r = review(SRC, GOOD, "--to", "es", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["gate"]["passed"] is True and data["gate"]["max_penalty"] > 0


def test_penalty_above_max_penalty_fails_with_exit_1(tmp_path):
    bad = tmp_path / "issue-07.es.html"
    bad.write_text(GOOD.read_text(encoding="utf-8").replace("modelos", "modelox", 3), encoding="utf-8")
    ok = review(SRC, bad, "--to", "es", "--json", "--max-penalty", "1000")
    assert ok.exit_code == 0, ok.output
    r = review(SRC, bad, "--to", "es", "--json", "--max-penalty", "0")
    assert r.exit_code == 1
    gate = json.loads(r.output)["gate"]
    assert gate["over_max_penalty"] is True and gate["blocking"] == 0


def test_errors_exit_2_with_one_error_line(tmp_path):
    missing = review(SRC, tmp_path / "nope.es.html", "--to", "es")
    assert missing.exit_code == 2 and "Error:" in missing.output and "Traceback" not in missing.output
    folder = review(SRC, GOOD, "--to", "es", "--html", tmp_path)
    assert folder.exit_code == 2 and "is a folder" in folder.output
    nodir = review(SRC, GOOD, "--to", "es", "--report", tmp_path / "no" / "such" / "r.json")
    assert nodir.exit_code == 2 and "does not exist" in nodir.output
    unknown = review(SRC, GOOD, "--to", "es", "--no-such-option")
    assert unknown.exit_code == 2
    for code in ("Spanish", "xx"):  # no gate is passed for a language that is none
        bad = review(SRC, GOOD, "--to", code)
        assert bad.exit_code == 2 and "is not a language code" in bad.output, bad.output


def test_an_unwritable_html_is_named_as_given_not_as_its_temporary_file():
    r = review(SRC, GOOD, "--to", "es", "--html", "/sys/kernel/review.html")
    assert r.exit_code == 2
    [err] = [line for line in r.output.splitlines() if line.startswith("Error:")]
    assert "/sys/kernel/review.html" in err and ".tmp" not in err, r.output


def test_help_states_the_exit_codes():
    r = runner.invoke(app, ["review", "--help"], env=NO_LLM)
    assert r.exit_code == 0
    text = " ".join(r.output.split())
    assert "--max-penalty" in text and "Exit codes: 0" in text


def test_llm_critic_findings_join_the_deterministic_ones(tmp_path, fake_openai):
    def critic(seg):
        draft = seg["draft"]
        if "márgenes" in draft:
            return [{"original": "márgenes", "suggestion": "márgenes de beneficio", "category": "accuracy",
                     "severity": "minor", "explanation": "Say which margins."}]
        return []

    fake_openai.responder = prefix("", critic=critic)
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    page = tmp_path / "r.html"
    r = review(SRC, GOOD, "--to", "es", "--json", "--model", "openai:fake", "--html", page, env=env)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    llm = [s for s in data["issues"] if s["origin"] == "llm"]
    assert [s["original"] for s in llm] == ["márgenes"]
    calls = fake_openai.chat_requests("critique")
    assert calls and all(req.task == "critique" for req in calls)
    n = sum(len(req.segments) for req in calls)
    assert n >= 10  # every aligned segment was sent, in batches
    assert len(calls) < n


def test_critic_that_never_answers_is_an_error_not_a_pass(fake_openai):
    fake_openai.responder = lambda req: "not json at all"
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": ""}
    r = review(SRC, GOOD, "--to", "es", "--model", "openai:fake", env=env)
    assert r.exit_code == 2 and "Error:" in r.output


def test_review_model_apertium_is_refused():
    r = review(SRC, GOOD, "--to", "es", "--model", "apertium")
    assert r.exit_code == 2 and "openai:MODEL" in r.output


def test_report_lists_worst_segments_and_plots_scores(tmp_path):
    bad = tmp_path / "issue-07.es.html"
    bad.write_text(GOOD.read_text(encoding="utf-8").replace("12.900 millones", "21.900 millones"), encoding="utf-8")
    page, js = tmp_path / "r.html", tmp_path / "r.json"
    r = review(SRC, bad, "--to", "es", "--html", page, "--report", js)
    assert r.exit_code == 0, r.output
    html = page.read_text(encoding="utf-8")
    assert '<svg id="score-plot"' in html and 'id="worst"' in html
    data = json.loads(js.read_text(encoding="utf-8"))
    scores = data["segment_scores"]
    assert scores[0]["penalty"] > 0 and scores == sorted(scores, key=lambda x: (x["score"], -x["penalty"]))
    assert any(g["check"] == "numbers" and g["count"] >= 1 for g in data["groups"])


def test_translate_report_carries_the_same_estimate(tmp_path, fake_openai):
    def gibberish(req):
        if req.task == "translate":
            return {"segments": [{"id": s["id"], "text": "Losa pember tranquilazo grabaraye el sofá."}
                                 for s in req.segments]}
        return {"suggestions": []} if req.task == "critique" else {
            "segments": [{"id": s["id"], "text": s["draft"]} for s in req.segments]}

    fake_openai.responder = gibberish
    src = tmp_path / "note.en.txt"
    src.write_text("The cat sleeps on the red sofa every afternoon.\n", encoding="utf-8")
    env = {"OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_API_KEY": "", "XDG_CACHE_HOME": str(tmp_path / "c")}
    r = runner.invoke(app, ["translate", str(src), "--from", "en", "--to", "es", "--model", "openai:fake",
                            "--out", str(tmp_path / "out"), "--report", str(tmp_path / "rep"), "--quiet"], env=env)
    assert r.exit_code in (0, 1), r.output
    reports = list((tmp_path / "rep").glob("*.json"))
    assert reports, r.output
    data = json.loads(reports[0].read_text(encoding="utf-8"))
    found = {s["original"] for s in data["suggestions"] if s["origin"] == "estimate"}
    assert {"pember", "tranquilazo"} <= found
    assert data["segment_scores"][0]["score"] < 100


def test_review_never_writes_over_what_it_reviews_nor_over_a_file_of_the_editors(tmp_path):
    src, tgt = tmp_path / "a.en.html", tmp_path / "a.es.html"
    src.write_bytes(SRC.read_bytes())
    tgt.write_bytes(GOOD.read_bytes())
    notes = tmp_path / "notes.html"
    notes.write_text("<p>my notes</p>", encoding="utf-8")
    for option, path in (("--report", tgt), ("--html", src), ("--html", notes)):
        r = review(src, tgt, "--to", "es", option, path)
        assert r.exit_code == 2 and r.output.startswith("Error: "), r.output
    assert src.read_bytes() == SRC.read_bytes() and tgt.read_bytes() == GOOD.read_bytes()
    assert notes.read_text(encoding="utf-8") == "<p>my notes</p>"
    page, data = tmp_path / "r.html", tmp_path / "r.json"
    for _ in range(2):  # an earlier report of its own is replaced
        assert review(src, tgt, "--to", "es", "--html", page, "--report", data).exit_code == 0
