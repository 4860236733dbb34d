"""TMX 1.4 that CAT tools read, through translate-toolkit.

Our placeholders become TMX inline codes, not text: a pair whose two halves
are in the segment is `<bpt i x/>…<ept i/>`, a half whose partner is in
another sentence `<it pos="begin|end" x/>`, single markup `<ph x/>`. Each
unit says where it came from (`<prop type="x-origin">` machine or human;
machine rows also carry their engine and memory key), so export → import
gives back the same memory. A TMX from a CAT tool (no x-origin) is taken as
approved human translations.
"""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree

from translator.document import PLACEHOLDER_RE



def _lang(code: str) -> str:
    return (code or "").replace("_", "-").split("-")[0].lower()


def _fill(seg, text: str) -> None:
    """Put `text` (with placeholders) into a TMX <seg> as text and inline codes."""
    from translator.memory.inline import nested_pairs as _nested_pairs

    for child in list(seg):
        seg.remove(child)
    seg.text = ""
    pairs = _nested_pairs(text)
    last = None
    pos = 0

    def add_text(s: str) -> None:
        if last is None:
            seg.text = (seg.text or "") + s
        else:
            last.tail = (last.tail or "") + s

    for m in PLACEHOLDER_RE.finditer(text):
        add_text(text[pos:m.start()])
        pos = m.end()
        close, n, void = m.group(1), m.group(2), m.group(3)
        if void:
            last = etree.SubElement(seg, "ph", x=n)
        elif n in pairs:
            last = etree.SubElement(seg, "ept" if close else "bpt", i=n) if close else \
                etree.SubElement(seg, "bpt", i=n, x=n)
        else:
            last = etree.SubElement(seg, "it", pos="end" if close else "begin", x=n)
    add_text(text[pos:])


def _read(seg) -> str:
    """A TMX <seg> → text with our placeholders (codes numbered by their x,
    else their i)."""
    out = [seg.text or ""]
    numbers: dict[str, str] = {}
    for child in seg:
        tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if tag == "bpt":
            n = child.get("x") or child.get("i") or ""
            numbers[child.get("i") or n] = n
            out.append(f"<{n}>")
        elif tag == "ept":
            out.append(f"</{numbers.get(child.get('i') or '', child.get('i') or '')}>")
        elif tag == "ph":
            out.append(f"<{child.get('x') or child.get('i') or ''}/>")
        elif tag == "it":
            n = child.get("x") or ""
            out.append(f"</{n}>" if child.get("pos") == "end" else f"<{n}>")
        elif tag == "hi":
            out.append(_read(child))
        out.append(child.tail or "")
    return "".join(out)


def renumber(source: str, target: str) -> tuple[str, str]:
    """Codes numbered 1, 2, … in their order in the source, as our segments
    number them (a CAT tool's TMX may number them otherwise)."""
    order: dict[str, str] = {}
    for m in PLACEHOLDER_RE.finditer(source):
        order.setdefault(m.group(2), str(len(order) + 1))

    def sub(m):
        n = order.get(m.group(2))
        return m.group(0) if n is None else f"<{m.group(1)}{n}{m.group(3)}>"

    return PLACEHOLDER_RE.sub(sub, source), PLACEHOLDER_RE.sub(sub, target)


def export_tmx(memory, out: Path) -> int:
    """Write every machine and human row of the memory; returns the number of units."""
    from translate.storage import tmx

    db = memory.db
    store = tmx.tmxfile()
    header = store.document.getroot().find("header")
    if header is not None:
        header.set("creationtool", "newsletter-translator")
        header.set("creationtoolversion", "1")
        header.set("o-tmf", "sqlite")
        langs = {sl for sl, in db.execute("select source_lang from tm union select source_lang from human")}
        header.set("srclang", langs.pop() if len(langs) == 1 else "*all*")
    rows = [("machine", key, engine, sl, tl, s, t) for key, engine, sl, tl, s, t in db.execute(
        "select key, engine, source_lang, target_lang, source, target from tm order by created")]
    rows += [(origin, "", "", sl, tl, s, t) for origin, sl, tl, s, t in db.execute(
        "select origin, source_lang, target_lang, source, target from human order by created")]
    for row in rows:
        _add_unit(store, *row)
    buf = io.BytesIO()
    store.serialize(buf)
    from translator.io.writer import write_bytes

    write_bytes(out, buf.getvalue())
    return len(rows)


