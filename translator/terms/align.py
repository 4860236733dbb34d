"""Which words of a translation render a given source term.

Used by glossary enforcement on translations it did not draft itself (another
engine's output, a human draft). Two sources of evidence, both from an engine
that can translate (Apertium):

- `align_span`: the engine's own draft of the source, with the term marked,
  aligned word by word (lemma keys, difflib) with the translation;
- `residual_span`: elimination. A word of the translation is accounted for
  when it is linked to another source word (same word, shared lemma, cognate,
  or the engine's translation of it back into the source language); the run
  of words left over is the term's.
"""

from __future__ import annotations

import difflib
import re
from typing import Callable, Sequence

from translator.document import PLACEHOLDER_RE
from translator.terms.lemmas import Token, fold, lemmatizer
from translator.terms import morph


def align_span(draft: str, span: tuple[int, int], text: str,
               lang: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Where `draft[span]` went in `text`, by aligning the lemma keys of the
    content words of both (difflib): (span, None) when each end of the span
    falls in an identical stretch or in an equal-sized replaced stretch next to
    an identical one; (None, region) when it falls inside one replaced stretch
    whose words cannot be paired; (None, None) otherwise.

    When the content words alone pair nothing, the function words and
    punctuation are anchors too: "Cambio de Socio empresarial" and
    "Modificación de interlocutor comercial" share "de", so "Socio" went to
    "interlocutor"; "Socio empresarial (payer)" and "Interlocutor comercial
    (pagador)" share the brackets. The span found must be content words."""
    got = _align(content_tokens(draft, lang), content_tokens(text, lang), span)
    if got[0] is not None:
        return got
    full, _ = _align(_anchor_tokens(draft, lang), _anchor_tokens(text, lang), span)
    if full is not None and _all_content(text[full[0]:full[1]], lang):
        return full, None
    return got


def _anchor_tokens(text: str, lang: str) -> list[Token]:
    return [t for t in lemmatizer(lang).tokens(text) if t.key or not t.text.isalnum()]


def _all_content(span_text: str, lang: str) -> bool:
    words = span_text.split()
    return bool(words) and not is_function(words[0], lang) and not is_function(words[-1], lang)


def _align(a: list[Token], b: list[Token],
           span: tuple[int, int]) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    ia = [i for i, t in enumerate(a) if t.start >= span[0] and t.end <= span[1]]
    if not ia or not b:
        return None, None
    ops = difflib.SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False).get_opcodes()

    def block(i: int) -> int | None:
        return next((k for k, op in enumerate(ops) if op[1] <= i < op[2]), None)

    def locate(i: int) -> int | None:
        k = block(i)
        if k is None:
            return None
        tag, a1, a2, b1, b2 = ops[k]
        anchored = any(0 <= x < len(ops) and ops[x][0] == "equal" for x in (k - 1, k + 1))
        if tag == "equal" or (tag == "replace" and a2 - a1 == b2 - b1 and anchored):
            return b1 + i - a1
        return None

    j1, j2 = locate(ia[0]), locate(ia[-1])
    if j1 is not None and j2 is not None and j1 <= j2:
        return (b[j1].start, b[j2].end), None
    k = block(ia[0])
    if k is not None and k == block(ia[-1]) and ops[k][0] == "replace":
        b1, b2 = ops[k][3], ops[k][4]
        return None, (b[b1].start, b[b2 - 1].end)
    return None, None


