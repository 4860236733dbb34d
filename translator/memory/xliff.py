"""XLIFF 1.2 for CAT tools (OmegaT, memoQ, Trados …), through translate-toolkit.

`translate --xliff` writes STEM.LANG.xlf beside the output: one trans-unit
per segment, the machine translation as target (state
needs-review-translation; "translated" for what an editor already
approved), open findings as notes. Our placeholders become XLIFF inline
codes, not text: a pair whose two halves are in the segment is `<g id>`, a
half whose partner is in another sentence `<bx/>`/`<ex/>`, single markup
`<x/>`; `ctype` says what it is (bold, italic, link, x-code …). Reading
back also accepts `<bpt>/<ept>/<ph>/<it>`, which some tools write instead.

`translator xliff import FILE.xlf` rebuilds the document from the targets
(markup restored from the source, the structure gate as for any output)
and learns the targets an editor changed or approved.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import Any
from pathlib import Path

from translator import formats
from translator.document import PLACEHOLDER_RE, Document, Segment
from translator.errors import InputError, TranslatorError
from translator.memory.inline import nested_pairs as _nested_pairs

_CTYPE = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "u": "underlined", "a": "link",
          "link": "link", "img": "image", "image": "image", "br": "lb"}


# --- placeholders ⇄ translate-toolkit rich strings ------------------------------


def to_rich(text: str, seg: Segment | None = None):
    """A segment text with placeholders → a StringElem with XLIFF placeables."""
    from translate.storage.placeables import StringElem
    from translate.storage.placeables import xliff as xp

    labels = {str(c.n): c.label for c in seg.codes} if seg is not None else {}

    def attrs(n: str) -> dict:
        label = labels.get(n, "")
        ctype = _CTYPE.get(label) or ("x-" + "".join(ch for ch in label if ch.isalnum() or ch == "-") if label else "")
        return {"ctype": ctype} if ctype and ctype != "x-" else {}

    pairs = _nested_pairs(text)
    root: list = []
    stack: list[tuple[Any, list]] = []
    current = root
    pos = 0
    for m in PLACEHOLDER_RE.finditer(text):
        if m.start() > pos:
            current.append(text[pos:m.start()])
        pos = m.end()
        close, n, void = m.group(1), m.group(2), m.group(3)
        if void:
            current.append(xp.X(id=n, xml_attrib=attrs(n)))
        elif n in pairs and not close:
            g = xp.G(id=n, sub=[], xml_attrib=attrs(n))
            stack.append((g, current))
            current = g.sub
        elif n in pairs:
            g, parent = stack.pop()
            if not g.sub:
                g.sub.append("")
            parent.append(g)
            current = parent
        elif close:
            current.append(xp.Ex(id=n, xml_attrib=attrs(n)))
        else:
            current.append(xp.Bx(id=n, xml_attrib=attrs(n)))
    if pos < len(text):
        current.append(text[pos:])
    return StringElem(root)


def from_rich(elem) -> str:
    """A StringElem read by translate-toolkit → text with our placeholders."""
    from translate.storage.placeables import StringElem
    from translate.storage.placeables import xliff as xp

    if isinstance(elem, str):
        return elem
    if isinstance(elem, xp.G):
        return f"<{elem.id}>" + "".join(from_rich(s) for s in elem.sub) + f"</{elem.id}>"
    if isinstance(elem, xp.X):
        return f"<{elem.id}/>"
    if isinstance(elem, xp.Bx):
        return f"<{elem.id}>"
    if isinstance(elem, xp.Ex):
        return f"</{elem.id}>"
    if isinstance(elem, xp.UnknownXML):
        node = elem.xml_node
        tag = node.tag.rsplit("}", 1)[-1]
        n = node.get("id") or node.get("rid") or node.get("i") or node.get("x")
        if tag == "bpt" or (tag == "it" and node.get("pos") == "open"):
            return f"<{n}>"
        if tag == "ept" or (tag == "it" and node.get("pos") == "close"):
            return f"</{node.get('rid') or n}>"  # an <ept>'s rid names its <bpt>
        if tag == "ph":
            return f"<{n}/>"
        if tag == "mrk":
            return "".join(from_rich(s) for s in elem.sub)
        return ""
    if isinstance(elem, StringElem):
        return "".join(from_rich(s) for s in elem.sub)
    return str(elem)


# --- export --------------------------------------------------------------------


def xliff_path(output: Path) -> Path:
    return output.with_name(output.stem + ".xlf")


def write_xliff(doc: Document, outcome, output: Path, target_lang: str) -> Path:
    """STEM.LANG.xlf beside `output`, one unit per segment of `doc`."""
    from translate.storage import xliff

    path = xliff_path(output)
    store: Any = xliff.xlifffile(sourcelanguage=doc.source_lang, targetlanguage=target_lang)
    source = Path(doc.path or "")
    try:
        original = os.path.relpath(source.resolve(), path.parent.resolve())
    except ValueError:  # another drive
        original = str(source.resolve())
    store.switchfile(original, createifmissing=True)
    store.getfilenode(original).set("datatype", formats.get(doc.format).xliff_datatype)
    notes = _open_notes(outcome.suggestions)
    for seg in doc.segments:
        _add_unit(store, seg, outcome.translations.get(seg.id), target_lang, notes.get(seg.id, []))
    buf = io.BytesIO()
    store.serialize(buf)
    from translator.io.writer import write_bytes

    # translate-toolkit writes 1.1; what we write is valid 1.2, which more tools expect
    data = buf.getvalue().replace(b'xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1"',
                                  b'xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"', 1)
    write_bytes(path, data)
    return path


def _open_notes(suggestions: list[Any]) -> dict[str, list[str]]:
    """The open issues of each segment, as notes for the translator."""
    notes: dict[str, list[str]] = {}
    for s in suggestions:
        if s.status == "open":
            fix = f" → {s.suggestion}" if s.suggestion else ""
            notes.setdefault(s.id, []).append(f"{s.severity} {s.category}: {s.explanation}{fix}")
    return notes


def _add_unit(store: Any, seg: Segment, t: Any, target_lang: str, notes: list[str]) -> None:
    """One unit: the segment's source and translation (`t`, None: the source) with inline codes;
    an editor's text is translated, the rest needs review."""
    unit = store.UnitClass("")
    unit.setid(seg.id)
    store.addunit(unit)
    unit.xmlelement.set("extradata", f"block:{seg.block}")
    unit.rich_source = [to_rich(seg.source, seg)]
    unit.set_rich_target([to_rich(t.text if t else seg.source, seg)], lang=target_lang)
    unit.set_state_n(unit.S_TRANSLATED if t is not None and t.status == "edited" else unit.S_NEEDS_REVIEW)
    for note in notes:
        unit.addnote(note, origin="translator")


