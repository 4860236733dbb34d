"""Apertium as an offline engine (Debian: `apt-get install apertium apertium-eng-spa`).

One `apertium -f html MODE` process translates a whole batch: each segment is
a `<p id="kN">` paragraph, and the output is matched back by id. Placeholders
travel as inline HTML that Apertium attaches to words ("word-bound blanks"),
so they follow their words when Apertium reorders them:

- a pair `<1>…</1>` becomes `<span id="pN">…</span>`;
- a void `<2/>` (or half a pair cut by a sentence boundary) is anchored to
  the word before it (after it, at the start) with `<span id="aN">word</span>`
  and put back next to that word;
- a glossary term is wrapped in `<span id="tN">`; Apertium's rendering inside
  is then replaced by the glossary target in the right number and gender;
- a name Apertium does not know ("Mamba", "Hugging Face", a do-not-translate
  term) is sent as a name it knows (`Madrid`) inside a span and put back: the
  sentence around it then parses as it should ("el modelo de Mamba", not
  "El *Mamba el modelo").

When the tags come back in an order that cannot be rebuilt, the text between
placeholders is translated piece by piece. Unknown-word marks (`*word`,
`#word`, `@word`) are stripped and reported. No segment is ever lost: at worst
it keeps its source, with an open critical Suggestion.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from translator.document import PLACEHOLDER_RE, Suggestion, placeholder_tokens
from translator.errors import EngineError, PairUnavailable
from translator.engines.base import Context, Engine, EngineResult, Item
from translator.engines.registry import register
from translator.terms import MATCHING, lexicon, morph
from translator.terms.forms import generate, source_is_participle
from translator.terms.tagger import WORD
from translator.terms.apertium.decode import Decoded, Replacer, decode, strip_marks
from translator.terms.apertium.encode import BATCH_CHARS, WORD_RE as _WORD_RE, Encoded, Protect, encode, translate_encoded
from translator.terms.apertium.hints import ApertiumHints
from translator.terms.apertium.process import APERTIUM_DATA, LANG3, apertium_mode, mode_file, run_apertium
from translator.terms.match import agree_article, agree_gender, inflect_like, number_before

__all__ = ["APERTIUM_DATA", "BATCH_CHARS", "LANG3", "ApertiumEngine", "ApertiumHints", "Decoded", "Encoded", "Job",
           "Protect", "apertium_mode", "decode", "encode", "known_words", "run_apertium", "strip_marks",
           "translate_encoded", "translate_jobs", "unknown_names"]

NAME_STAND_IN = "Madrid"  # a name every Apertium pair with Spanish or English knows and keeps


# --- which source words Apertium knows ---------------------------------------------


@lru_cache(maxsize=None)
def _analyser(mode: str) -> Path | None:
    """The source-language analyser of a mode (the first `lt-proc` in its mode file)."""
    f = mode_file(mode)
    m = re.search(r"lt-proc\s+(?:-\w+\s+)*'?([^'\s|]+automorf\.bin)", f.read_text()) if f else None
    return Path(m.group(1)) if m and Path(m.group(1)).is_file() else None


_KNOWN: dict[tuple[str, str], bool] = {}


def known_words(mode: str, words: Sequence[str]) -> dict[str, bool]:
    """Whether Apertium's analyser for `mode` knows each word (one lt-proc call, cached)."""
    analyser = _analyser(mode)
    todo = [w for w in dict.fromkeys(words) if (mode, w) not in _KNOWN]
    if todo and analyser and shutil.which("lt-proc"):
        data = "".join(w + "\0" for w in todo).encode("utf-8")
        try:
            proc = subprocess.run(["lt-proc", "-z", str(analyser)], input=data, capture_output=True,
                                  timeout=60, check=False)
            outs = proc.stdout.decode("utf-8", "replace").split("\0")
        except (OSError, subprocess.SubprocessError):
            outs = []
        for w, out in zip(todo, outs + [""] * len(todo)):
            _KNOWN[(mode, w)] = "/*" not in out and "/" in out
    return {w: _KNOWN.get((mode, w), True) for w in words}


