"""Post-edit mode: line up an existing translation (`--draft FILE`) with
the source's segments.

The draft is either the same kind of file as the source (HTML, Markdown,
text: aligned block by block through the document structure) or plain text
with one line per source segment. Sentence splits differ between languages,
so a block whose sentence counts differ is aligned as one unit. Placeholders
are renumbered by matching the markup behind them (the same link is the same
link even if the translator moved it). Markup the draft lost comes back:
one-piece markup at the sentence's edge, markup around words around the
draft's words that translate them (`draft_pairs`); each is reported.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

from translator import formats
from translator.io import reader
from translator.document import PLACEHOLDER_RE, Block, Code, Document, Segment, Severity, Suggestion
from translator.io.encoding import decode
from translator.engines import draft_pairs
from translator.engines.base import POST_EDIT, Context, Engine, EngineResult, Item
from translator.engines.registry import register
from translator.errors import EngineError, InputError
from translator.segment.segmenter import outside_voids, segment_document, span_segment

Paragraphs = Callable[[Document], list[list[Segment]]]


def align_draft(doc: Document, path: Path, target_lang: str, paragraphs: Paragraphs | None = None
                ) -> tuple[Document, dict[str, str], list[Suggestion]]:
    """Returns the (possibly re-segmented) source document, a draft text for
    each of its segment ids, and notes on what could not be aligned.
    `paragraphs` groups a transcript's segments as its translation is
    written; a transcript's draft written so is aligned paragraph by paragraph."""
    text = _read(path)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    plain = formats.get(doc.format).plain
    structured = not plain and reader.sniff(text, path.suffix) == doc.format
    if not structured and len(lines) == len(doc.segments) and (not plain or len(doc.blocks) != len(doc.segments)):
        return _one_per_line(doc, lines, target_lang)
    if doc.transcript and plain and paragraphs is not None:
        return _transcript_paragraphs(doc, paragraphs(doc), path, text, lines, target_lang)
    if not plain and not structured:
        raise InputError(
            f"{path}: the draft must be a {doc.format} file with the source's structure, or plain text with "
            f"one line per segment ({len(doc.segments)} lines; it has {len(lines)})"
        )
    draft = reader.parse(text, doc.format, path=str(path), source_lang=target_lang)
    pairs = _align_blocks(doc, draft, target_lang)  # plain text with a line for each line: line by line
    whole = frozenset(i for i, j in pairs.items() if len(_segs(doc, i)) != len(_segs(draft, j)))
    if whole:
        doc = segment_document(doc, doc.source_lang, whole)
        draft = segment_document(draft, target_lang, frozenset(pairs[i] for i in whole))
    drafts, notes = _pair_segments(doc, draft, pairs)
    notes.extend(_draft_only(doc, draft, pairs))
    if doc.segments and not drafts:
        raise InputError(f"{path}: no part of the draft lines up with the source (is it the translation of "
                         f"this file?); nothing was written")
    return doc, drafts, notes


def _transcript_paragraphs(doc: Document, grouped: list[list[Segment]], path: Path, text: str, lines: list[str],
                           target_lang: str) -> tuple[Document, dict[str, str], list[Suggestion]]:
    """A transcript's draft written as paragraphs (as this tool writes a
    transcript's translation, or one per line): each paragraph of the source
    is one segment, its draft the draft's paragraph."""
    groups = [g for g in grouped if g]
    blank_separated = [" ".join(p.split()) for p in _BLANK_LINE.split(text) if p.strip()]
    paras = blank_separated if len(blank_separated) == len(groups) else lines
    if len(paras) != len(groups):
        raise InputError(
            f"{path}: a transcript's draft needs one paragraph for each of the transcript's {len(groups)} "
            f"paragraphs (as `translate` writes them, or one per line); it has {len(blank_separated)} "
            f"paragraphs and {len(lines)} lines")
    segments: list[Segment] = []
    texts: list[str] = []
    for group, para in zip(groups, paras):
        seg = span_segment(doc, doc.blocks[group[0].block], group[0].start, group[-1].end, f"s{len(segments) + 1}")
        if seg is not None:
            segments.append(seg)
            texts.append(para)
    drafts: dict[str, str] = {}
    notes: list[Suggestion] = []
    for k, (seg, para) in enumerate(zip(segments, texts)):
        # what lies outside every segment (a URL at a paragraph's end) is written
        # as it is beside its paragraph: not twice
        after = doc.text[seg.end:segments[k + 1].start if k + 1 < len(segments) else len(doc.text)].strip()
        if after and para.endswith(after):
            para = para[:-len(after)].rstrip()
        head = doc.text[:seg.start].strip() if k == 0 else ""
        if head and para.startswith(head):
            para = para[len(head):].lstrip()
        drafts[seg.id], found = _with_source_codes(doc, seg, para, target_lang, "paragraph")
        notes.extend(found)
    return replace(doc, segments=tuple(segments), paragraph_segments=True), drafts, notes


