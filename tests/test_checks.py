"""Known answers for every deterministic check (translator/qa/checks.py)."""

from collections import Counter

import pytest

from translator.qa import checks
from translator.qa.checks import Pair
from translator.document import Code, Segment
from translator.terms.glossary import Glossary, Term


def found(suggestions):
    return [(s.check, s.category, s.severity, s.original, s.suggestion) for s in suggestions]


# --- numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "digits, values",
    [
        ("1,200", {1200.0, 1.2}),
        ("1.200", {1200.0, 1.2}),
        ("12.9", {12.9}),
        ("12,9", {12.9}),
        ("1.234,5", {1234.5}),
        ("1,234.5", {1234.5}),
        ("1,234,567", {1234567.0}),
        ("1\u00a0200", {1200.0}),
        ("1\u202f234,5", {1234.5}),
        ("2026", {2026.0}),
        ("3.1.4", set()),
        ("1,2,3", set()),
    ],
)
def test_readings(digits, values):
    assert checks.readings(digits) == values


@pytest.mark.parametrize(
    "source, target, expected",
    [
        # locale-aware equality
        ("It costs 1,200 dollars.", "Cuesta 1.200 dólares.", []),
        ("It costs 1,200 dollars.", "Cuesta 1200 dólares.", []),
        ("It costs 1,200 dollars.", "Cuesta 1\u00a0200 dólares.", []),
        ("Revenue hit $46.7B in 2025.", "Los ingresos alcanzaron 46.700 millones de dólares en 2025.", []),
        ("Revenue hit $46.7B.", "Los ingresos alcanzaron 46,7B $.", []),
        ("Revenue hit $46.7B.", "Los ingresos alcanzaron 46,7 mil millones de dólares.", []),
        ("Prices fell 3.5% to $0.70.", "Los precios bajaron un 3,5 % hasta 0,70 $.", []),
        ("We raised $25M.", "Recaudamos 25 millones de dólares.", []),
        ("It has 1.2 trillion tokens.", "Tiene 1,2 billones de tokens.", []),
        ("Mixtral 8x7B beats Llama 2 70B.", "Mixtral 8x7B supera a Llama 2 70B.", []),
        ("GPT-4o and Llama 3.1 405B.", "GPT-4o y Llama 3.1 405B.", []),
        ("Version 3.1.4 is out.", "Ya está la versión 3.1.4.", []),
        # words for numbers, months, 12-hour times
        ("Three startups and 2 labs.", "Tres startups y dos laboratorios.", []),
        ("two models", "2 modelos", []),
        ("On Jan. 13, 2026 at 3 p.m.", "El 13 de enero de 2026 a las 15:00.", []),
        ("On Jan. 13, 2026.", "El 13/01/2026.", []),
        ("It happened once.", "Ocurrió 1 vez.", []),
        # changed
        ("Accuracy rose to 12.9%.", "La precisión subió al 21,9 %.",
         [("numbers", "accuracy", "major", "21,9", "12.9")]),
        ("Accuracy rose to 12.9%.", "La precisión subió al 21.9 %.",
         [("numbers", "accuracy", "major", "21.9", "12.9")]),
        ("It has 1.2 billion tokens.", "Tiene 1,2 billones de tokens.",  # the false friend: 10^12
         [("numbers", "accuracy", "major", "1,2 billones", "1.2 billion")]),
        ("We raised $25M.", "Recaudamos 25 dólares.", [("numbers", "accuracy", "major", "25", "$25M"[1:])]),
        # missing, added
        ("It has 7 layers.", "Tiene capas.", [("numbers", "accuracy", "major", "", "7")]),
        ("A model.", "Un modelo de 2024.", [("numbers", "accuracy", "minor", "2024", "")]),
    ],
)
def test_numbers(source, target, expected):
    assert found(checks.numbers(Pair("s1", source, target))) == expected


def test_numbers_ignore_placeholders():
    assert checks.numbers(Pair("s1", "See <1>this</1> and <2/>.", "Vea <1>esto</1> y <2/>.")) == []


@pytest.mark.parametrize(
    "source, target, expected",
    [
        ("The $25M round.", "La ronda de 25 millones de dólares.", []),
        ("The $25M round.", "La ronda de 25 M US$.", []),
        ("It costs €5.", "Cuesta 5 euros.", []),
        ("The $25M round.", "La ronda de 25 millones de euros.", [("currency", "locale", "major", "", "USD")]),
        ("It costs £5.", "Cuesta 5 €.", [("currency", "locale", "major", "", "GBP")]),
    ],
)
def test_currencies(source, target, expected):
    assert found(checks.currencies(Pair("s1", source, target))) == expected


# --- untranslated, language, empty, duplicates, length -----------------------------

