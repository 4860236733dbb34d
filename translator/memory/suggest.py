"""`glossary suggest`: the terms editors keep correcting.

From the edits kept in the memory (what we wrote → what the editor made of
it), a word-level diff (difflib on tokens) gives each replaced stretch: the
machine rendering removed and the one chosen. The source words it renders
are found with Apertium when the pair has it: the source n-gram Apertium
translates to the removed words, else the one matching the removed words
translated back (lemma keys). Corrections seen at least `min_count` times
are suggestions: source → chosen (target), removed (forbidden).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from translator.document import strip_placeholders

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_MAX = 4  # longest stretch (in words) taken for a term


@dataclass(frozen=True)
class Candidate:
    source: str  # "" when the source words could not be found
    removed: str  # the machine rendering the editor removed (→ forbidden)
    target: str  # the rendering they chose (→ target)
    count: int
    example: str  # a source sentence where it happened


def corrections(history: list[tuple[str, str, str]], target_lang: str = "") -> list[tuple[str, str, str]]:
    """(source sentence, removed, chosen) for each replaced stretch of ≤ 4 words."""
    from translator.terms.align import is_function

    out = []
    for source, mt, edited in history:
        a = _WORD.findall(strip_placeholders(mt))
        b = _WORD.findall(strip_placeholders(edited))
        ops = difflib.SequenceMatcher(None, [w.lower() for w in a], [w.lower() for w in b], autojunk=False)
        for op, i1, i2, j1, j2 in ops.get_opcodes():
            if op != "replace" or i2 - i1 > _MAX or j2 - j1 > _MAX:
                continue
            x, y = a[i1:i2], b[j1:j2]
            while len(x) > 1 and len(y) > 1 and is_function(x[0], target_lang) and is_function(y[0], target_lang):
                x, y = x[1:], y[1:]  # "un modelo" → "una plantilla": the nouns are the correction
            while len(x) > 1 and len(y) > 1 and is_function(x[-1], target_lang) and is_function(y[-1], target_lang):
                x, y = x[:-1], y[:-1]
            removed, chosen = " ".join(x), " ".join(y)
            if all(is_function(w, target_lang) for w in x + y):
                continue  # articles, prepositions: grammar, not terminology
            if removed.lower() != chosen.lower() and any(c.isalpha() for c in removed + chosen):
                out.append((strip_placeholders(source), removed, chosen))
    return out


def suggest(memory, source_lang: str, target_lang: str, min_count: int = 2) -> list[Candidate]:
    from translator.memory.edits import edit_history

    found = corrections(edit_history(memory, source_lang, target_lang), target_lang)
    terms = _source_terms(found, source_lang, target_lang)
    groups: dict[tuple[str, str, str], list[tuple[str, str, str, str]]] = {}
    for (sentence, removed, chosen), term in zip(found, terms):
        groups.setdefault((term.lower(), removed.lower(), chosen.lower()), []).append((term, removed, chosen, sentence))
    out = []
    for items in groups.values():
        if len(items) >= min_count:
            term, removed, chosen, sentence = items[0]
            out.append(Candidate(term, removed, chosen, len(items), sentence))
    return sorted(out, key=lambda c: (-c.count, c.source, c.removed))


def _source_terms(found: list[tuple[str, str, str]], source_lang: str, target_lang: str) -> list[str]:
    """For each correction, the source words the removed rendering
    translated: by Apertium's dictionaries (a source word whose dictionary
    translation shares a lemma with a removed word), else the source n-gram
    Apertium translates to the removed words."""
    from translator.terms.apertium.process import apertium_mode, run_apertium

    forward = apertium_mode(source_lang, target_lang)
    if not found or forward is None:
        return [""] * len(found)
    by_dict = _dictionary_terms(found, forward, source_lang, target_lang)
    grams = sorted({g for (sentence, _, _), hit in zip(found, by_dict) if not hit for g in _ngrams(sentence)})
    fwd = dict(zip(grams, _translate(run_apertium, forward, grams)))
    out = []
    for (sentence, rem, _), hit in zip(found, by_dict):
        if not hit:
            options = _ngrams(sentence)
            hits = [g for g in options if _norm(fwd.get(g, "")) == _norm(rem)]
            hit = min(hits, key=lambda g: (len(g.split()), options.index(g))) if hits else ""
        out.append(hit)
    return out


def _dictionary_terms(found: list[tuple[str, str, str]], mode: str, source_lang: str = "",
                      target_lang: str = "") -> list[str]:
    """Source LUs (analyser) → target lemmas (bilingual dictionary), matched
    with the lemmas of the removed words (target analyser)."""
    import shutil

    files = _dictionary_files(mode)
    if files is None or not shutil.which("lt-proc"):
        return [""] * len(found)
    sentences = sorted({s for s, _, _ in found})
    removed = sorted({w for _, r, c in found for w in (r, c)})  # both renderings: the MT may not be Apertium's
    src_lines = _lt_proc(["-w"], files[0], [_escape(x) for x in sentences])
    rem_lines = _lt_proc(["-w"], files[2], [_escape(x) for x in removed])
    if not src_lines or not rem_lines:
        return [""] * len(found)
    src_lemmas = dict(zip(sentences, _source_lemmas(src_lines, files[1])))
    from translator.terms.align import is_function

    rem_lemmas = {r: [{_lemma(an) for an in ans} | {surface.lower()} for surface, ans in _lus(line)
                      if not is_function(surface, target_lang)]
                  for r, line in zip(removed, rem_lines)}
    return [_term(src_lemmas.get(sentence, []), [rem_lemmas.get(side, []) for side in (rem, chosen)], source_lang)
            for sentence, rem, chosen in found]


def _dictionary_files(mode: str) -> tuple[Path, Path, Path] | None:
    """The source analyser, the bilingual dictionary and the target analyser of `mode` ("eng-spa")."""
    from translator.terms.apertium.process import APERTIUM_DATA

    a, b = mode.split("-")
    files = None
    for root in APERTIUM_DATA:  # the first package of the last data folder that has them
        for d in root.glob("apertium-*"):
            if (d / f"{a}-{b}.automorf.bin").is_file() and (d / f"{a}-{b}.autobil.bin").is_file() \
                    and (d / f"{b}-{a}.automorf.bin").is_file():
                files = d / f"{a}-{b}.automorf.bin", d / f"{a}-{b}.autobil.bin", d / f"{b}-{a}.automorf.bin"
                break
    return files


def _lt_proc(flags: list[str], binary: Path, lines: list[str]) -> list[str]:
    """One lt-proc call, a line out per line in ([] when it fails)."""
    import subprocess

    text = "\n".join(ln.replace("\n", " ") for ln in lines) + "\n"
    try:
        res = subprocess.run(["lt-proc", *flags, str(binary)], input=text.encode(), capture_output=True,
                             timeout=300, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    out = res.stdout.decode("utf-8", "replace").split("\n")
    return out[:len(lines)] if res.returncode == 0 and len(out) >= len(lines) else []


def _source_lemmas(src_lines: list[str], bilingual: Path) -> list[list[tuple[str, set[str]]]]:
    """Per analysed sentence, each word and the target lemmas the bilingual
    dictionary gives for its analyses (every analysis, in one call)."""
    src_lus = [_lus(line) for line in src_lines]
    flat = [an for lus in src_lus for _, ans in lus for an in ans]
    bil = _lt_proc(["-b"], bilingual, [" ".join(f"^{an}$" for an in flat)]) if flat else []
    translated = iter(_lus(bil[0]) if bil else [])
    rows = []
    for lus in src_lus:
        row = []
        for surface, ans in lus:
            lemmas: set[str] = set()
            for _ in ans:
                _, outs = next(translated, ("", []))
                lemmas |= {_lemma(o) for o in outs}
            row.append((surface, lemmas))
        rows.append(row)
    return rows


def _term(row: list[tuple[str, set[str]]], sides: list[list[set[str]]], source_lang: str) -> str:
    """The source words whose dictionary lemmas meet the removed rendering's
    (`sides[0]`), else the chosen one's: the first run as long as the rendering."""
    from translator.terms.align import is_function

    for side in sides:
        want = [w for w in side if w]
        hits = [i for i, (surface, lemmas) in enumerate(row)
                if any(lemmas & w for w in want) and not is_function(surface, source_lang)]
        runs: list[list[int]] = []
        for i in hits:  # contiguous runs of matching words
            if runs and i == runs[-1][-1] + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        runs = [r for r in runs if len(r) <= _MAX]
        if runs:
            best = max(runs, key=lambda r: (min(len(r), len(want)), -r[0]))
            return " ".join(row[i][0] for i in best)
    return ""