def _one_per_line(doc: Document, lines: list[str], target_lang: str
                  ) -> tuple[Document, dict[str, str], list[Suggestion]]:
    """A plain draft with one line for each segment of the source."""
    drafts: dict[str, str] = {}
    notes: list[Suggestion] = []
    for seg, line in zip(doc.segments, lines):
        drafts[seg.id], found = _with_source_codes(doc, seg, line, target_lang, "sentence")
        notes.extend(found)
    return doc, drafts, notes


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _with_source_codes(doc: Document, seg: Segment, para: str, target_lang: str, unit: str
                       ) -> tuple[str, list[Suggestion]]:
    """A plain draft's text with the source's markup: one-piece markup (a
    URL, an emoji) as its placeholder where the draft has it verbatim, else
    at the edge; markup around words where those words went (`_wrap_pairs`)."""
    notes = []
    for c in seg.codes:
        if c.kind != "void" or c.open is None or f"<{c.n}/>" in para:
            continue
        markup = doc.text[c.open[0]:c.open[1]]
        if markup in para:
            para = para.replace(markup, f"<{c.n}/>", 1)
        else:
            para, note = _put_back(seg, para, c.n, markup, c.label, unit)
            notes.append(note)
    para, found = _wrap_pairs(doc, seg, para, target_lang)
    return para, notes + found


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read the draft ({e.strerror})") from None
    return decode(data, str(path)).text


def _pair_segments(doc: Document, draft: Document, pairs: dict[int, int]) -> tuple[dict[str, str], list[Suggestion]]:
    """Segment by segment within aligned blocks; a block without its counterpart is noted."""
    drafts: dict[str, str] = {}
    notes: list[Suggestion] = []
    for block in doc.blocks:
        mine = _segs(doc, block.index)
        j = pairs.get(block.index)
        theirs = _segs(draft, j) if j is not None else []
        if len(mine) != len(theirs):
            notes.extend(_missing(s) for s in mine)
            continue
        for s, d in zip(mine, theirs):
            drafts[s.id], found = _renumber(doc, s, draft, d)
            notes.extend(found)
        if mine and j is not None:
            _keep_words_between(doc, block, mine, draft, draft.blocks[j], theirs, drafts)
    return drafts, notes


def _keep_words_between(doc: Document, block: Block, mine: list[Segment], draft: Document, dblock: Block,
                        theirs: list[Segment], drafts: dict[str, str]) -> None:
    """Words of the draft's block outside its segments (a time «04:30.» is no
    sentence to translate) where the source has nothing: the output is
    written around the source's segments, so they would be lost; they go
    with the next segment (the last one's end for words after it). Wider
    spaces between sentences than the source's stay too."""
    def gaps(d: Document, b: Block, segs: list[Segment]) -> list[str]:
        edges = [b.start] + [x for s in segs for x in (s.start, s.end)] + [b.end]
        return [d.text[edges[2 * k]:edges[2 * k + 1]] for k in range(len(segs) + 1)]

    for k, (src_gap, gap) in enumerate(zip(gaps(doc, block, mine), gaps(draft, dblock, theirs))):
        words = gap.strip()
        if 0 < k < len(mine) and not words and not src_gap.strip() and gap.startswith(src_gap) \
                and "\n" not in gap:
            drafts[mine[k - 1].id] += gap[len(src_gap):]  # two spaces between sentences, as the draft has them
            continue
        if not words or src_gap.strip() or not _PLAIN_WORDS.fullmatch(words):
            continue
        if k < len(mine):
            drafts[mine[k].id] = f"{words}{gap[len(gap.rstrip()):] or ' '}{drafts[mine[k].id]}"
        else:
            drafts[mine[-1].id] = f"{drafts[mine[-1].id]}{gap[:len(gap) - len(gap.lstrip())] or ' '}{words}"