def unknown_names(mode: str, text: str) -> list[tuple[int, int]]:
    """Spans of names Apertium does not know: runs of capitalised words (or words
    with inner capitals or digits) containing at least one unknown word."""
    masked = PLACEHOLDER_RE.sub(lambda m: " " * len(m.group(0)), text)
    words = [m for m in _WORD_RE.finditer(masked)]
    namey = [bool(re.match(r"[A-Z]|\w*[a-z][A-Z]", w.group(0))) and not w.group(0).isdigit() for w in words]
    known = known_words(mode, [w.group(0) for w, n in zip(words, namey) if n])
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if not namey[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and namey[j + 1] and re.fullmatch(r"[ \t]", masked[words[j].end():words[j + 1].start()] or "x"):
            j += 1
        run = range(i, j + 1)
        unknown = [k for k in run if not known.get(words[k].group(0), True)]
        if unknown:
            first = i
            while first < unknown[0] and re.fullmatch(r"[\s\W]*(?:[.!?:][\s\W]*)?",
                                                      masked[:words[first].start()][-3:] if first else ""):
                first += 1  # a known word opening a sentence ("The DBRX model") is not part of the name
            spans.append((words[first].start(), words[j].end()))
        i = j + 1
    return spans


# --- the engine --------------------------------------------------------------------------------------


@dataclass
class Job:
    """One segment to translate, with its own glossary (usually the document's)."""

    id: str
    source: str
    glossary: object | None = None


class ApertiumEngine:
    """Offline rule-based MT with Apertium (see the module docstring)."""

    name = "apertium"
    capabilities: frozenset[str] = frozenset()  # translate only

    @property
    def fingerprint(self) -> str:
        """What a translation the memory keeps depends on beyond the
        glossary: how terms are found and repaired (terms.MATCHING)."""
        return f"terms@{MATCHING}"

    def check(self, source_lang: str, target_lang: str) -> None:
        if not shutil.which("apertium"):
            raise PairUnavailable("Apertium is not installed: run `sudo apt-get install apertium apertium-eng-spa` "
                              "(Debian/Ubuntu), or choose an LLM with --model openai:MODEL")
        if apertium_mode(source_lang, target_lang):
            return
        a, b = LANG3.get(source_lang.lower()), LANG3.get(target_lang.lower())
        if a and b and a != b:
            raise PairUnavailable(f"The Apertium pair {source_lang}→{target_lang} is not installed: run "
                              f"`sudo apt-get install apertium apertium-{a}-{b}` (or apertium-{b}-{a}; "
                              "`apt-cache search apertium` lists the pairs)")
        raise PairUnavailable(f"Apertium has no {source_lang}→{target_lang} pair; translate with an LLM "
                          "(--model openai:MODEL), or use a pair Apertium has, e.g. en→es "
                          "(`sudo apt-get install apertium apertium-eng-spa`)")

    async def translate(self, items: Sequence[Item], ctx: Context) -> EngineResult:
        self.check(ctx.source_lang, ctx.target_lang)
        jobs = [Job(it.id, it.source, ctx.glossary) for it in items]
        result = await asyncio.to_thread(translate_jobs, jobs, ctx.source_lang, ctx.target_lang)
        result.texts = {k: tidy(v) for k, v in result.texts.items()}
        return result


_SPACES = re.compile(r"(?<=\S)  +(?=\S)")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\S) +(?=[,.;:!?)\]»”](?:\s|$|<))")


def tidy(text: str) -> str:
    """Apertium leaves double spaces where it dropped a word ("semana  hablé")
    and a space before punctuation after some tokens ("salida ,")."""
    return _SPACE_BEFORE_PUNCT.sub("", _SPACES.sub(" ", text))