# --- import --------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    id: str
    source: str
    target: str
    block: int | None
    approved: bool  # the CAT tool says translated / signed off / final


@dataclass
class Imported:
    source: Path
    output: Path
    units: int
    changed: int
    learned: int
    repaired: list[str]  # unit ids whose inline codes were put back from the source


def read_units(path: Path) -> tuple[dict[str, str], list[Unit]]:
    """The file's attributes (original, source/target language) and units.
    The XML is parsed with entities unresolved and no network (translate-
    toolkit's safe parser)."""
    from translate.storage import xliff

    from translator.memory.inline import read_store

    store = read_store(path, xliff.xlifffile.parsestring, "XLIFF")
    files = store.getfilenames()
    if len(files) != 1:
        raise InputError(f"{path}: holds {len(files)} <file> elements; one newsletter per XLIFF file is supported")
    info = {"original": files[0], "source_lang": store.getsourcelanguage() or "",
            "target_lang": store.gettargetlanguage() or ""}
    units = []
    for u in store.getunits():
        if u.isheader():
            continue
        try:
            units.append(_unit(u))
        except Exception as e:  # e.g. an entity reference (entities are never expanded)
            raise InputError(f"{path}: trans-unit {u.getid().split(chr(4))[-1]!r} cannot be read "
                             f"({type(e).__name__}: {e})") from None
    return info, units


def _unit(u) -> Unit:
    extra = u.xmlelement.get("extradata", "")
    block = int(extra[6:]) if extra.startswith("block:") and extra[6:].isdigit() else None
    target_dom = u.get_target_dom()
    target = from_rich(u.rich_target[0]) if target_dom is not None else ""
    state = target_dom.get("state", "") if target_dom is not None else ""
    approved = u.isapproved() or state in ("translated", "signed-off", "final")
    return Unit(u.getid().split("\x04")[-1], from_rich(u.rich_source[0]), target, block, approved)


def import_xliff(path: Path, out_dir: Path | None, memory: Any, fmt: str | None = None,
                 overwrite: bool = False) -> Imported:
    """Write the document from the XLIFF's targets and learn them."""
    from translator.formats import localise
    from translator.formats.assemble import assemble
    from translator.io import writer
    from translator.io.encoding import encode
    from translator.memory import edits
    from translator.qa.gate import verify_structure as _verify

    source, doc, tgt, units = _source_of(path, fmt)
    by_id = {u.id: u for u in units}
    output = writer.output_path(source, doc.source_lang, tgt, out_dir or path.parent, doc.format)
    if output.resolve() == source.resolve():
        raise InputError(f"{path}: the output would overwrite the source {source}; use --out DIR")
    mt = _what_we_wrote(memory, edits, output, doc)
    texts, repaired = _targets(doc, by_id, mt)
    built = assemble(doc, texts, tgt)
    if built.kept_source:
        raise TranslatorError(
            f"{path}: the inline codes of unit(s) {', '.join(built.kept_source)} do not match their source's; "
            "fix them in the CAT tool (nothing was written)")
    if formats.get(doc.format).markup:
        _verify(doc, built.text)
    # the document declares its language as `translate` writes it (<html lang="es">)
    data = encode(localise.set_language(built.text, doc.text, doc.format, doc.source_lang, tgt), doc.encoding)
    if output.exists() and not overwrite:
        _refuse_changed(memory, output)
    writer.write_bytes(output, data)
    learned, changed = _learn(memory, path, doc, tgt, by_id, mt, texts, repaired)
    edits.record(memory, output, source, doc, texts, data, tgt, doc.format)
    return Imported(source, output, len(units), changed, learned, repaired)


