"""Inline markup lost or added between two aligned blocks (review): tag
names, or (label, raw) for verbatim pieces such as inline code and
shortcodes. Links are left to `links.compare_links`. Not a registered
check: `review` runs it on its block alignment."""

from __future__ import annotations

from collections import Counter

from translator.document import Suggestion
from translator.qa.checks.base import _s

LINK_TAGS = frozenset({"a", "link", "image", "img", "url", "email"})
VERBATIM = frozenset({"code", "kbd", "samp", "shortcode", "footnote", "html:kbd", "emojicode"})


def compare_markup(id_: str, source: Counter, target: Counter) -> list[Suggestion]:
    """Inline markup (tag names, or (label, raw) for verbatim pieces such as
    inline code and shortcodes) lost or added. Links are left to
    `compare_links`."""
    out: list[Suggestion] = []
    src = Counter({k: v for k, v in source.items() if _name(k) not in LINK_TAGS})
    tgt = Counter({k: v for k, v in target.items() if _name(k) not in LINK_TAGS})
    for key, n in (src - tgt).items():
        name, raw = _name(key), _raw(key)
        major = name in VERBATIM
        out.append(_s(id_, "markup", "major" if major else "minor", "", raw or f"<{name}>",
                      f"Markup lost: {raw or '<' + name + '>'}" + (f" (×{n})" if n > 1 else "")
                      + (" — it must be kept exactly as in the source." if major else "."),
                      "markup"))
    for key, n in (tgt - src).items():
        name, raw = _name(key), _raw(key)
        out.append(_s(id_, "markup", "minor", raw or "", "",
                      f"Markup added: {raw or '<' + name + '>'}" + (f" (×{n})" if n > 1 else "") + ".",
                      "markup"))
    return out


def _name(key) -> str:
    return key[0] if isinstance(key, tuple) else key


def _raw(key) -> str:
    return key[1] if isinstance(key, tuple) else ""