def residual_span(source: str, hit: tuple[int, int], source_lang: str, text: str, lang: str, back_fn,
                  draft, n_target: int, region: tuple[int, int] | None = None,
                  taken: Sequence[tuple[int, int]] = (),
                  disagrees: Callable[[tuple[int, int]], bool] | None = None,
                  noun_at: Callable[[int], bool] | None = None) -> tuple[int, int] | None:
    """The run of words in `text` that translates the term, found by elimination:
    a word is accounted for when it is linked (same word, shared lemma, cognate,
    or engine back-translation) to another source word, or when the engine's
    draft has it outside the term. Of the runs left, prefer one in `region`
    (from the draft alignment), then one linked to the term itself, then the
    one next to where the term's neighbours went. Words inside `taken` (the
    renderings of the sentence's other glossary terms) are accounted for.
    `disagrees`: whether a span is not in the source term's number; of two
    equally likely runs, the one that agrees is taken. `noun_at`: whether
    the word of `text` starting there is a noun (a one-word term may then
    take its «de» complement too: «clave de acceso»). A run linked to
    nothing in the term is no evidence when it is only a guess (`_guess`):
    then None, and the finding stays open."""
    if back_fn is None and draft is None:
        return None  # no bilingual evidence at all: any choice would be a guess
    src = content_tokens(source, source_lang)
    inside = [t for t in src if t.start >= hit[0] and t.end <= hit[1]]
    before = [t for t in src if t.end <= hit[0]]
    after = [t for t in src if t.start >= hit[1]]
    mt = [t for t in content_tokens(text, lang) if not PLACEHOLDER_RE.search(text, t.start, t.end)]
    if not mt or not inside:
        return None
    back = back_fn([t.text for t in mt]) if back_fn else {}
    explained: set[str] = set()
    if draft:
        d_text, (ds, de) = draft
        explained = {t.key for t in content_tokens(d_text, lang) if t.end <= ds or t.start >= de}

    forward = {s.text: _forward_keys(s.text, source_lang, lang) for s in src} if back_fn else {}

    def linked(m: Token, s: Token) -> bool:
        return bool(m.keys & s.keys) or cognate(m.text, s.text) or bool(s.keys & set(back.get(m.text, ()))) \
            or bool(m.keys & forward.get(s.text, frozenset())) or _compound_head(back.get(m.text, ()), s)

    # unpinned: sentences the draft dropped or merged, where it put the term is then the only guide
    sentence, unpinned = _paired_sentence(source, hit, source_lang, text, lang)
    if sentence is not None:  # a word of another sentence renders none of this one's words
        mt = [t for t in mt if sentence[0] <= t.start and t.end <= sentence[1]]
        if not mt:
            return None
    to_term = [any(linked(m, s) for s in inside) for m in mt]
    links = [[k for k, s in enumerate(before + after) if linked(m, s)] for m in mt]
    free = [not _inside(mt[i], taken) and (to_term[i] or not (links[i] or mt[i].key in explained))
            for i in range(len(mt))]
    runs: list[list[int]] = []
    for i, f in enumerate(free):
        # a one-word target is rendered by no run with a word between («gastos de la siguiente manera»)
        # but a noun and its complement joined by "de" («clave de acceso» for "password")
        apart = n_target == 1 and i > 0 and bool(re.search(r"\w", text[mt[i - 1].end:mt[i].start])) \
            and not _of_complement(text, mt[i - 1], mt[i], lang, noun_at)
        if f and runs and runs[-1][-1] == i - 1 and not apart:
            runs[-1].append(i)
        elif f:
            runs.append([i])
    off_region = False  # what is left over lies away from where the draft put the term
    if region:
        at = [i for i, t in enumerate(mt) if region[0] <= t.start and t.end <= region[1]]
        left_in_region = [[i for i in r if i in at] for r in runs]
        # not a run in the region that is plural for a singular term, or the reverse («período» for
        # "prorated charges», where the draft's «cargos» met «período»): then a run next to it
        inside_region = [r for r in left_in_region
                         if r and (disagrees is None or not disagrees((mt[r[0]].start, mt[r[-1]].end)))]
        near = [r for r in runs if any(to_term[i] for i in r)  # a run linked to the term counts wherever it is
                or (any(left_in_region) and min(abs(i - j) for i in r for j in at) <= _NEAR)]
        # (in one sentence or one of as many, the region may just be out of order: Apertium's
        # «el cargar botón» for "the upload button" puts the term on the verb, all accounted for)
        off_region = unpinned and not inside_region and not near
        runs = inside_region or near or runs
    strong = [r for r in runs if any(to_term[i] for i in r)]
    pool = strong or runs
    if not pool:
        return None
    left = [i for i, ls in enumerate(links) if any(k == len(before) - 1 for k in ls)]
    right = [i for i, ls in enumerate(links) if any(k == len(before) for k in ls)]

    def distance(run: list[int]) -> float:
        """How many words lie between the run and where one of the term's
        neighbours went, on either side (Spanish often turns the order round:
        "Maintenance Orders tab" → "la pestaña Órdenes de mantenimiento")."""
        return min([max(run[0] - i - 1, i - run[-1] - 1) for i in left + right] + [float("inf")])

    def outside(run: list[int]) -> bool:
        """Whether the run is not enclosed by the places the term's two
        neighbours went, in either order: «etiqueta» between «órdenes» and
        «muestra» for "Orders tab shows", «artículo» between «nivel» and «línea»
        for "line-item level"."""
        return not any(min(i, j) < run[0] and run[-1] < max(i, j) for i in left for j in right)

    if len(pool) > 1:
        pool = sorted(pool, key=lambda r: (distance(r), outside(r)))
        best = [r for r in pool if (distance(r), outside(r)) == (distance(pool[0]), outside(pool[0]))]
        if len(best) > 1:
            # two equally likely places: the one in the source term's number, when only one is
            # ("prorated charges" → «gastos», not «período», in «Este período se calculan los gastos»)
            agree = [r for r in best if disagrees is not None and not disagrees((mt[r[0]].start, mt[r[-1]].end))]
            if len(agree) != 1:
                return None
            pool = agree
    whole = pool[0]
    if not strong and _guess(off_region, distance(whole), sum(free) - len(whole)):
        return None
    run = whole
    if strong:
        at = [i for i in whole if to_term[i]]
        run = [i for i in whole if at[0] <= i <= at[-1]]
        while len(run) < n_target and (run[-1] + 1 in whole or run[0] - 1 in whole):
            run = run + [run[-1] + 1] if run[-1] + 1 in whole else [run[0] - 1] + run
    if len(run) > n_target + 1:
        return None
    if not strong and len(run) > n_target and mt[run[0]].keys & _AUXILIARY.get(lang, set()):
        run = run[1:]  # «Deberá grabar» for "must save": the verb that carries the sense comes after the auxiliary
    if not (n_target == 1 and len(run) == 2
            and _of_complement(text, mt[run[0]], mt[run[1]], lang, noun_at)):
        run = run[:n_target]
    return mt[run[0]].start, mt[run[-1]].end


