"""The structure gate: an independent re-parse catches what must never ship."""

import pytest

from translator.qa.verify import structure_problem

HTML = '<p>Hello <a href="https://x.example" title="Go">world</a>.</p><!-- c --><script>var a=1;</script><img alt="A cat" src="c.png">'
MD = '---\ntitle: Hi\ndate: 2024-01-01\n---\nHello **world** and [x](https://x.example).\n\n```\ncode\n```\n'


@pytest.mark.parametrize(
    "before, after, fmt",
    [
        (HTML, HTML.replace("Hello", "Hola").replace('title="Go"', 'title="Ir"').replace("A cat", "Un gato"), "html"),
        (MD, MD.replace("Hello", "Hola").replace("title: Hi", "title: Hola"), "markdown"),
    ],
)
def test_translated_text_passes(before, after, fmt):
    assert structure_problem(before, after, fmt) is None


@pytest.mark.parametrize(
    "after, fmt, expected",
    [
        (HTML.replace("https://x.example", "https://evil.example"), "html", "href"),
        (HTML.replace("<!-- c -->", ""), "html", "lost comment"),
        (HTML.replace("var a=1;", "var a=2;"), "html", "var a=1"),
        (HTML.replace("world</a>", "world</a><b>x</b>"), "html", "added tag b"),
        (MD.replace("**world**", "world"), "markdown", "strong"),
        (MD.replace("https://x.example", "https://y.example"), "markdown", "x.example"),
        (MD.replace("date: 2024-01-01", "date: 2025-01-01"), "markdown", "'date' changed"),
        (MD.replace("code\n", "codigo\n"), "markdown", "code"),
    ],
)
def test_structural_damage_is_caught(after, fmt, expected):
    before = HTML if fmt == "html" else MD
    problem = structure_problem(before, after, fmt)
    assert problem is not None and expected in problem


def test_the_translations_that_break_the_structure_are_found():
    from translator.formats.assemble import assemble
    from translator.io.reader import parse
    from translator.qa.gate import breaking_segments

    doc = parse("".join(f"Say _word{i}_ now.\n\n" for i in range(9)), "markdown", source_lang="en")
    texts = {s.id: f"Di <1>palabra{i}</1> ya." for i, s in enumerate(doc.segments)}
    texts["s3"] = "Di <1>palabra</1>s ya."  # `_palabra_s` is no emphasis
    texts["s8"] = "Di <1>otra</1>s ya."
    render = lambda some: assemble(doc, some).text  # noqa: E731
    assert breaking_segments(doc, texts, render(texts), render) == ["s3", "s8"]
    texts["s3"] = texts["s8"] = "Di <1>bien</1> ya."
    assert breaking_segments(doc, texts, render(texts), render) == []
