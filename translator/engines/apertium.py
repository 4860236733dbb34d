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
import html
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from translator.document import PLACEHOLDER_RE, Suggestion, placeholder_tokens
from translator.errors import EngineError
from translator.engines.base import Context, EngineResult, Item

APERTIUM_DATA = (Path("/usr/share/apertium"), Path("/usr/local/share/apertium"))
# languages Apertium has released pairs for (ISO 639-1 → Apertium's code); Chinese is not one
LANG3 = {"en": "eng", "es": "spa", "ca": "cat", "fr": "fra", "pt": "por", "it": "ita", "gl": "glg",
         "eu": "eus", "oc": "oci", "ro": "ron", "eo": "epo", "nb": "nob", "nn": "nno", "sv": "swe",
         "da": "dan", "is": "isl", "br": "bre", "cy": "cym", "mt": "mlt", "ar": "ara", "an": "arg",
         "sc": "srd", "hi": "hin", "ur": "urd", "bg": "bul", "mk": "mkd", "af": "afr", "nl": "nld",
         "kk": "kaz", "tt": "tat", "be": "bel", "ru": "rus", "uk": "ukr"}
NAME_STAND_IN = "Madrid"  # a name every Apertium pair with Spanish or English knows and keeps
_WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")
_TAG_RE = re.compile(r'<span id="([a-z]\d+)">|</span>|<[^>]*>')
_P_RE = re.compile(r'<p id="k(\d+)">(.*?)</p>', re.S)
_MARK_RE = re.compile(r"[*#@](?=[^\s*#@])")
BATCH_CHARS = 200_000  # characters per apertium call


def apertium_mode(source_lang: str, target_lang: str) -> str | None:
    """The installed Apertium mode for a pair ("eng-spa"), or None."""
    a, b = LANG3.get(source_lang.lower()), LANG3.get(target_lang.lower())
    if not a or not b or not shutil.which("apertium"):
        return None
    mode = f"{a}-{b}"
    return mode if _mode_file(mode) else None


def _mode_file(mode: str) -> Path | None:
    for d in APERTIUM_DATA:
        f = d / "modes" / f"{mode}.mode"
        if f.is_file():
            return f
    return None


def run_apertium(mode: str, text: str, fmt: str = "html") -> str:
    """One apertium process over `text`; EngineError if it fails."""
    try:
        proc = subprocess.run(["apertium", "-f", fmt, mode], input=text.encode("utf-8"),
                              capture_output=True, timeout=600, check=False)
    except (OSError, subprocess.SubprocessError) as e:
        raise EngineError(f"Apertium could not run ({e}); reinstall it: sudo apt-get install apertium") from e
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise EngineError(f"Apertium {mode} failed: {detail[0]}")
    return proc.stdout.decode("utf-8", "replace")


# --- which source words Apertium knows ---------------------------------------------


@lru_cache(maxsize=None)
def _analyser(mode: str) -> Path | None:
    """The source-language analyser of a mode (the first `lt-proc` in its mode file)."""
    f = _mode_file(mode)
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


# --- one segment as HTML ------------------------------------------------------------


@dataclass
class _Void:
    token: str
    order: int  # position among the segment's placeholder tokens
    space_before: bool
    space_after: bool
    after: bool  # anchored after its word (else before it)


@dataclass(frozen=True)
class Protect:
    """A span of the source to wrap: a term (translated, then replaced) or,
    with `stand_in`, a name sent as `stand_in` and put back as written."""

    start: int
    end: int
    payload: object = None
    stand_in: str = ""


@dataclass
class Encoded:
    """A segment prepared for Apertium, with what is needed to decode it."""

    source: str
    html: str = ""
    pairs: dict[str, tuple[str, str, int, int]] = field(default_factory=dict)  # id → (open, close, orders)
    voids: dict[str, _Void] = field(default_factory=dict)  # anchor id → void
    protected: dict[str, Protect] = field(default_factory=dict)  # term id → what it wraps