def _compound_head(back: Sequence[str], s: Token) -> bool:
    """Whether a back-translation is an English compound with the source word
    as its head: «recuento» → "headcount" for "count" (the «recuento» of
    "token count" is not the token's)."""
    low = s.text.lower()
    return len(low) >= 4 and low.isalpha() and any(len(b) > len(low) and b.endswith(low) for b in back)


def term_sentence(source: str, hit: tuple[int, int], source_lang: str, text: str,
                  lang: str) -> tuple[int, int] | None:
    """The sentence of `text` that translates the source sentence with the
    term, when both have as many sentences (the k-th for the k-th); None
    when there is one sentence or the counts differ (a merged or a dropped
    sentence: no telling which is which)."""
    return _paired_sentence(source, hit, source_lang, text, lang)[0]


def _paired_sentence(source: str, hit: tuple[int, int], source_lang: str, text: str,
                     lang: str) -> tuple[tuple[int, int] | None, bool]:
    """`term_sentence`, and whether the source has several sentences that do
    not pair up with the text's."""
    from translator.segment.sentences import split

    starts, into = [0] + split(source, source_lang), [0] + split(text, lang)
    if len(starts) == 1 or len(starts) != len(into):
        return None, len(starts) > 1
    k = max(i for i, st in enumerate(starts) if st <= hit[0])
    return (into[k], (into + [len(text)])[k + 1]), False


# how far (in words) a run linked to nothing may lie from where the term's neighbours went,
# and how many other words may be left over, for elimination to still be evidence
_NEAR, _LEFT_OVER = 4, 8


def _guess(off_region: bool, distance: float, left_over: int) -> bool:
    """Whether a run linked to nothing in the term is only a guess: it lies
    away from where the draft put the term in a text whose sentences do not
    pair up («cámaras» for "courses", where the draft had the term in a
    sentence this translation left out), far from the term's neighbours, or
    many other words are left over too (a loose translation or a poor
    draft: «montón» for "weight" in a paragraph with a dozen words
    unexplained)."""
    return off_region or _NEAR < distance < float("inf") or left_over > _LEFT_OVER


