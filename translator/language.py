"""Which language a document is in.

Chinese is recognised by its script (text mixing Chinese with English terms
is Chinese); the rest goes to langdetect, seeded so that the answer is the
same on every run.
"""

from __future__ import annotations

import re

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
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return "en"
    return best.lang.split("-")[0]
