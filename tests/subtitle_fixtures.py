"""Build SRT / WebVTT files from plain sentences (at test time: the data is
never committed). Each sentence is cut into cues of at most two lines of at
most 42 characters, so long sentences run over several cues, as in real
subtitles."""

from __future__ import annotations

import textwrap


def cue_texts(sentences: list[str], n_cues: int, width: int = 42) -> list[str]:
    cues: list[str] = []
    for sentence in sentences:
        lines = textwrap.wrap(" ".join(sentence.split()), width)
        for i in range(0, len(lines), 2):
            cues.append("\n".join(lines[i:i + 2]))
            if len(cues) == n_cues:
                return cues
    return cues


def _stamp(ms: int, sep: str) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def build_srt(texts: list[str], start_ms: int = 1000, step_ms: int = 2800) -> str:
    out = []
    for i, t in enumerate(texts):
        a = start_ms + i * step_ms
        out.append(f"{i + 1}\n{_stamp(a, ',')} --> {_stamp(a + step_ms - 200, ',')}\n{t}\n")
    return "\n".join(out)


def build_vtt(texts: list[str], start_ms: int = 1000, step_ms: int = 2800) -> str:
    out = ["WEBVTT\nKind: captions\nLanguage: en\n", "NOTE built from sentences for a test\n"]
    for i, t in enumerate(texts):
        a = start_ms + i * step_ms
        settings = " line:90% align:center" if i % 5 == 0 else ""
        ident = f"cue-{i + 1}\n" if i % 2 == 0 else ""
        out.append(f"{ident}{_stamp(a, '.')} --> {_stamp(a + step_ms - 200, '.')}{settings}\n{t}\n")
    return "\n".join(out)