_PLAIN_WORDS = re.compile(r"[\w\s.,:;!?¿¡%'’\"«»“”()\-–—/+]*\w[\w\s.,:;!?¿¡%'’\"«»“”()\-–—/+]*")


def _segs(doc: Document, block: int) -> list[Segment]:
    return [s for s in doc.segments if s.block == block]


def _align_blocks(doc: Document, draft: Document, target_lang: str) -> dict[int, int]:
    from translator.qa.review import align_blocks

    return {i: j for i, j in align_blocks(doc, draft, target_lang) if i is not None and j is not None}


def renumber(doc: Document, seg: Segment, draft: Document, dseg: Segment) -> str:
    """The draft segment's text with its placeholders numbered as in `seg`
    (markup of the draft's own is left as it is: the text then fails the
    placeholder check)."""
    return _numbered(doc, seg, draft, dseg, drop=False)[0]


def _renumber(doc: Document, seg: Segment, draft: Document, dseg: Segment) -> tuple[str, list[Suggestion]]:
    """As `renumber`, and then the draft's words are kept whatever its
    markup: markup of its own is left out, one-piece markup it lost is put
    at the sentence's edge. Notes say what was done."""
    text, dropped, wanted = _numbered(doc, seg, draft, dseg, drop=True)
    words = [w for w in dropped if not PLACEHOLDER_RE.fullmatch(w)]
    notes = [_note(seg.id, "minor", "The draft's markup here has no counterpart in the source; it was left out.")
             ] if len(words) < len(dropped) else []
    if words:
        notes.append(_note(seg.id, "minor", f"The source does not protect {', '.join(f'«{w}»' for w in words)} "
                                            "as the draft does; it was kept as text."))
    for (markup, label), n in sorted(wanted.items(), key=lambda kv: kv[1]):
        text, note = _put_back(seg, text, n, markup, label, "sentence")
        notes.append(note)
    text, found = _wrap_pairs(doc, seg, text, draft.source_lang)
    return text, notes + found


def _wrap_pairs(doc: Document, seg: Segment, text: str, target_lang: str) -> tuple[str, list[Suggestion]]:
    """`text` with the markup around words that the draft lost put around the
    words that translate them, else around the sentence (`draft_pairs.wrap`),
    each with a note."""
    text, placed = draft_pairs.wrap(seg, text, doc.source_lang, target_lang)
    return text, [_note(seg.id, "major", _placed_explanation(p)) for p in placed]


def _placed_explanation(p: draft_pairs.Placed) -> str:
    lost = f"The draft has no {p.label} around «{p.source}»"
    if p.sentence:
        return f"{lost}; nothing shows where those words went, so it was put around the whole sentence: move it to them."
    return f"{lost}; it was put around «{p.words}», where those words went: check its place."


def _put_back(seg: Segment, text: str, n: int, markup: str, label: str, unit: str) -> tuple[str, Suggestion]:
    """One-piece markup `<n/>` the draft lost, at the edge of `text` where the
    source has it (its start, else its end), and the note that says so."""
    at_start = seg.source.startswith(f"<{n}/>")
    text = f"<{n}/> {text}" if at_start else f"{text} <{n}/>"
    return text, _note(seg.id, "major", f"The draft has no {label} {markup} here; it was put at the "
                                        f"{'start' if at_start else 'end'} of the {unit}: check its place.")


def _numbered(doc: Document, seg: Segment, draft: Document, dseg: Segment,
              drop: bool) -> tuple[str, list[str], dict[tuple[str, str], int]]:
    """The renumbered text; the draft's tokens without a counterpart (left
    out when `drop`); the source's one-piece markup still missing."""
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

    unmatched: list[str] = []
    theirs_by_n = {c.n: c for c in dseg.codes}

    def sub(m):
        n = mapping.get(int(m.group(2)))
        if n is None:  # the draft's own markup, with no counterpart in the source
            words = _as_text(draft, theirs_by_n.get(int(m.group(2)))) if drop else ""
            unmatched.append(words or m.group(0))
            return words or ("" if drop else m.group(0))
        return f"<{m.group(1)}{n}{m.group(3)}>"

    text = PLACEHOLDER_RE.sub(sub, dseg.source)
    if drop and unmatched:
        text = _DOUBLE_SPACE.sub(" ", text).strip()
    wanted = {(raw(doc, c.open), c.label): c.n for c in seg.codes if c.kind == "void" and c.n not in used}
    return _attach_edges(text, wanted, draft, dseg), unmatched, wanted


