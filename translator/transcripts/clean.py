"""The `clean` step: with an LLM engine, an automatic transcript is made
readable in its own language before it is translated.

Same contract as translate (prompts/clean.md; one JSON message of
segments, `{"segments": [{"id", "text"}]}` back; retries and fallbacks of
llm/steps.py). The model restores punctuation, capitals and paragraphs
(a "¶ " opening a unit) and may write a misheard name as the glossary
does. A reply is accepted only when it keeps the speaker's words: every
word it writes is a word of the unit (case and accents aside) or a
glossary name, at least 90% of the unit's words are still there, and its
placeholders are the unit's. Anything else keeps the unit as it was. The
cleaned units become a new plain-text document (a paragraph per line,
blank lines between), read and segmented into sentences as usual. When no
unit changed, the document is left exactly as it was.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections import Counter
from dataclasses import replace

from translator.document import Document, Suggestion, Usage
from translator.segment.placeholders import placeholders_intact

PARAGRAPH = "¶"
MIN_KEPT = 0.9
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def is_llm(engine) -> bool:
    from translator.engines.base import CLEAN, supports

    return supports(engine, CLEAN)


def _norm(word: str) -> str:
    s = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    text = re.sub(r"</?\d{1,3}/?>", " ", text)
    out = []
    for w in _WORD.findall(text):
        if _CJK.search(w):
            out.extend(_CJK.findall(w))  # Chinese: compare characters
            out.extend(x for x in re.split(r"[\u3400-\u9fff\uf900-\ufaff]+", w) if x)
        else:
            out.append(_norm(w))
    return out


def keeps_words(source: str, cleaned: str, names: frozenset[str] | set[str] = frozenset()) -> str:
    """"" when the cleaned unit keeps the speaker's words, else why not."""
    if not placeholders_intact(source, cleaned):
        return "the placeholders changed"
    src, new = Counter(_words(source)), Counter(_words(cleaned))
    allowed = Counter(src)
    for name in names:
        for w in _words(name):
            allowed[w] += 3
    added = [w for w in (new - allowed).elements()]
    if added:
        return f"words were added ({' '.join(added[:5])})"
    replaced = min(sum((src - new).values()), sum((new - src).values()))  # a misheard name written right
    kept = (sum((src & new).values()) + replaced) / max(1, sum(src.values()))
    if kept < MIN_KEPT:
        return f"words were dropped ({round(100 * (1 - kept))}%)"
    return ""


async def clean(doc: Document, engine, ctx, glossary=None) -> tuple[Document, list[Suggestion], Usage]:
    """The transcript cleaned by the model (or as it was), notes, usage."""
    usage = Usage()
    if not doc.transcript or not is_llm(engine) or not doc.segments:
        return doc, [], usage
    texts = await _ask(doc, engine, ctx, usage)
    names = {t.source for t in glossary.terms} if glossary is not None else set()
    cleaned, starts, rejected = _accepted(doc, texts, names)
    changed = sum(1 for s in doc.segments if cleaned[s.id] != s.source)
    if not changed:
        return doc, [], usage
    new_text = _document_text(doc, cleaned, starts)
    from translator.io import reader

    new = reader.parse(new_text, "text", path=doc.path, source_lang=doc.source_lang, encoding=doc.encoding)
    new = replace(new, warnings=doc.warnings)
    note = Suggestion(
        new.segments[0].id if new.segments else "s1", "fluency", "minor", "", "",
        f"The transcript was cleaned before translation: punctuation, capitals and paragraphs restored in "
        f"{changed} of {len(doc.segments)} caption units"
        + (f"; {rejected} cleaned units were refused because they added or dropped words" if rejected else "")
        + ".", "llm", "applied", "clean")
    return new, [note], usage


async def _ask(doc: Document, engine, ctx, usage: Usage) -> dict[str, str]:
    """The model's cleaned text per caption unit (the units it answered), its usage added to `usage`."""
    from translator.engines.base import Item
    from translator.engines.llm.batching import plan_batches
    from translator.engines.llm.messages import language_name
    from translator.engines.llm.prompts import default_dir, load_prompt
    from translator.engines.llm.steps import Step

    prompt = load_prompt(default_dir() / "clean.md", "clean")
    system = prompt.render({"source_lang": language_name(doc.source_lang)})
    items = [Item(s.id, s.block, s.source) for s in doc.segments]
    src_ctx = replace(ctx, target_lang=ctx.source_lang)
    step = Step("clean", system, src_ctx, engine.transport, engine.retries, items)  # type: ignore[arg-type]
    batches = plan_batches(items, engine.batch_tokens, engine.max_items)
    texts: dict[str, str] = {}
    for part in await asyncio.gather(*(step.run(b) for b in batches)):
        usage.add(part.usage)
        texts.update({k: v for k, v in part.texts.items() if k not in part.failed})
    return texts


def _accepted(doc: Document, texts: dict[str, str], names: set[str]) -> tuple[dict[str, str], set[str], int]:
    """Per unit, the cleaned text when it keeps the speaker's words, else the
    source; the units that start a paragraph; how many were refused."""
    cleaned: dict[str, str] = {}
    starts: set[str] = set()
    rejected = 0
    for seg in doc.segments:
        text = texts.get(seg.id, seg.source).strip()
        para = text.startswith(PARAGRAPH)
        text = text.lstrip(PARAGRAPH).strip()
        if PARAGRAPH in text or not text or keeps_words(seg.source, text, names):
            rejected += seg.id in texts and texts[seg.id] != seg.source
            cleaned[seg.id] = seg.source
            continue
        cleaned[seg.id] = text
        if para:
            starts.add(seg.id)
    return cleaned, starts, rejected


def _document_text(doc: Document, cleaned: dict[str, str], starts: set[str]) -> str:
    from translator.formats.assemble import render_segments
    from translator.transcripts.flow import _keep_between, paragraphs

    rendered, _ = render_segments(doc, cleaned)
    _keep_between(doc, rendered)
    groups = paragraphs(doc)
    if starts:  # the model's paragraphs, and the transcript's own blank lines
        flat = [s for g in groups for s in g]
        groups, prev = [], None
        for seg in flat:
            if not groups or seg.id in starts or (prev is not None and seg.block != prev.block):
                groups.append([])
            groups[-1].append(seg)
            prev = seg
    paras = [" ".join(" ".join(rendered[s.id].split()) for s in g) for g in groups]
    return "\n\n".join(p for p in paras if p) + "\n"
