"""The editor's word is final: edits made by hand in an output survive
re-runs and are learned.

Every output written with a memory is recorded: its bytes and hash, and per
segment the source and the text we wrote. On a re-run, an output whose hash
is not what we wrote was changed by hand. Both versions (ours, from the
record, and the editor's, from the disk) are parsed by the same reader and
aligned to the source through the document structure (blocks, then
sentences: review.align_blocks, as --draft does), so the comparison is like
with like; every sentence (or block, where the editor split or merged
sentences) that differs is kept as the editor wrote it, status "edited", and
learned into the memory as an approved human translation. An edit whose
markup cannot be mapped back to the source's is kept as text, its markup
restored from the source, and flagged for the editor.
"""

from __future__ import annotations

import hashlib
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from translator.document import Document, Segment, Suggestion, Translation, strip_placeholders
from translator.errors import TranslatorError
from translator.memory.inline import fix_markup as fix_markup  # re-exported: callers find it here
from translator.memory.inline import keep_as_text, markup_intact

_SCHEMA = (
    """create table if not exists outputs (
        path text primary key, source_path text not null, source_lang text not null,
        target_lang text not null, format text not null, sha256 text not null,
        content blob not null, written real not null)""",
    """create table if not exists written (
        path text not null, seq integer not null, id text not null,
        source text not null, target text not null, primary key (path, seq))""",
    """create table if not exists edits (
        source_lang text not null, target_lang text not null, source text not null,
        mt text not null, edited text not null, path text not null, created real not null,
        primary key (source_lang, target_lang, source, mt, edited))""",
)


def _db(memory):
    db = getattr(memory, "db", None)
    if db is not None and not getattr(memory, "_edits_schema", False):
        for stmt in _SCHEMA:
            db.execute(stmt)
        db.commit()
        memory._edits_schema = True
    return db


def _key(path: Path) -> str:
    return str(path.resolve())


@dataclass(frozen=True)
class Edit:
    id: str
    mt: str  # what we wrote
    text: str  # what the editor wrote (placeholders numbered as in the source)
    intact: bool = True  # False: the markup could not be mapped back


@dataclass
class Recovered:
    doc: Document  # re-segmented where an edited block is kept whole
    edits: dict[str, Edit] = field(default_factory=dict)
    notes: list[Suggestion] = field(default_factory=list)

    @property
    def texts(self) -> dict[str, str]:
        return {sid: e.text for sid, e in self.edits.items()}


# --- recording what we wrote -----------------------------------------------------


def record(memory, output: Path, source: Path, doc: Document, texts: dict[str, str], data: bytes,
           target_lang: str, fmt: str) -> None:
    """Remember what was written to `output` (called after every write)."""
    db = _db(memory)
    if db is None:
        return
    key = _key(output)
    db.execute("delete from written where path = ?", (key,))
    db.execute(
        "insert or replace into outputs values (?, ?, ?, ?, ?, ?, ?, ?)",
        (key, str(source.resolve()), doc.source_lang, target_lang,
         fmt, hashlib.sha256(data).hexdigest(), zlib.compress(data), time.time()),
    )
    db.executemany(
        "insert into written values (?, ?, ?, ?, ?)",
        [(key, k, s.id, s.source, texts.get(s.id, s.source)) for k, s in enumerate(doc.segments)],
    )
    db.commit()


def written(memory, output: Path) -> tuple[str, bytes, str] | None:
    """(sha256, bytes, format) of what we last wrote to `output`, if recorded."""
    db = _db(memory)
    if db is None:
        return None
    row = db.execute("select sha256, content, format from outputs where path = ?", (_key(output),)).fetchone()
    return (row[0], zlib.decompress(row[1]), row[2]) if row else None


def written_from(memory, output: Path) -> str | None:
    """The source file (resolved path) `output` was last written from, if recorded."""
    db = _db(memory)
    if db is None:
        return None
    row = db.execute("select source_path from outputs where path = ?", (_key(output),)).fetchone()
    return row[0] if row else None


