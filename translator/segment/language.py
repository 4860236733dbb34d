"""Which language a document is in.

Chinese is recognised by its script (text mixing Chinese with English terms
is Chinese); the rest goes to langdetect, seeded so that the answer is the
same on every run.

langdetect's module-level detector loads its profiles lazily and without a
lock: files read in threads (a batch) saw a half-loaded table and English came
out as Afrikaans or Polish. We keep a private factory, loaded once under a lock,
from the profiles in name order (not directory order), so a batch answers as a
single file does.
"""

from __future__ import annotations

import os
import re
import threading

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")


def detect(text: str) -> str:
    """An ISO 639-1 code ("en", "es", "zh" …); "en" when unsure."""
    sample = text[:20000]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return "en"
    if len(_CJK.findall(sample)) / letters >= 0.1:
        return "zh"
    from importlib import metadata

    from translator.io.diskcache import cached_map  # loading the profiles takes longer than a run

    return cached_map("langdetect", metadata.version("langdetect"), [sample],
                      lambda todo: {t: _langdetect(t) for t in todo})[sample]


def _langdetect(sample: str) -> str:
    from langdetect.lang_detect_exception import LangDetectException

    try:
        detector = _factory().create()
        detector.append(sample)
        best = detector.get_probabilities()[0]
    except LangDetectException:
        return "en"
    return best.lang.split("-")[0]


_LOCK = threading.Lock()
_FACTORY = None


def _factory():
    """The langdetect factory, with every profile loaded (once, thread-safe)."""
    global _FACTORY
    with _LOCK:
        if _FACTORY is None:
            from langdetect import DetectorFactory
            from langdetect.detector_factory import PROFILES_DIRECTORY

            names = sorted(n for n in os.listdir(PROFILES_DIRECTORY) if not n.startswith("."))
            profiles = []
            for name in names:
                with open(os.path.join(PROFILES_DIRECTORY, name), encoding="utf-8") as f:
                    profiles.append(f.read())
            factory = DetectorFactory()
            factory.load_json_profile(profiles)
            factory.set_seed(0)
            _FACTORY = factory
        return _FACTORY
