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

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from translator import formats
from translator.document import Document, Suggestion, severity_at_least, strip_placeholders
from translator.errors import InputError
from translator.qa import checks
from translator.qa.align import (  # noqa: F401 (the alignment's names, importable from here as before)
    BlockInfo, SentenceInfo, align, align_blocks, anchors, block_similarity, blocks_info, line_by_line, sentence_info,
    sentence_similarity,
)
from translator.qa.checks import Selection
from translator.qa.checks.base import dedupe as _dedupe
from translator.qa.terms_review import glossary_review
from translator.qa.words import count_words


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


@dataclass(frozen=True)
class Review:
    """What a review found: the aligned units, the findings (deduplicated,
    in order), the block alignment, the glossary tally, the critic's usage
    and the names of the checks that ran."""

    target: Document
    source: Document | None
    source_lang: str
    target_lang: str
    units: list[Unit]
    suggestions: list[Suggestion]
    blocks: list[tuple[int | None, int | None]] = field(default_factory=list)
    terms: dict | None = None
    usage: dict = field(default_factory=dict)  # {step: {calls, prompt_tokens, completion_tokens}} (the critic)
    checks: tuple[str, ...] = ()

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
    selection: Selection | None = None,
) -> Review:
    """Read and review a translation, against its source when given.
    `glossary` may be a function (source_lang, target_lang) → glossary, called
    once the source language is known; `selection` the checks to run (default:
    every one). Raises InputError (and GlossaryError)."""
    from translator.io.reader import read

    if source is None:
        tgt = read(translation, fmt=fmt, source_lang=target_lang)
        if callable(glossary):
            glossary = glossary(source_lang or "en", target_lang)
        return review_target(tgt, target_lang, glossary, selection=selection)
    src = read(source, fmt=fmt, source_lang=source_lang)
    tgt = read(translation, fmt=src.format, source_lang=target_lang)
    if source_lang is None and src.source_lang == target_lang.split("-")[0] and _language(tgt) != src.source_lang:
        raise InputError(
            f"{source}: this looks like {checks.lang_name(src.source_lang)} already, the target language; "
            "were SOURCE and TRANSLATION swapped? (set --from to override)"
        )
    if callable(glossary):
        glossary = glossary(src.source_lang, target_lang)
    return review_documents(src, tgt, target_lang, glossary, selection=selection)


def _language(doc: Document) -> str:
    from translator.segment.language import detect

    return detect(" ".join(strip_placeholders(s.source) for s in doc.segments[:200]))


def review_target(tgt: Document, target_lang: str, glossary=None, *, selection: Selection | None = None) -> Review:
    selection = selection or checks.active()
    blocks = {b.index: b for b in tgt.blocks}
    units = [
        Unit(s.id, s.block, blocks[s.block].kind, None, s.source, "target-only", (), (s.id,))
        for s in tgt.segments
    ]
    pairs = [checks.Pair(u.id, None, u.target) for u in units]
    found = checks.check_pairs(pairs, "", target_lang, None, checks=selection)
    found.extend(_estimate(pairs, "", target_lang, glossary))
    notes, stats = _glossary(glossary, pairs, selection)
    found.extend(notes)
    return Review(tgt, None, "", target_lang, units, _dedupe(found), [(None, b.index) for b in tgt.blocks], stats,
                  checks=selection.names)


