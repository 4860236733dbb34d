"""A draft that lost the markup around words (a link, bold) gets it back
around the words that translate them, found through Apertium's translation
of the source; where no evidence places it, it stays missing."""

import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.document import Code, Segment
from translator.engines import draft_pairs
from translator.engines.draft_pairs import insert_pairs, plain_spans

needs_apertium = pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")


def segment(source: str, labels: dict[int, str]) -> Segment:
    """A segment whose pairs `<n>…</n>` have the given labels (voids `<n/>`: "emoji")."""
    codes = [Code(n, "pair", (0, 1), (1, 2), label) for n, label in labels.items()]
    codes += [Code(int(n), "void", (0, 1), None, "emoji") for n in re.findall(r"<(\d+)/>", source)]
    return Segment("s1", 0, 0, len(source), source, tuple(codes))


def test_plain_spans_and_insert_pairs_are_inverse():
    plain, spans = plain_spans("Read <1>the <2>new</2> report</1> now <3/>.")
    assert plain == "Read the new report now ."
    assert spans == {1: (5, 19), 2: (9, 12)}
    assert insert_pairs(plain, [(5, 19, 1), (9, 12, 2)]) == "Read <1>the <2>new</2> report</1> now ."
    # two spans over the same words nest the first-numbered outside, adjacent spans stay apart
    assert insert_pairs("a b", [(0, 1, 1), (0, 1, 2), (2, 3, 3)]) == "<1><2>a</2></1> <3>b</3>"


@needs_apertium
@pytest.mark.parametrize("source, labels, draft, expected", [
    # the same words in another order than Apertium's ("modelo nuevo")
    ("OpenAI released a <1>new model</1> for <2>developers</2> this week.", {1: "a", 2: "strong"},
     "OpenAI lanzó un nuevo modelo para desarrolladores esta semana.",
     "OpenAI lanzó un <1>nuevo modelo</1> para <2>desarrolladores</2> esta semana."),
    # the source's «?» goes inside, the sentence's «.» stays outside
    ("Read our blog post <1>What Does it Mean to Maintain a Package?</1>.", {1: "a"},
     "Lee nuestra entrada de blog ¿Qué significa mantener un paquete?.",
     "Lee nuestra entrada de blog <1>¿Qué significa mantener un paquete?</1>."),
    # a link at the start of the sentence runs from its start
    ("<1>Closing The Loop with Our 2025 Wrap-up</1> by The rOpenSci Team.", {1: "a"},
     "Cerrando El Bucle con Nuestro 2025 Envuelve-arriba por The rOpenSci Team.",
     "<1>Cerrando El Bucle con Nuestro 2025 Envuelve-arriba</1> por The rOpenSci Team."),
    # an emoji the source has inside the link goes inside with it
    ("<1>15 Years of rOpenSci <2/></1> by the team.", {1: "a"},
     "15 Años de rOpenSci <2/> por el equipo.",
     "<1>15 Años de rOpenSci <2/></1> por el equipo."),
    # a footnote's number the draft kept in its superscript: the link goes around it
    ("Spending grew last year<1><2>1</2></1>, faster.", {1: "sup", 2: "a"},
     "El gasto creció el año pasado<1>1</1>, más rápido.",
     "El gasto creció el año pasado<1><2>1</2></1>, más rápido."),
    # a footnote's number the draft glued to the word before it
    ("Trained on videos<1>1</1>.", {1: "a"}, "Entrenado con vídeos1.", "Entrenado con vídeos<1>1</1>."),
    # Apertium garbles the sentence ("las estancias de licencia"): its translation of the words alone finds them
    ("The next model ships in June, and <1>the license</1> stays the same.", {1: "a"},
     "El próximo modelo saldrá en junio y la licencia no cambia.",
     "El próximo modelo saldrá en junio y <1>la licencia</1> no cambia."),
    # at the end of the source's sentence: the adjective Spanish puts after the noun goes inside
    ("You can read <1>our earlier coverage</1>.", {1: "a"},
     "Puede leer nuestra cobertura anterior.", "Puede leer <1>nuestra cobertura anterior</1>."),
    # a bracket the marked words do not have ends the span
    ("Watch the <1>keynote on YouTube</1> (it is two hours long).", {1: "a"},
     "Vea la conferencia inaugural en YouTube (dura dos horas).",
     "Vea la <1>conferencia inaugural en YouTube</1> (dura dos horas)."),
    # a link around inline code only
    ("<1><2/></1> now recognizes comment lines.", {1: "a"},
     "<2/> ahora reconoce las líneas de comentario.",
     "<1><2/></1> ahora reconoce las líneas de comentario."),
])
def test_lost_pairs_are_put_around_the_words_that_translate_them(source, labels, draft, expected):
    seg = segment(source, labels)
    text, placed = draft_pairs.wrap(seg, draft, "en", "es")
    assert text == expected
    assert len(placed) == expected.count("</") - draft.count("</")


@needs_apertium
def test_a_pair_without_evidence_goes_around_the_sentence():
    # nothing in the draft translates "Zorblat" and nothing anchors its place: the
    # draft's words are kept, the link's target is not lost, the note says so
    seg = segment("Try <1>Zorblat</1> today.", {1: "a"})
    text, placed = draft_pairs.wrap(seg, "Pruébalo hoy.", "en", "es")
    assert text == "<1>Pruébalo hoy</1>."
    assert [(p.label, p.source, p.sentence) for p in placed] == [("link", "Zorblat", True)]


def test_without_an_engine_for_the_languages_only_verbatim_words_are_placed():
    seg = segment("Read <1>the report</1> by <2>OpenAI</2>.", {1: "a", 2: "a"})
    text, placed = draft_pairs.wrap(seg, "阅读OpenAI的报告。", "en", "zh")
    assert text == "<1>阅读<2>OpenAI</2>的报告</1>。"
    assert [p.sentence for p in placed] == [False, True]


@needs_apertium
@settings(max_examples=60, deadline=None)
@given(st.permutations("OpenAI lanzó un nuevo modelo abierto para desarrolladores esta semana .".split()),
       st.integers(0, 9))
def test_placing_pairs_changes_no_word_and_nests_them(words, dropped):
    """Whatever the draft's words, only placeholders are added, each pair once and properly nested."""
    words = [w for i, w in enumerate(words) if i != dropped]
    draft = " ".join(words)
    seg = segment("OpenAI released a <1>new <2>open</2> model</1> for <3>developers</3> this week.",
                  {1: "a", 2: "strong", 3: "em"})
    text, placed = draft_pairs.wrap(seg, draft, "en", "es")
    assert re.sub(r"</?\d+>", "", text) == draft
    stack: list[str] = []
    for token in re.findall(r"</?\d+>", text):
        if token.startswith("</"):
            assert stack.pop() == token[2:-1]
        else:
            stack.append(token[1:-1])
    assert stack == [] and len(placed) == text.count("</")
