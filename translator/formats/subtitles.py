"""Subtitles (SRT, WebVTT, YouTube .sbv) → blocks, and translations back
onto the same cues.

A cue is its number or identifier, its timing line (with WebVTT settings)
and its text lines. Only the text is translatable: numbers, timings,
settings, NOTE/STYLE/REGION blocks and the file header are never sent
anywhere. The maintained libraries (`srt`, `webvtt-py`) validate the file:
the cues we locate by offset must be the cues they read, with the same
timings, or the file is refused.

Sentences run over cues, so a block is a run of consecutive cues ending at
one whose text ends a sentence; the gap between two cues (blank line, number,
timing) is a soft break inside the block, like a caption line break in a
transcript. Segmentation then cuts the block into sentences that may span
cues. Writing back (`assemble`) is ours, not the generic assembler's: a
changed sentence is redistributed over the cues it came from, in proportion
to the length it had in each, at word boundaries, and each changed cue is
re-wrapped into lines of at most `MAX_LINE` characters (two lines when it
fits). A cue none of whose text changed is copied byte for byte, so an
engine that echoes gives back the file unchanged.

Inline styling (`<i>`, `<b>`, `<u>`, `<font>`, WebVTT `<c.x>`, `<lang>`,
voice `<v Name>`, `{\\an8}`) is markup: a tag wrapping every line of a cue,
or a voice/position tag opening it, stays with the cue; tags inside the
text become placeholders, and a pair that redistribution splits over two
cues is closed and re-opened so each cue stays well-formed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from typing import Mapping

from translator.document import PLACEHOLDER_RE, Block, Document, Markup, Segment, Suggestion, Text
from translator.errors import InputError

FORMATS = ("srt", "vtt", "sbv")
MAX_LINE = 42
MAX_LINES = 2
_MAX_CUES_PER_BLOCK = 12

_SRT_TIME = re.compile(r"^\s*\d+:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d+:\d{2}:\d{2}[,.]\d{1,3}")
_VTT_TIME = re.compile(r"^\s*(?:\d+:)?\d{2}:\d{2}\.\d{3}\s*-->\s*(?:\d+:)?\d{2}:\d{2}\.\d{3}")
_SBV_TIME = re.compile(r"^\s*\d+:\d{2}:\d{2}\.\d{3},\d+:\d{2}:\d{2}\.\d{3}\s*$")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[\d:.]*>|\{\\[^{}]*\}")
_ENTITY = re.compile(r"&(?:amp|lt|gt|nbsp|lrm|rlm|#\d+|#x[0-9a-fA-F]+);")
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"”’»)\]]*$")


@dataclass(frozen=True)
class Cue:
    """One cue: its timing line and the span of its text lines. `head` is
    cue-anchored markup opening the first line (a voice or position tag);
    `frame` is markup wrapping every line; `inner` the text span between."""

    number: int  # 1-based position in the file
    timing: str
    start: int  # text region (all lines), offsets into the document text
    end: int
    head: str = ""
    frame: tuple[str, str] = ("", "")
    lines: tuple[tuple[int, int], ...] = ()  # inner span of each line (without head/frame)
    dialogue: bool = False  # every line opens with a dash: one speaker per line, lines kept


def is_subtitle(fmt: str) -> bool:
    return fmt in FORMATS


def find_cues(text: str, fmt: str) -> list[Cue]:
    """The cues of a subtitle text, located by offset."""
    timing_re = {"srt": _SRT_TIME, "vtt": _VTT_TIME, "sbv": _SBV_TIME}[fmt]
    cues: list[Cue] = []
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    i = 0
    first = True
    while i < len(lines):
        if not text[lines[i][0]:lines[i][1]].strip():
            i += 1
            continue
        j = i  # a block: lines i … j-1 up to a blank line
        while j < len(lines) and text[lines[j][0]:lines[j][1]].strip():
            j += 1
        block = lines[i:j]
        head_line = text[block[0][0]:block[0][1]]
        if fmt == "vtt" and (first and head_line.lstrip("\ufeff").startswith("WEBVTT")
                             or re.match(r"(NOTE|STYLE|REGION)\b", head_line)):
            first = False
            i = j
            continue
        first = False
        t = next((k for k, (a, b) in enumerate(block) if timing_re.match(text[a:b])), None)
        if t is None or t > 1:
            raise InputError(f"not a valid {fmt.upper()} file: no timing line in the block at line "
                             f"{text.count(chr(10), 0, block[0][0]) + 1}")
        text_lines = block[t + 1:]
        if text_lines:
            cues.append(_cue(text, len(cues) + 1, text[block[t][0]:block[t][1]], text_lines))
        else:
            cues.append(Cue(len(cues) + 1, text[block[t][0]:block[t][1]], block[t][1], block[t][1]))
        i = j
    return cues


def _cue(text: str, number: int, timing: str, spans: list[tuple[int, int]]) -> Cue:
    start, end = spans[0][0], spans[-1][1]
    inner = [list(s) for s in spans]
    head = ""
    m = re.match(r"(?:\{\\[^{}]*\}|<v(?:\.[^\s>]*)?\s[^<>]*>|<v>)+", text[start:spans[0][1]])
    if m and not re.search(r"</v>", text[start:end]):
        head = m.group(0)
        inner[0][0] += len(head)
    frames = {_frame(text[a:b]) for a, b in inner}
    frame = ("", "")
    if len(frames) == 1:
        frame = frames.pop()
        if frame != ("", ""):
            inner = [[a + len(frame[0]), b - len(frame[1])] for a, b in inner]
    dashes = [re.match(r"-[ \t]*", text[a:b]) for a, b in inner]
    dialogue = len(inner) >= 2 and all(dashes)
    if dialogue:
        inner = [[a + len(m.group(0)), b] for (a, b), m in zip(inner, dashes)]
    return Cue(number, timing, start, end, head, frame, tuple((a, b) for a, b in inner), dialogue)


def _frame(line: str) -> tuple[str, str]:
    """`<i>…</i>` wrapping a whole line (one pair, nothing outside it)."""
    m = re.fullmatch(r"(<([a-z]+)(?:\.[^\s>]*)?(?:\s[^<>]*)?>)(.*)(</\2>)", line, re.S)
    if m and not re.search(rf"</?{m.group(2)}\b", m.group(3)):
        return m.group(1), m.group(4)
    return ("", "")


def validate(text: str, fmt: str, cues: list[Cue]) -> None:
    """The libraries must read the same cues, with the same timings."""
    import io

    try:
        if fmt == "srt":
            import srt

            theirs = [(str(s.start), str(s.end)) for s in srt.parse(text)]
            ours = [_srt_times(c.timing) for c in cues]
        else:
            import webvtt

            parsed = webvtt.from_buffer(io.StringIO(text), format=fmt)
            theirs = [(c.start, c.end) for c in parsed]
            ours = [_vtt_times(c.timing, fmt) for c in cues]
    except Exception as e:  # the libraries raise their own error types
        raise InputError(f"not a valid {fmt.upper()} file ({type(e).__name__}: {e})") from None
    if len(theirs) != len(ours):
        raise InputError(f"not a valid {fmt.upper()} file: {len(ours)} cues found, the {fmt} reader sees {len(theirs)}")
    for k, (a, b) in enumerate(zip(ours, theirs), 1):
        if a != b:
            raise InputError(f"not a valid {fmt.upper()} file: cue {k} has timing {a}, the {fmt} reader reads {b}")


def _srt_times(timing: str) -> tuple[str, str]:
    import srt

    a, b = re.findall(r"\d+:\d{2}:\d{2}[,.]\d{1,3}", timing)[:2]
    return str(srt.srt_timestamp_to_timedelta(a)), str(srt.srt_timestamp_to_timedelta(b))


def _vtt_times(timing: str, fmt: str) -> tuple[str, str]:
    found = re.findall(r"(?:\d+:)?\d{2}:\d{2}\.\d{3}", timing)[:2]
    out = []
    for t in found:
        parts = t.split(":")
        if len(parts) == 2:
            parts.insert(0, "00")
        out.append(f"{int(parts[0]):02d}:{parts[1]}:{parts[2]}")
    return out[0], out[1]


# --- parse ---------------------------------------------------------------------


def parse_subtitles(text: str, fmt: str) -> tuple[list[Block], list[Cue]]:
    cues = find_cues(text, fmt)
    if not cues:
        raise InputError(f"not a valid {fmt.upper()} file: no cues found")
    validate(text, fmt, cues)
    blocks: list[Block] = []
    run: list[Cue] = []
    for cue in cues:
        if not _cue_has_text(text, cue):
            continue
        run.append(cue)
        content = _plain(text, cue).rstrip()
        if _SENTENCE_END.search(content) or len(run) >= _MAX_CUES_PER_BLOCK:
            blocks.append(_block(text, len(blocks), run))
            run = []
    if run:
        blocks.append(_block(text, len(blocks), run))
    return blocks, cues


def _cue_has_text(text: str, cue: Cue) -> bool:
    return any(text[a:b].strip() for a, b in cue.lines)


def _plain(text: str, cue: Cue) -> str:
    return " ".join(_TAG.sub("", text[a:b]).strip() for a, b in cue.lines)


def _block(text: str, index: int, cues: list[Cue]) -> Block:
    pieces: list = []
    pair_no = [0]
    prev_end = None
    prev_dialogue = False
    for cue in cues:
        for a, b in cue.lines:
            if prev_end is not None and (cue.dialogue or prev_dialogue):
                pieces.append(Markup(prev_end, a, "break"))  # another speaker: another sentence
            elif prev_end is not None:
                pieces.append(Text(prev_end, a, " "))  # a line or cue break: a soft space
            pieces.extend(_line_pieces(text, a, b, pair_no))
            prev_end = b
        prev_dialogue = cue.dialogue
    kind = "cues"
    return Block(index, kind, pieces[0].start, pieces[-1].end, tuple(pieces), "text")


def _line_pieces(text: str, a: int, b: int, pair_no: list[int]) -> list:
    """Text and markup pieces of one line's inner span; pairs matched inside the line."""
    out: list = []
    stack: list[tuple[str, int]] = []  # (tag name, index in out)
    pos = a
    tokens = list(_TAG.finditer(text, a, b)) + list(_ENTITY.finditer(text, a, b))
    tokens.sort(key=lambda m: m.start())
    for m in tokens:
        if m.start() < pos:
            continue
        if m.start() > pos:
            out.append(Text(pos, m.start(), text[pos:m.start()]))
        raw = m.group(0)
        if raw.startswith("&"):
            out.append(Text(m.start(), m.end(), html.unescape(raw)))
        elif raw.startswith("</"):
            name = raw[2:-1].split(".")[0].strip()
            k = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == name), None)
            if k is None:
                out.append(Markup(m.start(), m.end(), "void", name))
            else:
                _, idx = stack.pop(k)
                opener = out[idx]
                pair_no[0] += 1
                out[idx] = Markup(opener.start, opener.end, "open", opener.name, pair_no[0])
                out.append(Markup(m.start(), m.end(), "close", name, pair_no[0]))
        elif raw.startswith("<") and not raw[1].isdigit():
            name = re.match(r"<([A-Za-z]+)", raw).group(1)
            stack.append((name, len(out)))
            out.append(Markup(m.start(), m.end(), "void", name))  # becomes "open" when its close is found
        else:
            out.append(Markup(m.start(), m.end(), "void", "timestamp" if raw.startswith("<") else "override"))
        pos = m.end()
    if pos < b:
        out.append(Text(pos, b, text[pos:b]))
    return out


