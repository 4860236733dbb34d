"""How many words a text has, for scores and penalties per 1000 words."""

from __future__ import annotations

import re

from translator.document import strip_placeholders

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def count_words(text: str) -> int:
    """Words for the score; each CJK character counts as one."""
    plain = strip_placeholders(text)
    return len(_CJK.sub(" ", plain).split()) + len(_CJK.findall(plain))
