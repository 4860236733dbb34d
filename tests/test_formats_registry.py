"""The format registry: every format is one object found in translator/formats/,
and a new format is one file that declares it."""

import sys
import textwrap

import pytest

from translator import formats
from translator.formats.assemble import assemble
from translator.io.reader import EXTENSIONS, FORMAT_NAMES, parse


def test_the_formats_and_their_suffixes():
    assert [f.name for f in formats.all_formats()] == ["html", "markdown", "text", "srt", "vtt", "sbv"]
    assert EXTENSIONS[".md"] == "markdown" and EXTENSIONS[".htm"] == "html" and EXTENSIONS[".vtt"] == "vtt"
    assert FORMAT_NAMES["md"] == "markdown" and FORMAT_NAMES["txt"] == "text"
    assert {f.name: f.suffix for f in formats.all_formats()} == {
        "html": ".html", "markdown": ".md", "text": ".txt", "srt": ".srt", "vtt": ".vtt", "sbv": ".sbv"}


@pytest.mark.parametrize("name, markup, timed, plain", [
    ("html", True, False, False), ("markdown", True, False, False), ("text", False, False, True),
    ("srt", False, True, False), ("vtt", False, True, False), ("sbv", False, True, False),
])
def test_what_each_format_is(name, markup, timed, plain):
    fmt = formats.get(name)
    assert (fmt.markup, fmt.timed, fmt.plain) == (markup, timed, plain)


@pytest.mark.parametrize("name, text, expected", [
    ("html", "a < b & c", "a &lt; b &amp; c"),
    ("markdown", "*not* [a] link", "\\*not\\* \\[a\\] link"),
    ("text", "two\nlines", "two lines"),
    ("vtt", "a < b", "a &lt; b"),
    ("srt", "a < b", "a < b"),
])
def test_escape(name, text, expected):
    assert formats.get(name).escape(text) == expected


def test_unknown_format():
    with pytest.raises(KeyError):
        formats.get("docx")


def test_a_new_format_is_one_file(tmp_path, monkeypatch):
    (tmp_path / "shout.py").write_text(textwrap.dedent('''
        from translator.formats.base import NO, SAYS_SO, Format, Parsed
        from translator.formats.text import parse_text

        FORMATS = (Format(
            name="shout", suffixes=(".shout",),
            parse=lambda text, translate_lists: Parsed(tuple(parse_text(text, False)[0])),
            escape=lambda text: text.upper(),
            sniff=lambda text: SAYS_SO if text.startswith("SHOUT") else NO,
        ),)
    '''))
    monkeypatch.setattr(formats, "__path__", list(formats.__path__) + [str(tmp_path)])
    monkeypatch.setattr(formats, "_REGISTRY", {})
    try:
        assert formats.sniff("SHOUT\nHello there. How are you?\n") == "shout"
        assert formats.by_suffix(".shout").name == "shout"
        doc = parse("SHOUT\nHello there. How are you?\n", "shout", source_lang="en")
        assert doc.segments
        assert assemble(doc, {s.id: s.source for s in doc.segments}).text == doc.text
    finally:
        sys.modules.pop("translator.formats.shout", None)
