"""Changed text made safe for where it sits: HTML text or an attribute
value, Markdown (in a table cell or not), YAML and TOML strings, plain
text, WebVTT cue text. `Block.escape` names the kind."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*\[\]])|(<)(?=[A-Za-z/!?])|(?<![\w])(_)|(_)(?![\w])")


def escape(text: str, kind: str, indent: str = "") -> str:
    """Changed text made safe for where it sits (see Block.escape)."""
    if not text:
        return text
    if kind == "html":
        return _html(text)
    if kind in ("html-attr-dq", "html-attr-uq"):
        return _html(text).replace('"', "&quot;")
    if kind == "html-attr-sq":
        return _html(text).replace("'", "&#x27;")
    if kind in ("markdown", "markdown-table"):
        text = " ".join(text.splitlines())
        text = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
        return text.replace("|", "\\|") if kind == "markdown-table" else text
    if kind in ("yaml-dq", "toml-dq"):
        return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if kind == "yaml-sq":
        return text.replace("'", "''").replace("\n", " ")
    if kind == "yaml-plain":
        return " ".join(text.splitlines())
    if kind == "yaml-block":
        return text.replace("\n", "\n" + indent)
    if kind == "text":
        return " ".join(text.splitlines()) if "\n" in text else text
    if kind == "vtt":
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _html(text: str) -> str:
    """&, <, > escaped; a no-break space written as `&nbsp;`, as sources write
    it (a raw U+00A0 is invisible to the editor who reads the HTML)."""
    return html.escape(text, quote=False).replace("\u00a0", "&nbsp;")


def yaml_needs_quotes(value: str) -> bool:
    return (
        not value
        or value != value.strip()
        or value[0] in "-?:,[]{}#&*!|>'\"%@`"
        or ": " in value
        or " #" in value
        or value.endswith(":")
        or value.lower() in ("yes", "no", "true", "false", "null", "on", "off", "~")
    )
