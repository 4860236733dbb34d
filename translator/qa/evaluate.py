"""Scores for a translation against a reference: BLEU, chrF and TER
(sacrebleu, each with its signature), term success rate (glossary terms
whose target form is in the output, inflection-aware, via `terms`), and
structure fidelity (same tag/placeholder skeleton, same links).

Inputs pair up in one of three ways:
- newsletters (.html, .md): both parsed by the reader and aligned block by
  block (the review's alignment); a reference block the hypothesis lacks
  counts as an empty line;
- line-aligned text: line i of one file goes with line i of the other;
- JSONL: one object per line; the field to read is chosen per file
  (`hyp_field`, `ref_field`, `src_field`), and a `terms` field (a
  {source: target} map or a list of {source, target}) gives per-line terms.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from translator import formats
from translator.errors import InputError
from translator.io.reader import STRUCTURED

HYP_FIELDS = ("hyp", "translation", "output", "mt", "text")
REF_FIELDS = ("ref", "reference", "pe", "target", "es", "text")
SRC_FIELDS = ("src", "source", "en", "text")


@dataclass
class Corpus:
    """Aligned hypothesis / reference (/ source) texts."""

    hyps: list[str]
    refs: list[str]
    srcs: list[str] | None = None
    terms: list[list[tuple[str, str]]] | None = None  # per line, from JSONL
    kind: str = "lines"  # "documents" | "lines" | "jsonl"
    notes: list[str] = field(default_factory=list)
    structure: dict[str, Any] | None = None


# --- loading -----------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}, line {n}: not JSON ({e.msg})") from None
        if not isinstance(row, dict):
            raise InputError(f"{path}, line {n}: expected a JSON object")
        rows.append(row)
    return rows


def pick_field(rows: list[dict], wanted: str | None, defaults: Sequence[str], path: Path) -> str:
    if not rows:
        raise InputError(f"{path}: no lines")
    keys = [k for k, v in rows[0].items() if isinstance(v, str)]
    if wanted:
        if wanted not in rows[0]:
            raise InputError(f"{path}: no field '{wanted}' (fields: {', '.join(rows[0])})")
        return wanted
    for name in defaults:
        if name in keys:
            return name
    if len(keys) == 1:
        return keys[0]
    raise InputError(f"{path}: which field? choose one of {', '.join(keys)} with the field option")


def read_lines(path: Path, field_name: str | None, defaults: Sequence[str]) -> list[str]:
    """The texts of a line-aligned file or of one JSONL field."""
    if path.suffix.lower() == ".jsonl":
        rows = read_jsonl(path)
        name = pick_field(rows, field_name, defaults, path)
        return [str(r.get(name, "")) for r in rows]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln.rstrip("\r") for ln in lines]


def line_terms(path: Path, name: str = "terms") -> list[list[tuple[str, str]]] | None:
    """Per-line terms of a JSONL file: {source: target} or [{source, target}]."""
    if path.suffix.lower() != ".jsonl":
        return None
    rows = read_jsonl(path)
    if not rows or name not in rows[0]:
        return None
    out = []
    for r in rows:
        t = r.get(name) or {}
        if isinstance(t, dict):
            out.append([(str(k), str(v)) for k, v in t.items()])
        else:
            out.append([(str(x["source"]), str(x["target"])) for x in t if isinstance(x, dict) and "source" in x])
    return out


def load(
    hyp: Path,
    ref: Path,
    src: Path | None = None,
    *,
    hyp_field: str | None = None,
    ref_field: str | None = None,
    src_field: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> Corpus:
    """Pair up hypothesis and reference (and source) texts. Raises InputError."""
    for p in (hyp, ref, src):
        if p is not None and not p.is_file():
            raise InputError(f"{p}: no such file")
    if hyp.suffix.lower() in STRUCTURED or ref.suffix.lower() in STRUCTURED:
        return _load_documents(hyp, ref, src, source_lang, target_lang)
    hyps = read_lines(hyp, hyp_field, HYP_FIELDS)
    refs = read_lines(ref, ref_field, REF_FIELDS)
    if len(hyps) != len(refs):
        raise InputError(f"{hyp} has {len(hyps)} lines but {ref} has {len(refs)}: line-aligned files must match")
    srcs = None
    if src is not None:
        srcs = read_lines(src, src_field, SRC_FIELDS)
        if len(srcs) != len(hyps):
            raise InputError(f"{src} has {len(srcs)} lines but {hyp} has {len(hyps)}")
    terms = None
    for p in (src, ref, hyp):
        if p is not None and terms is None:
            terms = line_terms(p)
    kind = "jsonl" if ".jsonl" in (hyp.suffix.lower(), ref.suffix.lower()) else "lines"
    corpus = Corpus(hyps, refs, srcs, terms, kind)
    corpus.structure = line_structure(hyps, refs)
    return corpus


def _load_documents(hyp: Path, ref: Path, src: Path | None, source_lang, target_lang) -> Corpus:
    from translator.qa import review
    from translator.io.reader import read

    ref_doc = read(ref, source_lang=target_lang)
    hyp_doc = read(hyp, fmt=ref_doc.format, source_lang=target_lang or ref_doc.source_lang)
    rb, hb = review.blocks_info(ref_doc), review.blocks_info(hyp_doc)
    pairs = review.align(rb, hb, lambda a, b: review.block_similarity(a, b, 1.0), threshold=0.5)
    hyps, refs = [], []
    for i, j in pairs:
        if i is None:
            continue
        refs.append(rb[i].plain)
        hyps.append(hb[j].plain if j is not None else "")
    srcs = None
    if src is not None:
        src_doc = read(src, fmt=ref_doc.format, source_lang=source_lang)
        exp = _exp(src_doc.source_lang, ref_doc.source_lang)
        sb = review.blocks_info(src_doc)
        by_hyp = dict((j, i) for i, j in review.align(sb, hb, lambda a, b: review.block_similarity(a, b, exp), 0.5)
                      if i is not None and j is not None)
        by_ref = dict((i, j) for i, j in pairs if i is not None)
        srcs = []
        for i, j in pairs:
            if i is None:
                continue
            j = by_ref.get(i)
            k = by_hyp.get(j) if j is not None else None
            srcs.append(sb[k].plain if k is not None else "")
    corpus = Corpus(hyps, refs, srcs, None, "documents")
    corpus.structure = document_structure(ref_doc, hyp_doc, rb, hb, pairs)
    return corpus


def _exp(a: str, b: str) -> float:
    from translator.qa.checks import expected_ratio

    return expected_ratio(a or "en", b or "en")


# --- structure fidelity --------------------------------------------------------

_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*|\d{1,3})[^>]*?(/?)>")


def skeleton(text: str) -> Counter:
    """Tags and placeholders of a line: `<b>`, `</b>`, `<1>`, `<2/>`."""
    return Counter(f"<{m.group(1)}{m.group(2).lower()}{m.group(3)}>" for m in _TAG.finditer(text))


def line_structure(hyps: Sequence[str], refs: Sequence[str]) -> dict[str, Any]:
    from translator.qa.checks import urls_in_markup

    n = len(refs) or 1
    same_tags = sum(skeleton(h) == skeleton(r) for h, r in zip(hyps, refs))
    same_links = sum(Counter(urls_in_markup(h)) == Counter(urls_in_markup(r)) for h, r in zip(hyps, refs))
    return {"units": len(refs), "same_skeleton": round(same_tags / n, 4), "same_links": round(same_links / n, 4)}


def document_structure(ref_doc, hyp_doc, rb, hb, pairs) -> dict[str, Any]:
    from translator.qa.checks import markdown_refs, urls_in_markup

    matched = [(rb[i], hb[j]) for i, j in pairs if i is not None and j is not None]
    n = len(rb) or 1
    same = sum(a.kind == b.kind and a.tags == b.tags for a, b in matched)
    same_links = sum(Counter(a.links) == Counter(b.links) for a, b in matched)
    ref_refs = markdown_refs(ref_doc.text) if formats.get(ref_doc.format).link_references else None
    hyp_refs = markdown_refs(hyp_doc.text) if formats.get(hyp_doc.format).link_references else None
    doc_links = Counter(urls_in_markup(ref_doc.text, ref_refs)) == Counter(urls_in_markup(hyp_doc.text, hyp_refs))
    return {
        "units": len(rb),
        "same_skeleton": round(same / n, 4),
        "same_links": round(same_links / n, 4),
        "link_set_equal": doc_links,
        "missing_blocks": sum(1 for i, j in pairs if j is None),
        "added_blocks": sum(1 for i, j in pairs if i is None),
    }


# --- metrics -------------------------------------------------------------------


def _tokenizer(lang: str) -> str:
    return {"zh": "zh", "ja": "char", "ko": "char", "th": "char"}.get(lang, "13a")


def metrics(hyps: Sequence[str], refs: Sequence[str], target_lang: str | None = None) -> dict[str, Any]:
    """Corpus BLEU, chrF and TER with their sacrebleu signatures."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    lang = (target_lang or _detect(refs)).split("-")[0]
    cjk = lang in ("zh", "ja", "ko")
    out: dict[str, Any] = {"target_lang": lang}
    for name, metric in (("bleu", BLEU(tokenize=_tokenizer(lang))), ("chrf", CHRF()), ("ter", TER(asian_support=cjk))):
        result = metric.corpus_score(list(hyps), [list(refs)])
        out[name] = round(result.score, 2)
        out[f"{name}_signature"] = str(metric.get_signature())
    return out


