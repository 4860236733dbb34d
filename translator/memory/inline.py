"""Inline codes (numbered placeholders) in a human's text: are they the
source's, do they nest, and the source's markup restored around the words
when they are not (edits kept from an output, XLIFF and TMX imports)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from translator.document import PLACEHOLDER_RE, Segment, placeholder_tokens
from translator.errors import InputError


def nested_pairs(text: str) -> set[str]:
    """Numbers of the pairs that have both halves in `text` and nest."""
    toks = [(m.group(1), m.group(2), m.group(3)) for m in PLACEHOLDER_RE.finditer(text)]
    opens = {n for c, n, v in toks if not c and not v}
    closes = {n for c, n, v in toks if c}
    ok = opens & closes
    while True:
        stack: list[str] = []
        bad: set[str] = set()
        for c, n, v in toks:
            if v or n not in ok:
                continue
            if not c:
                stack.append(n)
            elif stack and stack[-1] == n:
                stack.pop()
            else:
                bad.add(n)
                if stack:
                    bad.add(stack[-1])
                break
        bad |= set(stack)
        if not bad:
            return ok
        ok -= bad


def fix_markup(seg: Segment, text: str) -> str:
    """`text` when its placeholders are the source's and nest, else the
    words kept and the source's markup restored (keep_as_text)."""
    return text if markup_intact(seg, text) else keep_as_text(seg, text)


def markup_intact(seg: Segment, text: str) -> bool:
    """Its placeholders are the source's, and its pairs nest."""
    return Counter(placeholder_tokens(text)) == Counter(placeholder_tokens(seg.source)) and _nested(text, _pairs(seg))


def _pairs(seg: Segment) -> set[str]:
    """Numbers of the pairs whose two halves are both in the segment."""
    toks = set(placeholder_tokens(seg.source))
    return {t[1:-1] for t in toks if not t.startswith("</") and not t.endswith("/>") and f"</{t[1:]}" in toks}


def _nested(text: str, pairs: set[str]) -> bool:
    stack: list[str] = []
    for m in PLACEHOLDER_RE.finditer(text):
        if m.group(3) or m.group(2) not in pairs:
            continue
        if not m.group(1):
            stack.append(m.group(2))
        elif not stack or stack.pop() != m.group(2):
            return False
    return not stack


def keep_as_text(seg: Segment, text: str) -> str:
    """The editor's words with the source's markup: placeholders the source
    does not have are dropped; those it has stay where the editor put them
    when they still nest; missing pairs go around the last word, missing
    single codes at the end (a half whose partner is in another sentence:
    at the start or the end)."""
    pairs = _pairs(seg)
    allowed = Counter(placeholder_tokens(seg.source))

    def sub(m):
        if allowed[m.group(0)] > 0:
            allowed[m.group(0)] -= 1
            return m.group(0)
        return ""

    out = PLACEHOLDER_RE.sub(sub, text)
    if not _nested(out, pairs):
        out = PLACEHOLDER_RE.sub("", text)
    have = Counter(placeholder_tokens(out))
    missing = list((Counter(placeholder_tokens(seg.source)) - have).elements())
    wrap = [t for t in missing if t[1:-1] in pairs and not t.startswith("</")]
    wrap = [t for t in wrap if f"</{t[1:]}" in missing]  # both halves missing
    lone_open = [t for t in missing if not t.startswith("</") and not t.endswith("/>") and t not in wrap]
    rest = [t for t in missing if t not in wrap and t not in lone_open and f"<{t[2:]}" not in wrap]
    words = out.rstrip()
    tail = out[len(words):]
    if wrap:
        m = re.match(r"(.*?)(\S*?)([.,;:!?…)\]»”\"']*)$", words, re.S)
        assert m is not None  # every part of the pattern may be empty
        head, last, punct = m.group(1), m.group(2) or "…", m.group(3)
        words = head + "".join(wrap) + last + "".join(f"</{t[1:]}" for t in reversed(wrap)) + punct
    fixed = "".join(lone_open) + words + "".join(rest) + tail
    if not _nested(fixed, pairs):  # the editor's kept codes cross the added ones: words only
        bare = PLACEHOLDER_RE.sub("", text)
        return keep_as_text(seg, bare) if bare != text else bare
    return fixed


def read_store(path: Path, parse: Callable[[bytes], Any], kind: str) -> Any:
    """A CAT-tool file parsed by translate-toolkit (`parse`: its safe
    parser, entities unresolved, no network); InputError naming `kind`."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    try:
        return parse(data)
    except Exception as e:  # lxml and toolkit errors: not a file of this kind we can read
        raise InputError(f"{path}: not a readable {kind} file ({type(e).__name__}: {e})") from None
