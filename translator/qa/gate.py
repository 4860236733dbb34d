"""The structure gate every writer of a translated file passes (a run, an
XLIFF import): re-parse the output and refuse it when its structure differs."""

from __future__ import annotations

from translator.document import Document
from translator.errors import TranslatorError


def verify_structure(doc: Document, text: str) -> None:
    """Re-parse the output with an independent parser (bs4, markdown-it)
    and refuse to write it if its structure differs from the input's."""
    from translator.qa.verify import structure_problem

    problem = structure_problem(doc.text, text, doc.format)
    if problem:
        raise TranslatorError(f"{doc.path}: the translated file failed the structure check ({problem}); nothing was written")
