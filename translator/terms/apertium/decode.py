"""Apertium's HTML output back into a segment: placeholders restored next to
their words, protected spans replaced, unknown-word marks stripped."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

from translator.document import PLACEHOLDER_RE, placeholder_tokens
from translator.terms.apertium.encode import WORD_RE as _WORD_RE, Encoded

_TAG_RE = re.compile(r'<span id="([a-z]\d+)">|</span>|<[^>]*>')
_MARK_RE = re.compile(r"[*#@](?=[^\s*#@])")


@dataclass
class Decoded:
    text: str
    unknown: list[str]
    term_spans: list[tuple[int, int, str, str, object]]  # (start, end, old, new, payload) in `text`


Replacer = Callable[[object, str], str]  # (term payload, Apertium's rendering) → replacement


Atom = tuple[str, frozenset[str]]  # a piece of text and the ids of the spans around it


def decode(enc: Encoded, out_html: str, replace_term: Replacer | None = None) -> Decoded | None:
    """The translated segment with its placeholders back, or None when the
    tags cannot be put back in a valid order."""
    unknown: list[str] = []
    atoms = [(strip_marks(t, enc.source, None if any(i.startswith("t") for i in ids) else unknown), ids)
             for t, ids in _atoms(out_html)]
    replaced = _replace_protected(enc, atoms, replace_term)
    if replaced is None:
        return None
    inserts = _inserts(enc, atoms)
    if inserts is None:
        return None
    text, spans = _rebuild(enc, atoms, inserts, replaced)
    return Decoded(text, unknown, spans) if _valid(enc.source, text) else None


def _replace_protected(enc: Encoded, atoms: list[Atom],
                       replace_term: Replacer | None) -> dict[str, tuple[str, str, object]] | None:
    """Each protected span's atoms become one: the term's replacement, or the
    name as written; words Apertium moved inside it follow it. None when a name vanished."""
    replaced: dict[str, tuple[str, str, object]] = {}
    for tid, prot in enc.protected.items():
        idx = [i for i, (_, ids) in enumerate(atoms) if tid in ids]
        if not idx:
            if prot.stand_in:
                return None  # the name vanished: translate piece by piece instead
            continue
        first, last = idx[0], idx[-1]
        old = "".join(t for t, _ in atoms[first:last + 1]).strip()
        carried = [(t, ids) for t, ids in atoms[first:last + 1]
                   if tid not in ids and _WORD_RE.search(t) and not _is_glue(t)]
        common = frozenset.intersection(*[ids for _, ids in atoms[first:last + 1] if tid in ids])
        if prot.stand_in:
            new = enc.source[prot.start:prot.end]
        else:
            new = replace_term(prot.payload, old) if replace_term else old
        atoms[first:last + 1] = [(new, common)] + ([(" ", frozenset())] + carried if carried else [])
        replaced[tid] = (old, new, prot.payload)
    return replaced


def _inserts(enc: Encoded, atoms: list[Atom]) -> list[tuple[int, int, str]] | None:
    """(before atom, source order, token) for every placeholder token; None when one lost its anchor."""
    inserts: list[tuple[int, int, str]] = []
    for pid, (open_tok, close_tok, oi, ci) in enc.pairs.items():
        idx = [i for i, (_, ids) in enumerate(atoms) if pid in ids]
        if not idx:
            return None
        inserts += [(idx[0], oi, open_tok), (idx[-1] + 1, ci, close_tok)]
    for aid, v in enc.voids.items():
        idx = [i for i, (_, ids) in enumerate(atoms) if aid in ids]
        if not idx:
            return None
        if v.after:
            inserts.append((idx[-1] + 1, v.order, (" " if v.space_before else "") + v.token))
        else:
            inserts.append((idx[0], v.order, v.token + (" " if v.space_after else "")))
    return sorted(inserts)


def _rebuild(enc: Encoded, atoms: list[Atom], inserts: list[tuple[int, int, str]],
             replaced: dict[str, tuple[str, str, object]]) -> tuple[str, list[tuple[int, int, str, str, object]]]:
    """The text with the tokens inserted, and where each replaced term sits in it."""
    pieces: list[str] = []
    spans: list[tuple[int, int, str, str, object]] = []
    length = k = 0
    for i in range(len(atoms) + 1):
        while k < len(inserts) and inserts[k][0] == i:
            pieces.append(inserts[k][2])
            length += len(inserts[k][2])
            k += 1
        if i == len(atoms):
            break
        t, ids = atoms[i]
        tid = next((x for x in sorted(ids) if x in replaced), None)
        if tid is not None and not enc.protected[tid].stand_in:
            spans.append((length, length + len(t), *replaced.pop(tid)))
        pieces.append(t)
        length += len(t)
    return "".join(pieces), spans


def _is_glue(text: str) -> bool:
    return text.strip().lower() in {"de", "del", "la", "el", "los", "las", "a", "al", "of", "the", "en"}


def _atoms(out_html: str) -> list[tuple[str, frozenset[str]]]:
    """The text pieces of Apertium's output, each with the span ids around it."""
    atoms = []
    stack: list[str] = []
    pos = 0
    for m in _TAG_RE.finditer(out_html):
        if m.start() > pos:
            atoms.append((html.unescape(out_html[pos:m.start()]), frozenset(stack)))
        if m.group(1):
            stack.append(m.group(1))
        elif m.group(0) == "</span>" and stack:
            stack.pop()
        pos = m.end()
    if pos < len(out_html):
        atoms.append((html.unescape(out_html[pos:]), frozenset(stack)))
    return atoms


def strip_marks(text: str, source: str, unknown: list[str] | None) -> str:
    """Remove Apertium's marks: `*word` (unknown: the word is the source's,
    maybe a piece of a source word, as in "12.9*B"), `@word` (no translation),
    `#word` (no generation). A mark the source itself has ("#hashtag",
    "*emphasis*") stays."""
    out = []
    pos = 0
    low_source = source.lower()
    for m in _MARK_RE.finditer(text):
        word_m = re.compile(r"\w+|[^\w\s]").match(text, m.end())
        word = word_m.group(0) if word_m else ""
        mark = m.group(0)
        after_mark = m.start() > 0 and text[m.start() - 1] in "*#@"
        if (mark + word) in source and not after_mark:
            continue  # the source has it
        if mark == "*" and not after_mark and word.lower() not in low_source:
            continue  # "*estrellas*": a literal asterisk before a translated word
        out.append(text[pos:m.start()])
        pos = m.end()
        if unknown is not None and word and word[0].isalnum() and word not in unknown:
            unknown.append(word)
    out.append(text[pos:])
    return "".join(out)


def _valid(source: str, text: str) -> bool:
    """Same placeholder tokens, and every pair open before its close, nested."""
    want = placeholder_tokens(source)
    got = placeholder_tokens(text)
    if sorted(want) != sorted(got):
        return False
    opens = {t[1:-1] for t in want if not t.startswith("</") and not t.endswith("/>")}
    paired = opens & {t[2:-1] for t in want if t.startswith("</")}
    stack: list[str] = []
    for tok in got:
        m = PLACEHOLDER_RE.fullmatch(tok)
        if m is None:
            continue
        closing, n, void = m.group(1), m.group(2), m.group(3)
        if void or n not in paired:
            continue
        if not closing:
            stack.append(n)
        elif not stack or stack.pop() != n:
            return False
    return not stack


