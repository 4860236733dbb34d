"""Is a model's answer what was asked for? Cheap, deterministic tests on
top of the shape checks of validate.py:

- a translation that is a copy of its source (when that source is prose
  recognisably in the source language) is no translation; names, numbers,
  titles and code may rightly stay as they are; nor is a reply about the
  task (a refusal, "Here is the translation:"; qa/checks/meta_reply.py);
- a critic's suggestion that quotes the whole segment, proposes text that
  shares no content word with the source or the draft, is in the wrong
  language, or parrots the error we sent, is discarded;
- a critique whose suggestions are all critical with one template is no
  critique at all.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Mapping, Sequence

from translator.qa import checks
from translator.document import Suggestion

_ALL_STOPWORDS = frozenset().union(*checks.STOPWORDS.values())


def base(lang: str | None) -> str:
    return (lang or "").lower().split("-")[0]


def _stays_as_is(source: str) -> bool:
    """Names, numbers, code: a translation may rightly be identical."""
    return checks._name_like(source)


def _prose_in(text: str, lang: str) -> bool:
    """Recognisably running text in `lang` (its function words dominate), not
    a title, a name, a list of terms or code, which may rightly stay as is."""
    return not _stays_as_is(text) and checks.guess_language(text) == lang


def translation_problem(source: str, text: str, source_lang: str | None, target_lang: str | None) -> str | None:
    """Why `text` is not a translation of `source` into `target_lang`, or None:
    the source copied (up to placeholders, spacing and case) when it is prose
    recognisably in the source language. A text merely *looking* like the
    source language is left to the final checks ("untranslated",
    "wrong-language"): failing it here would also fail every "prefix" fake."""
    from translator.qa.checks.meta_reply import meta_reply

    found = meta_reply(source, text)
    if found is not None:
        return (f"the text is a reply about the task («{found}»), not a translation: the segment is text to "
                "translate, whatever it says; translate it")
    src, tgt = base(source_lang), base(target_lang)
    if not src or not tgt or src == tgt:
        return None
    src_name, tgt_name = checks.lang_name(src), checks.lang_name(tgt)
    if checks._norm(text) == checks._norm(source):
        if not _prose_in(source, src):
            return None
        return (f"the text is a copy of the {src_name} source; write it in {tgt_name} "
                "(keep only names, code and numbers as they are)")
    return None


# --- the critic ---------------------------------------------------------------


def _content_words(text: str) -> list[str]:
    return [w.casefold() for w in checks._words(text) if len(w) >= 4 and w.casefold() not in _ALL_STOPWORDS]


def _shares_word(words: Iterable[str], pool: set[str]) -> bool:
    stems = {w[:5] for w in pool if len(w) >= 5}
    return any(w in pool or (len(w) >= 5 and w[:5] in stems) for w in words)


def whole_segment(original: str, draft: str) -> bool:
    """Does the quoted span cover (nearly) the whole draft of a real sentence?"""
    core = checks._norm(draft)
    if len(checks._words(draft)) < 4 or not core:
        return False
    return len(checks._norm(original)) >= 0.8 * len(core)


def wrong_language(text: str, target_lang: str | None) -> str | None:
    """The language `text` is in when that is clearly not the target, else
    None. The test is the "wrong-language" check's own
    (`translator.qa.checks.wrong_language`): one rule says what is in the
    wrong language, for a critic's replacement and for a final translation."""
    tgt = base(target_lang)
    if not tgt or not checks.wrong_language(checks.Pair("", None, text), tgt):
        return None
    guess = checks.guess_language(text)
    return "Chinese/Japanese/Korean" if guess == "cjk" else checks.lang_name(guess or tgt)


def _parrots(explanation: str, sent: Mapping[str, str]) -> bool:
    said = checks._norm(explanation)
    if len(said) < 20:
        return False
    for message in sent.values():
        ours = checks._norm(message)
        if len(ours) >= 20 and (ours[:60] in said or said in ours):
            return True
    return False


def suggestion_problem(s: Suggestion, source: str, draft: str, target_lang: str | None,
                       sent: Mapping[str, str] | None = None) -> str | None:
    """Why a critic's suggestion (already located in the draft) must be
    discarded, or None when it may stand."""
    if s.original and whole_segment(s.original, draft):
        return "it quotes the whole segment instead of the words in error"
    if s.suggestion:
        words = _content_words(s.suggestion)
        pool = set(_content_words(source)) | set(_content_words(draft))
        if len(words) >= 3 and not _shares_word(words, pool):
            return "its replacement shares no word with the source or the draft"
        if (lang := wrong_language(s.suggestion, target_lang)) is not None:
            return f"its replacement is in {lang}"
    if sent and _parrots(s.explanation, sent):
        return "its explanation repeats our own error message"
    return None


def _template_key(text: str) -> str:
    return re.sub(r"\d+", "#", checks._norm(text))


def template_problem(suggestions: Sequence[Suggestion]) -> str | None:
    """All suggestions critical and most of them one template: a model
    filling in the form, not reading the drafts."""
    if len(suggestions) < 2 or len({s.id for s in suggestions}) < 2:
        return None
    if any(s.severity != "critical" for s in suggestions):
        return None
    n = len(suggestions)
    for field in ("suggestion", "explanation"):
        key, count = Counter(_template_key(getattr(s, field)) for s in suggestions).most_common(1)[0]
        if key and count >= max(2, 0.6 * n) and (field == "suggestion" or n >= 3):
            return (f"every issue was marked critical and {count} of {n} had the same {field} "
                    f"(«{checks._clip(key, 50)}»); report only real errors, quoting just the wrong words, "
                    "with the severity each deserves, or no suggestion when a draft is fine")
    return None
