"""A critic's suggestion that quotes the SOURCE where it should quote the draft.

Small models put the source words in "original" ("roofing contractors" →
"contratistas de techos"). Such a span cannot be applied to the draft, but
the replacement is the critic's rendering of those source words, so the
draft's own rendering of them is the stretch of the draft that looks most
like the replacement. `draft_span` finds it, word by word (difflib), and
only when the match is clear:

- the quote occurs in the source (else it is made up: not rescued);
- it is not the whole source sentence (a whole-sentence quote is no finding);
- the best window of the draft (most words in common with the replacement,
  then most in the same position, then the closest length; one place only)
  has at least half of the replacement's words, one of them a number or a
  word of four letters or more;
- when that window is the replacement itself, the critic paired the source
  words with the draft's rendering of them (Qwen2.5-Coder-1.5B did, with
  "draft_words": "roofing contractors", "replacement": "contratistas de
  acabados de piso"): those draft words are reported with no replacement,
  as a minor finding for the editor. It is never sent to the reviser: the
  same reply is what a critic that agrees with the draft would give.

The span returned is then treated like any quoted span: the sanity filter,
the reviser and the revision gate all still apply.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from translator.engines.llm.sanity import whole_segment

_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class Rescue:
    span: str | None  # the draft span aligned with the quoted source words, or None
    why: str  # when `span` is None: why the suggestion cannot be kept
    flag: bool = False  # the "replacement" is the draft's own words: they are flagged, with no fix


def _words(text: str) -> list[tuple[str, int, int]]:
    """Each word as a key (casefolded, cut to its first five letters: "fundación"
    and "fundacionales" meet), with where it is."""
    return [(m.group(0).casefold()[:5], m.start(), m.end()) for m in _WORD.finditer(text)]


def _edges(draft: str, start: int, end: int, suggestion: str) -> tuple[int, int]:
    """The span widened over the punctuation the replacement has at its ends too ("75" → "75%")."""
    lead = suggestion[: len(suggestion) - len(suggestion.lstrip("¿¡\"'“«(%$€"))]
    trail = suggestion[len(suggestion.rstrip(".,;:!?…%\"'”»)")):]
    if lead and draft[:start].endswith(lead):
        start -= len(lead)
    if trail and draft[end:].startswith(trail):
        end += len(trail)
    return start, end


def in_source(original: str, source: str, draft: str) -> bool:
    """Is `original` a quote of the source (and not of the draft)?"""
    quote = original.strip()
    return bool(quote) and quote.casefold() in source.casefold() and quote.casefold() not in draft.casefold()


def _score(want: list[str], window: list[str]) -> tuple[int, int, int]:
    """(words in common, of them at the same position, -length difference): higher is better."""
    blocks = difflib.SequenceMatcher(None, want, window, autojunk=False).get_matching_blocks()
    common = sum(b.size for b in blocks)
    aligned = sum(b.size for b in blocks if b.a == b.b)
    return common, aligned, -abs(len(window) - len(want))


def _best_window(want: list[str], have: list[tuple[str, int, int]]) -> tuple[int, int, int] | None:
    """(words in common, first, last) of the window of `have` most like
    `want`; None on a tie between two places of the draft."""
    best: tuple[tuple[int, int, int], int, int] | None = None
    tie = False
    n = len(want)
    for size in range(max(1, n - 2), n + 3):
        for i in range(0, len(have) - size + 1):
            score = _score(want, [w for w, _, _ in have[i:i + size]])
            if best is None or score > best[0]:
                best, tie = (score, i, i + size - 1), False
            elif score == best[0] and not (i <= best[2] and best[1] <= i + size - 1):
                tie = True  # as good, somewhere else in the draft
    return None if tie or best is None else (best[0][0], best[1], best[2])


def _anchor(word: str) -> bool:
    return len(word) >= 4 or any(ch.isdigit() for ch in word)


def draft_span(original: str, suggestion: str, source: str, draft: str) -> Rescue:
    """The span of `draft` that renders the source words `original` (see the module doc)."""
    if whole_segment(original, source):
        return Rescue(None, "it quotes the whole source sentence, not the words of the draft in error")
    want = [w for w, _, _ in _words(suggestion)]
    have = _words(draft)
    if not want or not have:
        return Rescue(None, "it quotes the source, and its replacement matches no words of the draft")
    found = _best_window(want, have)
    if found is None:
        return Rescue(None, "it quotes the source, and two places of the draft could render it")
    common, first, last = found
    window = [w for w, _, _ in have[first:last + 1]]
    if 2 * common < len(want) or not any(_anchor(w) and w in window for w in want):
        return Rescue(None, "it quotes the source, and no words of the draft clearly render it")
    start, end = _edges(draft, have[first][1], have[last][2], suggestion)
    if _WORD.findall(draft[start:end].casefold()) == _WORD.findall(suggestion.casefold()):
        # (source words, the draft's words for them): the critic points at those draft words
        return Rescue(draft[start:end], "", flag=True)
    return Rescue(draft[start:end], "")


# --- a whole sentence quoted, a whole sentence rewritten ---------------------------

MAX_REGIONS, MAX_REGION_WORDS, MIN_KEPT = 3, 6, 0.6
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")


def rewrite_edits(draft: str, rewrite: str) -> list[tuple[str, str]]:
    """The (draft span, replacement) pairs of a critic's whole-sentence
    rewrite of `draft`, by a word diff: what it changed, each a few words
    (a word added or dropped is carried by its neighbour). Nothing when the
    rewrite is not a small edit of the draft: at most `MAX_REGIONS` changed
    stretches of at most `MAX_REGION_WORDS` words, `MIN_KEPT` of the draft's
    words kept. Edits of punctuation or case only are left out."""
    a = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(draft)]
    b = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(rewrite)]
    if not a or not b:
        return []
    ops = difflib.SequenceMatcher(None, [t for t, _, _ in a], [t for t, _, _ in b], autojunk=False).get_opcodes()
    kept = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    changes = [op for op in ops if op[0] != "equal"]
    if kept < MIN_KEPT * len(a) or not changes or len(changes) > MAX_REGIONS:
        return []
    regions: list[list[int]] = []
    for _, i1, i2, j1, j2 in changes:
        if i1 == i2 or j1 == j2:  # an insertion or a deletion: widen to the word before (or after)
            if i1 == 0 or j1 == 0:
                i2, j2 = i2 + 1, j2 + 1
            else:
                i1, j1 = i1 - 1, j1 - 1
        if i2 > len(a) or j2 > len(b):
            return []
        if regions and i1 < regions[-1][1]:  # overlaps the one before: one edit
            regions[-1] = [regions[-1][0], max(i2, regions[-1][1]), regions[-1][2], max(j2, regions[-1][3])]
        else:
            regions.append([i1, i2, j1, j2])
    edits = []
    for region in regions:
        if not _unique(region, a, b, draft) or region[1] - region[0] > MAX_REGION_WORDS:
            return []  # a span that two places of the draft could mean: no edit is safe
        i1, i2, j1, j2 = region
        edits.append((draft[a[i1][1]:a[i2 - 1][2]], rewrite[b[j1][1]:b[j2 - 1][2]] if j2 > j1 else ""))
    # a full stop dropped, a capital lowered: on the real model, the whole "rewrite" (no finding)
    return [(old, new) for old, new in edits if _WORD.findall(old.casefold()) != _WORD.findall(new.casefold())]


def _unique(region: list[int], a: list, b: list, draft: str) -> bool:
    """Widen `region` (in place) by a neighbouring token on each side until its
    draft span occurs once in the draft (a quoted span is found by its text,
    so "informe" in "el informe … el informe" would name the first one)."""
    while draft.count(draft[a[region[0]][1]:a[region[1] - 1][2]]) > 1:
        if region[0] == 0 and region[1] == len(a):
            return False
        if region[0] > 0 and region[2] > 0:
            region[0], region[2] = region[0] - 1, region[2] - 1
        if region[1] < len(a) and region[3] < len(b):
            region[1], region[3] = region[1] + 1, region[3] + 1
        elif region[0] == 0 or region[2] == 0:
            return False
    return True
