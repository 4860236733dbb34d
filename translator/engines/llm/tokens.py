"""Token estimates without a tokenizer (tiktoken would download its tables).

Good enough to size batches: about 4 characters per token for ASCII text, 2 for
other alphabetic scripts (accented Latin words split more, Cyrillic, Greek,
Arabic…), 1 per CJK character, kana or hangul syllable.
"""

from __future__ import annotations

import math


def _is_wide(cp: int) -> bool:
    return (
        0x2E80 <= cp <= 0x9FFF  # CJK radicals … unified ideographs, kana, bopomofo
        or 0xAC00 <= cp <= 0xD7AF  # hangul syllables
        or 0xF900 <= cp <= 0xFAFF  # CJK compatibility ideographs
        or 0xFF00 <= cp <= 0xFFEF  # full-width forms
        or 0x20000 <= cp <= 0x3FFFF  # CJK extensions
        or 0x1F000 <= cp <= 0x1FAFF  # emoji
    )


def estimate_tokens(text: str) -> int:
    if not text:
        return 0
    ascii_chars = other = wide = 0
    for ch in text:
        cp = ord(ch)
        if cp < 128:
            ascii_chars += 1
        elif _is_wide(cp):
            wide += 1
        else:
            other += 1
    return wide + math.ceil(ascii_chars / 4 + other / 2)
