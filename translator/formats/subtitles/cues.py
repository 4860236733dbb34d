"""Subtitle cues located by offset (SRT, WebVTT, .sbv), and the check that
the maintained readers (`srt`, `webvtt-py`) see the same cues and timings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from translator.errors import InputError

_SRT_TIME = re.compile(r"^\s*\d+:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d+:\d{2}:\d{2}[,.]\d{1,3}")
_VTT_TIME = re.compile(r"^\s*(?:\d+:)?\d{2}:\d{2}\.\d{3}\s*-->\s*(?:\d+:)?\d{2}:\d{2}\.\d{3}")
_SBV_TIME = re.compile(r"^\s*\d+:\d{2}:\d{2}\.\d{3},\d+:\d{2}:\d{2}\.\d{3}\s*$")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[\d:.]*>|\{\\[^{}]*\}")
_ENTITY = re.compile(r"&(?:amp|lt|gt|nbsp|lrm|rlm|#\d+|#x[0-9a-fA-F]+);")


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


def find_cues(text: str, fmt: str) -> list[Cue]:
    """The cues of a subtitle text, located by offset."""
    timing_re = {"srt": _SRT_TIME, "vtt": _VTT_TIME, "sbv": _SBV_TIME}[fmt]
    cues: list[Cue] = []
    for n, block in enumerate(_blocks(text)):
        head_line = text[block[0][0]:block[0][1]]
        if fmt == "vtt" and (n == 0 and head_line.lstrip("\ufeff").startswith("WEBVTT")
                             or re.match(r"(NOTE|STYLE|REGION)\b", head_line)):
            continue
        t = next((k for k, (a, b) in enumerate(block) if timing_re.match(text[a:b])), None)
        if t is None or t > 1:
            raise InputError(f"not a valid {fmt.upper()} file: no timing line in the block at line "
                             f"{text.count(chr(10), 0, block[0][0]) + 1}")
        timing, text_lines = text[block[t][0]:block[t][1]], block[t + 1:]
        if text_lines:
            cues.append(_cue(text, len(cues) + 1, timing, text_lines))
        else:
            cues.append(Cue(len(cues) + 1, timing, block[t][1], block[t][1]))
    return cues


def _blocks(text: str) -> list[list[tuple[int, int]]]:
    """The (start, end) of each line, grouped in blocks of non-blank lines."""
    blocks: list[list[tuple[int, int]]] = [[]]
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            blocks[-1].append((pos, pos + len(line)))
        elif blocks[-1]:
            blocks.append([])
        pos += len(line) + 1
    return [b for b in blocks if b]


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
        inner = [[a + (len(m.group(0)) if m else 0), b] for (a, b), m in zip(inner, dashes)]
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
            theirs = [(c.start, c.end) for c in parsed.captions]
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