def encode(source: str, protect: Sequence[Protect] = ()) -> Encoded:
    """The HTML for one segment. Protected spans containing a placeholder, or
    overlapping an earlier one, are left out."""
    tokens = list(PLACEHOLDER_RE.finditer(source))
    enc = Encoded(source)
    pair_of = _pairs(tokens, enc)
    masked = PLACEHOLDER_RE.sub(lambda m: " " * len(m.group(0)), source)
    words = [(w.start(), w.end()) for w in _WORD_RE.finditer(masked)]
    spans: list[Protect] = []
    for p in sorted(protect, key=lambda p: (p.start, -p.end)):
        if PLACEHOLDER_RE.search(source, p.start, p.end) or not source[p.start:p.end].strip():
            continue
        if spans and p.start < spans[-1].end:
            continue
        spans.append(p)
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for k, p in enumerate(spans):
        enc.protected[f"t{k}"] = p
        opens.setdefault(p.start, []).append(f"t{k}")
        closes.setdefault(p.end, []).insert(0, f"t{k}")
    for i, m in enumerate(tokens):
        if i in pair_of:
            continue
        before = [w for w in words if w[1] <= m.start()]
        after = [w for w in words if w[0] >= m.end()]
        if not before and not after:
            continue  # a segment without words is not sent at all
        anchor = before[-1] if before else after[0]
        s, e = next(((p.start, p.end) for p in spans if p.start <= anchor[0] and anchor[1] <= p.end), anchor)
        aid = f"a{len(enc.voids)}"
        enc.voids[aid] = _Void(m.group(0), i, source[m.start() - 1:m.start()].isspace(),
                               source[m.end():m.end() + 1].isspace(), bool(before))
        opens.setdefault(s, []).insert(0, aid)
        closes.setdefault(e, []).append(aid)
    out: list[str] = []
    pos = 0
    for i, m in enumerate(tokens + [None]):
        end = m.start() if m else len(source)
        out.append(_encode_text(source, pos, end, opens, closes, enc.protected))
        if m is None:
            break
        pos = m.end()
        if i in pair_of:
            pid = pair_of[i]
            out.append(f'<span id="{pid}">' if enc.pairs[pid][2] == i else "</span>")
        elif source[m.start() - 1:m.start()].isspace() and source[pos:pos + 1].isspace():
            pos += 1  # "a <2/> b" → "a b"
        elif not (source[m.start() - 1:m.start()].isspace() or source[pos:pos + 1].isspace()):
            out.append(" ")  # "a<2/>b" must not become one word
    enc.html = "".join(out).strip()
    return enc


def _pairs(tokens, enc: Encoded) -> dict[int, str]:
    """Complete, properly nested pairs become spans; other tokens are voids."""
    stack: list[tuple[str, int]] = []
    pair_of: dict[int, str] = {}
    for i, m in enumerate(tokens):
        closing, n, void = m.group(1), m.group(2), m.group(3)
        if void:
            continue
        if not closing:
            stack.append((n, i))
        elif stack and stack[-1][0] == n:
            _, j = stack.pop()
            pid = f"p{len(enc.pairs)}"
            enc.pairs[pid] = (tokens[j].group(0), m.group(0), j, i)
            pair_of[j] = pair_of[i] = pid
        else:
            stack = [s for s in stack if s[0] != n]
    return pair_of


def _encode_text(source: str, start: int, end: int, opens, closes, protected) -> str:
    cuts = sorted({p for p in (*opens, *closes) if start <= p <= end} | {start, end})
    out = []
    skip_to = -1
    for i, p in enumerate(cuts):
        out.extend("</span>" for _ in closes.get(p, ()))
        if p >= end:
            continue
        for x in opens.get(p, ()):
            out.append(f'<span id="{x}">')
            stand_in = protected[x].stand_in if x in protected else ""
            if stand_in:
                out.append(stand_in)
                skip_to = protected[x].end
        if p >= skip_to:
            out.append(html.escape(source[p:cuts[i + 1]], quote=False))
    return "".join(out)


# --- decoding --------------------------------------------------------------------------


@dataclass
class Decoded:
    text: str
    unknown: list[str]
    term_spans: list[tuple[int, int, str, str, object]]  # (start, end, old, new, payload) in `text`


Replacer = Callable[[object, str], str]  # (term payload, Apertium's rendering) → replacement


