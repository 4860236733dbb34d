"""Blocks → segments: sentence splitting and placeholder protection.

Inline markup of a block, and things in its text that must come back exactly
(URLs, shortcodes, emoji, inline code, footnote marks), become numbered
placeholders: `<1>…</1>` for a pair, `<2/>` for one piece. Numbers restart
at 1 in every segment. Markup at the edges of a sentence (a link wrapping the
whole sentence, an emoji before it, a tag opened in the previous sentence)
stays outside the segment, so engines see as few placeholders as possible.
"""

from __future__ import annotations

import re
from dataclasses import replace

from translator.segment import sentences
from translator.segment.atoms import Atom, block_atoms
from translator.document import Block, Code, Document, Markup, Segment

_LETTER = re.compile(r"[^\W\d_]")
_SPACE = re.compile(r"[ \t\n\r\f]+")
_COLLAPSE = ("html", "markdown", "markdown-table")

# Transcripts: unpunctuated caption lines are grouped into units of about a
# sentence, cut where the next line opens with a connective.
_MIN_WORDS, _MAX_WORDS = 10, 40
_CUES = {  # (strong: cut before anywhere; weak: cut before at a caption line start)
    "es": ("pero porque además entonces bueno pues ahora luego aunque mientras incluso también",
           "y o si cuando ya así donde"),
    "en": ("but because so then also now however although while", "and or which when if where"),
}


def segment_document(doc: Document, lang: str | None = None, whole: frozenset[int] = frozenset()) -> Document:
    """Return the document with its segments (ids s1, s2, … in document
    order). Blocks listed in `whole` are not split into sentences."""
    lang = lang or doc.source_lang or "en"
    segments: list[Segment] = []
    for block in doc.blocks:
        _append_segments(segments, doc.text, block, lang, block.index in whole, "s")
    return replace(doc, segments=tuple(segments))


def whole_block_segments(doc: Document, blocks: frozenset[int], lang: str | None = None) -> list[Segment]:
    """The segments of the blocks `blocks` only, each kept whole, as
    `segment_document(doc, lang, blocks)` makes them (ids of their own): a
    look at some paragraphs without segmenting the rest of the document again."""
    lang = lang or doc.source_lang or "en"
    out: list[Segment] = []
    for block in doc.blocks:
        if block.index in blocks:
            _append_segments(out, doc.text, block, lang, True, "w")
    return out


def _append_segments(segments: list[Segment], text: str, block: Block, lang: str, whole: bool, prefix: str) -> None:
    """The segments of one block onto `segments`, numbered on from it (PREFIX1, PREFIX2, …)."""
    for atoms in _sentences(text, block, lang, whole):
        seg = _make_segment(f"{prefix}{len(segments) + 1}", block, atoms)
        if seg is not None:
            segments.append(seg)


def outside_voids(doc: Document, seg: Segment) -> tuple[list[Markup], list[Markup]]:
    """The one-piece markup (inline code, a URL, an emoji …) that trimming
    left just outside `seg`: before it and after it, nearest first, with
    nothing but white space between. A draft whose heading ends in inline
    code has it there, where the source had it inside the sentence."""
    block = doc.blocks[seg.block]
    before: list[Markup] = []
    after: list[Markup] = []
    atoms = block_atoms(doc.text, block)
    for side, run in ((before, reversed([a for a in atoms if a.end <= seg.start])),
                      (after, (a for a in atoms if a.start >= seg.end))):
        for a in run:
            if a.code is None and not a.text.strip():
                continue
            if a.code is None or a.code.role != "void":
                break
            side.append(a.code)
    return before, after


def span_segment(doc: Document, block: Block, start: int, end: int, seg_id: str) -> Segment | None:
    """One segment of `block` covering text[start:end] (the first unit's
    start to the last one's end), its markup numbered afresh; None when
    there is nothing to translate."""
    atoms = []
    for a in block_atoms(doc.text, block):
        if a.end <= start or a.start >= end:
            continue
        if a.code is None and a.linear and (a.start < start or a.end > end):
            lo, hi = max(a.start, start), min(a.end, end)
            a = Atom(lo, hi, doc.text[lo:hi])
        atoms.append(a)
    seg = _make_segment(seg_id, block, atoms)
    if seg is not None and block.escape not in _COLLAPSE:
        seg = replace(seg, source=_SPACE.sub(" ", seg.source))  # caption lines joined
    return seg


# --- sentences ---------------------------------------------------------------