def edit_history(memory, source_lang: str, target_lang: str) -> list[tuple[str, str, str]]:
    """Every (source, MT, edit) recorded for a language pair, oldest first."""
    db = _db(memory)
    if db is None:
        return []
    return list(db.execute(
        "select source, mt, edited from edits where source_lang = ? and target_lang = ? order by created",
        (source_lang, target_lang)))


def learn(memory, source_lang: str, target_lang: str, edits: list[Edit], sources: dict[str, str], where: str,
          origin: str = "human") -> int:
    """Edits become approved translations (origin "human"; "human-markup"
    when their markup had to be restored); every edit is kept in the
    history `glossary suggest` reads."""
    db = _db(memory)
    if db is None:
        return 0
    now = time.time()
    db.executemany(
        "insert or replace into edits values (?, ?, ?, ?, ?, ?, ?)",
        [(source_lang, target_lang, sources[e.id], e.mt, e.text, where, now) for e in edits if e.mt and e.mt != e.text],
    )
    db.commit()
    n = memory.put_human(source_lang, target_lang, [(sources[e.id], e.text) for e in edits if e.intact],
                         origin=origin)
    # the editor's words with restored markup: kept on the next run too (they were flagged on this one)
    return n + memory.put_human(source_lang, target_lang, [(sources[e.id], e.text) for e in edits if not e.intact],
                                origin=origin + "-markup")


# --- finding the edits -----------------------------------------------------------


async def prepare(memory, doc: Document, output: Path, target_lang: str) -> tuple[Document, Recovered | None]:
    """Before translating: paragraphs an editor rewrote as a whole (sentences
    merged or split) are kept whole when the memory has their approved
    translation; then the editor's changes to `output`, if any."""
    doc = _whole_approved(memory, doc, target_lang)
    recovered = await recover(memory, doc, output, target_lang)
    return (recovered.doc if recovered else doc), recovered


def whole_blocks(doc: Document) -> frozenset[int]:
    """Blocks of `doc` that were segmented as one unit although they hold several sentences."""
    from translator.segment.segmenter import segment_document

    mine = _by_block(doc.segments)
    single = [b for b, segs in mine.items() if len(segs) == 1]
    if not single:
        return frozenset()
    split = _by_block(segment_document(doc, doc.source_lang).segments)
    return frozenset(b for b in single if len(split.get(b, [])) > 1)


def _whole_approved(memory, doc: Document, target_lang: str) -> Document:
    from translator.segment.segmenter import segment_document, whole_block_segments

    multi = {b for b, segs in _by_block(doc.segments).items() if len(segs) > 1}
    if not multi or getattr(memory, "db", None) is None:
        return doc
    # only those blocks: segmenting the whole document again split every other
    # block into sentences a second time before the first request
    sources = {s.block: s.source for s in whole_block_segments(doc, frozenset(multi), doc.source_lang)}
    found = memory.get_human(doc.source_lang, target_lang, sources.values())
    keep = frozenset(b for b, src in sources.items() if src in found)
    return segment_document(doc, doc.source_lang, keep) if keep else doc


async def recover(memory, doc: Document, output: Path, target_lang: str) -> Recovered | None:
    """The editor's changes to `output` since we wrote it, aligned to `doc`'s
    segments; None when the file is as we wrote it (or we never wrote it).
    The memory is read here, on the caller's thread; the parsing in a worker."""
    import asyncio

    if not output.is_file():
        return None
    rec = written(memory, output)
    if rec is None:
        return None
    sha, old_bytes, fmt = rec
    try:
        new_bytes = output.read_bytes()
    except OSError as e:
        raise TranslatorError(f"{output}: cannot read it to keep your edits ({e.strerror})") from None
    if hashlib.sha256(new_bytes).hexdigest() == sha or fmt != doc.format:
        return None
    from translator.io.encoding import decode

    try:
        old = decode(old_bytes, str(output)).text
        new = decode(new_bytes, str(output)).text
        return await asyncio.to_thread(diff, doc, old, new, target_lang, str(output))
    except TranslatorError as e:
        raise TranslatorError(
            f"{output}: was changed by hand, but {e}; nothing was written (--overwrite replaces it)") from None


