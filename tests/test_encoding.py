"""Reading bytes: encodings, BOM, line endings, mojibake repair, bad input."""

from pathlib import Path

import pytest

from translator.io.encoding import decode, encode, repair_mac_roman
from translator.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "damaged, repaired",
    [
        ("it‚Äôs", "it’s"),
        ("üòÄ", "😀"),  # the Apple-logo lead byte survived
        ("üòÄ", "😀"),  # … or was lost
        ("caf√©", "café"),
        ("¬°Hola!", "¡Hola!"),
        ("1Ô∏è‚É£ El", "1️⃣ El"),
        ("itâ€™s cafÃ©", "it’s café"),  # Windows-1252
        ("año «¿Qué?» Ç", "año «¿Qué?» Ç"),  # clean Spanish is left alone
        ("Äpfel und Öl", "Äpfel und Öl"),
    ],
)
def test_mojibake_repair(damaged, repaired):
    assert decode(damaged.encode("utf-8")).text == repaired


def test_mac_roman_counts_repairs():
    text, n = repair_mac_roman("don‚Äôt ‚Äúquote‚Äù")
    assert text == "don’t “quote”" and n == 3


def test_sample_mojibake_note_is_repaired_exactly():
    damaged = (ROOT / "samples/mojibake-note.en.txt").read_bytes()
    expected = (ROOT / "samples/expected/mojibake-note.en.txt").read_text(encoding="utf-8")
    decoded = decode(damaged)
    assert decoded.text == expected
    assert any("Mac Roman" in r for r in decoded.encoding.repairs)


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbfHello\r\nWorld\r\n",
        b"Hello\nWorld\n",
        b"Hello\r\nmixed\nendings\n",
        "Caf\u00e9 cr\u00e8me".encode("cp1252"),
        "\ufeffUTF-16 text".encode("utf-16-le"),
    ],
)
def test_bytes_round_trip(data):
    decoded = decode(data)
    assert encode(decoded.text, decoded.encoding) == (
        data if not data.startswith(b"\xff\xfe") else data
    )


def test_crlf_is_normalised_inside():
    d = decode(b"a\r\nb\r\n")
    assert d.text == "a\nb\n" and d.encoding.newline == "\r\n"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x00\x01\x02binary\x00\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_bad_input(data, message):
    with pytest.raises(InputError, match=message):
        decode(data, "x.txt")


def test_legacy_charsets_are_detected():
    assert decode("大家好，这里是AI大模型周报，我们发布了新的模型和研究。".encode("gb18030")).encoding.name == "gb18030"
    assert decode("Café crème, año nuevo".encode("cp1252")).encoding.name == "cp1252"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x81\x8d\x8f\x90\x9d" * 50, "unknown text encoding"),
        (b"Hello \xff\xfe\xfa world caf\xe9 and more text " * 5, "unknown text encoding"),
        ("café ".encode() * 5 + b"\xe9 x", "not valid UTF-8 at byte 30"),
    ],
)
def test_undecodable(data, message):
    with pytest.raises(InputError, match=message):
        decode(data, "x.txt")