def _sentences(text: str, block: Block, lang: str, whole: bool = False) -> list[list[Atom]]:
    atoms = block_atoms(text, block)
    chunks: list[list[Atom]] = [[]]
    for atom in atoms:  # hard line breaks always end a sentence
        if atom.code is not None and atom.code.role == "break":
            chunks.append([])
        else:
            chunks[-1].append(atom)
    out = []
    for chunk in chunks:
        if whole:
            out.append(chunk)
        elif block.kind == "transcript":
            out.extend(_transcript_units(chunk, lang))
        else:
            out.extend(_split_chunk(chunk, lang))
    return out


def _split_chunk(chunk: list[Atom], lang: str) -> list[list[Atom]]:
    plain = "".join(a.text for a in chunk)
    cuts = sentences.split(plain, lang) if plain.strip() else []
    return _cut(chunk, cuts)


def _cut(chunk: list[Atom], cuts: list[int]) -> list[list[Atom]]:
    """Cut a chunk at positions of its plain text. Markup at a cut goes with
    the sentence it belongs to: closing tags left, opening tags right."""
    if not cuts:
        return [chunk]
    parts: list[list[Atom]] = [[]]
    pos = 0
    pending = list(cuts)
    for atom in chunk:
        if atom.code is not None:
            parts[-1].append(atom)
            continue
        end = pos + len(atom.text)
        while pending and pending[0] <= pos:  # a cut right before this atom
            pending.pop(0)
            _new_part(parts)
        piece = atom
        while pending and pending[0] < end:
            k = pending.pop(0) - pos
            if piece.linear:
                left = Atom(piece.start, piece.start + k, piece.text[:k])
                piece = Atom(piece.start + k, piece.end, piece.text[k:])
                pos += k
                if left.text:
                    parts[-1].append(left)
                _new_part(parts)
            # a cut inside an undividable atom (an entity) is dropped
        parts[-1].append(piece)
        pos = end
    return [p for p in parts if p]


def _new_part(parts: list[list[Atom]]) -> None:
    """Start a new sentence, taking along the opening markup that ended the last one."""
    moved: list[Atom] = []
    last = parts[-1]
    while last and last[-1].code is not None and last[-1].code.role == "open":
        moved.insert(0, last.pop())
    parts.append(moved)