# --- write back -----------------------------------------------------------------


@dataclass
class Rendered:
    text: str
    kept_source: list[str]
    notes: list[Suggestion]


def assemble(doc: Document, translations: Mapping[str, str], target_lang: str = "") -> Rendered:
    from translator.formats.assemble import placeholders_intact

    text = doc.text
    cues = find_cues(text, doc.format)
    kept: list[str] = []  # placeholders damaged: the caller reports them
    short: list[str] = []  # too few words for the cues: reported here
    # per cue: list of (start, end, replacement) for the parts of segments in it
    parts: dict[int, list[tuple[int, int, str]]] = {}
    changed: set[int] = set()
    for seg in doc.segments:
        spans = _cue_spans(seg, cues)
        if not spans:
            continue
        tr = translations.get(seg.id)
        if tr is None or tr == seg.source:
            continue
        if not placeholders_intact(seg.source, tr):
            kept.append(seg.id)
            continue
        weights = [max(1, len(_TAG.sub("", text[a:b]).strip())) for _, a, b in spans]
        pieces = distribute(tr, weights, _no_spaces(target_lang))
        if pieces is None:
            short.append(seg.id)
            continue
        for (k, a, b), piece in zip(spans, pieces):
            parts.setdefault(k, []).append((a, b, _restore(piece, seg, text, doc.format)))
            changed.add(k)
    notes: list[Suggestion] = []
    out: list[str] = []
    pos = 0
    for k, cue in enumerate(cues):
        if k not in changed:
            continue
        if cue.dialogue:  # one speaker per line: each line keeps its dash and its own words
            lines = [text[la - len(_dash(text, la)):la] + _cue_content(text, replace(cue, lines=((la, lb),)),
                                                                        [p for p in parts[k] if la <= p[0] < lb + 1])
                     for la, lb in cue.lines]
        else:
            lines = _wrap_like(_cue_content(text, cue, parts[k]), cue, text, _no_spaces(target_lang))
        too_long = [ln for ln in lines if _visible_line(ln) > MAX_LINE]
        if len(lines) > MAX_LINES or too_long:
            sid = _segment_at(doc.segments, cue)
            if sid:
                notes.append(Suggestion(
                    sid, "style", "minor", too_long[0] if too_long else "", "",
                    f"Cue {cue.number} needs {len(lines)} lines" + (
                        f", one over {MAX_LINE} characters" if too_long else f" of at most {MAX_LINE} characters")
                    + "; consider a shorter translation.", "check", "open", "subtitle-lines"))
        rendered = "\n".join(cue.frame[0] + line + cue.frame[1] for line in lines)
        out.append(text[pos:cue.start])
        out.append(cue.head + rendered)
        pos = cue.end
    out.append(text[pos:])
    notes += [Suggestion(sid, "accuracy", "major", "", "",
                         "The translation has fewer words than the cues it must fill; the source text was kept.",
                         "check", "open", "subtitle-cues") for sid in short]
    return Rendered("".join(out), kept + short, notes)


