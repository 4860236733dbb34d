"""How Apertium renders terms and sentences, for glossary enforcement."""

from __future__ import annotations

import html
import re
from typing import Sequence

from translator.terms.apertium.decode import decode, strip_marks as _strip_marks
from translator.terms.apertium.encode import Protect, encode, translate_cached
from translator.terms.apertium.process import apertium_mode


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
        self.prefetch_sources([t.source for t in terms])

    def prefetch_sources(self, sources: Sequence[str]) -> None:
        """Translate source words or phrases alone (singular and plural), in one Apertium run."""
        from translator.terms import morph

        todo = list(dict.fromkeys(s for s in sources if s not in self._renderings))
        if not todo or not self.mode:
            return
        forms = [list(dict.fromkeys([s, morph.pluralize(s, self.source_lang)])) for s in todo]
        outs = iter(translate_cached(self.mode, [encode(f) for fs in forms for f in fs]))
        for s, fs in zip(todo, forms):
            got = [next(outs) for _ in fs]
            self._renderings[s] = [_strip_marks(html.unescape(re.sub(r"<[^>]*>", "", o)), s, None).strip()
                                   for o in got if o]

    def renderings(self, term) -> list[str]:
        return self.source_renderings(term.source)

    def source_renderings(self, source: str) -> list[str]:
        """Apertium's renderings of `source` alone: as it is, then its plural."""
        if source not in self._renderings:
            self.prefetch_sources([source])
        return self._renderings.get(source, [])

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
        (and of its lemma), and of what the bilingual dictionary gives for
        each of its readings ("muestra" is "sample", and "show" as a form of
        "mostrar"): what source words it may stand for."""
        from translator.terms import lexicon
        from translator.terms.align import is_function
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
                for lemma in lexicon.translations(w, self.target_lang, self.source_lang):
                    keys += [t.key for t in src.tokens(lemma) if t.key and t.key.isalnum()
                             and not is_function(t.text, self.source_lang)]
                self._back[w] = tuple(dict.fromkeys(keys))
        return {w: self._back.get(w, ()) for w in words}
