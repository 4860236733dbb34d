"""A word written twice in a row ("el el", "the the") where the source has
no such doubling: a slip of the engine or of an edit."""

from __future__ import annotations

import re

from translator.document import Suggestion, strip_placeholders
from translator.qa.checks.base import CheckContext, Pair, _s

NAME = "doubled-word"
NEEDS_SOURCE = False
ORDER = 85
QUIET_AFTER = ("empty",)

_EDGE_BEFORE, _EDGE_AFTER = r"(?<![\w'’-])", r"(?![\w'’-])"
# in the translation: two words apart by spaces only (a comma, a line break or markup is a pause)
_DOUBLED = re.compile(_EDGE_BEFORE + r"([^\W\d_]+)[ \t\u00a0]+([^\W\d_]+)" + _EDGE_AFTER)
# in the source, any repetition counts: "super, super", "the… the", "rim — rim"
_REPEATED = re.compile(_EDGE_BEFORE + r"([^\W\d_]+)[\s,.;:…—–-]+(\1)" + _EDGE_AFTER, re.I)
# doubled on purpose: emphasis, onomatopoeia, reduplication ("muy muy", "ja ja", "that that")
_MEANT = frozenset("""
    ja je ji jo ha he hi ho bla blah tic tac toc pum bum bang pío din don tin
    muy sí si no ya casi tan pronto bien poco mucho nunca adiós chao vamos venga ay oh ah eh uh
    very so really yes bye now go run more many far long well hey yeah knock ding dong tick tock
    had that is do did can will
""".split())


def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]:
    return tuple(doubled_words(pair))


def doublings(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of each word written twice in a row in `text`,
    by mistake as far as one can tell: not a word doubled on purpose ("muy
    muy", "ja ja"), nor a name ("Bora Bora", "la La Liga": the second word
    capitalised). Placeholders (inline markup) count as a break."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while (m := _DOUBLED.search(text, i)) is not None:
        a, b = m.group(1), m.group(2)
        i = m.start(2)  # "de de de": the second word may begin the next pair
        if a.casefold() != b.casefold() or a.casefold() in _MEANT or b[:1].isupper():
            continue
        if out and out[-1][1] > m.start():  # "de de de": one finding for the run
            out[-1] = (out[-1][0], m.end(), out[-1][2])
        else:
            out.append((m.start(), m.end(), a))
    return out


def repeats(text: str) -> int:
    """How many words the text repeats back to back, pauses allowed."""
    return sum(1 for _ in _REPEATED.finditer(strip_placeholders(text)))


def doubled_words(p: Pair) -> list[Suggestion]:
    """A minor finding per doubled word, beyond as many repetitions as the
    source has (a speaker's "the… the" may be rendered "la la")."""
    found = doublings(p.target)
    if not found:
        return []
    excused = repeats(p.source) if p.source is not None else 0
    return [_s(p.id, "fluency", "minor", p.target[a:b], word,
               f"“{word}” is written twice in a row.", NAME)
            for a, b, word in found[excused:]]