def diff(doc: Document, old: str, new: str, target_lang: str, where: str = "") -> Recovered:
    """What changed from `old` (our output) to `new` (the editor's), per
    source segment of `doc`."""
    from translator.segment.segmenter import segment_document

    before, _ = _units(doc, old, target_lang)
    after, added = _units(doc, new, target_lang)
    if added:
        raise TranslatorError(
            f"your edits added text with no counterpart in the source ({'; '.join(added[:3])}); "
            "it cannot be kept in a translation of that source: add it to the source, or move it")
    sent, whole = _changes(before, after)
    if whole:
        doc = segment_document(doc, doc.source_lang, frozenset(whole) | whole_blocks(doc))
    by_block = _by_block(doc.segments)
    edits: dict[str, Edit] = {}
    for (block, k), (mt, text) in sent.items():
        segs = by_block.get(block, [])
        if block not in whole and k < len(segs):
            edits[segs[k].id] = _edit(segs[k], mt, text, doc.source_lang, target_lang)
    for block, (mt, text) in whole.items():
        segs = by_block.get(block, [])
        if len(segs) == 1:
            edits[segs[0].id] = _edit(segs[0], mt, text, doc.source_lang, target_lang)
    removed = [by_block[block][0].id for block in before.keys() - after.keys() if by_block.get(block)]
    return Recovered(doc, edits, _diff_notes(removed, edits))


def _changes(before: dict[int, _Block], after: dict[int, _Block]
             ) -> tuple[dict[tuple[int, int], tuple[str, str]], dict[int, tuple[str, str]]]:
    """The sentences changed ((block, k) → (ours, the editor's)) and the blocks changed as a whole."""
    sent: dict[tuple[int, int], tuple[str, str]] = {}
    whole: dict[int, tuple[str, str]] = {}
    for block, b in before.items():
        a = after.get(block)
        if a is None:
            continue  # the editor removed the block: it is translated again (reported)
        if b.sentences is not None and a.sentences is not None:
            for k, (x, y) in enumerate(zip(b.sentences, a.sentences)):
                if x != y:
                    sent[(block, k)] = (x, y)
        elif b.whole != a.whole:
            whole[block] = (b.whole, a.whole)
    return sent, whole


_MARKUP_PUT_BACK = ("Your edit changed the markup (a link, emphasis, code …) in a way that cannot be mapped back "
                    "to the source's; your words are kept and the source's markup was put back: check where it sits "
                    "(`translator learn SOURCE OUTPUT` approves the output as it is).")


def _diff_notes(removed: list[str], edits: dict[str, Edit]) -> list[Suggestion]:
    """A note per paragraph the editor removed (by its first segment's id) and per edit whose markup was put back."""
    notes = [Suggestion(
        sid, "accuracy", "major", "", "",
        "This paragraph was missing from your edited output; it was translated again.", "check", "open",
        "edit-removed") for sid in removed]
    for e in edits.values():
        if not e.intact:
            notes.append(Suggestion(e.id, "markup", "major", e.text, "", _MARKUP_PUT_BACK, "check", "open",
                                    "edit-markup"))
    return notes


@dataclass(frozen=True)
class _Block:
    sentences: list[str] | None  # per source sentence, when the counts agree
    whole: str  # the block as one unit