def translate_jobs(jobs: Sequence[Job], source_lang: str, target_lang: str) -> EngineResult:
    """Translate segments in one Apertium run (plus one for any recovery)."""
    mode = apertium_mode(source_lang, target_lang)
    if mode is None:
        ApertiumEngine().check(source_lang, target_lang)
        raise EngineError(f"Apertium has no {source_lang}→{target_lang} pair")  # check() raised already
    texts: dict[str, str] = {}
    suggestions: list[Suggestion] = []
    todo: list[Job] = []
    for job in jobs:
        if _WORD_RE.search(PLACEHOLDER_RE.sub(" ", job.source)):
            todo.append(job)
        else:
            texts[job.id] = job.source  # only markup, spaces or punctuation
    known_words(mode, [w for job in todo for w in _WORD_RE.findall(job.source)])
    done, failed, sugg = _translate(todo, mode, target_lang, lambda job: job.source)
    texts.update(done)
    suggestions += sugg
    if failed:
        rec_texts, rec_sugg = _recover(failed, mode, target_lang)
        texts.update(rec_texts)
        suggestions += rec_sugg
    return EngineResult({job.id: texts[job.id] for job in jobs}, suggestions)


def _translate(jobs: Sequence[Job], mode: str, target_lang: str, text_of):
    encoded = [encode(text_of(job), _protections(job.glossary, text_of(job), mode)) for job in jobs]
    outs = translate_encoded(mode, encoded)
    done: dict[str, str] = {}
    failed: list[Job] = []
    suggestions: list[Suggestion] = []
    for job, enc, out in zip(jobs, encoded, outs):
        dec = decode(enc, out, _term_replacer(job.glossary, target_lang, text_of(job))) if out is not None else None
        if dec is None:
            failed.append(job)
            continue
        done[job.id] = _keep_edges(enc.source, _apply_agreement(dec, target_lang))
        suggestions += _unknown_suggestions(job.id, dec.unknown)
        suggestions += _name_suggestions(job.id, enc)
    return done, failed, suggestions


def _protections(glossary, source: str, mode: str) -> list[Protect]:
    out: list[Protect] = []
    hits = glossary.find(source) if glossary is not None and glossary.terms else []
    for h in hits:
        unknown = not all(known_words(mode, _WORD_RE.findall(h.text)).values())
        out.append(Protect(h.start, h.end, h, NAME_STAND_IN if h.term.dnt and unknown else ""))
    taken = [(p.start, p.end) for p in out]
    for s, e in unknown_names(mode, source):
        if all(e <= a or s >= b for a, b in taken):
            out.append(Protect(s, e, None, NAME_STAND_IN))
    return out


def _term_replacer(glossary, target_lang: str, source: str = "") -> Replacer:
    def replace(hit, old: str) -> str:
        if hit is None:
            return old
        if hit.term.dnt:
            return hit.text
        participle = _participle(hit, old, source, glossary.source_lang, target_lang)
        if participle:
            return participle
        plural = morph.is_plural(old, target_lang) if old else None
        if plural is None:
            plural = morph.is_plural(hit.text, glossary.source_lang)
        return inflect_like(hit.term, old or hit.text, target_lang, plural=plural)

    return replace


def _participle(hit, old: str, source: str, source_lang: str, target_lang: str) -> str:
    """A Spanish verb term where the source has a participle ("has been set")
    and Apertium wrote one that is also a noun («puesto»): the term's
    participle, in the gender and number of Apertium's («definido»)."""
    rendering = hit.term.rendering
    if target_lang != "es" or not source or " " in rendering.strip() or not morph.is_es_infinitive(rendering):
        return ""
    if len(WORD.findall(source[hit.start:hit.end])) != 1 or \
            not source_is_participle(source, hit.start, hit.end, source_lang):
        return ""
    tags = next((t for _, t in lexicon.analyses(old.lower(), "es") if t[:2] == ("vblex", "pp")), None)
    if tags is None:
        return ""
    form = generate(rendering.lower(), tags, "es")
    return morph.match_case(form, old) if form else ""


