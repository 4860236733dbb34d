"""Review any translation of a newsletter: ours, a person's, another engine's.

Both files are parsed by the same reader (the translation in the source's
format) and aligned through their structure, never by line numbers:

1. blocks, by a sequence alignment (dynamic programming, like difflib but
   scored) over what survives translation — block kind, inline markup,
   links, numbers and names, and length — so a dropped or added block
   does not shift everything after it;
2. within a pair of blocks, sentence by sentence when both have as many
   sentences, else the whole block as one unit.

The units then go through `checks`; the block structure adds what only it
can see: dropped and added blocks, dropped sentences, lost markup, changed
links, and front-matter keys. Without a source (target-only), the checks
that need none still run.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from translator import formats
from translator.qa import checks
from translator.document import (Block, Document, Markup, Segment, Suggestion, Text, dedupe, severity_at_least,
                                 strip_placeholders)
from translator.errors import InputError
from translator.report.build import count_words


@dataclass(frozen=True)
class Unit:
    """One aligned piece: a sentence pair, a whole block, or one side alone.
    `id` is the source segment id (the first one for a whole block); text
    only in the translation gets `t` + its own segment number ("t12")."""

    id: str
    block: int  # block index in the source (in the translation for added and target-only units)
    kind: str
    source: str | None
    target: str
    status: str  # "aligned" | "block" | "missing" | "added" | "target-only"
    source_ids: tuple[str, ...] = ()
    target_ids: tuple[str, ...] = ()


@dataclass
class Review:
    target: Document
    source: Document | None
    source_lang: str
    target_lang: str
    units: list[Unit]
    suggestions: list[Suggestion]
    blocks: list[tuple[int | None, int | None]] = field(default_factory=list)
    terms: object | None = None
    usage: dict = field(default_factory=dict)  # {step: {calls, prompt_tokens, completion_tokens}} (the critic)

    @property
    def words(self) -> int:
        texts = [u.source for u in self.units if u.source] if self.source else [u.target for u in self.units]
        return sum(count_words(t) for t in texts)

    def blocking(self, fail_on: str) -> list[Suggestion]:
        """Open suggestions at or above `fail_on`."""
        return [s for s in self.suggestions if s.status == "open" and severity_at_least(s.severity, fail_on)]

    def passed(self, fail_on: str = "critical") -> bool:
        return not self.blocking(fail_on)


# --- entry points --------------------------------------------------------------


def review_files(
    translation: Path,
    *,
    source: Path | None = None,
    target_lang: str,
    source_lang: str | None = None,
    glossary=None,
    fmt: str | None = None,
) -> Review:
    """Read and review a translation, against its source when given.
    `glossary` may be a function (source_lang, target_lang) → glossary, called
    once the source language is known. Raises InputError (and GlossaryError)."""
    from translator.io.reader import read

    if source is None:
        tgt = read(translation, fmt=fmt, source_lang=target_lang)
        if callable(glossary):
            glossary = glossary(source_lang or "en", target_lang)
        return review_target(tgt, target_lang, glossary)
    src = read(source, fmt=fmt, source_lang=source_lang)
    tgt = read(translation, fmt=src.format, source_lang=target_lang)
    if source_lang is None and src.source_lang == target_lang.split("-")[0] and _language(tgt) != src.source_lang:
        raise InputError(
            f"{source}: this looks like {checks.lang_name(src.source_lang)} already, the target language; "
            "were SOURCE and TRANSLATION swapped? (set --from to override)"
        )
    if callable(glossary):
        glossary = glossary(src.source_lang, target_lang)
    return review_documents(src, tgt, target_lang, glossary)


def _language(doc: Document) -> str:
    from translator.segment.language import detect

    return detect(" ".join(strip_placeholders(s.source) for s in doc.segments[:200]))


def review_target(tgt: Document, target_lang: str, glossary=None) -> Review:
    blocks = {b.index: b for b in tgt.blocks}
    units = [
        Unit(s.id, s.block, blocks[s.block].kind, None, s.source, "target-only", (), (s.id,))
        for s in tgt.segments
    ]
    pairs = [checks.Pair(u.id, None, u.target) for u in units]
    found = checks.check_pairs(pairs, "", target_lang, None)
    found.extend(_estimate(pairs, "", target_lang, glossary))
    notes, stats = glossary_review(glossary, pairs)
    found.extend(notes)
    return Review(tgt, None, "", target_lang, units, _dedupe(found), [(None, b.index) for b in tgt.blocks], stats)


def align_blocks(src: Document, tgt: Document, target_lang: str) -> list[tuple[int | None, int | None]]:
    """Source and translation blocks paired through the document structure
    (positions in `blocks_info` order, i.e. block indices); None on the
    side where a block has no counterpart. Also used by post-edit mode."""
    exp = checks.expected_ratio(src.source_lang or "en", target_lang)
    return align(blocks_info(src), blocks_info(tgt), lambda a, b: block_similarity(a, b, exp), threshold=0.5)


def review_documents(src: Document, tgt: Document, target_lang: str, glossary=None) -> Review:
    sl, tl = src.source_lang or "en", target_lang
    exp = checks.expected_ratio(sl, tl)
    sinfo, tinfo = blocks_info(src), blocks_info(tgt)
    alignment = align(sinfo, tinfo, lambda a, b: block_similarity(a, b, exp), threshold=0.5)
    units: list[Unit] = []
    found: list[Suggestion] = []
    reported_lost: Counter = Counter()
    reported_added: Counter = Counter()
    for i, j in alignment:
        a = sinfo[i] if i is not None else None
        b = tinfo[j] if j is not None else None
        if a is not None and b is not None and a.segs and b.segs:
            new_units, notes = _pair_blocks(a, b, exp)
            units.extend(new_units)
            found.extend(notes)
            anchor = a.segs[0].id
            found.extend(checks.compare_markup(anchor, a.tags, b.tags))
            link_notes = checks.compare_links(anchor, a.links, b.links)
            found.extend(_anchor_links(link_notes, a, b, src, tgt))
            reported_lost.update(Counter(a.links) - Counter(b.links))
            reported_added.update(Counter(b.links) - Counter(a.links))
        elif a is not None and a.segs:
            units.append(Unit(a.segs[0].id, a.block.index, a.block.kind, a.text_ph, "", "missing",
                              tuple(s.id for s in a.segs), ()))
            found.append(checks._s(
                a.segs[0].id, "accuracy", "critical" if a.words >= 40 else "major", "", a.plain,
                f"Block missing from the translation ({a.block.kind}, {a.words} words): "
                f"“{checks._clip(a.plain)}”.", "dropped-block"))
            reported_lost.update(a.links)
        elif b is not None and b.segs:
            uid = "t" + b.segs[0].id[1:]
            units.append(Unit(uid, b.block.index, b.block.kind, None, b.text_ph, "added", (),
                              tuple(s.id for s in b.segs)))
            found.append(checks._s(
                uid, "accuracy", "major" if b.words >= 20 else "minor", b.text_ph, "",
                f"Block in the translation with no counterpart in the source ({b.block.kind}): "
                f"“{checks._clip(b.plain)}”.", "added-block"))
            reported_added.update(b.links)
    pairs = [checks.Pair(u.id, u.source if u.status != "added" else None, u.target)
             for u in units if u.status != "missing"]
    checked = checks.check_pairs(pairs, sl, tl, None)
    checked.extend(_estimate(pairs, sl, tl, glossary))
    notes, stats = glossary_review(glossary, pairs)
    checked.extend(notes)
    dropped = {f.id for f in found if f.check == "dropped-sentence" and f.severity != "minor"}
    found.extend(f for f in checked if not (f.check == "length" and f.id in dropped))  # said already
    found.extend(_document_links(src, tgt, reported_lost, reported_added))
    if formats.get(src.format).front_matter:
        found.extend(checks.frontmatter_keys(src.text, tgt.text))
    from translator.qa.unsafe import findings as unsafe_findings  # markup that can run code, not in the source

    found.extend(unsafe_findings(src.text, tgt.text, src.format))
    return Review(tgt, src, sl, tl, units, _dedupe(found), alignment, stats)


def _estimate(pairs, sl: str, tl: str, glossary) -> list[Suggestion]:
    """The quality estimate's own findings (qe: non-words, wrong-language
    sentences, copies, repetition, agreement, adequacy)."""
    from translator.qa import qe

    return qe.signals_for_pairs(pairs, sl, tl, glossary=glossary)[0]


def _pair_blocks(a: BlockInfo, b: BlockInfo, exp: float) -> tuple[list[Unit], list[Suggestion]]:
    kind, index = a.block.kind, a.block.index
    if len(a.segs) == len(b.segs):
        return [
            Unit(s.id, index, kind, s.source, t.source, "aligned", (s.id,), (t.id,))
            for s, t in zip(a.segs, b.segs)
        ], []
    unit = Unit(a.segs[0].id, index, kind, a.text_ph, b.text_ph, "block",
                tuple(s.id for s in a.segs), tuple(t.id for t in b.segs))
    notes: list[Suggestion] = []
    if len(b.segs) < len(a.segs):
        notes.append(_dropped_sentences(a, b, exp))
    return [unit], notes


def _anchor_links(notes: list[Suggestion], a: BlockInfo, b: BlockInfo, src: Document, tgt: Document) -> list[Suggestion]:
    """Move a link finding from the block's first sentence to the sentence
    holding the link (in the source when it was dropped, else in the
    translation), when the block was aligned sentence by sentence."""
    if len(a.segs) != len(b.segs):
        return notes
    from dataclasses import replace

    out = []
    for n in notes:
        url_src, url_tgt = n.suggestion, n.original
        at = None
        for k, (s, t) in enumerate(zip(a.segs, b.segs)):
            if (url_src and src.text.find(url_src, s.start, s.end) >= 0) or (
                    url_tgt and tgt.text.find(url_tgt, t.start, t.end) >= 0):
                at = s.id
                break
        out.append(replace(n, id=at) if at else n)
    return out


def _dropped_sentences(a: BlockInfo, b: BlockInfo, exp: float) -> Suggestion:
    """The translated block has fewer sentences than its source: dropped,
    or merged? Shortness decides how sure we are; the sentence alignment
    names the likely missing one."""
    ratio = (b.length + 1) / ((a.length + 1) * exp)
    ss = [sentence_info(s.source) for s in a.segs]
    ts = [sentence_info(t.source) for t in b.segs]
    pairs = align(ss, ts, lambda x, y: sentence_similarity(x, y, exp), threshold=0.3)
    missing = [a.segs[i] for i, j in pairs if j is None and i is not None]
    n, m = len(a.segs), len(b.segs)
    which = "; ".join(f"“{checks._clip(strip_placeholders(s.source), 80)}”" for s in missing) if missing else ""
    if ratio < 0.85:
        return checks._s(
            a.segs[0].id, "accuracy", "major", "", " ".join(strip_placeholders(s.source) for s in missing),
            f"Sentence dropped: the translation has {m} sentence{'s' if m != 1 else ''} where the source has {n}, "
            f"and is {round((1 - ratio) * 100)}% shorter than expected." + (f" Missing: {which}" if which else ""),
            "dropped-sentence")
    return checks._s(
        a.segs[0].id, "accuracy", "minor", "", "",
        f"The translation has {m} sentence{'s' if m != 1 else ''} where the source has {n}; its length is as "
        "expected, so sentences were probably merged: check nothing was left out.", "dropped-sentence")


def _document_links(src: Document, tgt: Document, lost_done: Counter, added_done: Counter) -> list[Suggestion]:
    """Links outside translatable blocks (an image in a figure, a link
    definition, the head) compared over the whole file."""
    src_refs = checks.markdown_refs(src.text) if formats.get(src.format).link_references else None
    tgt_refs = checks.markdown_refs(tgt.text) if formats.get(tgt.format).link_references else None
    a = Counter(checks.urls_in_markup(src.text, src_refs))
    b = Counter(checks.urls_in_markup(tgt.text, tgt_refs))
    lost = (a - b) - lost_done
    added = (b - a) - added_done
    if not lost and not added:
        return []
    return checks.compare_links("document", list(lost.elements()), list(added.elements()),
                                where="outside the text blocks")


def glossary_review(glossary, pairs: Sequence[checks.Pair]) -> tuple[list[Suggestion], dict | None]:
    """Glossary findings (terms.verify, or verify_target_only without a
    source) and the per-term tally for the report: where each term was
    found, kept, broken."""
    if glossary is None:
        return [], None
    from translator.terms import match as terms

    found: list[Suggestion] = []
    tally: dict[tuple[str, str], dict] = {}

    def row(source: str, target: str) -> dict:
        return tally.setdefault((source, target), {"source": source, "target": target, "found": 0,
                                                   "satisfied": 0, "violations": 0, "segments": []})

    for p in pairs:
        if p.source is None:
            notes = _dedupe(list(terms.verify_target_only(glossary, p.target, p.id)))
            for s in notes:
                t = _term_of(glossary, s)
                r = row(t.source, t.rendering) if t is not None else row(s.original, s.suggestion)
                r["violations"] += 1
                r["segments"].append(p.id)
            found.extend(notes)
            continue
        rep = terms.verify(glossary, p.source, p.target, p.id)
        found.extend(rep.suggestions)
        for t in rep.found:
            r = row(t.source, t.rendering)
            r["found"] += 1
            if t in rep.satisfied:
                r["satisfied"] += 1
            else:
                r["violations"] += 1
                r["segments"].append(p.id)
    rows = sorted(tally.values(), key=lambda r: (-r["violations"], r["source"].lower()))
    if any(p.source is not None for p in pairs):
        n = sum(r["found"] for r in rows)
        ok = sum(r["satisfied"] for r in rows)
        head = {"found": n, "satisfied": ok, "violations": n - ok,
                "success_rate": round(ok / n, 4) if n else None}
    else:
        head = {"forbidden_found": sum(r["violations"] for r in rows)}
        rows = [{k: r[k] for k in ("source", "target", "violations", "segments")} for r in rows]
    return found, {**head, "glossaries": list(getattr(glossary, "paths", ())), "terms": rows}


def _term_of(glossary, s: Suggestion):
    """The glossary entry a forbidden-variant finding is about."""
    wrong = s.original.casefold()
    for t in glossary.terms:
        if any(f.casefold() == wrong for f in t.forbidden):
            return t
    m = re.search(r'for "(.+?)": use', s.explanation)
    return glossary.lookup(m.group(1)) if m else None


def _dedupe(items: list[Suggestion]) -> list[Suggestion]:
    return dedupe(items, lambda s: (s.id, s.category, s.severity, s.original, s.suggestion, s.check, s.explanation))


# --- what is compared ----------------------------------------------------------

_NAME = re.compile(r"\S*(?:\d|[a-z][A-Z]|[A-Z]{2})\S*|(?<=[^\s.!?:¿¡\"“«(]\s)[A-Z][\w-]+")


@dataclass(frozen=True)
class BlockInfo:
    block: Block
    segs: tuple[Segment, ...]
    text_ph: str  # segment sources joined (with placeholders)
    plain: str  # the same without placeholders
    tags: Counter  # inline markup: tag names; (name, raw) for verbatim pieces
    links: tuple[str, ...]
    anchors: frozenset[str]
    length: int
    words: int

    @property
    def kind(self) -> str:
        return self.block.kind


@dataclass(frozen=True)
class SentenceInfo:
    anchors: frozenset[str]
    length: int


def anchors(text: str) -> frozenset[str]:
    """What a translation keeps: numbers (every reading), names and codes
    ("FlashAttention", "GPT-4o", capitalised words inside a sentence)."""
    plain = strip_placeholders(text)
    out = set()
    for n in checks.extract_numbers(plain):
        out.update(f"#{v}" for v in n.values)
    for m in _NAME.finditer(plain):
        word = m.group(0).strip(".,;:!?()[]\"'“”«»")
        if len(word) > 1 and not word.isdigit():
            out.add(word.lower())
    return frozenset(out)


def sentence_info(text: str) -> SentenceInfo:
    plain = strip_placeholders(text)
    return SentenceInfo(anchors(plain), len(plain.strip()))


def blocks_info(doc: Document) -> list[BlockInfo]:
    from translator.segment.segmenter import PROTECT

    by_block: dict[int, list[Segment]] = {}
    for s in doc.segments:
        by_block.setdefault(s.block, []).append(s)
    refs = checks.markdown_refs(doc.text) if formats.get(doc.format).link_references else None
    out = []
    for b in doc.blocks:
        segs = tuple(by_block.get(b.index, ()))
        tags: Counter = Counter()
        links: list[str] = []
        texts = []
        for p in b.pieces:
            if isinstance(p, Markup):
                raw = doc.text[p.start:p.end]
                if p.role != "close":
                    tags[(p.name, raw) if p.name in checks._VERBATIM else p.name] += 1
                links.extend(checks.urls_in_markup(raw, refs))
            elif isinstance(p, Text):
                texts.append(p.text)
        joined = "".join(texts)
        for m in PROTECT.finditer(joined):
            label = m.lastgroup or ""
            if label in ("url", "email"):
                links.append(m.group(0))
            elif label not in ("placeholder",):
                tags[(label, m.group(0))] += 1
        text_ph = " ".join(s.source for s in segs)
        plain = " ".join(strip_placeholders(text_ph).split())
        out.append(BlockInfo(b, segs, text_ph, plain, tags, tuple(links), anchors(plain), len(plain),
                             count_words(plain)))
    return out


def _dice(a, b) -> float:
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def _counter_dice(a: Counter, b: Counter) -> float:
    if a == b:
        return 1.0
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total


def _length_fit(la: int, lb: int, exp: float) -> float:
    r = (lb + 10) / ((la + 10) * exp)
    return min(r, 1 / r)


def block_similarity(a: BlockInfo, b: BlockInfo, exp: float) -> float:
    if a.kind == b.kind:
        kind = 1.0
    elif a.kind[:1] == b.kind[:1] == "h" or a.kind.split(":")[0] == b.kind.split(":")[0] != a.kind:
        kind = 0.5
    else:
        kind = 0.0
    anchor = 0.5 if not a.anchors and not b.anchors else _dice(a.anchors, b.anchors)
    return (0.3 * kind + 0.15 * _counter_dice(a.tags, b.tags) + 0.3 * anchor
            + 0.25 * _length_fit(a.length, b.length, exp))


def sentence_similarity(a: SentenceInfo, b: SentenceInfo, exp: float) -> float:
    anchor = 0.5 if not a.anchors and not b.anchors else _dice(a.anchors, b.anchors)
    return 0.5 * anchor + 0.5 * _length_fit(a.length, b.length, exp)


def align(a: Sequence, b: Sequence, sim: Callable[[object, object], float], threshold: float,
          band: int = 60) -> list[tuple[int | None, int | None]]:
    """Monotone alignment of two sequences maximising Σ (sim − threshold)
    over the matched pairs; unmatched items pair with None. Cells far from
    the diagonal (beyond `band` plus the length difference) are not
    explored, so long documents stay fast."""
    n, m = len(a), len(b)
    width = band + abs(n - m)
    neg = float("-inf")
    score = [[neg] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 1 diag, 2 up (skip a), 3 left (skip b)
    score[0][0] = 0.0
    for i in range(n + 1):
        center = i * m / n if n else 0
        lo, hi = max(0, int(center - width)), min(m, int(center + width) + 1)
        row, prev = score[i], score[i - 1] if i else None
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, how = neg, 0
            if i and prev[j] > best:
                best, how = prev[j], 2
            if j and row[j - 1] > best:
                best, how = row[j - 1], 3
            if i and j and prev[j - 1] > neg:
                s = sim(a[i - 1], b[j - 1])
                if s >= threshold and prev[j - 1] + s - threshold > best:
                    best, how = prev[j - 1] + s - threshold, 1
            row[j], move[i][j] = best, how
    out: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i or j:
        how = move[i][j]
        if how == 1:
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif how == 2 or (how == 0 and i):
            out.append((i - 1, None))
            i -= 1
        else:
            out.append((None, j - 1))
            j -= 1
    out.reverse()
    return out