def _transcript_units(chunk: list[Atom], lang: str) -> list[list[Atom]]:
    """Caption lines without punctuation → units of about a sentence: cut
    before a connective ("pero", "además", "so" …) once a unit has a few
    words, preferring caption line breaks; never let a unit run long."""
    plain = "".join(a.text for a in chunk)
    cuts = sentences.split(plain, lang)
    if len(cuts) >= max(1, len(plain.split()) // (2 * _MAX_WORDS)):
        return _cut(chunk, cuts)  # punctuated after all
    starts, forced, pauses = _caption_breaks(chunk, plain)
    return _cut(chunk, _unit_cuts(plain, lang, starts, forced, pauses))


def _caption_breaks(chunk: list[Atom], plain: str) -> tuple[set[int], set[int], set[int]]:
    """Where caption lines start; where a cut is forced (around a line with a
    URL); where the speaker paused (a line much shorter than most ends)."""
    line_starts, urls, pos = [0], [], 0
    for atom in chunk:
        if atom.code is not None and atom.code.name == "url":
            urls.append(pos)
        pos += len(atom.text)
        if atom.code is None and atom.text == " " and not atom.linear:  # a line break
            line_starts.append(pos)
    bounds = line_starts + [len(plain) + 1]
    url_lines = {a for a, b in zip(bounds, bounds[1:]) if any(a <= u < b for u in urls)}
    forced = url_lines | {b for a, b in zip(bounds, bounds[1:]) if a in url_lines}
    starts = set(line_starts)
    lengths = sorted(len(plain[a:b].strip()) for a, b in zip(bounds, bounds[1:]))
    typical = lengths[len(lengths) // 2] if lengths else 0
    pauses = {b for a, b in zip(bounds, bounds[1:]) if b in starts and len(plain[a:b].strip()) < 0.5 * typical}
    return starts, forced, pauses


def _unit_cuts(plain: str, lang: str, starts: set[int], forced: set[int], pauses: set[int]) -> list[int]:
    """The offsets where a unit ends, word by word."""
    strong, weak = (set(x.split()) for x in _CUES.get(lang, _CUES["en"]))
    unit_cuts: list[int] = []
    count, fallback = 0, None  # fallback: the latest caption break in this unit
    for m in re.finditer(r"\S+", plain):
        at, word = m.start(), m.group(0).lower()
        if count and (
            at in forced
            or (count >= 5 and at in pauses)
            or (count >= _MIN_WORDS and word in strong)
            or (count >= _MIN_WORDS + 5 and at in starts and word in weak)
        ):
            unit_cuts.append(at)
            count, fallback = 0, None
        elif count >= _MAX_WORDS:
            cut_at, cut_count = fallback or (at, count)
            unit_cuts.append(cut_at)
            count, fallback = count - cut_count, None
        if at in starts and count >= _MIN_WORDS:
            fallback = (at, count)
        count += 1
    return sorted(set(unit_cuts))


# --- segments ----------------------------------------------------------------


def _make_segment(seg_id: str, block: Block, atoms: list[Atom]) -> Segment | None:
    atoms = _trim(atoms)
    if not any(a.code is None and _LETTER.search(a.text) for a in atoms):
        return None
    source, codes = _with_placeholders(atoms)
    if block.escape in _COLLAPSE:
        source = _SPACE.sub(" ", source)
    return Segment(
        id=seg_id,
        block=block.index,
        start=atoms[0].start,
        end=atoms[-1].end,
        source=source,
        codes=codes,
    )


def _with_placeholders(atoms: list[Atom]) -> tuple[str, tuple[Code, ...]]:
    """The text of the atoms with their markup numbered: `<1>…</1>`, `<2/>`."""
    numbers: dict[object, int] = {}
    codes: dict[int, dict] = {}
    parts = []
    for a in atoms:
        if a.code is None:
            parts.append(a.text)
            continue
        m = a.code
        key = ("pair", m.pair) if m.role in ("open", "close") and m.pair is not None else ("void", a.start)
        n = numbers.setdefault(key, len(numbers) + 1)
        spec = codes.setdefault(n, {"kind": "pair" if key[0] == "pair" else "void", "label": m.name})
        if m.role == "close":
            spec["close"] = (a.start, a.end)
            parts.append(f"</{n}>")
        else:
            spec["open"] = (a.start, a.end)
            parts.append(f"<{n}>" if spec["kind"] == "pair" else f"<{n}/>")
    return "".join(parts), tuple(
        Code(n, c["kind"], c.get("open"), c.get("close"), c["label"]) for n, c in sorted(codes.items()))


def _trim(atoms: list[Atom]) -> list[Atom]:
    """Move whitespace and markup that need not be translated out of the edges."""
    atoms = list(atoms)
    while atoms:
        trimmed = _trim_edge(atoms)
        if trimmed is None:
            break
        atoms = trimmed
    return atoms


def _trim_edge(atoms: list[Atom]) -> list[Atom] | None:
    """The atoms with one edge trimmed, or None when neither edge can go."""
    first, last = atoms[0], atoms[-1]
    pairs_in = {a.code.pair for a in atoms if a.code is not None and a.code.role == "open"}
    closes_in = {a.code.pair for a in atoms if a.code is not None and a.code.role == "close"}
    if first.code is None and first.text[:1].isspace() and _strip_atom(first, left=True) is not first:
        stripped = _strip_atom(first, left=True)
        return ([stripped] if stripped else []) + atoms[1:]
    if last.code is None and last.text[-1:].isspace() and _strip_atom(last, left=False) is not last:
        stripped = _strip_atom(last, left=False)
        return atoms[:-1] + ([stripped] if stripped else [])
    if first.code is not None and (first.code.role in ("void", "break", "close") or first.code.pair not in closes_in):
        return atoms[1:]
    if last.code is not None and (last.code.role in ("void", "break", "open") or last.code.pair not in pairs_in):
        return atoms[:-1]
    if (
        len(atoms) >= 2 and first.code is not None and last.code is not None
        and first.code.role == "open" and last.code.role == "close"
        and first.code.pair == last.code.pair and _wraps(atoms)
    ):
        return atoms[1:-1]
    return None


def _wraps(atoms: list[Atom]) -> bool:
    """True when the first open tag's pair closes at the very end (not `<b>a</b> c <b>d</b>`)."""
    first = atoms[0].code
    assert first is not None  # the caller checked it opens a pair
    pair = first.pair
    depth = 0
    for a in atoms[:-1]:
        if a.code is not None and a.code.pair == pair:
            depth += 1 if a.code.role == "open" else -1
            if depth == 0:
                return False
    return True


def _strip_atom(atom: Atom, left: bool) -> Atom | None:
    if not atom.linear:
        return None if not atom.text.strip() else atom
    text = atom.text.lstrip() if left else atom.text.rstrip()
    if not text:
        return None
    if left:
        return Atom(atom.end - len(text), atom.end, text)
    return Atom(atom.start, atom.start + len(text), text)
