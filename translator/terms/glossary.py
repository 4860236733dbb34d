"""Glossaries: the terms an editor maintains, as CSV files.

A glossary file is `NAME.SRC-TGT.csv` (e.g. `glossaries/ai.en-es.csv`), UTF-8
with or without BOM, with a header naming its columns:

    source,target,note,pos,case_sensitive,dnt,forbidden

`source` and `target` are required; the others are optional. Booleans are
true/false/yes/no/1/0 or empty (false); `forbidden` lists wrong renderings
separated by `|`; a `dnt` (do not translate) entry may leave `target` empty
(it is the source). Loading is strict: the first problem raises GlossaryError
naming file and line. `lint` reports every problem instead.

The CSV row format is csvfile.py; matching find.py; enforcement match.py; TBX tbx.py.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Iterable, Sequence

from translator.io import csvsafe
from translator.errors import GlossaryError
from translator.terms.cache import parse_csv_cached
from translator.terms.csvfile import COLUMNS, EXTRA_COLUMNS, LintIssue, parse_csv
from translator.terms.find import TermHit, TermIndex
from translator.terms.term import Term

__all__ = ["COLUMNS", "Glossary", "LintIssue", "Term", "add_term", "filter_terms", "lint", "lint_terms",
           "load_glossary", "parse_csv", "read_csv", "remove_term", "resolve_paths", "write_csv"]

_NAME_RE = re.compile(r"^(?P<name>.+)\.(?P<src>[A-Za-z]{2,3}(?:_[A-Za-z]+)?)-(?P<tgt>[A-Za-z]{2,3}(?:_[A-Za-z]+)?)\.csv$")


@dataclass(frozen=True)
class Glossary:
    source_lang: str
    target_lang: str
    terms: tuple[Term, ...] = ()
    paths: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: dict[str, str] | Iterable[tuple[str, str]], source_lang: str,
                   target_lang: str) -> Glossary:
        """A glossary from plain source → target pairs (benchmarks, tests, the CLI)."""
        items = pairs.items() if isinstance(pairs, dict) else pairs
        return cls(source_lang, target_lang, tuple(Term(s, t) for s, t in items))

    def __len__(self) -> int:
        return len(self.terms)

    def lookup(self, source: str) -> Term | None:
        """The entry whose source is `source` (case-insensitive unless the entry is case-sensitive)."""
        for t in self.terms:
            if t.source == source or (not t.case_sensitive and t.source.lower() == source.lower()):
                return t
        return None

    def find(self, text: str) -> list[TermHit]:
        """Term occurrences in a source text (lemma-aware, longest match wins).
        An entry with a `context` counts only where one of its context words is
        near, one with a `pos` only in a form of that part of speech (context.py)."""
        from translator.terms.context import in_context, pos_fits

        lang = self.source_lang

        def keep(h: TermHit) -> bool:
            return pos_fits(h.term, text, h.start, h.end, lang, self.target_lang) and (
                not h.term.context or in_context(h.term, text, h.start, h.end, lang))
        return self.source_index.find(text, keep=keep)

    def entries_for(self, texts: Iterable[str]) -> list[Term]:
        """The terms occurring (lemma-aware) in any of these source texts, in glossary order."""
        texts = list(texts)
        self.source_index.warm(texts)
        found = {hit.term for text in texts for hit in self.find(text)}
        return sorted(found, key=self._order.__getitem__)  # glossary order, without a pass over all terms

    @cached_property
    def _order(self) -> dict[Term, int]:
        order: dict[Term, int] = {}
        for i, t in enumerate(self.terms):
            order.setdefault(t, i)
        return order

    # compiled matchers, built on first use (see terms.find)
    @cached_property
    def source_index(self) -> TermIndex:
        return TermIndex.for_sources(self.terms, self.source_lang)

    @cached_property
    def target_index(self) -> TermIndex:
        return TermIndex.for_targets(self.terms, self.target_lang)

    @cached_property
    def forbidden_index(self) -> TermIndex:
        return TermIndex.for_forbidden(self.terms, self.target_lang)


# --- maintenance ---------------------------------------------------------------


def add_term(glossary: Glossary, term: Term, *, replace_existing: bool = False) -> Glossary:
    """A glossary with `term` appended; an entry with the same source raises
    GlossaryError unless `replace_existing`, which replaces it in place."""
    existing = glossary.lookup(term.source)
    if existing is None:
        return replace(glossary, terms=glossary.terms + (term,))
    if not replace_existing:
        raise GlossaryError(f'"{term.source}" is already in the glossary (→ "{existing.rendering}"); '
                            "use --replace to change it")
    terms = tuple(term if t is existing else t for t in glossary.terms)
    return replace(glossary, terms=terms)


def remove_term(glossary: Glossary, source: str) -> Glossary:
    """A glossary without the entry for `source`; GlossaryError if there is none."""
    existing = glossary.lookup(source)
    if existing is None:
        raise GlossaryError(f'"{source}" is not in the glossary')
    return replace(glossary, terms=tuple(t for t in glossary.terms if t is not existing))


def filter_terms(glossary: Glossary, text: str = "") -> list[Term]:
    """Entries whose source, target, note or forbidden variants contain `text` (case-insensitive)."""
    needle = text.lower()
    if not needle:
        return list(glossary.terms)
    return [t for t in glossary.terms
            if any(needle in f.lower() for f in (t.source, t.target, t.note, *t.forbidden))]


# --- files ---------------------------------------------------------------------


def languages_of(path: str | Path) -> tuple[str, str] | None:
    """("en", "es") for `ai.en-es.csv`; None when the name carries no pair."""
    m = _NAME_RE.match(Path(path).name)
    return (m.group("src").lower(), m.group("tgt").lower()) if m else None


def default_glossary_dir() -> Path:
    """`glossaries/` in the working directory if there is one, else the defaults
    shipped in the package (package data)."""
    from importlib.resources import files

    here = Path.cwd() / "glossaries"
    return here if here.is_dir() else Path(str(files("translator") / "glossaries"))


def resolve_paths(paths: Sequence[str | Path], source_lang: str, target_lang: str,
                  default_dir: str | Path | None = None) -> list[Path]:
    """The glossary files to load: each given file, and in each given directory
    the files named `*.SRC-TGT.csv`. With no paths, the pair's files in
    `default_dir` (default: `default_glossary_dir()`; none there is fine)."""
    suffix = f".{source_lang}-{target_lang}.csv".lower()
    if not paths:
        d = Path(default_dir) if default_dir else default_glossary_dir()
        return sorted(p for p in d.glob("*.csv") if p.name.lower().endswith(suffix)) if d.is_dir() else []
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.glob("*.csv") if f.name.lower().endswith(suffix)))
        elif p.is_file():
            out.append(p)
        else:
            raise GlossaryError(f"{p}: no such glossary file or directory")
    return out


def load_glossary(paths: Sequence[str | Path], source_lang: str, target_lang: str,
                  default_dir: str | Path | None = None) -> Glossary:
    """One glossary from files and directories (see `resolve_paths`). When two
    entries define the same source, the later one wins; but of two that differ
    only in case ("approval" → "autorización", "Approval" → "Autorización"),
    the one in lower case stays, whatever the order: the text's case decides
    how it is written, where the capitalised one would be taken for a name."""
    merged: dict[str, Term] = {}
    files = resolve_paths(paths, source_lang, target_lang, default_dir)
    for path in files:
        for term in read_csv(path).terms:
            key = term.source if term.case_sensitive else term.source.lower()
            old = merged.pop(key, None)
            if old is not None and _same_but_case(old, term) and old.source == old.source.lower():
                term = old
            merged[key] = term
    return Glossary(source_lang, target_lang, tuple(merged.values()), tuple(str(p) for p in files))


def _same_but_case(a: Term, b: Term) -> bool:
    return a.target.lower() == b.target.lower() and a.source.lower() == b.source.lower() and \
        a.source != b.source


def read_csv(path: str | Path, source_lang: str = "", target_lang: str = "") -> Glossary:
    """A glossary file; languages from the file name unless given. Raises
    GlossaryError on the first malformed line."""
    path = Path(path)
    langs = languages_of(path) or ("", "")
    terms, issues = parse_csv_cached(_read_bytes(path), _display(path), source_lang or langs[0])
    errors = [i for i in issues if i.level == "error"]
    if errors:
        raise GlossaryError(str(errors[0]))
    return Glossary(source_lang or langs[0], target_lang or langs[1], tuple(terms), (str(path),))


def write_csv(glossary: Glossary | Iterable[Term], path: str | Path) -> None:
    """Write a glossary file atomically (a temporary file, then os.replace)."""
    terms = glossary.terms if isinstance(glossary, Glossary) else tuple(glossary)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    with_context = any(t.context for t in terms)
    writer.writerow(COLUMNS + (EXTRA_COLUMNS if with_context else ()))
    for t in terms:
        writer.writerow(csvsafe.row([t.source, "" if t.dnt and t.target == t.source else t.target, t.note, t.pos,
                         "true" if t.case_sensitive else "", "true" if t.dnt else "",
                         "|".join(t.forbidden)] + (["|".join(t.context)] if with_context else [])))  # no cell a spreadsheet would run as a formula
    from translator.io.writer import write_text

    write_text(Path(path), buf.getvalue())


def lint(path: str | Path) -> list[LintIssue]:
    """Every problem of a glossary file: format errors, and as warnings
    duplicates, conflicting targets and forbidden variants equal to a target."""
    path = Path(path)
    where = _display(path)
    terms, issues = parse_csv(_read_bytes(path), where)
    langs = languages_of(path)
    return issues + lint_terms(terms, where, langs) + sense_warnings(terms, where, langs)


def sense_warnings(terms: Sequence[Term], where: str, langs: tuple[str, str] | None) -> list[LintIssue]:
    """Warnings for one-word entries without a `context` whose target is one
    of several words of its part of speech that Apertium's dictionary gives
    for the source word: "save" → "guardar", where the dictionary also has
    «ahorrar» and «salvar», would turn «ahorrar dinero» into «guardar dinero»
    on general text. A target the dictionary lacks ("approval" →
    "autorización") is a choice of the glossary's own and is not warned
    about. Without the dictionary, none."""
    from translator.terms import lexicon
    from translator.terms.tagger import ADJ, NOUN, VERB, term_pos

    if langs is None:
        return []
    src, tgt = langs
    classes = {"n": NOUN, "vblex": VERB, "adj": ADJ}
    out: list[LintIssue] = []
    seen: set[str] = set()
    for t in terms:
        if t.context or t.dnt or not t.source.isalpha() or t.rendering.lower() == t.source.lower() \
                or t.source.lower() in seen:
            continue  # a phrase, a hyphenated or kept word ("Windows"), or said already ("Save" after "save")
        seen.add(t.source.lower())
        want = term_pos(t, tgt)
        if want not in (NOUN, VERB, ADJ):
            continue
        own = {t.rendering.lower()} | {lem.lower() for w in t.rendering.lower().split()
                                       for lem, _ in lexicon.analyses(w, tgt)}
        same = [w for w, tag in lexicon.senses(t.source.lower(), src, tgt) if classes.get(tag) == want]
        others = [w for w in same if w not in own and w != t.source.lower()]
        if others and own & set(same):  # the entry picks one of the dictionary's words, not a word of its own
            also = ", ".join(f'"{w}"' for w in others)
            out.append(LintIssue(where, _line_of(t), f'"{t.source}" → "{t.rendering}": Apertium\'s dictionary also '
                                 f"gives {also}; without a context the entry applies in every sense", "warning"))
    return out


def _line_of(t: Term) -> int:
    m = re.search(r"line (\d+)$", t.where)
    return int(m.group(1)) if m else 0


def lint_terms(terms: Sequence[Term], where: str = "<glossary>",
               langs: tuple[str, str] | None = None) -> list[LintIssue]:
    """Semantic problems of a list of terms (see `lint`). With languages,
    duplicates are found lemma-aware ("foundation models" = "foundation model")."""
    from translator.terms.lemmas import lemmatizer

    def key(text: str, lang: str | None, case: bool) -> str:
        if lang:
            toks = lemmatizer(lang).tokens(text)
            if toks and lang not in ("zh", "ja", "ko"):
                return " ".join(t.text if case else t.key for t in toks if t.key)
        return text if case else text.lower()

    issues: list[LintIssue] = []
    seen: dict[str, Term] = {}
    targets = {key(t.rendering, langs and langs[1], False): t for t in terms}
    for t in terms:
        k = key(t.source, langs and langs[0], t.case_sensitive)
        first = seen.get(k)
        if first is not None:
            if key(first.rendering, langs and langs[1], False) == key(t.rendering, langs and langs[1], False):
                msg = f'duplicate entry "{t.source}" (same as line {_line_of(first)})'
            else:
                msg = (f'conflicting targets for "{t.source}": "{t.rendering}" here, '
                       f'"{first.rendering}" on line {_line_of(first)}')
            issues.append(LintIssue(where, _line_of(t), msg, "warning"))
        else:
            seen[k] = t
        for variant in t.forbidden:
            other = targets.get(key(variant, langs and langs[1], False))
            if other is t:
                issues.append(LintIssue(where, _line_of(t), f'forbidden variant "{variant}" of "{t.source}" '
                                        "is its own target", "error"))
            elif other is not None:
                issues.append(LintIssue(where, _line_of(t), f'forbidden variant "{variant}" of "{t.source}" '
                                        f'is the target of "{other.source}" (line {_line_of(other)})', "warning"))
    return issues


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise GlossaryError(f"{_display(path)}: cannot read ({e.strerror or e})") from e


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