def _add_unit(store, origin: str, key: str, engine: str, sl: str, tl: str, source: str, target: str) -> None:
    """One translation unit: its origin (and a machine row's engine and key) as props, inline codes as codes."""
    unit = store.addsourceunit(source, sl)
    unit.settarget(target, tl, append=True)
    tu = unit.xmlelement
    tu.attrib.pop("srclang", None)  # the header's (the source is the first tuv)
    props = [("x-origin", origin)] + ([("x-engine", engine), ("x-key", key)] if origin == "machine" else [])
    for i, (kind, value) in enumerate(props):
        prop = etree.Element("prop", type=kind)
        prop.text = value
        tu.insert(i, prop)
    tuvs = tu.findall("tuv")
    _fill(tuvs[0].find("seg"), source)
    _fill(tuvs[1].find("seg"), target)


def read_tmx(path: Path) -> list[dict]:
    """Units of a TMX file: {source_lang, target_lang, source, target, origin, engine, key}
    (parsed by translate-toolkit: entities unresolved, no network)."""
    from translate.storage import tmx

    from translator.memory.inline import read_store

    store = read_store(path, tmx.tmxfile.parsestring, "TMX")
    header = store.document.getroot().find("header")
    default_src = header.get("srclang", "") if header is not None else ""
    return [u for unit in store.getunits() for u in _units_of(unit.xmlelement, default_src)]


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _units_of(tu, default_src: str) -> list[dict]:
    """A <tu>'s pairs: its source tuv with each of the others."""
    tu.attrib.pop("srclang", None)  # the header's (the source is the first tuv)
    tuvs = [(tuv.get(_XML_LANG) or tuv.get("lang") or "", tuv.find("seg")) for tuv in tu.findall("tuv")]
    tuvs = [(lang, seg) for lang, seg in tuvs if seg is not None]
    if len(tuvs) < 2:
        return []
    src_code = tu.get("srclang") or default_src
    if src_code.lower() == "*all*":
        src_code = ""
    first = next((i for i, (lang, _) in enumerate(tuvs) if src_code and lang.lower() == src_code.lower()), 0)
    props = {p.get("type"): p.text or "" for p in tu.findall("prop")}
    src_lang, src_seg = tuvs[first]
    return [{
        "source_lang": _lang(src_lang), "target_lang": _lang(lang),
        "source": _read(src_seg), "target": _read(seg),
        "origin": props.get("x-origin") or "human", "engine": props.get("x-engine", ""),
        "key": props.get("x-key", ""),
    } for k, (lang, seg) in enumerate(tuvs) if k != first]


def import_tmx(memory, path: Path) -> tuple[int, int]:
    """Human units into the approved memory; our own machine rows back into
    the machine memory. Returns (human, machine) counts."""
    units = read_tmx(path)
    if memory.db is None:
        return 0, 0
    is_machine = [u["origin"] == "machine" and bool(u["key"]) and bool(u["engine"]) for u in units]
    machine = [u for u, m in zip(units, is_machine) if m]
    memory.put_many((u["key"], u["engine"], u["source_lang"], u["target_lang"], u["source"], u["target"])
                    for u in machine)
    human = 0
    by_origin: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for u, m in zip(units, is_machine):
        if m:
            continue
        u = {**u, **dict(zip(("source", "target"), renumber(u["source"], u["target"])))}
        if u["source"].strip() and u["target"].strip():
            by_origin.setdefault((u["source_lang"], u["target_lang"], u["origin"]), []).append((u["source"], u["target"]))
    for (sl, tl, origin), pairs in by_origin.items():
        human += memory.put_human(sl, tl, pairs, origin=origin if origin.startswith("human") else "human")
    return human, len(machine)