def file_language(path: Path, field_name: str | None = None, defaults: Sequence[str] = SRC_FIELDS) -> str:
    """The language of a file's text (a newsletter, lines, or a JSONL field)."""
    if path.suffix.lower() in STRUCTURED:
        from translator.io.reader import read

        return read(path).source_lang
    return _detect(read_lines(path, field_name, defaults))


def _detect(texts: Sequence[str]) -> str:
    from translator.segment.language import detect

    return detect(" ".join(texts[:200]))


def term_success(glossary, srcs: Sequence[str], hyps: Sequence[str], target_lang: str) -> float | None:
    """Share of the glossary terms found in each source (lemma-aware) whose
    target form is in the hypothesis (`terms.term_success`)."""
    rows = []
    for s, h in zip(srcs, hyps):
        found = {hit.term.source: hit.term.rendering for hit in glossary.find(s)}
        rows.append((s, h, found))
    return _success(rows, target_lang)


def line_term_success(
    per_line: Sequence[Sequence[tuple[str, str]]], srcs: Sequence[str], hyps: Sequence[str], target_lang: str,
) -> float | None:
    """Term success with the terms given per line (a JSONL `terms` field)."""
    return _success([(s, h, dict(pairs)) for pairs, s, h in zip(per_line, srcs, hyps)], target_lang)


