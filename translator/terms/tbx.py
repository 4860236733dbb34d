"""TBX-Basic import and export, for CAT tools (memoQ, Trados, Phrase …).

Export writes TBX-Basic in the TBX 2 (`martif`) layout most tools read. One
`termEntry` per glossary entry: the source term (with its part of speech),
the target as preferred term, each forbidden variant as a deprecated term.
Our flags without a TBX-Basic data category (do not translate, case
sensitive) travel in a `<note>` starting with "translator:".

Import reads TBX 2 (`martif`/`termEntry`/`langSet`/`tig`) and TBX 3
(`tbx`/`conceptEntry`/`langSec`/`termSec`, namespaced or not): for each entry,
the first non-deprecated term of each language; deprecated target terms
become forbidden variants.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from translator.errors import GlossaryError
from translator.terms.glossary import Glossary, Term

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FLAGS_PREFIX = "translator:"
DEPRECATED = {"deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecated", "forbidden", "notrecommended"}


def write_tbx(glossary: Glossary, path: str | Path) -> None:
    """Write a glossary as TBX-Basic (atomically)."""
    src, tgt = glossary.source_lang or "en", glossary.target_lang or "es"
    root = ET.Element("martif", {"type": "TBX-Basic", XML_LANG: src})
    header = ET.SubElement(root, "martifHeader")
    desc = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(desc, "p").text = f"Exported by translator from {', '.join(glossary.paths) or 'a glossary'}"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for i, term in enumerate(glossary.terms, 1):
        entry = ET.SubElement(body, "termEntry", {"id": f"t{i}"})
        if term.note:
            ET.SubElement(entry, "note").text = term.note
        flags = [name for name, on in (("do-not-translate", term.dnt), ("case-sensitive", term.case_sensitive)) if on]
        if flags:
            ET.SubElement(entry, "note").text = f"{FLAGS_PREFIX} {', '.join(flags)}"
        _tig(ET.SubElement(entry, "langSet", {XML_LANG: src}), term.source, term.pos, "")
        target_set = ET.SubElement(entry, "langSet", {XML_LANG: tgt})
        _tig(target_set, term.rendering, term.pos, "preferredTerm-admn-sts")
        for variant in term.forbidden:
            _tig(target_set, variant, term.pos, "deprecatedTerm-admn-sts")
    ET.indent(root)
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
    from translator.io.writer import write_bytes

    write_bytes(Path(path), data)


def read_tbx(path: str | Path, source_lang: str, target_lang: str) -> Glossary:
    """The entries of a TBX file that have a term in both languages."""
    path = Path(path)
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import parse as safe_parse

    try:  # no entity expansion (billion laughs), no external entities or DTDs fetched
        root = safe_parse(path, forbid_dtd=False, forbid_entities=True, forbid_external=True).getroot()
    except DefusedXmlException as e:
        raise GlossaryError(f"{path}: refused: the file declares XML entities or external references ({e}); "
                            "a TBX glossary needs none") from e
    except ET.ParseError as e:
        line = e.position[0] if getattr(e, "position", None) else 0
        raise GlossaryError(f"{path}, line {line}: not valid TBX/XML ({e})") from e
    except OSError as e:
        raise GlossaryError(f"{path}: cannot read ({e.strerror or e})") from e
    default_lang = _lang(root)
    terms: list[Term] = []
    for entry in root.iter():
        if _local(entry.tag) not in ("termEntry", "conceptEntry"):
            continue
        by_lang: dict[str, list[tuple[str, str, str]]] = {}
        for lang_set in entry:
            if _local(lang_set.tag) not in ("langSet", "langSec"):
                continue
            lang = (_lang(lang_set) or default_lang).split("-")[0].lower()
            for tig in lang_set:
                if _local(tig.tag) not in ("tig", "termSec", "ntig"):
                    continue
                by_lang.setdefault(lang, []).append(_read_tig(tig))
        src = [t for t in by_lang.get(source_lang, []) if t[2] not in DEPRECATED]
        tgt = by_lang.get(target_lang, [])
        good = [t for t in tgt if t[2] not in DEPRECATED]
        if not src or not good:
            continue
        notes = [(n.text or "").strip() for n in entry.iter() if _local(n.tag) in ("note", "descrip")]
        flags = " ".join(n[len(FLAGS_PREFIX):] for n in notes if n.startswith(FLAGS_PREFIX))
        note = "; ".join(n for n in notes if n and not n.startswith(FLAGS_PREFIX))
        dnt = "do-not-translate" in flags
        terms.append(Term(src[0][0], good[0][0], note, src[0][1] or good[0][1], "case-sensitive" in flags,
                          dnt, tuple(t[0] for t in tgt if t[2] in DEPRECATED), f"{path}, entry {entry.get('id', '')}"))
    return Glossary(source_lang, target_lang, tuple(terms), (str(path),))


def _tig(parent: ET.Element, text: str, pos: str, status: str) -> None:
    tig = ET.SubElement(parent, "tig")
    ET.SubElement(tig, "term").text = text
    if pos:
        ET.SubElement(tig, "termNote", {"type": "partOfSpeech"}).text = pos
    if status:
        ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status


def _read_tig(tig: ET.Element) -> tuple[str, str, str]:
    text = pos = status = ""
    for child in tig.iter():
        name = _local(child.tag)
        if name == "term" and not text:
            text = "".join(child.itertext()).strip()
        elif name == "termNote":
            kind = child.get("type", "")
            if kind == "partOfSpeech":
                pos = (child.text or "").strip()
            elif kind in ("administrativeStatus", "normativeAuthorization"):
                status = (child.text or "").strip().lower()
    return text, pos, status


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _lang(el: ET.Element) -> str:
    return el.get(XML_LANG) or el.get("lang") or ""
