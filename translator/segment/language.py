"""Which language a text is in: the one place that tells.

`detect` answers for a document: Chinese is recognised by its script (text mixing Chinese with English terms
is Chinese); the rest goes to langdetect, seeded so that the answer is the
same on every run.

langdetect's module-level detector loads its profiles lazily and without a
lock: files read in threads (a batch) saw a half-loaded table and English came
out as Afrikaans or Polish. We keep a private factory, loaded once under a lock,
from the profiles in name order (not directory order), so a batch answers as a
single file does.

`guess_language` answers for a short text (a segment, a suggestion): the
language whose function words dominate, or a CJK script; None when the text
does not say. The QA wrong-language check and the LLM answer filter use it.
"""

from __future__ import annotations

import os
import re
import threading

from translator.document import strip_placeholders

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CJK_ANY = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")  # kana and hangul too
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
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

    from translator.stagecache import cached_map  # loading the profiles takes longer than a run

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


# --- short texts: function words ---------------------------------------------

STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": """the and of to is are was were that this with for on it its be by have has had from which
            what will would can could not they their you your we our an at or but if about more than there
            these those been who how into also just only do does should when while""",
        "es": """el los las del que y en un una es son por para con se su sus lo al como más pero este
            esta estos estas está están ha han sobre también muy cuando entre sin hay ya qué porque fue
            ser nos les le mientras donde desde hasta según cada otro otra ese esa""",
        "fr": """le les des du et est une pour dans qui sur pas avec sont ce cette ces au aux il elle nous
            vous ils mais ou plus été être fait leur comme aussi très""",
        "de": """der die das und ist nicht mit sich auf für den dem ein eine einen einem von zu im auch
            sind wird werden hat haben wie aus bei oder nach noch über""",
        "it": """il gli della delle degli che è sono per con non una uno nel nella alla anche come più ma
            questo questa dei sul tra""",
        "pt": """os das dos uma não com para em é são pelo pela mais como mas também isso esta este foi
            ser tem muito ao aos""",
    }.items()
}


def stopword_scores(text: str) -> dict[str, int]:
    words = [w.lower() for w in _WORD.findall(strip_placeholders(text))]
    return {lang: sum(w in sw for w in words) for lang, sw in STOPWORDS.items()}


def guess_language(text: str) -> str | None:
    """A cheap guess for short texts: the language whose function words
    dominate, or a CJK script; None when the text does not say."""
    letters = re.findall(r"[^\W\d_]", strip_placeholders(text))
    if letters and len(CJK_ANY.findall(text)) / len(letters) >= 0.3:
        return "cjk"
    scores = stopword_scores(text)
    best = max(scores, key=lambda lang: scores[lang])
    rest = max(v for k, v in scores.items() if k != best)
    if scores[best] >= 3 and scores[best] >= 2 * rest + 1:
        return best
    return None


# --- documents: langdetect ----------------------------------------------------

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