def _success(rows: list[tuple[str, str, dict[str, str]]], target_lang: str) -> float | None:
    from translator.terms import match as terms

    if not any(t for _, _, t in rows):
        return None
    return round(terms.term_success(rows, target_lang=target_lang), 4)


@dataclass
class Evaluation:
    corpus: Corpus
    scores: dict[str, Any]
    term_success: float | None = None
    glossary: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()  # hyp, ref[, src] file names

    @property
    def signature(self) -> str:
        """What produced these numbers, beside sacrebleu's own signatures."""
        from translator import __version__

        names = ("hyp", "ref", "src")
        parts = [f"{k}:{Path(v).name}" for k, v in zip(names, self.inputs)]
        parts += [f"kind:{self.corpus.kind}", f"units:{len(self.corpus.refs)}",
                  "glossary:" + (",".join(Path(g).name for g in self.glossary) or "none"),
                  f"translator:{__version__}"]
        return "|".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "signature": self.signature,
            "kind": self.corpus.kind,
            "units": len(self.corpus.refs),
            **self.scores,
            "term_success": self.term_success,
            "glossary": list(self.glossary),
            "structure": self.corpus.structure,
        }


def evaluate(
    hyp: Path,
    ref: Path,
    src: Path | None = None,
    *,
    glossary=None,
    hyp_field: str | None = None,
    ref_field: str | None = None,
    src_field: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> Evaluation:
    corpus = load(hyp, ref, src, hyp_field=hyp_field, ref_field=ref_field, src_field=src_field,
                  source_lang=source_lang, target_lang=target_lang)
    scores = metrics(corpus.hyps, corpus.refs, target_lang)
    tl = scores["target_lang"]
    success = None
    if glossary is not None and corpus.srcs is not None:
        success = term_success(glossary, corpus.srcs, corpus.hyps, tl)
    elif corpus.terms is not None:
        success = line_term_success(corpus.terms, corpus.srcs or [""] * len(corpus.hyps), corpus.hyps, tl)
    paths = tuple(getattr(glossary, "paths", ()) or ()) if glossary is not None else ()
    inputs = tuple(str(p) for p in (hyp, ref, src) if p is not None)
    return Evaluation(corpus, scores, success, paths, inputs)