_DOUBLE_SPACE = re.compile(r"  +")
_WORDS = {"url", "email", "emoji", "emojicode", "code"}  # protected text, not markup: words of the draft


def _as_text(draft: Document, code: Code | None) -> str:
    """The words a protected piece of the draft's text stands for (an address
    the source wrote «Bosmadison@ gmail . com», inline code the source has as
    words), as plain text; "" for markup."""
    if code is None or code.kind != "void" or code.label not in _WORDS or not code.open:
        return ""
    raw = draft.text[code.open[0]:code.open[1]]
    if code.label == "code" and draft.format == "markdown":
        raw = raw.strip("`")  # the words; Markdown would show escaped backticks
    return html.unescape(raw) if draft.format == "html" else raw


def _attach_edges(text: str, wanted: dict[tuple[str, str], int], draft: Document, dseg: Segment) -> str:
    """`text` with the one-piece markup that the draft's segment lost to
    trimming put back (`wanted` loses what was found): "### Limas de
    comentario `X`" ends in the code that "### Comment `X` files" has inside."""
    if not wanted:
        return text
    before, after = outside_voids(draft, dseg)
    for side, left in ((after, False), (before, True)):
        edge = dseg.start if left else dseg.end
        for m in side:
            n = wanted.pop((draft.text[m.start:m.end], m.name), None)
            if n is None:
                break
            space = " " if (draft.text[m.end:edge] if left else draft.text[edge:m.start]) else ""
            text = f"<{n}/>{space}{text}" if left else f"{text}{space}<{n}/>"
            edge = m.start if left else m.end
    return text


def _note(sid: str, severity: Severity, explanation: str) -> Suggestion:
    return Suggestion(sid, "markup", severity, "", "", explanation, "check", "open", "draft-markup")


def _draft_only(doc: Document, draft: Document, pairs: dict[int, int]) -> list[Suggestion]:
    """A note per paragraph of the draft with no counterpart in the source
    (it cannot be in a translation of that source: the output has no place
    for it), on the segment of the source block before it (else the first)."""
    if not doc.segments:
        return []
    paired = {j: i for i, j in pairs.items()}
    mine: dict[int, list[Segment]] = {}
    theirs: dict[int, list[Segment]] = {}
    for seg in doc.segments:
        mine.setdefault(seg.block, []).append(seg)
    for seg in draft.segments:
        theirs.setdefault(seg.block, []).append(seg)
    notes = []
    last = doc.segments[0].id
    for block in draft.blocks:
        j = block.index
        if j in paired:
            last = mine[paired[j]][-1].id if mine.get(paired[j]) else last
            continue
        words = " ".join(s.source for s in theirs.get(j, [])).strip()
        if not words:
            continue
        sid = last
        clip = words if len(words) <= 80 else words[:79] + "…"
        notes.append(Suggestion(
            sid, "accuracy", "major", "", "",
            f"The draft has a paragraph here with no counterpart in the source, left out of the output: «{clip}»; "
            "add it to the source if it belongs in the translation.", "check", "open", "draft-extra"))
    return notes


def _missing(seg: Segment) -> Suggestion:
    return Suggestion(
        seg.id, "accuracy", "critical", "", "", "This part of the source has no counterpart in the draft; the source text was kept.",
        "check", "open", "draft-missing",
    )


class DraftEngine:
    """The given draft as an engine: `align` lines the file up with a
    document (re-segmenting it where sentence splits differ); `translate`
    then answers each segment with its draft (the source where there is none)."""

    name = "draft"
    capabilities: frozenset[str] = frozenset({POST_EDIT})

    def __init__(self, path: Path):
        self.path = Path(path)
        self.drafts: dict[str, str] = {}

    def check(self, source_lang: str, target_lang: str) -> None:
        if not self.path.is_file():
            raise InputError(f"{self.path}: no such draft file")

    def align(self, doc: Document, target_lang: str) -> tuple[Document, list[Suggestion]]:
        doc, self.drafts, notes = align_draft(doc, self.path, target_lang)
        return doc, notes

    async def translate(self, items: Sequence[Item], ctx: Context) -> EngineResult:
        return EngineResult({it.id: self.drafts.get(it.id, it.source) for it in items})


def _make(model: str = "", *, path: str | Path | None = None, **options: Any) -> Engine:
    if path is None:
        raise EngineError("use --draft FILE to post-edit an existing translation")
    return DraftEngine(Path(path))


register("draft", _make, usage="--draft FILE", by_model=False)
