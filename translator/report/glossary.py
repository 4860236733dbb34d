"""The page's glossary section: a one-line headline (terms kept,
violations) over the statistics themselves, whatever their exact shape
(tables of rows, mappings, lists: `terms_dict` passes them through)."""

from __future__ import annotations

from typing import Any, Iterator, Mapping


def glossary_view(terms: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What the template shows of `terms` (None: no glossary section)."""
    if not terms:
        return None
    return {"head": headline(terms), "parts": list(_parts(terms))}


def headline(terms: Mapping[str, Any]) -> str:
    scalars = {k: v for k, v in terms.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)}
    if "found" in scalars and "satisfied" in scalars:
        rate = scalars.get("success_rate")
        broken = terms.get("violations", 0)
        broken = len(broken) if isinstance(broken, (list, tuple)) else broken
        return (f"{scalars['satisfied']}/{scalars['found']} glossary terms kept"
                + (f" ({rate:.0%})" if isinstance(rate, (int, float)) else "")
                + f" · {broken} violations")
    if "forbidden_found" in scalars:
        return f"{scalars['forbidden_found']} forbidden renderings found"
    return " · ".join(f"{k.replace('_', ' ')}: {v}" for k, v in scalars.items())


def _parts(terms: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Each non-scalar statistic as a table (a list of rows), a two-column
    table (a mapping) or a line (a list of values); empty ones are left out."""
    for key, value in terms.items():
        title = key.replace("_", " ")
        if isinstance(value, list) and value and all(isinstance(x, Mapping) for x in value):
            cols = list(dict.fromkeys(col for row in value for col in row))
            yield {"kind": "table", "cols": cols, "rows": [[cell(row.get(col, "")) for col in cols] for row in value]}
        elif isinstance(value, Mapping) and value:
            yield {"kind": "pairs", "title": title, "rows": [(k, cell(v)) for k, v in value.items()]}
        elif isinstance(value, list) and value:
            yield {"kind": "list", "title": title, "text": ", ".join(map(cell, value))}


def cell(v: Any) -> str:
    """A value as table text: collections comma-separated (sets sorted), mappings as `key: value`."""
    if isinstance(v, (list, tuple, set, frozenset)):
        return ", ".join(map(cell, sorted(v, key=str) if isinstance(v, (set, frozenset)) else v))
    if isinstance(v, Mapping):
        return ", ".join(f"{k}: {cell(x)}" for k, x in v.items())
    return str(v)