def review_documents(src: Document, tgt: Document, target_lang: str, glossary=None, *,
                     selection: Selection | None = None) -> Review:
    selection = selection or checks.active()
    sl, tl = src.source_lang or "en", target_lang
    exp = checks.expected_ratio(sl, tl)
    sinfo, tinfo = blocks_info(src), blocks_info(tgt)
    alignment: list[tuple[int | None, int | None]] = [(i, i) for i in range(len(sinfo))] \
        if line_by_line(src, tgt) else align(sinfo, tinfo, lambda a, b: block_similarity(a, b, exp), threshold=0.5)
    walk = _BlockWalk(src, tgt, exp, links=selection.enabled("links"))
    for i, j in alignment:
        walk.step(sinfo[i] if i is not None else None, tinfo[j] if j is not None else None)
    pairs = [checks.Pair(u.id, u.source if u.status != "added" else None, u.target)
             for u in walk.units if u.status != "missing"]
    checked = checks.check_pairs(pairs, sl, tl, None, checks=selection)
    checked.extend(_estimate(pairs, sl, tl, glossary))
    notes, stats = _glossary(glossary, pairs, selection)
    checked.extend(notes)
    found = walk.found
    dropped = {f.id for f in found if f.check == "dropped-sentence" and f.severity != "minor"}
    found.extend(f for f in checked if not (f.check == "length" and f.id in dropped))  # said already
    if selection.enabled("links"):
        found.extend(_document_links(src, tgt, walk.lost, walk.added))
    found.extend(_file_findings(src, tgt))
    return Review(tgt, src, sl, tl, walk.units, _dedupe(found), alignment, stats, checks=selection.names)


def _glossary(glossary, pairs: list[checks.Pair], selection: Selection) -> tuple[list[Suggestion], dict | None]:
    return glossary_review(glossary, pairs) if selection.enabled("glossary") else ([], None)


def _file_findings(src: Document, tgt: Document) -> list[Suggestion]:
    """What only the two whole files show: front-matter keys, and markup
    that can run code which the source does not have."""
    from translator.qa.unsafe import findings as unsafe_findings

    found = checks.frontmatter_keys(src.text, tgt.text) if formats.get(src.format).front_matter else []
    return found + unsafe_findings(src.text, tgt.text, src.format)


@dataclass
class _BlockWalk:
    """The aligned blocks, one step at a time: the units to check, what the
    structure shows (dropped and added blocks, sentences, markup, links),
    and the links reported already (so the whole-file comparison does not
    report them twice)."""

    src: Document
    tgt: Document
    exp: float
    links: bool = True
    units: list[Unit] = field(default_factory=list)
    found: list[Suggestion] = field(default_factory=list)
    lost: Counter = field(default_factory=Counter)
    added: Counter = field(default_factory=Counter)

    def step(self, a: BlockInfo | None, b: BlockInfo | None) -> None:
        if a is not None and b is not None and a.segs and b.segs:
            self.pair(a, b)
        elif a is not None and a.segs:
            self.missing(a)
        elif b is not None and b.segs:
            self.extra(b)

    def pair(self, a: BlockInfo, b: BlockInfo) -> None:
        new_units, notes = _pair_blocks(a, b, self.exp)
        self.units.extend(new_units)
        self.found.extend(notes)
        anchor = a.segs[0].id
        self.found.extend(checks.compare_markup(anchor, a.tags, b.tags))
        if self.links:
            link_notes = checks.compare_links(anchor, a.links, b.links)
            self.found.extend(_anchor_links(link_notes, a, b, self.src, self.tgt))
        self.lost.update(Counter(a.links) - Counter(b.links))
        self.added.update(Counter(b.links) - Counter(a.links))

    def missing(self, a: BlockInfo) -> None:
        self.units.append(Unit(a.segs[0].id, a.block.index, a.block.kind, a.text_ph, "", "missing",
                               tuple(s.id for s in a.segs), ()))
        self.found.append(checks._s(
            a.segs[0].id, "accuracy", "critical" if a.words >= 40 else "major", "", a.plain,
            f"Block missing from the translation ({a.block.kind}, {a.words} words): "
            f"“{checks._clip(a.plain)}”.", "dropped-block"))
        self.lost.update(a.links)

    def extra(self, b: BlockInfo) -> None:
        uid = "t" + b.segs[0].id[1:]
        self.units.append(Unit(uid, b.block.index, b.block.kind, None, b.text_ph, "added", (),
                               tuple(s.id for s in b.segs)))
        self.found.append(checks._s(
            uid, "accuracy", "major" if b.words >= 20 else "minor", b.text_ph, "",
            f"Block in the translation with no counterpart in the source ({b.block.kind}): "
            f"“{checks._clip(b.plain)}”.", "added-block"))
        self.added.update(b.links)


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


