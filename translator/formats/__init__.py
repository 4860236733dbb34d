"""File formats: HTML, Markdown (front matter included), plain text and
subtitles, each parsed into blocks by source offsets and rendered back from
its skeleton (`assemble`), so untouched markup survives byte for byte;
`localise` puts the target language into every output.

The registry: every module of this package that declares `FORMATS` (a
tuple of `base.Format`) is a member, found on first use. Callers ask it
(`formats.get(doc.format).markup`, `.escape(text)`, `formats.sniff(...)`)
instead of testing a format's name.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading

from translator.formats.base import LOOKS_LIKE, SAYS_SO, Format

_LOCK = threading.Lock()
_REGISTRY: dict[str, Format] = {}


def _members() -> dict[str, Format]:
    with _LOCK:
        if not _REGISTRY:
            found: dict[str, Format] = {}
            for info in pkgutil.iter_modules(__path__):
                module = importlib.import_module(f"{__name__}.{info.name}")
                for fmt in getattr(module, "FORMATS", ()):
                    if isinstance(fmt, Format):
                        found[fmt.name] = fmt
            _REGISTRY.update(sorted(found.items(), key=lambda kv: (kv[1].order, kv[0])))
        return _REGISTRY


def get(name: str) -> Format:
    """The format of this name (or alias: "md", "txt"). KeyError if unknown."""
    members = _members()
    if name in members:
        return members[name]
    for fmt in members.values():
        if name in fmt.aliases:
            return fmt
    raise KeyError(name)


def all_formats() -> tuple[Format, ...]:
    """Every registered format, in sniffing order."""
    return tuple(_members().values())


def names() -> dict[str, str]:
    """Every name and alias a user may give → the format's name."""
    out: dict[str, str] = {}
    for fmt in all_formats():
        out[fmt.name] = fmt.name
        out.update((alias, fmt.name) for alias in fmt.aliases)
    return out


def suffixes() -> dict[str, str]:
    """File suffix (".md") → format name."""
    return {suffix: fmt.name for fmt in all_formats() for suffix in fmt.suffixes}


def by_suffix(suffix: str) -> Format | None:
    name = suffixes().get(suffix.lower())
    return get(name) if name else None


def sniff(text: str, suffix: str = "") -> str:
    """The format of a text, from its suffix, else its content: a header
    that says so wins, then a plain-text suffix, then what it looks like."""
    by_ext = by_suffix(suffix)
    if by_ext and not by_ext.plain:
        return by_ext.name
    sure = [f for f in all_formats() if f.sniff(text) >= SAYS_SO]
    if sure:
        return sure[0].name
    if by_ext:
        return by_ext.name
    looks = [f for f in all_formats() if f.sniff(text) >= LOOKS_LIKE]
    return looks[0].name if looks else next(f.name for f in all_formats() if f.plain)
