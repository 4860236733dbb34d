"""Candidate glossary terms from an archive of newsletters.

Editors grow a glossary from their own writing: this finds what recurs and is
not in the glossary yet —

- names: capitalised words inside a sentence ("Hugging Face", "Mamba"),
  acronyms and words with inner capitals or digits ("DBRX", "FlashAttention",
  "GPT-4");
- noun phrases: runs of two or three content words ("context window",
  "mixture of experts" is left to the editor), counted by lemma so
  "foundation models" and "foundation model" are one candidate.

There is no tagger offline, so phrases are word n-grams without stop words at
either end; the counts and an example sentence let the editor judge.

Files are read by the translator's own reader and segmenter, so only the
text an engine would see counts (no markup, code, URLs or front-matter keys).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from translator.terms.glossary import Glossary
from translator.terms.lemmas import lemmatizer

STOP = {
    "en": set("""a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just let me more most
my myself no nor not now of off on once only or other our ours ourselves out over own same she should so
some such than that the their theirs them themselves then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you your yours yourself
yourselves new one two three first last next many much may might must per via like get got make made use
used using also well even still yet already way ways lot lots thing things today week weeks month months
year years day days time times here's it's that's we're you're let's""".split()),
    "es": set("""a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e
el ella ellas ellos en entre era es esa esas ese eso esos esta estaba estas este esto estos fue ha han hasta
hay la las le les lo los mas más me mi mis mucho muy nada ni no nos o otra otras otro otros para pero poco
por porque que qué se sea ser si sí sin sobre son su sus también te tiene todo todos tu tus un una uno unos
y ya yo año años día días semana mes""".split()),
}


@dataclass
class Candidate:
    text: str  # the most frequent written form
    count: int
    kind: str  # "name" or "phrase"
    example: str  # a sentence where it occurs
    files: set[str] = field(default_factory=set)


def newsletter_sentences(path: Path, lang: str) -> list[str]:
    """The sentences of a newsletter, as the translator segments it (markup,
    code, URLs and shortcodes left out). Files that cannot be read, or are in
    another language, give none."""
    from translator.document import strip_placeholders
    from translator.errors import TranslatorError
    from translator.io.reader import read

    try:
        doc = read(path)
    except TranslatorError:
        return []
    if doc.source_lang != lang:
        return []  # a newsletter in another language
    return [" ".join(strip_placeholders(s.source).split()) for s in doc.segments]


def newsletter_files(folder: str | Path) -> list[Path]:
    from translator.io.reader import newsletter_files as in_folder

    folder = Path(folder)
    return [folder] if folder.is_file() else in_folder(folder)


def extract_candidates(paths: Iterable[str | Path], lang: str = "en", glossary: Glossary | None = None,
                       min_count: int = 2, max_words: int = 3) -> list[Candidate]:
    """Recurring names and noun phrases not yet in the glossary, most frequent first."""
    lem = lemmatizer(lang)
    stop = STOP.get(lang, set())
    counts: Counter[tuple[str, tuple[str, ...]]] = Counter()
    forms: dict[tuple[str, tuple[str, ...]], Counter[str]] = defaultdict(Counter)
    examples: dict[tuple[str, tuple[str, ...]], str] = {}
    files: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
    lowercase: set[str] = set()  # keys of words seen in lower case: "Tools" is then no name
    for path in paths:
        path = Path(path)
        sents = newsletter_sentences(path, lang)
        for sent, toks in zip(sents, lem.tokens_many(sents)):
            words = [t for t in toks if t.key]
            lowercase.update(t.key for t in words if t.text.islower())
            for kind, span in _names(words, sent, stop) + _phrases(words, stop, max_words):
                key = (kind, tuple(t.key for t in span))
                counts[key] += 1
                forms[key][sent[span[0].start:span[-1].end]] += 1
                examples.setdefault(key, sent)
                files[key].add(str(path))
    names = {key[1] for key in counts if key[0] == "name"}
    for key in [k for k in counts if k[0] == "initial"]:  # "Zephyron opens …": a name seen elsewhere
        if key[1] in names:
            name = ("name", key[1])
            counts[name] += counts[key]
            forms[name].update(forms[key])
            files[name] |= files[key]
        del counts[key]
    out = []
    for key, n in counts.items():
        if n < min_count or (key[0] == "phrase" and key[1] in names):
            continue
        if key[0] == "name" and len(key[1]) == 1 and key[1][0] in lowercase:
            continue  # a common word capitalised in a heading or a list
        text = forms[key].most_common(1)[0][0]
        if glossary is not None and _covered(glossary, text):
            continue
        out.append(Candidate(text, n, key[0], examples[key], files[key]))
    out.sort(key=lambda c: (-c.count, c.kind != "name", c.text.lower()))
    return _drop_nested(out)


def _names(words, sent: str, stop: set[str]):
    found = []
    i = 1 if words and words[0].lower in stop else 0  # "Our Zephyron team": "Our" is no name
    while i < len(words):
        if i == 0 and not _namey(words[0].text, first=True) and _namey(words[0].text, first=False):
            j = 0
            while j + 1 < len(words) and _namey(words[j + 1].text, first=False) and \
                    sent[words[j].end:words[j + 1].start] in (" ", "-"):
                j += 1
            found.append(("initial", words[:j + 1]))
            i = j + 1
        elif _namey(words[i].text, first=(i == 0)):
            j = i
            while j + 1 < len(words) and _namey(words[j + 1].text, first=False) and \
                    sent[words[j].end:words[j + 1].start] in (" ", "-"):
                j += 1
            found.append(("name", words[i:j + 1]))
            i = j + 1
        else:
            i += 1
    return found


def _namey(word: str, first: bool) -> bool:
    if not word[:1].isalnum() or not word[-1].isalnum() or len(word) < 2 or word.isdigit():
        return False
    inner = any(c.isupper() for c in word[1:]) or (any(c.isdigit() for c in word) and word[0].isalpha())
    return inner or (word[0].isupper() and not first)


def _phrases(words, stop: set[str], max_words: int):
    found = []
    for n in range(2, max_words + 1):
        for i in range(len(words) - n + 1):
            span = words[i:i + n]
            if any(not t.text.isalpha() or len(t.text) < 2 or _namey(t.text, False) for t in span):
                continue
            if span[0].lower in stop or span[-1].lower in stop:
                continue
            if n > 2 and any(t.lower in stop and t.lower not in ("of", "de", "del") for t in span[1:-1]):
                continue
            found.append(("phrase", span))
    return found


def _covered(glossary: Glossary, text: str) -> bool:
    return any(h.start == 0 and h.end >= len(text.rstrip()) for h in glossary.find(text)) or \
        glossary.lookup(text) is not None


def _drop_nested(cands: list[Candidate]) -> list[Candidate]:
    """A phrase inside a longer one that is as frequent adds nothing."""
    keep = []
    for c in cands:
        low = c.text.lower()
        if any(low != o.text.lower() and low in o.text.lower() and o.count >= c.count for o in cands):
            continue
        keep.append(c)
    return keep