def decode(enc: Encoded, out_html: str, replace_term: Replacer | None = None) -> Decoded | None:
    """The translated segment with its placeholders back, or None when the
    tags cannot be put back in a valid order."""
    atoms = _atoms(out_html)
    unknown: list[str] = []
    atoms = [(_strip_marks(t, enc.source, None if any(i.startswith("t") for i in ids) else unknown), ids)
             for t, ids in atoms]
    replaced: dict[str, tuple[str, str, object]] = {}
    for tid, prot in enc.protected.items():
        idx = [i for i, (_, ids) in enumerate(atoms) if tid in ids]
        if not idx:
            if prot.stand_in:
                return None  # the name vanished: translate piece by piece instead
            continue
        first, last = idx[0], idx[-1]
        old = "".join(t for t, _ in atoms[first:last + 1]).strip()
        carried = [(t, ids) for t, ids in atoms[first:last + 1]
                   if tid not in ids and _WORD_RE.search(t) and not _is_glue(t)]
        common = frozenset.intersection(*[ids for _, ids in atoms[first:last + 1] if tid in ids])
        if prot.stand_in:
            new = enc.source[prot.start:prot.end]
        else:
            new = replace_term(prot.payload, old) if replace_term else old
        atoms[first:last + 1] = [(new, common)] + ([(" ", frozenset())] + carried if carried else [])
        replaced[tid] = (old, new, prot.payload)
    inserts: list[tuple[int, int, str]] = []  # (before atom, source order, token)
    for pid, (open_tok, close_tok, oi, ci) in enc.pairs.items():
        idx = [i for i, (_, ids) in enumerate(atoms) if pid in ids]
        if not idx:
            return None
        inserts += [(idx[0], oi, open_tok), (idx[-1] + 1, ci, close_tok)]
    for aid, v in enc.voids.items():
        idx = [i for i, (_, ids) in enumerate(atoms) if aid in ids]
        if not idx:
            return None
        if v.after:
            inserts.append((idx[-1] + 1, v.order, (" " if v.space_before else "") + v.token))
        else:
            inserts.append((idx[0], v.order, v.token + (" " if v.space_after else "")))
    inserts.sort()
    pieces: list[str] = []
    spans = []
    length = k = 0
    for i in range(len(atoms) + 1):
        while k < len(inserts) and inserts[k][0] == i:
            pieces.append(inserts[k][2])
            length += len(inserts[k][2])
            k += 1
        if i == len(atoms):
            break
        t, ids = atoms[i]
        tid = next((x for x in sorted(ids) if x in replaced), None)
        if tid is not None and not enc.protected[tid].stand_in:
            spans.append((length, length + len(t), *replaced.pop(tid)))
        pieces.append(t)
        length += len(t)
    text = "".join(pieces)
    return Decoded(text, unknown, spans) if _valid(enc.source, text) else None


def _is_glue(text: str) -> bool:
    return text.strip().lower() in {"de", "del", "la", "el", "los", "las", "a", "al", "of", "the", "en"}


def _atoms(out_html: str) -> list[tuple[str, frozenset[str]]]:
    """The text pieces of Apertium's output, each with the span ids around it."""
    atoms = []
    stack: list[str] = []
    pos = 0
    for m in _TAG_RE.finditer(out_html):
        if m.start() > pos:
            atoms.append((html.unescape(out_html[pos:m.start()]), frozenset(stack)))
        if m.group(1):
            stack.append(m.group(1))
        elif m.group(0) == "</span>" and stack:
            stack.pop()
        pos = m.end()
    if pos < len(out_html):
        atoms.append((html.unescape(out_html[pos:]), frozenset(stack)))
    return atoms


def _strip_marks(text: str, source: str, unknown: list[str] | None) -> str:
    """Remove Apertium's marks: `*word` (unknown: the word is the source's,
    maybe a piece of a source word, as in "12.9*B"), `@word` (no translation),
    `#word` (no generation). A mark the source itself has ("#hashtag",
    "*emphasis*") stays."""
    out = []
    pos = 0
    low_source = source.lower()
    for m in _MARK_RE.finditer(text):
        word_m = re.compile(r"\w+|[^\w\s]").match(text, m.end())
        word = word_m.group(0) if word_m else ""
        mark = m.group(0)
        after_mark = m.start() > 0 and text[m.start() - 1] in "*#@"
        if (mark + word) in source and not after_mark:
            continue  # the source has it
        if mark == "*" and not after_mark and word.lower() not in low_source:
            continue  # "*estrellas*": a literal asterisk before a translated word
        out.append(text[pos:m.start()])
        pos = m.end()
        if unknown is not None and word and word[0].isalnum() and word not in unknown:
            unknown.append(word)
    out.append(text[pos:])
    return "".join(out)


def _valid(source: str, text: str) -> bool:
    """Same placeholder tokens, and every pair open before its close, nested."""
    want = placeholder_tokens(source)
    got = placeholder_tokens(text)
    if sorted(want) != sorted(got):
        return False
    opens = {t[1:-1] for t in want if not t.startswith("</") and not t.endswith("/>")}
    paired = opens & {t[2:-1] for t in want if t.startswith("</")}
    stack: list[str] = []
    for tok in got:
        m = PLACEHOLDER_RE.fullmatch(tok)
        closing, n, void = m.group(1), m.group(2), m.group(3)
        if void or n not in paired:
            continue
        if not closing:
            stack.append(n)
        elif not stack or stack.pop() != n:
            return False
    return not stack


