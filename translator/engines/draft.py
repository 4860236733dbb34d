"""Post-edit mode: line up an existing translation (`--draft FILE`) with
the source's segments.

The draft is either the same kind of file as the source (HTML, Markdown,
text: aligned block by block through the document structure) or plain text
with one line per source segment. Sentence splits differ between languages,
so a block whose sentence counts differ is aligned as one unit. Placeholders
are renumbered by matching the markup behind them (the same link is the same
link even if the translator moved it).
"""

from __future__ import annotations


from pathlib import Path

from translator import formats
from translator.io import reader
from translator.document import PLACEHOLDER_RE, Document, Segment, Suggestion
from translator.io.encoding import decode
from translator.errors import InputError
from translator.segment.segmenter import segment_document


def align_draft(doc: Document, path: Path, target_lang: str) -> tuple[Document, dict[str, str], list[Suggestion]]:
    """Returns the (possibly re-segmented) source document, a draft text for
    each of its segment ids, and notes on what could not be aligned."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read the draft ({e.strerror})") from None
    text = decode(data, str(path)).text
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    plain = formats.get(doc.format).plain
    structured = not plain and reader.sniff(text, path.suffix) == doc.format
    if not structured and len(lines) == len(doc.segments) and len(doc.blocks) != len(doc.segments):
        return doc, {s.id: ln for s, ln in zip(doc.segments, lines)}, []  # one line per segment
    if not plain and not structured:
        raise InputError(
            f"{path}: the draft must be a {doc.format} file with the source's structure, or plain text with "
            f"one line per segment ({len(doc.segments)} lines; it has {len(lines)})"
        )
    draft = reader.parse(text, doc.format, path=str(path), source_lang=target_lang)
    pairs = _align_blocks(doc, draft, target_lang)
    whole = frozenset(
        i for i, j in pairs.items() if len(_segs(doc, i)) != len(_segs(draft, j))
    )
    if whole:
        doc = segment_document(doc, doc.source_lang, whole)
        draft = segment_document(draft, target_lang, frozenset(pairs[i] for i in whole))
    drafts: dict[str, str] = {}
    notes: list[Suggestion] = []
    for block in doc.blocks:
        mine = _segs(doc, block.index)
        j = pairs.get(block.index)
        theirs = _segs(draft, j) if j is not None else []
        if len(mine) != len(theirs):
            for s in mine:
                notes.append(_missing(s))
            continue
        for s, d in zip(mine, theirs):
            drafts[s.id] = _renumber(doc, s, draft, d)
    return doc, drafts, notes


def _segs(doc: Document, block: int) -> list[Segment]:
    return [s for s in doc.segments if s.block == block]


def _align_blocks(doc: Document, draft: Document, target_lang: str) -> dict[int, int]:
    from translator.qa.review import align_blocks

    return {i: j for i, j in align_blocks(doc, draft, target_lang) if i is not None and j is not None}


def _renumber(doc: Document, seg: Segment, draft: Document, dseg: Segment) -> str:
    """The draft segment's text with its placeholders numbered as in `seg`."""
    def raw(d: Document, span):
        return d.text[span[0]:span[1]] if span else ""

    mine = {c.n: (raw(doc, c.open), raw(doc, c.close), c.label, c.kind) for c in seg.codes}
    mapping: dict[int, int] = {}
    used: set[int] = set()
    for strict in (True, False):
        for c in dseg.codes:
            if c.n in mapping:
                continue
            key = (raw(draft, c.open), raw(draft, c.close), c.label, c.kind)
            for n, theirs in mine.items():
                if n in used:
                    continue
                if (strict and theirs == key) or (not strict and theirs[2:] == key[2:]):
                    mapping[c.n] = n
                    used.add(n)
                    break

    def sub(m):
        n = mapping.get(int(m.group(2)))
        return m.group(0) if n is None else f"<{m.group(1)}{n}{m.group(3)}>"

    return PLACEHOLDER_RE.sub(sub, dseg.source)


def _missing(seg: Segment) -> Suggestion:
    return Suggestion(
        seg.id, "accuracy", "critical", "", "", "This part of the source has no counterpart in the draft; the source text was kept.",
        "check", "open", "draft-missing",
    )