def _dash(text: str, inner_start: int) -> str:
    line_start = text.rfind("\n", 0, inner_start) + 1
    m = re.search(r"-[ \t]*$", text[line_start:inner_start])
    return m.group(0) if m else ""


def _segment_at(segments, cue: Cue) -> str:
    for s in segments:
        if s.start < cue.end and s.end > cue.start:
            return s.id
    return ""


def _cue_spans(seg: Segment, cues: list[Cue]) -> list[tuple[int, int, int]]:
    """(cue index, start, end) of the part of a segment in each cue it covers."""
    out = []
    for k, cue in enumerate(cues):
        if not cue.lines or cue.end <= seg.start or cue.start >= seg.end:
            continue
        a = max(seg.start, cue.lines[0][0])
        b = min(seg.end, cue.lines[-1][1])
        if a < b:
            out.append((k, a, b))
    return out


def _cue_content(text: str, cue: Cue, parts: list[tuple[int, int, str]]) -> str:
    """The cue's inner text with the segment parts in it replaced; the rest
    (text outside any segment, markup around it) kept, line breaks as spaces."""
    chunks = []
    pos = cue.lines[0][0]
    for a, b, new in sorted(parts):
        chunks.append(_flatten(cue, text, pos, a))
        chunks.append(new)
        pos = b
    chunks.append(_flatten(cue, text, pos, cue.lines[-1][1]))
    return " ".join("".join(chunks).split())