def _escape(text: str) -> str:
    """Text for lt-proc: its stream-format characters ([ ] ^ $ / < > …) escaped."""
    return re.sub(r"([\[\]^$/\\<>@{}*#+~])", r"\\\1", text)


_LU = re.compile(r"\^((?:\\.|[^$\\])*)\$")


def _lus(line: str) -> list[tuple[str, list[str]]]:
    """`^surface/an1/an2$ …` → [(surface, [an1, an2])]; unknown words have none."""
    out = []
    for m in _LU.finditer(line):
        parts = [p.replace("\\/", "/") for p in re.split(r"(?<!\\)/", m.group(1))]
        surface, ans = parts[0], [p for p in parts[1:] if p and not p.startswith(("*", "@", "#"))]
        out.append((surface.replace("\\", ""), ans))
    return out


def _lemma(analysis: str) -> str:
    return analysis.split("<", 1)[0].lower()


def _ngrams(sentence: str) -> list[str]:
    words = _WORD.findall(sentence)
    return [" ".join(words[i:i + n]) for n in range(1, _MAX + 1) for i in range(len(words) - n + 1)]


def _translate(run_apertium, mode: str, texts: list[str]) -> list[str]:
    """One Apertium call for many short texts (one HTML paragraph each)."""
    import html

    if not texts:
        return []
    out = run_apertium(mode, "".join(f"<p>{html.escape(t, quote=False)}</p>\n" for t in texts), fmt="html")
    parts = [html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in re.findall(r"<p>(.*?)</p>", out, re.S)]
    if len(parts) != len(texts):  # should not happen; then no n-gram evidence
        return [""] * len(texts)
    return [re.sub(r"[*#@]", "", p) for p in parts]


