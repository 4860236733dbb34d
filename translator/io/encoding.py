"""Bytes → text: encoding detection, BOM and line endings, mojibake repair.

Newsletters arrive damaged. The commonest damage is UTF-8 decoded as a legacy
8-bit charset and saved again: "it’s" becomes "itâ€™s" (Windows-1252) or
"it‚Äôs" (Mac Roman). ftfy repairs the Windows-1252 family; the Mac Roman
kind, seen in our seeds, often lost the first byte of 4-byte sequences
(0xF0 is the Apple logo in Mac Roman, U+F8FF, which some tools drop), so
"😀" arrives as "üòÄ" or "üòÄ". `repair_mac_roman` rebuilds both. Every repair is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translator.document import Encoding
from translator.errors import InputError

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Characters Mac Roman maps to bytes 0x80-0xFF (0xF0 is the Apple logo, U+F8FF).
_MAC_HIGH = bytes(range(0x80, 0x100)).decode("mac_roman")
_MAC_RUN = re.compile("[" + re.escape(_MAC_HIGH) + "]{2,}")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: Encoding


def decode(data: bytes, name: str = "input") -> Decoded:
    """Decode file bytes into text, or raise InputError saying why not."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    bom = False
    codec = None
    for mark, enc in _BOMS:
        if data.startswith(mark):
            data, codec, bom = data[len(mark):], enc, True
            break
    if codec is None and _looks_binary(data):
        raise InputError(f"{name}: this is a binary file, not a text newsletter")
    if codec is None:
        codec = _detect(data, name)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: cannot decode as {codec} at byte {e.start}") from None
    notes: list[str] = []
    if codec not in ("utf-8", "ascii"):
        notes.append(f"decoded from {codec}")
    newline = "\n"
    crlf = text.count("\r\n")
    if crlf and crlf == text.count("\n"):
        newline, text = "\r\n", text.replace("\r\n", "\n")
    text, repairs = repair(text)
    notes.extend(repairs)
    return Decoded(text, Encoding(name=codec, bom=bom, newline=newline, repairs=tuple(notes)))


def encode(text: str, encoding: Encoding) -> bytes:
    """The inverse of `decode` for what a writer produces: same BOM, same
    line endings, same charset when every character fits, else UTF-8."""
    if encoding.newline != "\n":
        text = text.replace("\n", encoding.newline)
    codec = encoding.name
    try:
        data = text.encode(codec)
    except (UnicodeEncodeError, LookupError):
        codec, data = "utf-8", text.encode("utf-8")
    if encoding.bom:
        bom = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}
        data = bom.get(codec, b"") + data
    return data


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(head) // 100)