LONG_EN = "Much of the conversation about AI still revolves around training ever larger models."
LONG_ES = "Gran parte de la conversación sobre la IA sigue girando en torno a entrenar modelos cada vez mayores."


@pytest.mark.parametrize(
    "source, target, checks_found",
    [
        (LONG_EN, LONG_EN, ["untranslated"]),
        (LONG_EN, "  " + LONG_EN.upper() + " ", ["untranslated"]),
        ("See <1>the report</1> for the details of the new model.", "See <2>the report</2> for the details of the new model.",
         ["untranslated"]),
        (LONG_EN, LONG_ES, []),
        ("GPT-4o vs Llama 3.1 405B", "GPT-4o vs Llama 3.1 405B", []),  # names: fine as they are
        ("Dear friends,", "Dear friends,", []),  # too short to be sure
        ("Mistral Large and Claude Opus", "Mistral Large and Claude Opus", []),
    ],
)
def test_untranslated(source, target, checks_found):
    assert [s.check for s in checks.untranslated(Pair("s1", source, target), "en")] == checks_found


@pytest.mark.parametrize(
    "target, target_lang, wrong",
    [
        (LONG_EN, "es", True),
        (LONG_ES, "es", False),
        (LONG_EN, "en", False),
        ("This is the best model that we have seen this year.", "zh", True),
        ("这是我们今年见过的最好的模型，它的表现非常出色。", "zh", False),
        ("这是我们今年见过的最好的模型，它的表现非常出色。", "es", True),
        ('El informe "The State of AI" de este año es muy completo y útil.', "es", False),
        ("Hola a todos", "es", False),  # short: not judged
        ("Mistral, Llama, Gemma, Qwen, DeepSeek", "es", False),
    ],
)
def test_wrong_language(target, target_lang, wrong):
    assert bool(checks.wrong_language(Pair("s1", None, target), target_lang)) is wrong


@pytest.mark.parametrize(
    "source, target, expected",
    [
        ("Hello world", "", [("empty", "accuracy", "critical", "", "Hello world")]),
        ("Hello <1/> world", "<1/>", [("empty", "accuracy", "critical", "", "Hello <1/> world")]),
        ("Hello world", "Hola mundo", []),
    ],
)
def test_empty(source, target, expected):
    assert found(checks.empty(Pair("s1", source, target))) == expected


def test_duplicates():
    pairs = [
        Pair("s1", "The first sentence is here.", "La primera frase está aquí."),
        Pair("s2", "The second one is different.", "La primera frase está aquí."),
        Pair("s3", "The first sentence is here.", "La primera frase está aquí."),  # same source: fine
        Pair("s4", "Yes.", "Sí."),
        Pair("s5", "Sure.", "Sí."),  # short: not judged
    ]
    assert [(s.id, s.check, s.severity) for s in checks.duplicates(pairs)] == [("s2", "duplicate", "major")]


def test_duplicates_target_only():
    text = "Únase a nuestros boletines diarios y semanales para obtener lo último."
    pairs = [Pair("s1", None, text), Pair("s2", None, "Otra cosa distinta aquí."), Pair("s3", None, text)]
    assert [(s.id, s.severity) for s in checks.duplicates(pairs)] == [("s3", "minor")]


@pytest.mark.parametrize(
    "source, target, source_lang, target_lang, expected",
    [
        (LONG_EN, LONG_ES, "en", "es", []),
        (LONG_EN, "Gran parte.", "en", "es", [("length", "major")]),
        (LONG_EN, "Gran parte de la conversación sobre IA.", "en", "es", [("length", "minor")]),
        (LONG_EN, LONG_ES * 3, "en", "es", [("length", "minor")]),
        ("Short text.", "Un texto mucho más largo de lo que debería ser aquí.", "en", "es", []),  # too short
        (LONG_EN, "关于人工智能的讨论仍然围绕着训练越来越大的模型。", "en", "zh", []),
    ],
)
def test_length_ratio(source, target, source_lang, target_lang, expected):
    got = checks.length_ratio(Pair("s1", source, target), source_lang, target_lang)
    assert [(s.check, s.severity) for s in got] == expected


# --- engine marks, Spanish punctuation ------------------------------------------------


@pytest.mark.parametrize(
    "source, target, expected",
    [
        ("It is amazing", "Es *asombroso", [("*asombroso", "asombroso", "major")]),
        ("It is amazing", "Es @asombroso y #ser", [("@asombroso", "asombroso", "major"), ("#ser", "ser", "major")]),
        ("46.7B parameters", "46.7*B parámetros", [("*B", "B", "major")]),
        ("Follow #AI and @sama", "Siga #AI y @sama", []),  # in the source: hashtag and handle
        ("Use C# and F#", "Use C# y F#", []),
        ("Mail a@b.com", "Correo a@b.com", []),
        (None, "Es *asombroso", [("*asombroso", "asombroso", "major")]),
        (None, "Siga #IA hoy", [("#IA", "IA", "minor")]),  # target-only: maybe a hashtag
        (None, "es *muy* importante", []),  # emphasis
        (None, "es *muy importante* hoy", []),
    ],
)
def test_engine_marks(source, target, expected):
    got = checks.engine_marks(Pair("s1", source, target))
    assert [(s.original, s.suggestion, s.severity) for s in got] == expected
    assert all(s.category == "fluency" and s.check == "engine-marks" for s in got)


