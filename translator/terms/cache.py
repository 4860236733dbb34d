"""A glossary file parsed once: per process, and for a big file once per
content (plain tuples, marshalled, in $XDG_CACHE_HOME/newsletter-translator),
with the lemma keys of each entry's first word (what `index.for_document`
filters on)."""

from __future__ import annotations

import dataclasses
import hashlib
from functools import lru_cache
import marshal
import operator
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable

from translator.terms.csvfile import LintIssue, parse_csv
from translator.terms.lemmas import NO_LEMMAS, lemmatizer
from translator.terms.term import Term

_WORD = re.compile(r"[^\W_]+")
_CAMEL = re.compile(r"(?<=[a-záéíóúñü])(?=[A-ZÁÉÍÓÚÑ][a-záéíóúñü])")


def words(text: str) -> list[str]:
    """Runs of letters and digits, camelCase parts apart, lowercased (as lemmas.py splits "FlashAttention")."""
    return [p.lower() for w in _WORD.findall(text) for p in (w, *_CAMEL.split(w)) if p]


# --- first-word keys ---------------------------------------------------------------------

_FIRST: dict[tuple[str, Term], frozenset[str]] = {}
_WORD_KEYS: dict[tuple[str, str], frozenset[str]] = {}


def first_word(text: str) -> str:
    """The first word of `words(text)` ("" when there is none)."""
    m = _WORD.search(text)
    return m.group(0).lower() if m else ""


def word_keys(word: str, lem) -> frozenset[str]:
    """The word and its lemma keys (cached: many entries share a first word)."""
    got = _WORD_KEYS.get((lem.lang, word))
    if got is None:
        got = _WORD_KEYS[(lem.lang, word)] = frozenset((word, *lem.keys(word)))
    return got


def first_keys(term: Term, lem) -> frozenset[str]:
    """The keys a document word must share for `term` to occur in it."""
    got = _FIRST.get((lem.lang, term))
    if got is None:
        first = first_word(term.source)
        got = word_keys(first, lem) if first else frozenset()
        _FIRST[(lem.lang, term)] = got
    return got


@dataclass
class FirstKeyIndex:
    """For the entries of one parsed file: each first-word key → the
    positions of the entries it opens (what `index.for_document` looks up)."""

    lang: str
    terms: list[Term]
    by_key: dict[str, list[int]]

    @cached_property
    def ids(self) -> frozenset[int]:
        return frozenset(map(id, self.terms))

    def candidates(self, keys: Iterable[str]) -> set[int]:
        """The ids of the entries whose first word has one of `keys`."""
        terms, by_key = self.terms, self.by_key
        return {id(terms[i]) for k in keys for i in by_key.get(k, ())}


_INDEXES: dict[int, FirstKeyIndex] = {}  # id(terms list in _PARSED) → its index


def indexes(lang: str) -> list[FirstKeyIndex]:
    return [ix for ix in _INDEXES.values() if ix.lang == lang]


def _build_index(terms: list[Term], lang: str) -> dict[str, list[int]]:
    lem = lemmatizer(lang)
    by_key: dict[str, list[int]] = {}
    for i, t in enumerate(terms):
        first = first_word(t.source)
        for k in word_keys(first, lem) if first else ():
            by_key.setdefault(k, []).append(i)
    return by_key


# --- the parse, kept between runs ---------------------------------------------------------

_PARSED: dict[tuple[str, str], tuple[list[Term], list]] = {}
BIG = 1_000_000  # bytes: a glossary this large is parsed once and kept in the user's cache
INDEXED = 2000  # entries: from this many, a file's first-word keys are indexed
_VERSION = "v2"
_TERM_FIELDS = tuple(f.name for f in dataclasses.fields(Term))
_PLAIN = Term("", "")  # an entry with only source and target: stored as two strings and its line


