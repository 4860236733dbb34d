"""URLs written in the text changed, dropped or added (`links`); and the
link comparison `review` runs over whole blocks and files (`compare_links`,
`urls_in_markup`, `markdown_refs`), which the same name switches off."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Mapping

from translator.document import Suggestion, strip_placeholders
from translator.qa.checks.base import CheckContext, Pair, _s

NAME = "links"
NEEDS_SOURCE = True
ORDER = 70
QUIET_AFTER = ("empty",)

_ATTR_URL = re.compile(r"""\b(?:href|src|poster|data-src|cite|action)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_MD_DEST = re.compile(r"\]\(\s*(?:<([^>\n]*)>|([^)\s]+))")
_MD_REF = re.compile(r"\]\[([^\]\n]+)\]")
_BARE_URL = re.compile(r"""\b(?:https?|ftp)://[^\s<>"'`]+[^\s<>"'`.,;:!?)\]}）。，]|\bwww\.[\w-]+\.[^\s<>"'`]*[\w/]""")
_MD_DEF = re.compile(r"(?m)^[ ]{0,3}\[([^\]\n]+)\]:[ \t]*<?([^\s>]+)")


def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]:
    return tuple(text_urls(pair))


def text_urls(p: Pair) -> list[Suggestion]:
    """URLs written in the text itself (not behind placeholders)."""
    src = _BARE_URL.findall(strip_placeholders(p.source or ""))
    tgt = _BARE_URL.findall(strip_placeholders(p.target))
    if Counter(src) == Counter(tgt):
        return []
    return compare_links(p.id, src, tgt)


def urls_in_markup(raw: str, refs: Mapping[str, str] | None = None) -> list[str]:
    """Link targets and image sources in raw markup or text, in order:
    HTML attributes (href, src …), Markdown destinations `](url)`,
    reference links `][ref]` (resolved through `refs` when given) and bare
    URLs. Each URL is counted once where it sits."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _ATTR_URL.finditer(raw):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        found.append((m.start(), m.group(g).strip()))
        taken.append(m.span())
    for m in _MD_DEST.finditer(raw):
        g = 1 if m.group(1) is not None else 2
        found.append((m.start(), m.group(g).strip()))
        taken.append(m.span())
    for m in _MD_REF.finditer(raw):
        label = m.group(1).strip().lower()
        found.append((m.start(), (refs or {}).get(label, f"[{label}]")))
        taken.append(m.span())
    for m in _BARE_URL.finditer(raw):
        if not any(a <= m.start() < b for a, b in taken):
            found.append((m.start(), m.group(0)))
    return [u for _, u in sorted(found) if u]


def markdown_refs(text: str) -> dict[str, str]:
    """Reference-style link definitions of a Markdown text: {label: url}."""
    return {m.group(1).strip().lower(): m.group(2) for m in _MD_DEF.finditer(text)}


_LANG_PART = re.compile(
    r"(?<=[/.])(?:en|es|fr|de|it|pt|zh|ja|ko|ca|nl|ru)(?:[-_][a-z]{2,4})?(?:[/.]|$)"
    r"|[?&](?:lang|hl|locale)=[a-z]{2}(?:[-_][a-z]{2,4})?", re.I)


def _localized(a: str, b: str) -> bool:
    """Two URLs that differ only in a language code (/en/ → /es/, en.site →
    es.site, /talks → /es/talks, ?lang=es)."""
    return a != b and _LANG_PART.sub("", a) == _LANG_PART.sub("", b)


def compare_links(id_: str, source: Iterable[str], target: Iterable[str], *, where: str = "") -> list[Suggestion]:
    """Links and image sources dropped, changed or added between two lists of URLs."""
    src, tgt = Counter(source), Counter(target)
    lost, added = list((src - tgt).elements()), list((tgt - src).elements())
    where = f" {where}" if where else ""
    out = _localized_pairs(id_, lost, added, where)
    for url, new in zip(lost, added):
        out.append(_s(id_, "accuracy", "major", new, url,
                      f"Link or image source{where} changed from {url} to {new}.", "links"))
    for url in lost[len(added):]:
        out.append(_s(id_, "markup", "major", "", url, f"Link or image source{where} dropped: {url}.", "links"))
    for url in added[len(lost):]:
        out.append(_s(id_, "markup", "minor", url, "", f"Link or image source{where} added: {url}.", "links"))
    return out


def _localized_pairs(id_: str, lost: list[str], added: list[str], where: str) -> list[Suggestion]:
    """Take out of `lost` and `added` the URLs that only point to another
    language's page: a minor finding each."""
    out: list[Suggestion] = []
    for url in list(lost):
        match = next((a for a in added if _localized(url, a)), None)
        if match is not None:
            lost.remove(url)
            added.remove(match)
            out.append(_s(id_, "locale", "minor", match, url,
                          f"Link{where} points to a localized address ({match} instead of {url}): check it exists.",
                          "links"))
    return out
