"""segment.nlp imports spaCy without its command line, and leaves nothing stubbed behind."""

import subprocess
import sys

CODE = """
import sys
from translator.segment import nlp
assert nlp.blank("en").lang == "en"
assert "spacy.cli" not in sys.modules and "weasel" not in sys.modules, sorted(m for m in sys.modules if "cli" in m)
import spacy.cli.info  # the real one still loads afterwards
assert sys.modules["spacy.cli.info"].__file__.endswith("info.py")
assert callable(spacy.info)
print("ok")
"""


def test_spacy_loads_without_its_cli_and_the_real_cli_still_imports():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