def parse_csv_cached(data: bytes, where: str, source_lang: str = "") -> tuple[list[Term], list]:
    """csvfile.parse_csv, parsed once per process; a big file also once per
    content (plain values, marshalled, in $XDG_CACHE_HOME/newsletter-translator),
    with the first-word keys of its entries."""
    digest = hashlib.sha256(data).hexdigest()
    key = (digest, where)
    if key in _PARSED:
        return _PARSED[key]
    lang = source_lang.split("-")[0].lower()
    if lang in NO_LEMMAS:
        lang = ""
    path = _cache_path(digest, where, lang) if len(data) >= BIG else None
    loaded = _load(path, where) if path is not None and path.exists() else None
    if loaded is not None:
        terms, issues, by_key = loaded
    else:
        terms, issues = parse_csv(data, where)
        by_key = _build_index(terms, lang) if lang and len(terms) >= INDEXED else None
        if path is not None and not [i for i in issues if i.level == "error"]:
            _store(path, _payload(terms, issues, where, by_key))
    got = (terms, issues)
    if lang and by_key is not None:
        _INDEXES[id(terms)] = FirstKeyIndex(lang, terms, by_key)
    _PARSED[key] = got
    return got


def _payload(terms: list[Term], issues: list[LintIssue], where: str, by_key: dict[str, list[int]] | None) -> tuple:
    """Plain entries as columns (source, target, line); the others whole."""
    rest = operator.itemgetter(*(n for n in _TERM_FIELDS if n not in ("source", "target", "where")))
    plain = rest(_PLAIN.__dict__)  # the other fields of a plain entry, compared in one tuple
    sources, targets, lines = [], [], []
    others: dict[int, tuple] = {}
    prefix = f"{where}, line "
    for i, t in enumerate(terms):
        d = t.__dict__
        line = d["where"][len(prefix):]
        if d["where"].startswith(prefix) and line.isdigit() and rest(d) == plain:
            sources.append(t.source)
            targets.append(t.target)
            lines.append(int(line))
        else:
            sources.append("")
            targets.append("")
            lines.append(0)
            others[i] = tuple(d[n] for n in _TERM_FIELDS)
    issue_rows = [(i.file, i.line, i.message, i.level) for i in issues]
    return (_VERSION, _TERM_FIELDS, sources, targets, lines, others, issue_rows, by_key)


def _load(path: Path, where: str) -> tuple[list[Term], list[LintIssue], dict[str, list[int]] | None] | None:
    """The cached parse, or None when it is stale or broken (then it is rebuilt)."""
    try:
        with open(path, "rb") as f:
            version, fields, sources, targets, lines, others, issue_rows, by_key = marshal.load(f)
        if version != _VERSION or fields != _TERM_FIELDS:
            return None
        prefix = f"{where}, line "
        base = dict(_PLAIN.__dict__)
        new = object.__new__
        terms: list[Term] = []
        for i, (s, tg, n) in enumerate(zip(sources, targets, lines)):
            if n:
                t = new(Term)
                d = t.__dict__
                d.update(base)
                d["source"], d["target"], d["where"] = s, tg, prefix + str(n)
            else:
                t = Term(*others[i])
            terms.append(t)
        return terms, [LintIssue(*i) for i in issue_rows], by_key
    except Exception:  # noqa: BLE001 — any stale or broken cache is rebuilt
        return None


def _cache_path(digest: str, where: str, lang: str) -> Path:
    from translator.stagecache import cache_root

    tag = hashlib.sha256(f"{where}\x1f{lang}\x1f{_rules()}".encode()).hexdigest()[:8]
    return cache_root() / f"glossary-{_VERSION}-{digest[:24]}-{tag}.marshal"


@lru_cache(maxsize=None)
def _rules() -> str:
    """What the cached keys are derived from besides the file: the lemma
    tables' version and the code that builds the keys."""
    from importlib import metadata

    from translator.terms import lemmas

    try:
        tables = metadata.version("spacy-lookups-data")
    except metadata.PackageNotFoundError:
        tables = "-"
    code = b"".join(Path(m).read_bytes() for m in (lemmas.__file__, __file__))
    return tables + hashlib.blake2b(code, digest_size=8).hexdigest()


def _store(path: Path, payload) -> None:
    try:
        from translator.io.writer import write_bytes

        write_bytes(path, marshal.dumps(payload))
    except (OSError, ValueError):
        pass  # no cache: slower next time, nothing else