def _norm(text: str) -> str:
    from translator.terms.lemmas import fold

    return " ".join(fold(w) for w in _WORD.findall(text))


def _lemma_key(text: str, lang: str) -> str:
    from translator.terms.lemmas import lemmatizer

    return " ".join(t.key for t in lemmatizer(lang).tokens(text)) or text.lower()


def apply_suggestions(path: Path, found: list[Candidate], source_lang: str, target_lang: str) -> int:
    """Add (or update) an entry per suggestion with a source term: the
    chosen rendering as target, the removed one as forbidden."""
    from dataclasses import replace

    from translator.terms.glossary import Glossary, Term, add_term, read_csv, write_csv

    g = read_csv(path) if path.exists() else Glossary(source_lang, target_lang, (), (str(path),))
    n = 0
    done: set[str] = set()
    for c in found:  # most frequent first: of conflicting corrections of one term, the commonest wins
        key = _lemma_key(c.source, source_lang)
        if not c.source or key in done:
            continue
        done.add(key)
        existing = g.lookup(c.source)
        if existing is None:
            term = Term(c.source, c.target, "from editors' corrections", forbidden=(c.removed,))
        else:
            forbidden = tuple(v for v in existing.forbidden + (c.removed,) if v.lower() != c.target.lower())
            term = replace(existing, target=c.target, forbidden=tuple(dict.fromkeys(forbidden)), dnt=False)
        g = add_term(g, term, replace_existing=existing is not None)
        n += 1
    write_csv(g, path)
    return n