def _units(doc: Document, text: str, target_lang: str) -> tuple[dict[int, _Block], list[str]]:
    """A translation of `doc` (same format), aligned to it: per source block,
    its text per source sentence (when the sentence counts agree) and whole,
    placeholders numbered as in the source."""
    from translator.io import reader
    from translator.engines.draft import renumber
    from translator.qa.review import align_blocks
    from translator.segment.segmenter import segment_document

    out = reader.parse(text, doc.format, source_lang=target_lang)
    if [b.kind for b in out.blocks] == [b.kind for b in doc.blocks]:  # the structure we wrote: block for block
        pairs = {b.index: b.index for b in doc.blocks}
    else:  # the editor added or removed blocks: align by content
        pairs = {i: j for i, j in align_blocks(doc, out, target_lang) if i is not None and j is not None}
    mine = _by_block(doc.segments)
    theirs = _by_block(out.segments)
    doc_w = segment_document(doc, doc.source_lang, frozenset(pairs))
    out_w = segment_document(out, target_lang, frozenset(pairs.values()))
    mine_w, theirs_w = _by_block(doc_w.segments), _by_block(out_w.segments)
    result: dict[int, _Block] = {}
    for i, j in pairs.items():
        a, b = mine.get(i, []), theirs.get(j, [])
        if not a:
            continue
        sentences = [renumber(doc, s, out, d) for s, d in zip(a, b)] if len(a) == len(b) else None
        aw, bw = mine_w.get(i, []), theirs_w.get(j, [])
        whole = renumber(doc_w, aw[0], out_w, bw[0]) if len(aw) == 1 and len(bw) == 1 else \
            " ".join(x.source for x in bw)
        result[i] = _Block(sentences, whole)
    paired = set(pairs.values())
    added = [f"“{_clip(' '.join(strip_placeholders(x.source) for x in segs))}”"
             for j, segs in theirs.items() if j not in paired]
    return result, added


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def _by_block(segments) -> dict[int, list[Segment]]:
    out: dict[int, list[Segment]] = {}
    for s in segments:
        out.setdefault(s.block, []).append(s)
    return out


def _edit(seg: Segment, mt: str, text: str, source_lang: str, target_lang: str) -> Edit:
    """The editor's text; where its markup cannot be mapped back, the words
    kept and a link (emphasis …) it lost put around the words that translate
    the source's («[informe técnico](…)», as for a --draft), else kept as text."""
    if markup_intact(seg, text):
        return Edit(seg.id, mt, text)
    from translator.engines.draft_pairs import wrap

    placed, _ = wrap(seg, text, source_lang or "en", target_lang)
    return Edit(seg.id, mt, keep_as_text(seg, placed), intact=False)


def prefer(memory, doc: Document, target_lang: str, cached: dict[str, str], recovered: Recovered | None) -> dict[str, str]:
    """What is done already, best first: the editor's edits in this output,
    then approved human translations (whatever the engine), then the
    machine memory."""
    human = memory.get_human(doc.source_lang, target_lang, [s.source for s in doc.segments])
    done = dict(cached)
    done.update({s.id: human[s.source] for s in doc.segments if s.source in human})
    if recovered:
        done.update(recovered.texts)
    return done


def markup_put_back(memory, doc: Document, target_lang: str, texts: dict[str, str],
                    recovered: Recovered | None) -> list[Suggestion]:
    """A note per segment written from an editor's approved translation whose
    markup the tool put back (origin "…-markup"), on every run until the
    editor approves it as it is: the note of the run that restored it is not
    the last word (the next run finds the output as written, no edit)."""
    this_run = set(recovered.edits) if recovered else set()
    sources = {s.id: s.source for s in doc.segments if s.id in texts and s.id not in this_run}
    if not sources:
        return []
    origins = memory.human_origins(doc.source_lang, target_lang, sources.values()) \
        if hasattr(memory, "human_origins") else {}
    return [Suggestion(sid, "markup", "major", texts[sid], "", _MARKUP_PUT_BACK, "check", "open", "edit-markup")
            for sid, src in sources.items()
            if src in origins and origins[src][1].endswith("-markup") and origins[src][0] == texts[sid]]


def after_write(memory, output: Path, source: Path, doc: Document, texts: dict[str, str], data: bytes,
                target_lang: str, fmt: str, recovered: Recovered | None) -> None:
    """Record what was written; learn the edits it keeps."""
    record(memory, output, source, doc, texts, data, target_lang, fmt)
    if recovered and recovered.edits:
        sources = {s.id: s.source for s in doc.segments}
        learn(memory, doc.source_lang, target_lang, list(recovered.edits.values()), sources, str(output))


def mark(outcome, recovered: Recovered | None) -> int:
    """Give the kept segments their status and notes; returns how many."""
    if not recovered or not recovered.edits:
        if recovered:
            outcome.suggestions.extend(recovered.notes)
        return 0
    for sid, e in recovered.edits.items():
        outcome.translations[sid] = Translation(sid, e.text, "edited")
    outcome.suggestions.extend(recovered.notes)
    return len(recovered.edits)