def _of_complement(text: str, a: Token, b: Token, lang: str, noun_at: Callable[[int], bool] | None) -> bool:
    """Whether `a` is a noun (`noun_at`: as tagged in context) joined to `b`
    as its complement ("de" in «clave de acceso»; not «sirve de nada», a verb)."""
    if lang != "es" or noun_at is None or text[a.end:b.start].strip().lower() not in ("de", "del"):
        return False
    return noun_at(a.start)


def _forward_keys(word: str, source_lang: str, lang: str) -> frozenset[str]:
    """Lemma keys of what the bilingual dictionary gives for a source word:
    "room" → «sala», «espacio», «habitación», so «espacio» in "más espacio
    que mi bichito" is accounted for by "room", and "bug" went elsewhere."""
    from translator.terms.lexicon import translations

    lem = lemmatizer(lang)
    return frozenset(k for t in translations(word, source_lang, lang) for tok in lem.tokens(t) for k in tok.keys
                     if not is_function(tok.text, lang))


# verbs that go before another verb's infinitive, gerund or participle and carry none of its sense
_AUXILIARY = {"es": {"deber", "poder", "querer", "soler", "haber", "ir", "ser", "estar", "tener"}}


def compound_span(source: str, hit: tuple[int, int], source_lang: str, text: str, lang: str,
                  back_fn) -> tuple[int, int] | None:
    """A title that is an English compound of nouns and its Spanish
    rendering, the same words in the opposite order joined by "de": "Posting
    Partner Category" → «Tipo de interlocutor de contabilización», so
    "Partner" went to «interlocutor». Only when the source is nothing but
    the compound, the translation nothing but as many words joined by "de",
    and no word's back-translation says otherwise."""
    if source_lang != "en" or lang != "es":
        return None
    src = lemmatizer(source_lang).tokens(source)
    src_words = [t for t in src if t.text[:1].isalnum()]
    mt = [t for t in lemmatizer(lang).tokens(text) if t.text[:1].isalnum()]
    if not 2 <= len(src_words) <= 4 or any(is_function(t.text, source_lang) for t in src_words) \
            or not all(t.text[:1].isupper() for t in src_words):
        return None
    content = [t for t in mt if t.lower not in _LINKS]
    if len(content) != len(src_words) or not re.fullmatch(
            r"\s*" + r"(?:\s+(?:de|del|de la|de los|de las)\s+|\s+)".join(re.escape(t.text) for t in content) + r"\s*",
            text):
        return None
    inside = [i for i, t in enumerate(src_words) if t.start >= hit[0] and t.end <= hit[1]]
    if len(inside) != 1:
        return None
    k = len(content)
    back = back_fn([t.text for t in content]) if back_fn else {}
    for j, m in enumerate(content):
        linked = [i for i, s in enumerate(src_words) if m.keys & s.keys or cognate(m.text, s.text)
                  or s.keys & set(back.get(m.text, ()))]
        if linked and k - 1 - j not in linked:
            return None  # a word is linked to another place than the reversed order gives
    j = k - 1 - inside[0]
    return content[j].start, content[j].end


_LINKS = {"de", "del", "la", "los", "las"}


def _inside(tok: Token, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= tok.start and tok.end <= b for a, b in spans)


def cognate(a: str, b: str) -> bool:
    """Words that share most of their beginning ("configuration", "configuración")."""
    a, b = fold(a), fold(b)
    shortest = min(len(a), len(b))
    if shortest < 4:
        return False
    p = 0
    while p < shortest and a[p] == b[p]:
        p += 1
    return p >= max(4, int(0.7 * shortest))


def content_tokens(text: str, lang: str) -> list[Token]:
    return [t for t in lemmatizer(lang).tokens(text) if t.key and not is_function(t.text, lang)]


def is_function(word: str, lang: str) -> bool:
    low = word.lower()
    if not any(c.isalnum() for c in low):
        return True
    if lang == "es":
        return low in morph.ES_FUNCTION
    if lang == "en":
        return low in EN_FUNCTION
    return False


EN_FUNCTION = set("""the a an of to in for on and or with by at from as is are be been was were it its this
that these those you your we our they their he she his her i my me us them can may must will would should
could do does did not no if then than so such there here which who whom what when where how all any each
some more most also only just very into onto about over under""".split())