def _detect(data: bytes, name: str) -> str:
    """UTF-8, else a legacy charset whose decoding looks like real text
    (Western European or Chinese); anything else is refused rather than
    guessed at, since a wrong guess would be translated as garbage."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        first_bad = e.start
    if _mostly_utf8(data):
        raise InputError(
            f"{name}: not valid UTF-8 at byte {first_bad} although the rest is UTF-8 "
            "(the file mixes encodings or is damaged); fix or re-save it as UTF-8"
        )
    for codec, plausible in (("gb18030", _plausible_chinese), ("big5", _plausible_chinese),
                             ("cp1252", _plausible_western)):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if plausible(text):
            return codec
    raise InputError(
        f"{name}: unknown text encoding (not UTF-8, Windows-1252 or GB18030/Big5); convert it to UTF-8 first"
    )


def _mostly_utf8(data: bytes) -> bool:
    """Most non-ASCII bytes form valid UTF-8 sequences: a damaged UTF-8 file."""
    valid = sum(len(m) for m in re.findall(
        rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}", data))
    high = sum(1 for b in data if b > 127)
    return valid >= 6 and valid / high >= 0.8


_COMMON_HANZI = set(
    "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里"
    "后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两"
    "长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业"
    "最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万"
    "市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系"
    "计型模据技术研究发布推出智能训练参数能力基础语言"
)
_WESTERN = re.compile(r"[A-Za-z\u00c0-\u00ff\u2018-\u201e\u2013\u2014\u2026\u20ac\u00a0-\u00bf]")


def _plausible_chinese(text: str) -> bool:
    hanzi = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if len(hanzi) < 4:
        return False
    non_ascii = sum(1 for c in text if ord(c) > 127)
    common = sum(1 for c in hanzi if c in _COMMON_HANZI)
    return len(hanzi) / non_ascii > 0.8 and common / len(hanzi) > 0.25


def _plausible_western(text: str) -> bool:
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return True
    if len(non_ascii) / max(1, len(text)) > 0.3:
        return False
    if re.search(r"[\u00c0-\u00ff\u0152-\u017e\u0192\u02c6-\u02dc\u2020-\u2122]{3,}", text):
        return False  # no Western word has three accented letters in a row
    return all(_WESTERN.match(c) for c in non_ascii)


def repair(text: str) -> tuple[str, list[str]]:
    """Repair mojibake; return the text and a note per kind of repair."""
    notes = []
    fixed, charsets = _ftfy(text)
    if fixed != text:
        read_as = ", ".join(charsets) or "a legacy charset"
        notes.append(f"repaired mojibake (UTF-8 read as {read_as})")
        text = fixed
    fixed, n = repair_mac_roman(text)
    if n:
        notes.append(f"repaired {n} mojibake sequence(s) (UTF-8 read as Mac Roman)")
        text = fixed
    return text, notes


def repair_mac_roman(text: str) -> tuple[str, int]:
    """Undo UTF-8-read-as-Mac-Roman in the runs of text where that decodes
    cleanly; leave every other character alone."""
    count = 0

    def fix(m: re.Match) -> str:
        nonlocal count
        decoded = _utf8_with_lost_leads(m.group(0).encode("mac_roman"))
        if decoded is None or not _plausible(decoded):
            return m.group(0)
        count += 1
        return decoded

    return _MAC_RUN.sub(fix, text), count


def _plausible(text: str) -> bool:
    """Repaired text should be letters, punctuation, symbols or emoji, not
    combining marks on nothing or control characters."""
    import unicodedata

    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Co", "Cs", "Cn") or (cat == "Mn" and i == 0 and ch != "\ufe0f"):
            return False
    return True


def _utf8_with_lost_leads(raw: bytes) -> str | None:
    """Decode UTF-8 where 4-byte sequences for U+1Fxxx may have lost their
    0xF0 lead byte. None when the bytes are not such UTF-8 throughout."""
    out = bytearray()
    i = 0
    while i < len(raw):
        b = raw[i]
        if b == 0x9F and i + 2 < len(raw) and all(0x80 <= c < 0xC0 for c in raw[i + 1:i + 3]):
            out += b"\xf0" + raw[i:i + 3]
            i += 3
            continue
        size = 2 if 0xC2 <= b < 0xE0 else 3 if 0xE0 <= b < 0xF0 else 4 if 0xF0 <= b < 0xF5 else 0
        if size == 0 or i + size > len(raw):
            return None
        out += raw[i:i + size]
        i += size
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _ftfy(text: str) -> tuple[str, list[str]]:
    # Only pay for ftfy (its import too) where mojibake may be.
    if not re.search("[\u00c0-\u00ff\u201a\u221a][\u0080-\u02ff\u2010-\u203a\u20ac\u2122\u00c4]", text):
        return text, []
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_control_chars=False,
        normalization=None,
    )
    fixed, steps = ftfy.fix_and_explain(text, config)
    names = {"sloppy-windows-1252": "Windows-1252", "macroman": "Mac Roman", "latin-1": "Latin-1"}
    charsets = sorted({names.get(arg, arg) for op, arg in steps or [] if op == "encode"})
    return fixed, charsets
