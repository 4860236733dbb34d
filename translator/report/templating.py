"""The page's jinja2 environment: templates and assets shipped in
`translator/report/templates/`, autoescape on for every template, and
undefined names an error (a typo in a template fails the render, not the
reader).

Escaping is autoescape's: every `{{ value }}` that is not `Markup` is
escaped by markupsafe. `finalize` only respells its quote entities the way
`html.escape` (and this page before the template) wrote them, `&quot;` and
`&#x27;` for markupsafe's `&#34;` and `&#39;` (the same characters; the
spelling pages and their tests have always had).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterator

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup, escape

_PLACEHOLDER = re.compile(r"(</?\d{1,3}/?>)")  # the pipeline's inline-markup tokens: <1>, </1>, <2/>


def template(name: str) -> Template:
    return _environment().get_template(name)


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """A static file next to the templates (the page's CSS and script), as shipped, without its final newline."""
    loader = _environment().loader
    assert loader is not None
    source, _, _ = loader.get_source(_environment(), name)
    return source.removesuffix("\n")


def placeholder_pieces(text: Any) -> Iterator[tuple[str, bool]]:
    """`text` cut into (piece, is_placeholder): the template shows placeholder tokens as small tags."""
    for i, piece in enumerate(_PLACEHOLDER.split(str(text))):
        if piece:
            yield piece, i % 2 == 1


def _finalize(value: Any) -> Any:
    if hasattr(value, "__html__"):
        return value
    text = str(escape(value))
    if "&#3" in text:
        text = text.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return Markup(text)


@lru_cache(maxsize=None)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("translator.report", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pieces"] = placeholder_pieces
    return env
