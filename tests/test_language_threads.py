"""Language detection is correct and the same in a batch (files read in
threads) as alone: langdetect's lazy, unlocked profile loading made English
files come out as Afrikaans or Polish."""

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from translator.segment import language

EN = ["The quick brown fox jumps over the lazy dog. This newsletter covers the latest models and their training data.",
      "Researchers released a new open model this week, with weights and a detailed technical report.",
      "Our editors picked five papers on retrieval, evaluation and the cost of running large models."]
ES = ["El modelo fundacional se entrena con muchos datos y luego se ajusta para cada tarea concreta.",
      "Esta semana publicamos un boletín con las novedades de la comunidad y los próximos eventos."]

_THREADS = """
from concurrent.futures import ThreadPoolExecutor
from translator.segment.language import detect
texts = {texts!r} * 8
with ThreadPoolExecutor(len(texts)) as ex:
    print(",".join(ex.map(detect, texts)))
"""


def test_many_threads_from_a_fresh_interpreter():
    texts = EN + ES
    alone = [language.detect(t) for t in texts]
    assert alone == ["en"] * len(EN) + ["es"] * len(ES)
    for _ in range(3):  # the race needs a cold start: a new interpreter each time
        r = subprocess.run([sys.executable, "-c", _THREADS.format(texts=texts)], capture_output=True, text=True,
                           check=True, env={k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"})
        assert r.stdout.strip().split(",") == alone * 8


def test_many_threads_in_process():
    texts = (EN + ES) * 10
    with ThreadPoolExecutor(16) as ex:
        got = list(ex.map(language.detect, texts))
    assert got == [language.detect(t) for t in texts]


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_batch_names_every_english_file_as_english(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(8):
        (src / f"note{i}.txt").write_text(EN[i % len(EN)] + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    r = subprocess.run([sys.executable, "-m", "translator.cli.main", "translate", str(src), "--to", "es", "--model",
                        "apertium", "--out", str(tmp_path / "out")], env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"note{i}.es.txt" for i in range(8)]