@pytest.mark.parametrize(
    "target, expected",
    [
        ("¿Qué pasará después?", []),
        ("¡Hola! ¿Qué tal?", []),
        ("¡¿Qué?!", []),
        ("Si no, ¿qué pasa?", []),
        ("Qué pasará después?", [("Qué pasará después?", "¿Qué pasará después?")]),
        ("Entonces nos preguntamos: qué pasará después?", [("qué pasará después?", "¿qué pasará después?")]),
        ("Hola a todos! Seguimos.", [("Hola a todos!", "¡Hola a todos!")]),
        ("¿Qué pasará después.", [("¿Qué pasará después.", "¿Qué pasará después?")]),
        ("¡Qué bien", [("¡Qué bien", "¡Qué bien!")]),
        ("Vea <1>esto</1>?", [("Vea esto?", "¿Vea esto?")]),
    ],
)
def test_spanish_pairs(target, expected):
    got = checks.spanish_pairs(Pair("s1", None, target))
    assert [(s.original, s.suggestion) for s in got] == expected
    assert all(s.category == "fluency" and s.severity == "minor" for s in got)


def test_spanish_pairs_only_for_spanish():
    assert checks.check_pair(Pair("s1", "What next?", "What next?"), "en", "en") == []
    assert [s.check for s in checks.check_pair(Pair("s1", None, "Qué sigue?"), "", "es")] == ["spanish-punctuation"]


# --- links and markup -----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, refs, urls",
    [
        ('<a href="https://a.org/x">', None, ["https://a.org/x"]),
        ("<a href='/rel' title=\"t\">", None, ["/rel"]),
        ("<img src=pic.png alt=x>", None, ["pic.png"]),
        ("](https://a.org/x)", None, ["https://a.org/x"]),
        ('](<https://a.org/a b> "T")', None, ["https://a.org/a b"]),
        ("][Notebook]", {"notebook": "https://nb.org"}, ["https://nb.org"]),
        ("][gone]", {}, ["[gone]"]),
        ('see <a href="https://a.org">https://a.org</a> and www.b.org/x.', None,
         ["https://a.org", "https://a.org", "www.b.org/x"]),
        ('{{< figure src="/img/a.png" >}}', None, ["/img/a.png"]),
        ("plain text", None, []),
    ],
)
def test_urls_in_markup(raw, refs, urls):
    assert checks.urls_in_markup(raw, refs) == urls


def test_markdown_refs():
    text = "Intro [a][One].\n\n[one]: https://one.org\n  [Two]: <https://two.org> \"T\"\n"
    assert checks.markdown_refs(text) == {"one": "https://one.org", "two": "https://two.org"}


@pytest.mark.parametrize(
    "source, target, expected",
    [
        (["https://a.org", "https://b.org"], ["https://b.org", "https://a.org"], []),
        (["https://a.org", "https://b.org"], ["https://a.org"],
         [("links", "markup", "major", "", "https://b.org")]),
        (["https://a.org/x"], ["https://a.org/y"], [("links", "accuracy", "major", "https://a.org/y", "https://a.org/x")]),
        (["https://a.org/en/news"], ["https://a.org/es/news"],
         [("links", "locale", "minor", "https://a.org/es/news", "https://a.org/en/news")]),
        (["https://a.org"], ["https://a.org", "https://c.org"], [("links", "markup", "minor", "https://c.org", "")]),
        (["x.png", "x.png"], ["x.png"], [("links", "markup", "major", "", "x.png")]),
    ],
)
def test_compare_links(source, target, expected):
    assert found(checks.compare_links("s1", source, target)) == expected


@pytest.mark.parametrize(
    "source, target, expected",
    [
        (Counter({"strong": 1, "a": 1}), Counter({"strong": 1}), []),  # links: compare_links' job
        (Counter({"strong": 1}), Counter(), [("markup", "markup", "minor", "", "<strong>")]),
        (Counter(), Counter({"em": 1}), [("markup", "markup", "minor", "", "")]),
        (Counter({("code", "`x = 1`"): 1}), Counter({("code", "`x=1`"): 1}),
         [("markup", "markup", "major", "", "`x = 1`"), ("markup", "markup", "minor", "`x=1`", "")]),
        (Counter({("shortcode", "{{< youtube id >}}"): 1}), Counter({("shortcode", "{{< youtube id >}}"): 1}), []),
    ],
)
def test_compare_markup(source, target, expected):
    assert found(checks.compare_markup("s1", source, target)) == expected


