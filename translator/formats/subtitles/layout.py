"""Cutting a translation over cues in proportion to their length, and
wrapping a cue into lines of at most MAX_LINE visible characters."""

from __future__ import annotations

import re

from translator.document import PLACEHOLDER_RE
from translator.formats.subtitles.cues import _TAG, Cue

MAX_LINE = 42
MAX_LINES = 2
_CJK_TOKEN = re.compile(r"<[^<>]*>[^\s<>]*|[A-Za-z0-9][\w.'-]*|\S")


def _no_spaces(lang: str) -> bool:
    return lang.split("-")[0] in ("zh", "ja")


def _tokens(text: str, no_spaces: bool) -> list[tuple[str, bool]]:
    """(token, space before it) for redistribution and wrapping."""
    out = []
    for m in re.finditer(r"\S+", text):
        if no_spaces:
            for i, t in enumerate(_CJK_TOKEN.findall(m.group(0))):
                out.append((t, i == 0 and m.start() > 0))
        else:
            out.append((m.group(0), True))
    return out


def _visible(token: str) -> int:
    return len(_TAG.sub("", PLACEHOLDER_RE.sub("", token)))


def distribute(translation: str, weights: list[int], no_spaces: bool = False) -> list[str] | None:
    """Cut a translation into len(weights) non-empty parts at word
    boundaries, in proportion to the weights; None when it has fewer
    words than parts."""
    tokens = _tokens(translation.strip(), no_spaces)
    if len(weights) == 1:
        return [translation.strip()]
    if len(tokens) < len(weights):
        return None
    lengths = [_visible(t) + 1 for t, _ in tokens]
    cum = [0]
    for n in lengths:
        cum.append(cum[-1] + n)
    depth = _depths(tokens)
    bounds = [0] + _cuts(tokens, weights, cum, depth, lengths) + [len(tokens)]
    _relieve(bounds, cum, MAX_LINE * MAX_LINES - 6, depth)
    return [_join(tokens[a:b]) for a, b in zip(bounds, bounds[1:])]


def _depths(tokens: list[tuple[str, bool]]) -> list[int]:
    """Open placeholder pairs at each token boundary: never cut inside one if avoidable."""
    depth = [0]
    for t, _ in tokens:
        d = depth[-1]
        for m in PLACEHOLDER_RE.finditer(t):
            if not m.group(3):
                d += -1 if m.group(1) else 1
        depth.append(max(d, 0))
    return depth


def _cuts(tokens: list[tuple[str, bool]], weights: list[int], cum: list[int], depth: list[int],
          lengths: list[int]) -> list[int]:
    """The token index after which each part but the last ends, closest to its share."""
    k, total, wsum = len(weights), cum[-1], sum(weights)
    targets, acc = [], 0
    for w in weights[:-1]:
        acc += w
        targets.append(total * acc / wsum)
    cuts, prev = [], 0
    for i, target in enumerate(targets):
        lo, hi = prev + 1, len(tokens) - (k - 1 - i)
        best = min(range(lo, hi + 1), key=lambda j: (abs(cum[j] - target) - _bonus(tokens[j - 1][0], lengths)
                                                    + 1000 * depth[j], j))
        cuts.append(best)
        prev = best
    return cuts


def _relieve(bounds: list[int], cum: list[int], capacity: int, depth: list[int]) -> None:
    """Move words from a part over the cue capacity to a neighbour with room
    (proportions are a guide; two lines per cue is the rule)."""
    def size(p: int) -> int:
        return cum[bounds[p + 1]] - cum[bounds[p]] - 1

    parts = len(bounds) - 1
    for _ in range(4 * (cum[-1] // 4 + 1)):
        over = [p for p in range(parts) if size(p) > capacity and bounds[p + 1] - bounds[p] > 1]
        if not over:
            return
        p = over[0]
        moved = False
        if p + 1 < parts and bounds[p + 1] - bounds[p] > 1:
            nxt_room = capacity - size(p + 1)
            last = cum[bounds[p + 1]] - cum[bounds[p + 1] - 1]
            if nxt_room >= last and not depth[bounds[p + 1] - 1]:
                bounds[p + 1] -= 1
                moved = True
        if not moved and p > 0:
            prev_room = capacity - size(p - 1)
            first = cum[bounds[p] + 1] - cum[bounds[p]]
            if prev_room >= first and not depth[bounds[p] + 1]:
                bounds[p] += 1
                moved = True
        if not moved:
            return


def _bonus(token: str, lengths: list[int]) -> float:
    """Cutting after punctuation reads better: worth a few characters of imbalance."""
    plain = PLACEHOLDER_RE.sub("", token)
    if re.search(r"[.!?…。！？]$", plain):
        return 8.0
    if re.search(r"[,;:，；：]$", plain):
        return 4.0
    return 0.0


def _join(tokens: list[tuple[str, bool]]) -> str:
    out = []
    for i, (t, space) in enumerate(tokens):
        out.append((" " if space and i else "") + t)
    return "".join(out)


def _wrap(content: str, no_spaces: bool = False) -> list[str]:
    """Lines of at most MAX_LINE visible characters: one when it fits, else
    as few balanced lines as possible (two for any cue of ordinary length)."""
    tokens = _tokens(content, no_spaces)
    if not tokens:
        return [content]
    size = sum(_visible(t) for t, _ in tokens) + sum(1 for _, s in tokens[1:] if s)
    if size <= MAX_LINE:
        return [_join(tokens)]
    for n in range(2, len(tokens) + 1):
        lines = _balanced(tokens, n)
        if all(_line_len(line) <= MAX_LINE for line in lines) or n == len(tokens):
            return [_join(line) for line in lines]
    return [_join(tokens)]


def _wrap_like(content: str, cue: Cue, text: str, no_spaces: bool) -> list[str]:
    """Keep the cue's own line layout when the new text fits it (a cue of
    two lines stays two lines cut in the same proportion), else wrap anew."""
    widths = [max(1, len(_TAG.sub("", text[a:b]))) for a, b in cue.lines]
    if 1 < len(widths) <= MAX_LINES:
        parts = distribute(content, widths, no_spaces)
        if parts and all(_visible_line(p) <= MAX_LINE for p in parts):
            return parts
    return _wrap(content, no_spaces)


def _visible_line(line: str) -> int:
    return len(_TAG.sub("", line))


def _line_len(tokens: list[tuple[str, bool]]) -> int:
    return sum(_visible(t) for t, _ in tokens) + sum(1 for _, s in tokens[1:] if s)


def _balanced(tokens: list[tuple[str, bool]], n: int) -> list[list[tuple[str, bool]]]:
    """Split tokens into n lines minimising the longest line (small DP)."""
    m = len(tokens)
    widths = [_visible(t) for t, _ in tokens]
    spaces = [1 if s else 0 for _, s in tokens]

    def width(a: int, b: int) -> int:
        return sum(widths[a:b]) + sum(spaces[a + 1:b])

    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0
    for lines in range(1, n + 1):
        for b in range(lines, m + 1):
            for a in range(lines - 1, b):
                if best[lines - 1][a] == inf:
                    continue
                cost = max(best[lines - 1][a], width(a, b))
                if cost < best[lines][b] or (cost == best[lines][b] and a > back[lines][b]):
                    best[lines][b] = cost
                    back[lines][b] = a
    cuts = []
    b = m
    for lines in range(n, 0, -1):
        a = back[lines][b]
        cuts.append((a, b))
        b = a
    return [tokens[a:b] for a, b in reversed(cuts)]
