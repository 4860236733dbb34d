"""Markup that can run code, added by a translation.

A translation may carry what its source never had: a live `<script>`, an
`onerror=` handler, a `javascript:` link, an `<iframe srcdoc=…>`. Whoever
wrote it (a model, a draft from elsewhere, a hostile contributor), publishing
it runs code in every reader's browser. This module finds such markup in HTML
and in Markdown (raw HTML, link and image destinations) and reports what the
translation has that the source has not, as critical findings:

- elements that run or embed code: script, iframe, frame, frameset, object,
  embed, applet, base (it re-targets every relative link), and
  `<meta http-equiv=refresh>` to a script URL;
- event-handler attributes (`on*`), `srcdoc`, and `style` with `expression(`
  or a script URL;
- URLs with the schemes javascript:, vbscript:, or data: carrying HTML or SVG,
  in any attribute that holds a URL (and in Markdown links and images).

`review` reports them (`findings`); `translate` refuses to publish an output
that adds any (`check_output` raises UnsafeContentError: nothing is written).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

from translator.qa.checks import _clip
from translator import formats
from translator.document import Suggestion
from translator.errors import TranslatorError

ELEMENTS = frozenset("script iframe frame frameset object embed applet base".split())
URL_ATTRS = frozenset("""href src action formaction data poster background cite longdesc dynsrc lowsrc
    xlink:href codebase classid archive manifest ping icon srcset""".split())
_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript):|^data:(?:text/html|application/(?:x-)?xhtml|image/svg)")
_TEXT_ATTRS = frozenset("alt title placeholder aria-label lang".split())  # translated: not code
_STRIP = re.compile(r"[\x00-\x20\x7f]+")  # browsers ignore these inside a scheme ("java\tscript:")
_STYLE = re.compile(r"expression\s*\(|(?:javascript|vbscript):|behavior\s*:|-moz-binding", re.I)
# a cheap first look: no hit, nothing to parse (the output of a 50 MB issue)
_MAYBE = re.compile(r"<\s*/?\s*(?:script|iframe|frame|object|embed|applet|base|meta)\b|\bon[a-z]+\s*=|"
                    r"srcdoc|script\s*:|data\s*:|expression|binding|behavior", re.I)


@dataclass(frozen=True)
class Risk:
    """One piece of active markup: what it is and where (for the editor)."""

    kind: str  # "element", "handler", "url", "srcdoc", "style"
    what: str  # e.g. "<script>", 'onerror="alert(1)"', 'href="javascript:…"'
    key: tuple  # what makes two occurrences the same one (compared source ⇄ translation)


class UnsafeContentError(TranslatorError):
    """A translation that would publish markup able to run code."""


def risks(text: str, fmt: str) -> list[Risk]:
    """The active markup in a document (fmt "html" or "markdown"; nothing in plain text)."""
    scan = {"html": _html_risks, "markdown": _markdown_risks}.get(formats.get(fmt).name)  # the markup formats
    if scan is None or not _MAYBE.search(text):
        return []
    return scan(text)


def added(source: str, translation: str, fmt: str, source_fmt: str | None = None) -> list[Risk]:
    """Active markup of `translation` that `source` does not have (as many times)."""
    found = risks(translation, fmt)
    if not found:
        return []
    have = Counter(r.key for r in risks(source, source_fmt or fmt))
    out = []
    for r in found:
        if have[r.key] > 0:
            have[r.key] -= 1
        else:
            out.append(r)
    return out


def findings(source: str, translation: str, fmt: str, seg_id: str = "document") -> list[Suggestion]:
    """Critical Suggestions for the active markup the translation adds."""
    return [Suggestion(seg_id, "markup", "critical", r.what, "",
                       f"The translation adds markup that can run code and is not in the source ({r.what}): "
                       "remove it before publishing.", origin="check", check="unsafe-markup")
            for r in added(source, translation, fmt)]


def check_output(path, source: str, output: str, fmt: str, source_fmt: str) -> None:
    """Raise UnsafeContentError when `output` adds active markup to `source`."""
    found = added(source, output, fmt, source_fmt)
    if found:
        shown = ", ".join(r.what for r in found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
        raise UnsafeContentError(f"{path}: the translation adds markup that can run code, not in the source "
                                 f"({shown}); nothing was written")


# --- HTML ---------------------------------------------------------------------------


def _url_risk(value: str) -> bool:
    v = _STRIP.sub("", value).lower()
    return bool(_SCHEME.match(v)) or any(_SCHEME.match(_STRIP.sub("", p).lower())
                                         for p in value.split(",")[1:])  # srcset lists


def _code_attrs(attrs) -> tuple:
    """What an element runs or loads: its attributes, less the translated ones."""
    return tuple(sorted((k, v or "") for k, v in attrs if k not in _TEXT_ATTRS))


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Risk] = []
        self._script: list | None = None  # [tag, attrs, text parts] of an open script-like element

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs)
        if tag in ("script", "iframe", "object", "applet") and self._script is None:
            self._script = [tag, attrs, []]

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs)

    def handle_data(self, data):
        if self._script is not None:
            self._script[2].append(data)

    def handle_endtag(self, tag):
        if self._script is not None and tag == self._script[0]:
            name, attrs, parts = self._script
            self._script = None
            body = "".join(parts).strip()
            src = dict(attrs).get("src") or dict(attrs).get("data") or ""
            self.found.append(Risk("element", f"<{name}>" + (f" {_clip(src or body)}" if src or body else ""),
                                   ("element", name, _code_attrs(attrs), body)))

    def _tag(self, tag, attrs):
        if tag in ELEMENTS and tag not in ("script", "iframe", "object", "applet"):
            self.found.append(Risk("element", f"<{tag}>", ("element", tag, _code_attrs(attrs))))
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(Risk("handler", f'{name}="{_clip(value)}"', ("handler", tag, name, value)))
            elif name == "srcdoc":
                self.found.append(Risk("srcdoc", f'<{tag} srcdoc="{_clip(value)}">', ("srcdoc", tag, value)))
            elif name == "style" and _STYLE.search(value):
                self.found.append(Risk("style", f'style="{_clip(value)}"', ("style", tag, value)))
            elif (name in URL_ATTRS or (tag == "meta" and name == "content")) and _url_risk(
                    value.split("url=", 1)[-1] if tag == "meta" else value):
                self.found.append(Risk("url", f'{name}="{_clip(value)}"', ("url", tag, name, _STRIP.sub("", value))))


def _html_risks(text: str) -> list[Risk]:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    if scanner._script is not None:  # an unclosed <script> runs to the end of the page
        scanner.handle_endtag(scanner._script[0])
    return scanner.found


# --- Markdown -----------------------------------------------------------------------


def _markdown_risks(text: str) -> list[Risk]:
    from translator.formats.markdown import parser

    md = parser()
    md.validateLink = lambda url: True  # see every destination, as a laxer renderer would
    out: list[Risk] = []
    html: list[str] = []
    for tok in md.parse(text):
        for t in [tok, *(tok.children or [])]:
            if t.type in ("html_block", "html_inline"):
                html.append(t.content)
            for attr in ("href", "src"):
                value = str(t.attrs.get(attr) or "")
                if value and _url_risk(value):
                    out.append(Risk("url", f"{attr}={_clip(value)}", ("url", "a" if attr == "href" else "img",
                                                                      attr, _STRIP.sub("", value))))
    if html:
        out.extend(_html_risks("".join(html)))
    return out