def _apply_agreement(dec: Decoded, target_lang: str) -> str:
    """The words around each glossary target agree with it: in Spanish the
    determiners and adjective (gender), in English the article ("an engine").
    A Spanish target takes the number of a determiner before it that Apertium
    wrote for a word it did not know («el siguiente flow» for "the following
    iFlows", not «flows»)."""
    if target_lang not in ("es", "en") or not dec.term_spans:
        return dec.text
    text = dec.text
    for start, end, old, new, hit in sorted(dec.term_spans, key=lambda s: s[0], reverse=True):
        term = getattr(hit, "term", None)
        if target_lang == "es" and term is not None and not term.dnt and number_before(text[:start], "es") is False \
                and morph.is_plural(new, "es") and not morph.is_plural(term.rendering, "es"):
            single = inflect_like(term, old, "es", plural=False)
            text, end, new = text[:start] + single + text[end:], start + len(single), single
        if target_lang == "en":
            text = agree_article(text[:start], text[start:end]) + text[start:]
        elif old != new:
            before, after = agree_gender(text[:start], text[end:], old, new)
            text = before + text[start:end] + after
    return text


def _recover(jobs: Sequence[Job], mode: str, target_lang: str) -> tuple[dict[str, str], list[Suggestion]]:
    """Translate the text between placeholders piece by piece; the placeholders keep the source order."""
    sub_jobs: list[Job] = []
    layout = {job.id: _pieces(job, sub_jobs) for job in jobs}
    done, failed, suggestions = _translate(sub_jobs, mode, target_lang, lambda j: j.source)
    suggestions = [_reid(s, s.id.split("\0")[0]) for s in suggestions]
    lost = {j.id.split("\0")[0] for j in failed}
    texts: dict[str, str] = {}
    for job in jobs:
        if job.id in lost:
            texts[job.id] = job.source
            suggestions.append(Suggestion(
                job.id, "accuracy", "critical", "", "",
                "Apertium could not translate this segment; it was left in the source language.",
                origin="engine", check="engine-fallback"))
            continue
        texts[job.id] = "".join(done[x[0]] if isinstance(x, tuple) else x for x in layout[job.id])
        suggestions.append(Suggestion(
            job.id, "markup", "minor", "", "",
            "Apertium moved the inline markup, so the text around each tag was translated "
            "separately; check the word order.", origin="engine", check="engine-markup-recovered"))
    return texts, suggestions


def _pieces(job: Job, sub_jobs: list[Job]) -> list[str | tuple[str]]:
    """The job as its text pieces (each with words a sub-job, added to `sub_jobs`) and placeholder tokens."""
    parts = PLACEHOLDER_RE.split(job.source)  # text, g1, g2, g3, text, …
    pieces, tokens = parts[0::4], placeholder_tokens(job.source)
    row: list[str | tuple[str]] = []
    for p, t in enumerate(pieces):
        if _WORD_RE.search(t):
            sub = Job(f"{job.id}\0{p}", t, job.glossary)
            sub_jobs.append(sub)
            row.append((sub.id,))
        else:
            row.append(t)
        if p < len(tokens):
            row.append(tokens[p])
    return row


def _reid(s: Suggestion, seg_id: str) -> Suggestion:
    return replace(s, id=seg_id)


def _keep_edges(source: str, text: str) -> str:
    lead = source[: len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()):]
    return lead + text.strip() + trail


def _unknown_suggestions(seg_id: str, words: Sequence[str]) -> list[Suggestion]:
    return [Suggestion(seg_id, "accuracy", "minor", w, w,
                       f'Apertium does not know "{w}" and left it untranslated; check it, or add it '
                       "to the glossary.", origin="engine", check="engine-unknown-word") for w in words]


def _name_suggestions(seg_id: str, enc: Encoded) -> list[Suggestion]:
    names = dict.fromkeys(enc.source[p.start:p.end] for p in enc.protected.values()
                          if p.stand_in and p.payload is None)
    return [Suggestion(seg_id, "accuracy", "minor", n, n,
                       f'Apertium does not know "{n}"; it was kept as a name. If it is one, add it to the '
                       "glossary as do-not-translate; if not, translate it.",
                       origin="engine", check="engine-unknown-word") for n in names]


def _make(model: str = "", **options: object) -> Engine:
    return ApertiumEngine()


register("apertium", _make)
