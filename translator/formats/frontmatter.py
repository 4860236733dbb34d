"""YAML (`---`) and TOML (`+++`) front matter: find it, and make blocks of
the values an editor wants translated. Every other key, and the exact YAML
formatting, stays as it is: values are located by PyYAML's source marks and
replaced in place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from translator.document import Block, Escape, Text
from translator.errors import InputError

TRANSLATED_KEYS = ("title", "description", "summary", "subtitle")
LIST_KEYS = ("tags", "categories", "keywords")

_YAML_FM = re.compile(r"\A(---[ \t]*\n)(.*?\n)??((?:---|\.\.\.)[ \t]*)(?:\n|\Z)", re.S)
_TOML_FM = re.compile(r"\A(\+\+\+[ \t]*\n)(.*?\n)??(\+\+\+[ \t]*)(?:\n|\Z)", re.S)


@dataclass(frozen=True)
class FrontMatter:
    start: int  # of the body of the front matter (after the opening fence)
    end: int  # of the body (the closing fence follows)
    stop: int  # first offset after the closing fence line
    kind: str  # "yaml" | "toml"


_OPENING = re.compile(r"\A(---|\+\+\+)[ \t]*\r?\n")


def find(text: str) -> FrontMatter | None:
    """The front matter at the start of `text`, or None. A first line that
    opens front matter (`---`, `+++`) with no line closing it is an
    InputError: its keys would otherwise be translated as body text."""
    for kind, pattern in (("yaml", _YAML_FM), ("toml", _TOML_FM)):
        m = pattern.match(text)
        if m:
            start = m.end(1)
            end = m.end(2) if m.group(2) is not None else start
            return FrontMatter(start, end, m.end(), kind)
    opening = _OPENING.match(text)
    if opening:
        fence = opening.group(1)
        blank = re.search(r"^[ \t]*$", text[opening.end():], re.M)
        where = (f" (the first blank line is line {text[:opening.end() + blank.start()].count(chr(10)) + 1})"
                 if blank and opening.end() + blank.start() < len(text) else "")
        raise InputError(f"line 1 opens front matter with {fence} but no line closes it; "
                         f"add a {fence} line where the front matter ends{where}")
    return None


class FrontMatterError(ValueError):
    """Front matter that is not valid YAML or TOML (the parser's message)."""


def load(text: str, fm: FrontMatter | None = None) -> Any:
    """The front matter's data (a dict when it is a mapping; None for an
    empty YAML body), parsed by PyYAML or tomllib. Every reader of front
    matter values uses this. Raises FrontMatterError."""
    fm = fm or find(text)
    if fm is None:
        return None
    body = text[fm.start:fm.end]
    if fm.kind == "toml":
        import tomllib

        try:
            return tomllib.loads(body)
        except tomllib.TOMLDecodeError as e:
            raise FrontMatterError(str(e)) from None
    import yaml

    try:
        return yaml.safe_load(body)
    except yaml.YAMLError as e:
        raise FrontMatterError(str(e)) from None


def blocks(text: str, fm: FrontMatter, translate_lists: bool = False) -> list[Block]:
    if fm.kind == "toml":
        return _toml_blocks(text, fm, translate_lists)
    return _yaml_blocks(text, fm, translate_lists)


def _yaml_blocks(text: str, fm: FrontMatter, translate_lists: bool) -> list[Block]:
    import yaml

    body = text[fm.start:fm.end]
    try:
        root = yaml.compose(body, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {text[:fm.start].count(chr(10)) + mark.line + 1}" if mark else ""
        raise InputError(f"front matter is not valid YAML{where}: {getattr(e, 'problem', e)}") from None
    if not isinstance(root, yaml.MappingNode):
        return []
    out: list[Block] = []
    for key, value in root.value:
        name = str(getattr(key, "value", "")).lower()
        if name in TRANSLATED_KEYS and isinstance(value, yaml.ScalarNode):
            b = _scalar_block(text, fm.start, value, f"meta:{name}")
            if b:
                out.append(b)
        elif translate_lists and name in LIST_KEYS and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if isinstance(item, yaml.ScalarNode):
                    b = _scalar_block(text, fm.start, item, f"meta:{name}")
                    if b:
                        out.append(b)
    return out


def _scalar_block(text: str, base: int, node, kind: str) -> Block | None:
    a, b = base + node.start_mark.index, base + node.end_mark.index
    value = node.value
    if not isinstance(value, str) or not re.search(r"[^\W\d_]", value):
        return None
    style = node.style
    escape: Escape
    if style in ('"', "'"):
        a, b = a + 1, b - 1
        escape = "yaml-dq" if style == '"' else "yaml-sq"
        indent = ""
    elif style in ("|", ">"):
        nl = text.find("\n", a)
        if nl < 0 or nl >= b:
            return None
        a = nl + 1
        lead = re.match(r"[ \t]*", text[a:])
        indent = lead.group(0) if lead else ""
        a += len(indent)
        while b > a and text[b - 1] in "\n \t":
            b -= 1
        escape = "yaml-block"
    else:
        escape, indent = "yaml-plain", ""
    return Block(0, kind, a, b, (Text(a, b, value),), escape, indent)


_TOML_KEY = re.compile(r'^(\w+)[ \t]*=[ \t]*(.*)$', re.M)
_TOML_STR = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def _toml_blocks(text: str, fm: FrontMatter, translate_lists: bool) -> list[Block]:
    out: list[Block] = []
    for m in _TOML_KEY.finditer(text, fm.start, fm.end):
        name = m.group(1).lower()
        if name in TRANSLATED_KEYS:
            s = _TOML_STR.match(m.group(2))
            strings = [s] if s else []
        elif translate_lists and name in LIST_KEYS and m.group(2).startswith("["):
            strings = list(_TOML_STR.finditer(m.group(2)))
        else:
            continue
        for s in strings:
            a, b = m.start(2) + s.start(1), m.start(2) + s.end(1)
            value = s.group(1).replace('\\"', '"').replace("\\\\", "\\")
            if re.search(r"[^\W\d_]", value):
                out.append(Block(0, f"meta:{name}", a, b, (Text(a, b, value),), "toml-dq"))
    return out
