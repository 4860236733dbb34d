"""What a file format is: the one small protocol every member of the
registry (`translator.formats.get`) fills in.

A format module declares `FORMATS = (Format(...), ...)` at module level;
the registry finds it by looking through the modules of this package, so a
new format is one file and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping

if TYPE_CHECKING:
    from translator.document import Block, Document
    from translator.formats.assemble import Assembled

# The strength of a sniff: the file says what it is (a DOCTYPE, a WEBVTT
# header, front matter), or its content merely looks like the format.
NO, LOOKS_LIKE, SAYS_SO = 0, 1, 2


@dataclass(frozen=True)
class Parsed:
    """A text parsed into translatable blocks (source offsets)."""

    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = ()
    transcript: bool = False  # plain text whose sentences run over caption lines


@dataclass(frozen=True)
class Format:
    """One file format and what it does.

    - `sniff(text)` says how sure the content is of this format (NO,
      LOOKS_LIKE, SAYS_SO); `order` breaks ties (lower first);
    - `parse(text, translate_lists)` cuts it into blocks;
    - `assemble(doc, translations, target_lang)`, when set, writes the
      translation back in the format's own way (subtitle cues); otherwise
      the generic assembler renders each segment into the original text;
    - `escape(text)` makes prose safe as this format's text;
    - `declare_language(text, source_lang, target_lang)` makes the output
      say which language it is in (`<html lang>`, front matter, header);
    - `suffixes`: the first is the one an output of this format gets.
    """

    name: str
    suffixes: tuple[str, ...]
    parse: Callable[[str, bool], Parsed]
    escape: Callable[[str], str]
    sniff: Callable[[str], int] = lambda text: NO
    order: int = 100
    aliases: tuple[str, ...] = ()  # other names on the command line ("md", "txt")
    markup: bool = False  # tags and structure a translation must keep (HTML, Markdown)
    timed: bool = False  # subtitles: text on timed cues
    plain: bool = False  # no structure of its own: a block per line or paragraph
    link_references: bool = False  # `[text][ref]` links defined elsewhere in the file
    front_matter: bool = False  # may open with YAML/TOML front matter
    xliff_datatype: str = "plaintext"
    assemble: Callable[[Document, Mapping[str, str], str], Assembled] | None = None
    declare_language: Callable[[str, str, str], str] | None = None

    @property
    def suffix(self) -> str:
        """The file suffix an output in this format gets."""
        return self.suffixes[0]


def lang_value(source_lang: str) -> str:
    """A regex group matching the source language code as a file declares
    it ("en", "en-US", "en_GB"): what `declare_language` replaces."""
    return rf"({re.escape(source_lang)}(?:[-_][A-Za-z0-9]+)?)"