def test_run_placeholders_names_the_lost_link():
    class Doc:
        text = 'See <a href="https://a.org">the site</a> now.'

    seg = Segment("s1", 0, 0, len(Doc.text), "See <1>the site</1> now.",
                  (Code(1, "pair", (4, 27), (35, 39), "a"),))
    got = checks.run([seg], {"s1": "Vea el sitio ahora."}, "en", "es", doc=Doc())
    assert [(s.check, s.category, s.severity) for s in got] == [("placeholders", "markup", "critical")]
    assert "https://a.org" in got[0].explanation and "<1>" in got[0].explanation
    assert checks.run([seg], {"s1": "Vea <1>el sitio</1> ahora."}, "en", "es") == []


def test_run_keeps_the_contract_signature():
    seg = Segment("s1", 0, 0, 10, "It has 7 layers and more.")
    got = checks.run([seg], {"s1": "Tiene capas y más."}, "en", "es", None)
    assert [s.check for s in got] == ["numbers"]
    assert all(s.origin == "check" and s.status == "open" for s in got)


# --- glossary ------------------------------------------------------------------------

GLOSSARY = Glossary("en", "es", (
    Term("Databricks", "Databricks", case_sensitive=True, dnt=True, forbidden=("Datos BRICS",)),
    Term("foundation model", "modelo fundacional", forbidden=("modelo de fundación",)),
))


@pytest.mark.parametrize(
    "source, target, expected",
    [
        ("Databricks grew.", "Databricks creció.", []),
        ("Databricks grew.", "Datos BRICS creció.",
         [("glossary-forbidden", "terminology", "critical", "Datos BRICS")]),
        ("A foundation model.", "Un modelo de fundación.",
         [("glossary-forbidden", "terminology", "critical", "modelo de fundación")]),
        ("A foundation model.", "Un modelo grande.", [("glossary-term", "terminology", "major", "")]),
        (None, "Lo dice Datos BRICS.", [("glossary-forbidden", "terminology", "critical", "Datos BRICS")]),
        (None, "Un modelo grande.", []),  # target-only: only forbidden renderings
    ],
)
def test_glossary(source, target, expected):
    got = checks.glossary_issues(Pair("s1", source, target), GLOSSARY)
    assert [(s.check, s.category, s.severity, s.original) for s in got] == expected
    assert all(s.origin == "glossary" for s in got)


# --- front matter ----------------------------------------------------------------------

FM_SRC = "---\ntitle: Hello\ndate: 2026-01-29\nslug: hello\ntags: [a, b]\nparams:\n  hero: x.png\n---\nBody\n"


@pytest.mark.parametrize(
    "target, expected",
    [
        (FM_SRC.replace("Hello", "Hola").replace("[a, b]", "[c]"), []),  # translated keys may change
        (FM_SRC.replace("slug: hello\n", ""), [("frontmatter", "markup", "major", "", "slug")]),
        (FM_SRC.replace("slug:", "babosa:"),
         [("frontmatter", "markup", "major", "", "slug"), ("frontmatter", "markup", "major", "babosa", "")]),
        (FM_SRC.replace("2026-01-29", "2026-01-30"),
         [("frontmatter", "accuracy", "minor", "2026-01-30", "2026-01-29")]),
        (FM_SRC.replace("hero:", "heroe:"), [("frontmatter", "markup", "major", "", "")]),
        ("Body only\n", [("frontmatter", "markup", "major", "", "")]),
    ],
)
def test_frontmatter_keys(target, expected):
    assert found(checks.frontmatter_keys(FM_SRC, target)) == expected


def test_frontmatter_toml():
    src = '+++\ntitle = "Hi"\ndraft = false\n+++\nBody\n'
    assert checks.frontmatter_keys(src, src.replace("Hi", "Hola")) == []
    assert [s.suggestion for s in checks.frontmatter_keys(src, src.replace("draft = false\n", ""))] == ["draft"]


# --- check_pair: what supersedes what ----------------------------------------------------


def test_untranslated_is_not_also_wrong_language():
    got = checks.check_pair(Pair("s1", LONG_EN, LONG_EN), "en", "es")
    assert [s.check for s in got] == ["untranslated"]


def test_clean_pair_has_no_findings():
    pair = Pair("s1", "Databricks served 12.9 billion tokens in June, up 35%.",
                "Databricks sirvió 12.900 millones de tokens en junio, un 35 % más.")
    assert checks.check_pair(pair, "en", "es", GLOSSARY) == []