def _source_of(path: Path, fmt: str | None) -> tuple[Path, Document, str, list[Unit]]:
    """The source file the XLIFF names, read and segmented as it was; the target language; the units."""
    from translator.io import reader
    from translator.segment.segmenter import segment_document

    info, units = read_units(path)
    original = Path(info["original"])
    source = original if original.is_absolute() else (path.parent / original)
    if not source.is_file():
        raise InputError(f"{path}: its source {source} is not there (the XLIFF names it as {info['original']!r})")
    src_lang, tgt = info["source_lang"], info["target_lang"]
    if not tgt:
        raise InputError(f"{path}: no target-language in the XLIFF file")
    doc = _matching_document(reader, segment_document, source, src_lang, units, fmt)
    if doc is None:
        raise InputError(f"{path}: its units do not match {source} any more (the source changed since the XLIFF "
                         "was written); translate it again with --xliff")
    return source, doc, tgt, units


def _targets(doc: Document, by_id: dict[str, Unit], mt: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The text per segment, and the ids whose inline codes did not match the source's (the words
    kept, the markup restored). An empty target (not translated in the CAT tool) keeps what we
    wrote, else the source."""
    from translator.memory.inline import fix_markup

    texts = {s.id: (by_id[s.id].target or mt.get(s.id) or s.source) for s in doc.segments}
    repaired = []
    for seg in doc.segments:
        fixed = fix_markup(seg, texts[seg.id])
        if fixed != texts[seg.id]:
            texts[seg.id] = fixed
            repaired.append(seg.id)
    return texts, repaired


def _refuse_changed(memory: Any, output: Path) -> None:
    """An existing output is replaced only when it is what we wrote."""
    import hashlib

    from translator.memory import edits

    rec = edits.written(memory, output)
    if rec is None or hashlib.sha256(output.read_bytes()).hexdigest() != rec[0]:
        raise InputError(f"{output}: was changed since it was written (or not written by us); importing would "
                         "replace it: use --overwrite, or --out DIR")


def _learn(memory: Any, path: Path, doc: Document, tgt: str, by_id: dict[str, Unit], mt: dict[str, str],
           texts: dict[str, str], repaired: list[str]) -> tuple[int, int]:
    """Learn the targets the editor changed (or, with no record of ours,
    approved) and those approved as they were; returns (learned, changed)."""
    from translator.memory import edits

    changed: list[edits.Edit] = []
    approved: list[edits.Edit] = []
    for seg in doc.segments:
        unit = by_id[seg.id]
        if not unit.target:
            continue
        if seg.id in mt and mt[seg.id] != texts[seg.id]:
            changed.append(edits.Edit(seg.id, mt[seg.id], texts[seg.id], seg.id not in repaired))
        elif unit.approved:
            approved.append(edits.Edit(seg.id, mt.get(seg.id, ""), texts[seg.id], seg.id not in repaired))
    sources = {s.id: s.source for s in doc.segments}
    learned = edits.learn(memory, doc.source_lang, tgt, changed + approved, sources, str(path), origin="human")
    return learned, len(changed)


def _matching_document(reader, segment_document, source: Path, src_lang: str, units: list[Unit], fmt):
    """The source read as it was when the XLIFF was written: same segment
    ids and sources (tags translated or not; blocks kept whole where they were)."""
    want = [(u.id, u.source) for u in units]
    for lists in (False, True):
        doc = reader.read(source, fmt=fmt, source_lang=src_lang or None, translate_lists=lists)
        if [(s.id, s.source) for s in doc.segments] == want:
            return doc
        per_block: dict[int, int] = {}
        for u in units:
            if u.block is not None:
                per_block[u.block] = per_block.get(u.block, 0) + 1
        counts: dict[int, int] = {}
        for s in doc.segments:
            counts[s.block] = counts.get(s.block, 0) + 1
        whole = frozenset(b for b, n in per_block.items() if n == 1 and counts.get(b, 0) > 1)
        if whole:
            doc = segment_document(doc, doc.source_lang, whole)
            if [(s.id, s.source) for s in doc.segments] == want:
                return doc
    return None


def _what_we_wrote(memory, edits, output: Path, doc: Document) -> dict[str, str]:
    """Per segment id, the text we last wrote to `output` (when recorded and the source is the same)."""
    db = edits._db(memory)
    if db is None:
        return {}
    rows = db.execute("select id, source, target from written where path = ?", (edits._key(output),)).fetchall()
    sources = {s.id: s.source for s in doc.segments}
    return {sid: target for sid, source, target in rows if sources.get(sid) == source}
