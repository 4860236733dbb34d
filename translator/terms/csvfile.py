"""The glossary CSV format: columns, the strict row parser and its problems
(`LintIssue`). See `translator.terms.glossary` for the format itself."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Literal

from translator.io import csvsafe
from translator.terms.term import Term

COLUMNS = ("source", "target", "note", "pos", "case_sensitive", "dnt", "forbidden")
EXTRA_COLUMNS = ("context",)  # optional, written only when used (see Term.context)
REQUIRED = ("source", "target")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


@dataclass(frozen=True)
class LintIssue:
    file: str
    line: int  # 0: the whole file
    message: str
    level: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


def parse_csv(data: bytes, where: str = "<glossary>") -> tuple[list[Term], list[LintIssue]]:
    """Terms and every format problem found (errors skip their line)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return [], [LintIssue(where, line, f"not UTF-8 (byte 0x{data[e.start]:02x}); save the file as UTF-8")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        return [], [LintIssue(where, 1, f"bad CSV: {e}")]
    if header is None:
        return [], [LintIssue(where, 0, "empty file; the first line must be a header: " + ",".join(COLUMNS))]
    columns = [h.strip().lower() for h in header]
    problem = _header_problem(columns)
    if problem:
        return [], [LintIssue(where, 1, problem)]
    return _rows(reader, columns, where)


def _rows(reader, columns: list[str], where: str) -> tuple[list[Term], list[LintIssue]]:
    """The entries after the header; a malformed line is an issue (bad CSV ends the file)."""
    terms: list[Term] = []
    issues: list[LintIssue] = []
    si, ti = columns.index("source"), columns.index("target")
    others = [i for i in range(len(columns)) if i not in (si, ti)]
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            issues.append(LintIssue(where, reader.line_num, f"bad CSV: {e}"))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        row = [csvsafe.restore(cell) if cell[:1] == "'" else cell for cell in row]  # '=x written by write_csv reads back as =x
        if len(row) == len(columns) and not any(row[i].strip() for i in others):
            source, target = row[si].strip(), row[ti].strip()
            if source and target:  # the usual entry (a big glossary's every line): what _row_term gives, sooner
                terms.append(Term(source, target, where=f"{where}, line {line}"))
                continue
        term, problem = _row_term(dict(zip(columns, row)), len(row), len(columns), f"{where}, line {line}")
        if problem or term is None:
            issues.append(LintIssue(where, line, problem))
        else:
            terms.append(term)
    return terms, issues



def _header_problem(columns: list[str]) -> str:
    unknown = [c for c in columns if c not in COLUMNS + EXTRA_COLUMNS]
    if unknown:
        return f"bad header: unknown column {unknown[0]!r}; expected columns: {','.join(COLUMNS + EXTRA_COLUMNS)}"
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        return f"bad header: missing column {missing[0]!r}; expected columns: {','.join(COLUMNS + EXTRA_COLUMNS)}"
    dup = [c for c in columns if columns.count(c) > 1]
    if dup:
        return f"bad header: column {dup[0]!r} appears twice"
    return ""


def _row_term(row: dict[str, str], n_cells: int, n_columns: int, where: str) -> tuple[Term | None, str]:
    if n_cells != n_columns:
        return None, f"{n_cells} columns, expected {n_columns} (quote a value that contains a comma)"
    source = row["source"].strip()
    if not source:
        return None, "empty source"
    flags = {}
    for name in ("case_sensitive", "dnt"):
        value = row.get(name, "").strip().lower()
        if value not in _TRUE | _FALSE:
            return None, f"{name} must be true/false/yes/no/1/0 or empty, not {row[name]!r} (\"{source}\")"
        flags[name] = value in _TRUE
    target = row["target"].strip()
    if not target:
        if not flags["dnt"]:
            return None, f'empty target for "{source}"'
        target = source
    forbidden = tuple(v.strip() for v in row.get("forbidden", "").split("|") if v.strip())
    context = tuple(v.strip() for v in row.get("context", "").split("|") if v.strip())
    return Term(source, target, row.get("note", "").strip(), row.get("pos", "").strip(),
                flags["case_sensitive"], flags["dnt"], forbidden, where, context), ""