def _flatten(cue: Cue, text: str, a: int, b: int) -> str:
    """Original text between a and b: the inner spans of lines (no frame),
    a space for each line break crossed."""
    out = []
    for k, (la, lb) in enumerate(cue.lines):
        lo, hi = max(a, la), min(b, lb)
        if lo < hi:
            out.append(text[lo:hi])
        if k + 1 < len(cue.lines) and a <= lb and b >= cue.lines[k + 1][0]:
            out.append(" ")
    return "".join(out)


def _restore(piece: str, seg: Segment, text: str, fmt: str) -> str:
    """Placeholders → the original markup; pairs split over cues closed and re-opened."""
    codes = {c.n: c for c in seg.codes}
    present_open = {int(m.group(2)) for m in PLACEHOLDER_RE.finditer(piece) if not m.group(1) and not m.group(3)}
    present_close = {int(m.group(2)) for m in PLACEHOLDER_RE.finditer(piece) if m.group(1)}
    out = []
    pos = 0
    for m in PLACEHOLDER_RE.finditer(piece):
        out.append(_escape(piece[pos:m.start()], fmt))
        code = codes.get(int(m.group(2)))
        if code is not None:
            span = code.close if m.group(1) else code.open
            if span is not None:
                out.append(text[span[0]:span[1]])
        pos = m.end()
    out.append(_escape(piece[pos:], fmt))
    body = "".join(out)
    for n in sorted(present_open - present_close):
        c = codes.get(n)
        if c is not None and c.kind == "pair" and c.close is not None:
            body += text[c.close[0]:c.close[1]]
    for n in sorted(present_close - present_open, reverse=True):
        c = codes.get(n)
        if c is not None and c.kind == "pair" and c.open is not None:
            body = text[c.open[0]:c.open[1]] + body
    return body


