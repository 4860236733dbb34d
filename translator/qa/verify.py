"""The last gate before a file is written: re-parse the assembled output
with an independent parser and compare its structure with the input's.

HTML goes through BeautifulSoup (lxml): the same elements in the same order,
the same attributes with the same values (translatable ones aside), the same
comments, scripts, styles and code. Markdown goes through markdown-it: the
same token stream, links, images and code; raw HTML blocks are compared as
HTML; front matter keeps its keys and untranslated values. Escaping makes
this hold by construction; the check is there so that a bug can never
publish a broken newsletter.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from translator import formats
from translator.formats.frontmatter import TRANSLATED_KEYS, LIST_KEYS, FrontMatterError, find, load
from translator.formats.html import BLOCK_TAGS, META_NAMES, SKIP_TAGS, TRANSLATABLE_ATTRS

_VERBATIM = frozenset("script style pre code kbd samp var textarea".split())


def structure_problem(before: str, after: str, fmt: str) -> str | None:
    """None when `after` has the structure of `before`, else what differs."""
    skeleton = {"html": html_skeleton, "markdown": markdown_skeleton}.get(formats.get(fmt).name)  # markup formats
    if skeleton is None:
        return None
    fm_problem = _front_matter_problem(before, after) if formats.get(fmt).front_matter else None
    return fm_problem or _first_difference(list(skeleton(before)), list(skeleton(after)))


def html_skeleton(text: str) -> Iterator[tuple]:
    """Block-level elements in order; the inline markup inside each as a
    multiset (a translation may move a link or a bold word)."""
    from bs4 import BeautifulSoup

    yield from _html_nodes(BeautifulSoup(text, "lxml"))


def _html_nodes(root) -> Iterator[tuple]:
    """("block", name, attributes, inline multiset) for `root`, then its nested
    blocks, depth first (an explicit stack: valid HTML nests deeper than
    Python's recursion limit)."""
    stack = [root]
    while stack:
        node = stack.pop()
        inline: Counter = Counter()
        nested: list = []
        _collect(node, inline, nested)
        yield ("block", node.name, _signature(node)[2], inline)
        stack.extend(reversed(nested))


def _collect(root, inline: Counter, nested: list) -> None:
    from bs4 import Comment, NavigableString, Tag

    stack = [(root, iter(root.children))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
        elif isinstance(child, Comment):
            inline[("comment", str(child))] += 1
        elif isinstance(child, NavigableString):
            if node.name in _VERBATIM:
                inline[("verbatim", str(child))] += 1
        elif isinstance(child, Tag):
            if child.name in BLOCK_TAGS or child.name in SKIP_TAGS:
                nested.append(child)
            else:
                inline[_signature(child)] += 1
                stack.append((child, iter(child.children)))


def _signature(tag) -> tuple:
    meta = tag.name == "meta" and str(tag.get("name") or tag.get("property") or "").lower() in META_NAMES
    attrs = tuple(sorted(
        (k, "…" if k in TRANSLATABLE_ATTRS or (meta and k == "content") else " ".join(v) if isinstance(v, list) else v)
        for k, v in (tag.attrs or {}).items()
    ))
    return ("tag", tag.name, attrs)


def markdown_skeleton(text: str) -> Iterator[tuple]:
    from translator.formats.markdown import parser

    fm = find(text)
    body = text if fm is None else "\n" * text[:fm.stop].count("\n") + text[fm.stop:]
    md = parser()

    def sig(tok) -> tuple:
        content = tok.content if tok.type in ("code_inline", "fence", "code_block", "html_inline") else ""
        return (tok.type, tok.tag, tok.markup, str(tok.attrs.get("href") or tok.attrs.get("src") or ""), content)

    def walk(tokens):
        for tok in tokens:
            if tok.type == "html_block":
                yield from (("html",) + t for t in html_skeleton(tok.content))
            elif tok.type == "inline":  # a translation may move inline markup
                yield ("inline", Counter(sig(c) for c in tok.children or [] if c.type not in ("text", "softbreak")))
            else:
                yield sig(tok)

    yield from walk(md.parse(body))


def _front_matter_problem(before: str, after: str) -> str | None:
    a, b = find(before), find(after)
    if (a is None) != (b is None):
        return "the front matter was lost or added"
    if a is None or b is None or a.kind != "yaml":
        return None
    try:
        ya = load(before, a) or {}
        yb = load(after, b) or {}
    except FrontMatterError as e:
        return f"the front matter is no longer valid YAML ({e})"
    if not isinstance(ya, dict) or not isinstance(yb, dict):
        return None
    if list(ya) != list(yb):
        return "front-matter keys changed"
    for key, value in ya.items():
        if key not in TRANSLATED_KEYS and key not in LIST_KEYS and yb[key] != value:
            return f"front-matter value of {key!r} changed"
    return None


def _first_difference(a: list, b: list) -> str | None:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            if x[:-1] == y[:-1] and isinstance(x[-1], Counter):
                lost, added = x[-1] - y[-1], y[-1] - x[-1]
                parts = [f"lost {_show(k)}" for k in lost] + [f"added {_show(k)}" for k in added]
                return f"in block {i + 1}: " + "; ".join(parts)
            return f"block {i + 1}: expected {_show(x)}, found {_show(y)}"
    if len(a) != len(b):
        return f"{len(a)} elements in the input, {len(b)} in the output"
    return None


def _show(item: tuple) -> str:
    return " ".join(str(p) for p in item if p and not isinstance(p, Counter))[:160]
