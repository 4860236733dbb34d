"""The structure gate every writer of a translated file passes (a run, an
XLIFF import): re-parse the output and refuse it when its structure differs."""

from __future__ import annotations

from typing import Callable, Mapping

from translator.document import Document
from translator.errors import TranslatorError


def verify_structure(doc: Document, text: str) -> None:
    """Re-parse the output with an independent parser (bs4, markdown-it)
    and refuse to write it if its structure differs from the input's."""
    from translator.qa.verify import structure_problem

    problem = structure_problem(doc.text, text, doc.format)
    if problem:
        raise TranslatorError(f"{doc.path}: the translated file failed the structure check ({problem}); nothing was written")


def breaking_segments(doc: Document, texts: Mapping[str, str], whole: str,
                      render: Callable[[Mapping[str, str]], str]) -> list[str]:
    """The ids of the translations that break the file's structure
    (`_palabra_s` is no emphasis), found by halving: `whole` is the file
    made of all of them, checked once; only when it fails, `render`
    assembles it from some of them (the others are the source's)."""
    from translator.qa.verify import structure_problem

    def fails(ids: list[str]) -> bool:
        return structure_problem(doc.text, render({i: texts[i] for i in ids}), doc.format) is not None

    def search(ids: list[str]) -> list[str]:
        if len(ids) == 1:
            return ids
        half = len(ids) // 2
        left, right = ids[:half], ids[half:]
        bad = (search(left) if fails(left) else []) + (search(right) if fails(right) else [])
        return bad or ids  # only together: keep them all

    if structure_problem(doc.text, whole, doc.format) is None:
        return []
    changed = [s.id for s in doc.segments if s.id in texts and texts[s.id] != s.source]
    return search(changed) if changed and fails(changed) else []
