"""A phrase repeated over and over (a model stuck in a loop), which the
source does not repeat."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from translator.document import Suggestion, strip_placeholders
from translator.qa.qe.text import _s, tokens


def _max_repeat(words: Sequence[str]) -> tuple[int, int, int]:
    """(times, n, start) of the n-gram repeated most often back to back."""
    best = (1, 0, 0)
    L = len(words)
    for n in range(1, 9):
        i = 0
        while i + 2 * n <= L:
            times = 1
            while i + (times + 1) * n <= L and words[i + times * n:i + (times + 1) * n] == words[i:i + n]:
                times += 1
            if times > 1 and times * n > best[0] * max(best[1], 1):
                best = (times, n, i)
            i += max(1, (times - 1) * n) if times > 1 else 1
    return best


def repetition(id_: str, source: str | None, target: str) -> list[Suggestion]:
    t_text = strip_placeholders(target)
    t_tok = tokens(t_text)
    words = [w.casefold() for _, _, w in t_tok]
    times, n, start = _max_repeat(words)
    if n == 0 or times < (4 if n == 1 else 3):
        # also a long phrase (4+ words) said three times anywhere in the segment
        grams = Counter(tuple(words[i:i + 4]) for i in range(len(words) - 3))
        gram, k = grams.most_common(1)[0] if grams else ((), 0)
        if k < 3:
            return []
        src = [w.casefold() for _, _, w in tokens(strip_placeholders(source or ""))]
        if source is not None and _count_ngrams(src, 4) and max(_count_ngrams(src, 4).values()) >= k:
            return []
        phrase = " ".join(gram)
        return [_s(id_, "fluency", "major", _span_of(t_text, t_tok, words, gram), "",
                   f"The phrase “{phrase}” is repeated {k} times: the text may be stuck in a loop.",
                   "repetition")]
    if source is not None:
        src = [w.casefold() for _, _, w in tokens(strip_placeholders(source))]
        s_times, s_n, _ = _max_repeat(src)
        if s_times >= times - 1 and s_n > 0:
            return []  # the source repeats itself as much ("Check. Check.")
    a, b = t_tok[start][0], t_tok[start + times * n - 1][1]
    phrase = " ".join(words[start:start + n])
    return [_s(id_, "fluency", "major", t_text[a:b], t_text[t_tok[start][0]:t_tok[start + n - 1][1]],
               f"“{phrase}” is repeated {times} times in a row: the text may be stuck in a loop.", "repetition")]


def _count_ngrams(words: Sequence[str], n: int) -> Counter:
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def _span_of(text: str, toks, words: Sequence[str], gram: tuple) -> str:
    n = len(gram)
    for i in range(len(words) - n + 1):
        if tuple(words[i:i + n]) == gram:
            return text[toks[i][0]:toks[i + n - 1][1]]
    return ""