# --- batches -----------------------------------------------------------------------------


@lru_cache(maxsize=None)
def data_version(mode: str) -> str:
    """Size and date of a mode's file and of every file it names: cached
    answers of an older dictionary are never used."""
    f = _mode_file(mode)
    if f is None:
        return ""
    files = [f] + [Path(p) for p in re.findall(r"(/[^'\s|]+\.(?:bin|prob|t\dx|rlx|lrx|mode))", f.read_text())]
    parts = []
    for p in files:
        try:
            st = p.stat()
            parts.append(f"{p}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{p}:-")
    return "|".join(parts)


def translate_cached(mode: str, encoded: Sequence[Encoded]) -> list[str | None]:
    """`translate_encoded`, each segment's answer kept between runs (terms
    and short spans recur from one issue to the next)."""
    from translator.io.diskcache import cached_map

    def compute(htmls: list[str]) -> dict[str, str]:
        outs = translate_encoded(mode, [Encoded("", h) for h in htmls])
        return {h: o for h, o in zip(htmls, outs) if o is not None}

    got = cached_map("apertium", f"{mode}|{data_version(mode)}", [e.html for e in encoded], compute)
    return [got.get(e.html) for e in encoded]


def translate_encoded(mode: str, encoded: Sequence[Encoded]) -> list[str | None]:
    """Apertium's raw HTML for each encoded segment (None: lost). Large batches
    are split; a batch whose output does not align by id is halved and retried."""
    results: list[str | None] = [None] * len(encoded)

    def run(idx: list[int]) -> None:
        if not idx:
            return
        doc = "\n".join(f'<p id="k{i}">{encoded[i].html}</p>' for i in idx) + "\n"
        out = run_apertium(mode, doc)
        found = _P_RE.findall(out)
        got = {int(n): body for n, body in found}
        if len(found) == len(idx) and set(got) == set(idx):
            for i in idx:
                results[i] = got[i]
        elif len(idx) > 1:
            run(idx[: len(idx) // 2])
            run(idx[len(idx) // 2:])

    batch: list[int] = []
    size = 0
    for i, e in enumerate(encoded):
        if batch and size + len(e.html) > BATCH_CHARS:
            run(batch)
            batch, size = [], 0
        batch.append(i)
        size += len(e.html)
    run(batch)
    return results


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

    def check(self, source_lang: str, target_lang: str) -> None:
        if not shutil.which("apertium"):
            raise EngineError("Apertium is not installed: run `sudo apt-get install apertium apertium-eng-spa` "
                              "(Debian/Ubuntu), or choose an LLM with --model openai:MODEL")
        if apertium_mode(source_lang, target_lang):
            return
        a, b = LANG3.get(source_lang.lower()), LANG3.get(target_lang.lower())
        if a and b and a != b:
            raise EngineError(f"The Apertium pair {source_lang}→{target_lang} is not installed: run "
                              f"`sudo apt-get install apertium apertium-{a}-{b}` (or apertium-{b}-{a}; "
                              "`apt-cache search apertium` lists the pairs)")
        raise EngineError(f"Apertium has no {source_lang}→{target_lang} pair; translate with an LLM "
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
        dec = decode(enc, out, _term_replacer(job.glossary, target_lang)) if out is not None else None
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


def _term_replacer(glossary, target_lang: str) -> Replacer:
    from translator.terms import morph
    from translator.terms.match import inflect_like

    def replace(hit, old: str) -> str:
        if hit is None:
            return old
        if hit.term.dnt:
            return hit.text
        plural = morph.is_plural(old, target_lang) if old else None
        if plural is None:
            plural = morph.is_plural(hit.text, glossary.source_lang)
        return inflect_like(hit.term, old or hit.text, target_lang, plural=plural)

    return replace


def _apply_agreement(dec: Decoded, target_lang: str) -> str:
    if target_lang != "es" or not dec.term_spans:
        return dec.text
    from translator.terms.match import agree_gender

    text = dec.text
    for start, end, old, new, _ in sorted(dec.term_spans, key=lambda s: s[0], reverse=True):
        if old != new:
            before, after = agree_gender(text[:start], text[end:], old, new)
            text = before + text[start:end] + after
    return text


def _recover(jobs: Sequence[Job], mode: str, target_lang: str) -> tuple[dict[str, str], list[Suggestion]]:
    """Translate the text between placeholders piece by piece; the placeholders keep the source order."""
    sub_jobs: list[Job] = []
    layout: dict[str, list[str | tuple[str]]] = {}
    for job in jobs:
        parts = PLACEHOLDER_RE.split(job.source)  # text, g1, g2, g3, text, …
        texts, tokens = parts[0::4], placeholder_tokens(job.source)
        row: list[str | tuple[str]] = []
        for p, t in enumerate(texts):
            if _WORD_RE.search(t):
                sub = Job(f"{job.id}\0{p}", t, job.glossary)
                sub_jobs.append(sub)
                row.append((sub.id,))
            else:
                row.append(t)
            if p < len(tokens):
                row.append(tokens[p])
        layout[job.id] = row
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


def _reid(s: Suggestion, seg_id: str) -> Suggestion:
    from dataclasses import replace

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


# --- hints for glossary enforcement -------------------------------------------------------------


class ApertiumHints:
    """How Apertium renders terms and sentences, for `terms.enforce` (cached)."""

    _shared: dict[tuple[str, str], ApertiumHints] = {}

    def __init__(self, source_lang: str, target_lang: str):
        self.source_lang, self.target_lang = source_lang, target_lang
        self.mode = apertium_mode(source_lang, target_lang)
        self._renderings: dict[str, list[str]] = {}
        self._drafts: dict[tuple[str, tuple[int, int]], tuple[str, tuple[int, int]] | None] = {}
        self.back_mode = apertium_mode(target_lang, source_lang)
        self._back: dict[str, tuple[str, ...]] = {}

    @classmethod
    def shared(cls, source_lang: str, target_lang: str) -> ApertiumHints:
        key = (source_lang, target_lang)
        if key not in cls._shared:
            cls._shared[key] = cls(source_lang, target_lang)
        return cls._shared[key]

    def prefetch_terms(self, terms) -> None:
        """Translate terms alone (singular and plural), in one Apertium run."""
        from translator.terms import morph

        todo = list(dict.fromkeys(t.source for t in terms if t.source not in self._renderings))
        if not todo or not self.mode:
            return
        forms = [list(dict.fromkeys([s, morph.pluralize(s, self.source_lang)])) for s in todo]
        outs = iter(translate_cached(self.mode, [encode(f) for fs in forms for f in fs]))
        for s, fs in zip(todo, forms):
            got = [next(outs) for _ in fs]
            self._renderings[s] = [_strip_marks(html.unescape(re.sub(r"<[^>]*>", "", o)), s, None).strip()
                                   for o in got if o]

    def renderings(self, term) -> list[str]:
        if term.source not in self._renderings:
            self.prefetch_terms([term])
        return self._renderings.get(term.source, [])

    def prefetch_drafts(self, requests: Sequence[tuple[str, tuple[int, int]]]) -> None:
        """Translate sources with one span marked, in one Apertium run."""
        todo = [r for r in dict.fromkeys(requests) if r not in self._drafts]
        if not todo or not self.mode:
            return
        encs = [encode(src, [Protect(s, e, "span")]) for src, (s, e) in todo]
        outs = translate_cached(self.mode, encs)
        for req, enc, out in zip(todo, encs, outs):
            dec = decode(enc, out) if out is not None else None
            if dec is None or not dec.term_spans:
                self._drafts[req] = None
            else:
                s, e = dec.term_spans[0][:2]
                self._drafts[req] = (dec.text, (s, e))

    def draft(self, source: str, span: tuple[int, int]):
        if (source, span) not in self._drafts:
            self.prefetch_drafts([(source, span)])
        return self._drafts.get((source, span))

    def back_translations(self, words: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Source-language lemma keys of each target word translated back alone
        (and of its lemma): what source words it may stand for."""
        from translator.terms.lemmas import lemmatizer

        todo = [w for w in dict.fromkeys(words) if w not in self._back]
        if todo and self.back_mode:
            tgt, src = lemmatizer(self.target_lang), lemmatizer(self.source_lang)
            forms = [list(dict.fromkeys([w, tgt.key(w)])) for w in todo]
            outs = iter(translate_cached(self.back_mode, [encode(f) for fs in forms for f in fs]))
            for w, fs in zip(todo, forms):
                keys: list[str] = []
                for out in (next(outs) for _ in fs):
                    text = _strip_marks(html.unescape(re.sub(r"<[^>]*>", "", out or "")), w, None)
                    keys += [t.key for t in src.tokens(text) if t.key and t.key.isalnum()]
                self._back[w] = tuple(dict.fromkeys(keys))
        return {w: self._back.get(w, ()) for w in words}
