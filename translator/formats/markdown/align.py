"""Inline Markdown tokens aligned back onto the source: markdown-it-py gives
no positions for inline tokens, so each one is matched against the text
from a cursor (escapes and entities become pieces of their own)."""

from __future__ import annotations

import html
import re
from typing import Callable

from translator.document import Markup, Piece, Text
from translator.formats.html import ATOMIC_INLINE, VOID_TAGS

_PREFIX = re.compile(
    r"(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])|#{1,6}(?=[ \t]|$)|\[\^[^\]\s]+\]:))*[ \t]*"
)
_QUOTE_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*")
_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HTML_OPEN = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>\Z", re.S)
_HTML_CLOSE = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>\Z")


class AlignError(Exception):
    pass


def _atomic_open(content: str) -> str | None:
    """The tag name when `content` opens an element kept whole (<kbd>, <code> …)."""
    m = _HTML_OPEN.match(content)
    if m and not m.group(2) and m.group(1).lower() in ATOMIC_INLINE:
        return m.group(1).lower()
    return None


def _closing_tag(tok) -> str | None:
    """The tag name an inline HTML token closes, or None."""
    m = _HTML_CLOSE.match(tok.content) if tok.type == "html_inline" else None
    return m.group(1).lower() if m else None


class _Aligner:
    def __init__(self, text: str):
        self.src = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.next_pair = 0

    def line_span(self, first: int, last: int) -> tuple[int, int]:
        a = self.line_starts[first]
        b = self.line_starts[last] if last < len(self.line_starts) else len(self.src)
        return a, b

    def content_start(self, line: int, content: str) -> int:
        a = self.line_starts[line]
        first = content.split("\n", 1)[0]
        m = _PREFIX.match(self.src, a)
        pos = m.end() if m else a
        if self.src.startswith(first, pos):
            return pos
        line_end = self.src.find("\n", a)
        found = self.src.find(first, a, line_end if line_end >= 0 else len(self.src))
        if found < 0 or not first:
            raise AlignError(f"line {line + 1}")
        return found

    def align(self, children, start: int, end: int | None, in_quote: bool) -> list[Piece]:
        self.in_quote = in_quote
        self.pos = start
        self.stack: list[tuple[str, int]] = []
        pieces: list[Piece] = []
        self._children(children, pieces)
        if end is not None and self.pos > end:
            raise AlignError("ran past the cell")
        return pieces

    def _children(self, children, pieces: list[Piece]) -> None:
        i = 0
        while i < len(children):
            tok = children[i]
            handler = self._HANDLERS.get(tok.type)
            if tok.type == "link_open" and tok.markup in ("autolink", "linkify"):
                handler = _Aligner._autolink
            elif tok.type == "html_inline" and _atomic_open(tok.content):
                handler = _Aligner._atomic_html
            if handler is None:
                raise AlignError(f"unexpected inline token {tok.type}")
            i = handler(self, children, i, pieces) + 1

    # --- one inline token each: returns the index of the last token consumed ----
    def _text_token(self, children, i: int, pieces: list[Piece]) -> int:
        pieces.extend(self._text(children[i].content))
        return i

    def _softbreak(self, children, i: int, pieces: list[Piece]) -> int:
        pieces.append(self._newline(" "))
        return i

    def _hardbreak(self, children, i: int, pieces: list[Piece]) -> int:
        start = self.pos
        m = re.compile(r"(?: {2,}|\\)?[ \t]*\n").match(self.src, self.pos)
        if not m:
            raise AlignError("hard break")
        self.pos = m.end()
        self._skip_prefix()
        pieces.append(Markup(start, self.pos, "break", "br"))
        return i

    def _emphasis_open(self, children, i: int, pieces: list[Piece]) -> int:
        tok = children[i]
        self._expect(tok.markup)
        pieces.append(self._open(tok.type[:-5], self.pos - len(tok.markup)))
        return i

    def _emphasis_close(self, children, i: int, pieces: list[Piece]) -> int:
        tok = children[i]
        self._expect(tok.markup)
        pieces.append(self._close(tok.type[:-6], self.pos - len(tok.markup)))
        return i

    def _autolink(self, children, i: int, pieces: list[Piece]) -> int:
        start = self.pos
        if self.src.startswith("<", start):
            self.pos = self.src.index(">", start) + 1
        else:
            self.pos = start + len(str(children[i].attrs.get("href", "")))
        pieces.append(Markup(start, self.pos, "void", "url"))
        while i < len(children) and children[i].type != "link_close":
            i += 1
        return i

    def _link_open(self, children, i: int, pieces: list[Piece]) -> int:
        self._expect("[")
        pieces.append(self._open("link", self.pos - 1))
        return i

    def _link_close(self, children, i: int, pieces: list[Piece]) -> int:
        start = self.pos
        self._expect("]")
        self._link_tail()
        pieces.append(self._close("link", start))
        return i

    def _image(self, children, i: int, pieces: list[Piece]) -> int:
        start = self.pos
        self._expect("![")
        pieces.append(self._open("image", start))
        self._children(children[i].children or [], pieces)
        close = self.pos
        self._expect("]")
        self._link_tail()
        pieces.append(self._close("image", close))
        return i

    def _code_inline(self, children, i: int, pieces: list[Piece]) -> int:
        start = self.pos
        ticks = re.compile("`+").match(self.src, start)
        if not ticks:
            raise AlignError("code span")
        close = re.compile(r"(?<!`)" + ticks.group(0) + r"(?!`)").search(self.src, ticks.end())
        if not close:
            raise AlignError("code span")
        self.pos = close.end()
        pieces.append(Markup(start, self.pos, "void", "code"))
        return i

    def _atomic_html(self, children, i: int, pieces: list[Piece]) -> int:
        """<code>, <kbd> … kept whole, up to their closing tag."""
        tok = children[i]
        atomic = _atomic_open(tok.content)
        start = self.pos
        self._expect(tok.content)
        close = re.compile(rf"</{atomic}\s*>", re.I).search(self.src, self.pos)
        if not close:
            raise AlignError(f"<{atomic}> without its closing tag")
        self.pos = close.end()
        pieces.append(Markup(start, self.pos, "void", str(atomic)))
        while i + 1 < len(children) and _closing_tag(children[i + 1]) != atomic:
            i += 1
        return i + 1  # the closing tag

    def _html_inline(self, children, i: int, pieces: list[Piece]) -> int:
        pieces.append(self._html(children[i].content))
        return i

    def _footnote_ref(self, children, i: int, pieces: list[Piece]) -> int:
        start = self.pos
        m = re.compile(r"\[\^[^\]]*\]").match(self.src, start)
        if not m:
            raise AlignError("footnote")
        self.pos = m.end()
        pieces.append(Markup(start, self.pos, "void", "footnote"))
        return i

    _HANDLERS: dict[str, Callable[[_Aligner, list, int, list[Piece]], int]] = {
        "text": _text_token, "softbreak": _softbreak, "hardbreak": _hardbreak,
        "em_open": _emphasis_open, "strong_open": _emphasis_open, "s_open": _emphasis_open,
        "em_close": _emphasis_close, "strong_close": _emphasis_close, "s_close": _emphasis_close,
        "link_open": _link_open, "link_close": _link_close, "image": _image, "code_inline": _code_inline,
        "html_inline": _html_inline, "footnote_ref": _footnote_ref,
    }

    # --- pieces ------------------------------------------------------------
    def _expect(self, s: str) -> None:
        if not self.src.startswith(s, self.pos):
            raise AlignError(f"expected {s!r} at {self.pos}")
        self.pos += len(s)

    def _open(self, name: str, start: int) -> Markup:
        pair = self.next_pair
        self.next_pair += 1
        self.stack.append((name, pair))
        return Markup(start, self.pos, "open", name, pair)

    def _close(self, name: str, start: int) -> Markup:
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == name:
                _, pair = self.stack.pop(k)
                return Markup(start, self.pos, "close", name, pair)
        return Markup(start, self.pos, "void", name)

    def _html(self, content: str) -> Markup:
        start = self.pos
        self._expect(content)
        m = _HTML_CLOSE.match(content)
        if m:
            return self._close("html:" + m.group(1).lower(), start)
        m = _HTML_OPEN.match(content)
        if m and not content.startswith("<!") and not content.startswith("<?"):
            tag = m.group(1).lower()
            if tag == "br":
                return Markup(start, self.pos, "break", "br")
            if m.group(2) or tag in VOID_TAGS:
                return Markup(start, self.pos, "void", tag)
            return self._open("html:" + tag, start)
        return Markup(start, self.pos, "void", "html")

    def _newline(self, text: str) -> Text:
        start = self.pos
        m = re.compile(r"[ \t]*\n").match(self.src, self.pos)
        if not m:
            raise AlignError("soft break")
        self.pos = m.end()
        self._skip_prefix()
        return Text(start, self.pos, text)

    def _skip_prefix(self) -> None:
        pattern = _QUOTE_PREFIX if self.in_quote else re.compile(r"[ \t]*")
        m = pattern.match(self.src, self.pos)  # always matches (maybe nothing)
        self.pos = m.end() if m else self.pos

    def _link_tail(self) -> None:
        """Consume `(dest "title")`, `[ref]` or nothing after a link's `]`."""
        src, p = self.src, self.pos
        if src.startswith("(", p):
            depth, i = 0, p
            quote = None
            while i < len(src):
                c = src[i]
                if c == "\\":
                    i += 2
                    continue
                if quote:
                    if c == quote:
                        quote = None
                elif c in "\"'" and src[i - 1] in " \t\n":
                    quote = c
                elif c == "<" and src[i - 1] in "( \t\n":
                    close = src.find(">", i)
                    i = close if close > 0 else i
                elif c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                    if depth == 0:
                        self.pos = i + 1
                        return
                i += 1
            raise AlignError("unterminated link")
        if src.startswith("[", p):
            close = src.find("]", p)
            if close < 0:
                raise AlignError("reference")
            self.pos = close + 1

    def _text(self, text: str) -> list[Text]:
        """Match decoded text against the source from the cursor; escapes
        and entities become pieces of their own (their raw form differs)."""
        src, pos = self.src, self.pos
        out: list[Text] = []
        run = pos
        k = 0
        n = len(src)
        while k < len(text):
            ch = text[k]
            c = src[pos] if pos < n else ""
            escape = c == "\\" and pos + 1 < n and src[pos + 1] in _ASCII_PUNCT
            entity = _ENTITY.match(src, pos) if c == "&" else None
            if c == ch and not escape and not (entity and text.startswith(html.unescape(entity.group(0)), k)
                                               and entity.group(0) != html.unescape(entity.group(0))):
                pos += 1
                k += 1
                continue
            if run < pos:
                out.append(Text(run, pos, src[run:pos]))
            if escape and src[pos + 1] == ch:
                out.append(Text(pos, pos + 2, ch))
                pos += 2
                k += 1
            elif entity:
                decoded = html.unescape(entity.group(0))
                if not text.startswith(decoded, k):
                    raise AlignError("entity")
                out.append(Text(pos, entity.end(), decoded))
                pos = entity.end()
                k += len(decoded)
            elif ch == "\ufffd" and c == "\x00":
                out.append(Text(pos, pos + 1, ch))
                pos += 1
                k += 1
            else:
                raise AlignError(f"text {text!r} does not match the source at {pos}")
            run = pos
        if run < pos:
            out.append(Text(run, pos, src[run:pos]))
        self.pos = pos
        return out
