"""One segment as Apertium HTML (see `translator.engines.apertium`): pairs of
placeholders become spans, voids are anchored to a word, protected spans
(terms, names sent as a stand-in) are wrapped; `translate_encoded` runs a batch."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Sequence

from translator.document import PLACEHOLDER_RE
from translator.terms.apertium.process import data_version, run_apertium

WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")
_P_RE = re.compile(r'<p id="k(\d+)">(.*?)</p>', re.S)
BATCH_CHARS = 200_000  # characters per apertium call

@dataclass
class _Void:
    token: str
    order: int  # position among the segment's placeholder tokens
    space_before: bool
    space_after: bool
    after: bool  # anchored after its word (else before it)


@dataclass(frozen=True)
class Protect:
    """A span of the source to wrap: a term (translated, then replaced) or,
    with `stand_in`, a name sent as `stand_in` and put back as written."""

    start: int
    end: int
    payload: object = None
    stand_in: str = ""


@dataclass
class Encoded:
    """A segment prepared for Apertium, with what is needed to decode it."""

    source: str
    html: str = ""
    pairs: dict[str, tuple[str, str, int, int]] = field(default_factory=dict)  # id → (open, close, orders)
    voids: dict[str, _Void] = field(default_factory=dict)  # anchor id → void
    protected: dict[str, Protect] = field(default_factory=dict)  # term id → what it wraps


def encode(source: str, protect: Sequence[Protect] = ()) -> Encoded:
    """The HTML for one segment. Protected spans containing a placeholder, or
    overlapping an earlier one, are left out."""
    tokens = list(PLACEHOLDER_RE.finditer(source))
    enc = Encoded(source)
    pair_of = _pairs(tokens, enc)
    spans = _usable(source, protect)
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for k, p in enumerate(spans):
        enc.protected[f"t{k}"] = p
        opens.setdefault(p.start, []).append(f"t{k}")
        closes.setdefault(p.end, []).insert(0, f"t{k}")
    _anchor_voids(enc, tokens, pair_of, spans, opens, closes)
    enc.html = _html(enc, tokens, pair_of, opens, closes)
    return enc


def _usable(source: str, protect: Sequence[Protect]) -> list[Protect]:
    """The protected spans that hold no placeholder and overlap no earlier one."""
    spans: list[Protect] = []
    for p in sorted(protect, key=lambda p: (p.start, -p.end)):
        if PLACEHOLDER_RE.search(source, p.start, p.end) or not source[p.start:p.end].strip():
            continue
        if spans and p.start < spans[-1].end:
            continue
        spans.append(p)
    return spans


def _anchor_voids(enc: Encoded, tokens: list[re.Match[str]], pair_of: dict[int, str], spans: list[Protect],
                  opens: dict[int, list[str]], closes: dict[int, list[str]]) -> None:
    """Each token outside a pair is anchored to the word before it (after it, at
    the start), or to the whole protected span holding that word."""
    source = enc.source
    masked = PLACEHOLDER_RE.sub(lambda m: " " * len(m.group(0)), source)
    words = [(w.start(), w.end()) for w in WORD_RE.finditer(masked)]
    for i, m in enumerate(tokens):
        if i in pair_of:
            continue
        before = [w for w in words if w[1] <= m.start()]
        after = [w for w in words if w[0] >= m.end()]
        if not before and not after:
            continue  # a segment without words is not sent at all
        anchor = before[-1] if before else after[0]
        s, e = next(((p.start, p.end) for p in spans if p.start <= anchor[0] and anchor[1] <= p.end), anchor)
        aid = f"a{len(enc.voids)}"
        enc.voids[aid] = _Void(m.group(0), i, source[m.start() - 1:m.start()].isspace(),
                               source[m.end():m.end() + 1].isspace(), bool(before))
        opens.setdefault(s, []).insert(0, aid)
        closes.setdefault(e, []).append(aid)


def _html(enc: Encoded, tokens: list[re.Match[str]], pair_of: dict[int, str], opens: dict[int, list[str]],
          closes: dict[int, list[str]]) -> str:
    source = enc.source
    out: list[str] = []
    pos = 0
    for i, tok in enumerate([*tokens, None]):
        end = tok.start() if tok else len(source)
        out.append(_encode_text(source, pos, end, opens, closes, enc.protected))
        if tok is None:
            break
        pos = tok.end()
        if i in pair_of:
            pid = pair_of[i]
            out.append(f'<span id="{pid}">' if enc.pairs[pid][2] == i else "</span>")
        elif source[tok.start() - 1:tok.start()].isspace() and source[pos:pos + 1].isspace():
            pos += 1  # "a <2/> b" → "a b"
        elif not (source[tok.start() - 1:tok.start()].isspace() or source[pos:pos + 1].isspace()):
            out.append(" ")  # "a<2/>b" must not become one word
    return "".join(out).strip()


def _pairs(tokens, enc: Encoded) -> dict[int, str]:
    """Complete, properly nested pairs become spans; other tokens are voids."""
    stack: list[tuple[str, int]] = []
    pair_of: dict[int, str] = {}
    for i, m in enumerate(tokens):
        closing, n, void = m.group(1), m.group(2), m.group(3)
        if void:
            continue
        if not closing:
            stack.append((n, i))
        elif stack and stack[-1][0] == n:
            _, j = stack.pop()
            pid = f"p{len(enc.pairs)}"
            enc.pairs[pid] = (tokens[j].group(0), m.group(0), j, i)
            pair_of[j] = pair_of[i] = pid
        else:
            stack = [s for s in stack if s[0] != n]
    return pair_of


def _encode_text(source: str, start: int, end: int, opens, closes, protected) -> str:
    cuts = sorted({p for p in (*opens, *closes) if start <= p <= end} | {start, end})
    out: list[str] = []
    skip_to = -1
    for i, p in enumerate(cuts):
        out.extend("</span>" for _ in closes.get(p, ()))
        if p >= end:
            continue
        for x in opens.get(p, ()):
            out.append(f'<span id="{x}">')
            stand_in = protected[x].stand_in if x in protected else ""
            if stand_in:
                out.append(stand_in)
                skip_to = protected[x].end
        if p >= skip_to:
            out.append(html.escape(source[p:cuts[i + 1]], quote=False))
    return "".join(out)



def translate_encoded(mode: str, encoded: Sequence[Encoded]) -> list[str | None]:
    """Apertium's raw HTML for each encoded segment (None: lost). Large batches
    are split; a batch whose output does not align by id is halved and retried."""
    results: list[str | None] = [None] * len(encoded)

    def run(idx: list[int]) -> None:
        if not idx:
            return
        doc = "\n".join(f'<p id="k{i}">{encoded[i].html}</p>' for i in idx) + "\n"
        out = run_apertium(mode, doc)
        found = _P_RE.findall(out)
        got = {int(n): body for n, body in found}
        if len(found) == len(idx) and set(got) == set(idx):
            for i in idx:
                results[i] = got[i]
        elif len(idx) > 1:
            run(idx[: len(idx) // 2])
            run(idx[len(idx) // 2:])

    batch: list[int] = []
    size = 0
    for i, e in enumerate(encoded):
        if batch and size + len(e.html) > BATCH_CHARS:
            run(batch)
            batch, size = [], 0
        batch.append(i)
        size += len(e.html)
    run(batch)
    return results




def translate_cached(mode: str, encoded: Sequence[Encoded]) -> list[str | None]:
    """`translate_encoded`, each segment's answer kept between runs (terms
    and short spans recur from one issue to the next)."""
    from translator.stagecache import cached_map

    def compute(htmls: list[str]) -> dict[str, str]:
        outs = translate_encoded(mode, [Encoded("", h) for h in htmls])
        return {h: o for h, o in zip(htmls, outs) if o is not None}

    got = cached_map("apertium", f"{mode}|{data_version(mode)}", [e.html for e in encoded], compute)
    return [got.get(e.html) for e in encoded]
