"""A glossary file parsed once: per process, and for a big file once per
content (plain tuples, marshalled, in $XDG_CACHE_HOME/newsletter-translator),
with the lemma keys of each entry's first word (what `index.for_document`
filters on)."""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import re
from pathlib import Path

from translator.terms.csvfile import LintIssue, parse_csv
from translator.terms.lemmas import NO_LEMMAS, lemmatizer
from translator.terms.term import Term

_WORD = re.compile(r"[^\W_]+")
_CAMEL = re.compile(r"(?<=[a-záéíóúñü])(?=[A-ZÁÉÍÓÚÑ][a-záéíóúñü])")


def words(text: str) -> list[str]:
    """Runs of letters and digits, camelCase parts apart, lowercased (as lemmas.py splits "FlashAttention")."""
    return [p.lower() for w in _WORD.findall(text) for p in (w, *_CAMEL.split(w)) if p]


# --- first-word keys, kept between runs ------------------------------------------------

_FIRST: dict[tuple[str, Term], frozenset[str]] = {}


def first_keys(term: Term, lem) -> frozenset[str]:
    got = _FIRST.get((lem.lang, term))
    if got is None:
        first = words(term.source)[:1]
        got = frozenset((first[0], *lem.keys(first[0]))) if first else frozenset()
        _FIRST[(lem.lang, term)] = got
    return got


_PARSED: dict[tuple[str, str], tuple[list[Term], list]] = {}
BIG = 1_000_000  # bytes: a glossary this large is parsed once and kept in the user's cache
_VERSION = "v1"
_TERM_FIELDS = tuple(f.name for f in dataclasses.fields(Term))


def parse_csv_cached(data: bytes, where: str, source_lang: str = "") -> tuple[list[Term], list]:
    """glossary.parse_csv, parsed once per process; a big file also once per
    content (plain tuples, marshalled, in $XDG_CACHE_HOME/newsletter-translator),
    with the first-word keys of its entries."""
    digest = hashlib.sha256(data).hexdigest()
    key = (digest, where)
    if key in _PARSED:
        return _PARSED[key]
    lang = source_lang.split("-")[0].lower()
    path = _cache_path(digest, where, lang) if len(data) >= BIG else None
    got = None
    if path is not None and path.exists():
        try:
            with open(path, "rb") as f:
                fields, rows, issue_rows, first = marshal.load(f)
            if fields != _TERM_FIELDS:
                raise ValueError("Term changed")
            terms = [Term(*r) for r in rows]
            got = (terms, [LintIssue(*i) for i in issue_rows])
            if lang and first:
                _FIRST.update(zip(((lang, t) for t in terms), map(frozenset, first)))
        except Exception:  # a stale or broken cache is rebuilt
            got = None
    if got is None:
        got = parse_csv(data, where)
        if path is not None and not [i for i in got[1] if i.level == "error"]:
            first = []
            if lang and lang not in NO_LEMMAS:
                lem = lemmatizer(lang)
                first = [tuple(sorted(first_keys(t, lem))) for t in got[0]]
            rows = [tuple(getattr(t, n) for n in _TERM_FIELDS) for t in got[0]]
            _store(path, (_TERM_FIELDS, rows, [(i.file, i.line, i.message, i.level) for i in got[1]], first))
    _PARSED[key] = got
    return got


def _cache_path(digest: str, where: str, lang: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    tag = hashlib.sha256(f"{where}\x1f{lang}".encode()).hexdigest()[:8]
    return Path(base) / "newsletter-translator" / f"glossary-{_VERSION}-{digest[:24]}-{tag}.marshal"


def _store(path: Path, payload) -> None:
    try:
        from translator.io.writer import write_bytes

        write_bytes(path, marshal.dumps(payload))
    except (OSError, ValueError):
        pass  # no cache: slower next time, nothing else