def _escape(s: str, fmt: str) -> str:
    if fmt == "vtt":
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s


def _no_spaces(lang: str) -> bool:
    return lang.split("-")[0] in ("zh", "ja")


_CJK_TOKEN = re.compile(r"<[^<>]*>[^\s<>]*|[A-Za-z0-9][\w.'-]*|\S")


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
    k = len(weights)
    if k == 1:
        return [translation.strip()]
    if len(tokens) < k:
        return None
    lengths = [_visible(t) + 1 for t, _ in tokens]
    total = sum(lengths)
    cum = [0]
    for n in lengths:
        cum.append(cum[-1] + n)
    depth = [0]  # open placeholder pairs at each token boundary: never cut inside one if avoidable
    for t, _ in tokens:
        d = depth[-1]
        for m in PLACEHOLDER_RE.finditer(t):
            if not m.group(3):
                d += -1 if m.group(1) else 1
        depth.append(max(d, 0))
    wsum = sum(weights)
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
    bounds = [0] + cuts + [len(tokens)]
    _relieve(bounds, cum, MAX_LINE * MAX_LINES - 6, depth)
    return [_join(tokens[a:b]) for a, b in zip(bounds, bounds[1:])]


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


def timestamps(doc: Document) -> dict[str, str]:
    """Segment id → the start time (HH:MM:SS) of the cue it begins in."""
    cues = find_cues(doc.text, doc.format)
    out = {}
    for seg in doc.segments:
        cue = next((c for c in cues if c.lines and c.start <= seg.start < c.end + 1), None)
        if cue is not None:
            m = re.search(r"(?:(\d+):)?(\d{2}):(\d{2})", cue.timing)
            if m:
                out[seg.id] = f"{int(m.group(1) or 0):02d}:{m.group(2)}:{m.group(3)}"
    return out
