"""The segment-score histogram: a small inline SVG bar chart, drawn from
numbers only (every value written into the markup is a formatted number or
one of our constants), so the page can insert it as `Markup`."""

from __future__ import annotations

from typing import Iterable

from markupsafe import Markup

BINS = 10  # 0–10 … 90–100
LEFT, BOTTOM = 25, 18  # room for the axis labels


def score_histogram_svg(scores: Iterable[float], width: int = 320, height: int = 120) -> Markup:
    """Segment scores in ten bins (0–10 … 90–100), each bar titled with its count."""
    bins = _bin(scores)
    bw = (width - 30) / BINS
    bars = "".join(_bar(i, n, max(bins) or 1, bw, height) for i, n in enumerate(bins))
    labels = "".join(f'<text x="{LEFT + i * bw:.1f}" y="{height - 5}" text-anchor="middle">{i * 10}</text>'
                     for i in range(0, BINS + 1, 2))
    return Markup(f'<svg id="score-plot" xmlns="http://www.w3.org/2000/svg" width="{int(width)}" '
                  f'height="{int(height)}" font-size="9" font-family="sans-serif" role="img" '
                  f'aria-label="segment scores">'
                  f'<line x1="24" y1="{height - BOTTOM}" x2="{width - 4}" y2="{height - BOTTOM}" stroke="#868e96"/>'
                  f"{bars}{labels}</svg>")


def _bin(scores: Iterable[float]) -> list[int]:
    bins = [0] * BINS
    for v in scores:
        bins[min(BINS - 1, int(float(v) // 10))] += 1
    return bins


def _bar(i: int, n: int, top: int, bw: float, height: int) -> str:
    """Bin `i` holding `n` of the segments (the fullest bin is `top`): its bar, and its count above it."""
    h = (height - 30) * n / top
    x, y = LEFT + i * bw, height - BOTTOM - h
    color = "#c92a2a" if i < 5 else "#e8590c" if i < 8 else "#2b8a3e"
    bar = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" fill="{color}">'
           f"<title>{i * 10}–{i * 10 + 10}: {n} segment{'s' if n != 1 else ''}</title></rect>")
    if n:
        bar += f'<text x="{x + bw / 2 - 1:.1f}" y="{y - 2:.1f}" text-anchor="middle">{n}</text>'
    return bar
