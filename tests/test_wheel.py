"""A release installs and runs: the wheel carries the prompts and default
glossaries (package data), and a copy installed alone into a folder
translates a sample from outside the checkout."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "translator", src / "translator", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(dist),
                    str(src)], check=True, capture_output=True)
    return next(dist.glob("*.whl"))


def test_wheel_holds_prompts_and_glossaries(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in ("translator/prompts/translate.md", "translator/prompts/critique.md", "translator/prompts/revise.md",
              "translator/glossaries/ai.en-es.csv"):
        assert f in names


@pytest.mark.skipif(not shutil.which("apertium"), reason="apertium not installed")
def test_installed_wheel_translates_from_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(site),
                    str(wheel)], check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(ROOT / "samples" / "hugo-digest-2026-03.en.md", work / "digest.en.md")
    env = {**os.environ, "PYTHONPATH": str(site), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("TRANSLATOR_PROMPTS", None)
    code = ("import sys, translator; assert translator.__file__.startswith(sys.argv[1]), translator.__file__\n"
            "from translator.engines.llm.prompts import load_prompts; load_prompts()\n"
            "from translator.cli.main import main; sys.argv = ['translator', 'translate', 'digest.en.md', '--to', 'es',"
            " '--model', 'apertium', '-q']; main()")
    run = subprocess.run([sys.executable, "-c", code, str(site)], cwd=work, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    out = (work / "digest.es.md").read_text(encoding="utf-8")
    assert out.startswith("---") and "modelo" in out
