"""Term matching, verification, enforcement, term success, morphology (no engine)."""

import pytest

from translator.terms import morph
from translator.document import placeholder_tokens
from translator.terms.glossary import Glossary, Term
from translator.terms.match import NoHints, align_span, enforce, term_success, verify, verify_target_only


def g(*terms: Term, src="en", tgt="es") -> Glossary:
    return Glossary(src, tgt, terms)


FM = Term("foundation model", "modelo fundacional", forbidden=("modelo de fundación",))
TEMPLATE = Term("template", "modelo", forbidden=("plantilla",))
MODEL = Term("model", "modelo")
TRANSFORMER = Term("Transformer", "Transformer", case_sensitive=True, dnt=True,
                   forbidden=("transformador", "conmutador"))
FT = Term("fine-tuning", "ajuste fino")


@pytest.mark.parametrize("terms, text, expected", [
    ((FM,), "Foundation models are big.", ["Foundation models"]),
    ((FM,), "A <1>foundation</1> model.", ["foundation</1> model"]),
    ((FM,), "The foundation of the model.", []),
    ((FM, MODEL), "The foundation model and the model.", ["foundation model", "model"]),  # longest wins
    ((TRANSFORMER,), "Transformers and transformers.", ["Transformers"]),
    ((FT,), "Fine tuning, fine-tuning and finetuning.", ["Fine tuning", "fine-tuning"]),
    ((Term("embedding", "embedding"),), "New embeddings.", ["embeddings"]),
    ((Term("GPU", "GPU"),), "Two GPUs.", ["GPUs"]),
])
def test_source_matching(terms, text, expected):
    assert [h.text for h in g(*terms).find(text)] == expected


def test_longest_match_counts_once():
    gl = g(FM, MODEL)
    assert [t.source for t in gl.entries_for(["Foundation models rule."])] == ["foundation model"]
    assert [t.source for t in gl.entries_for(["A model.", "Foundation models."])] == ["foundation model", "model"]


def test_chinese_matches_substrings():
    gl = Glossary("zh", "en", (Term("大模型", "large model"), Term("模型", "model")))
    assert [h.text for h in gl.find("这个大模型和那个模型")] == ["大模型", "模型"]
    report = verify(gl, "大模型很强", "The Large Models are strong", "s1")
    assert report.satisfied == (gl.terms[0],)


@pytest.mark.parametrize("term, translation, ok", [
    (FM, "Los modelos fundacionales son rápidos.", True),
    (FM, "El modelo fundacional.", True),
    (FM, "Los modelos de fundación.", False),
    (TEMPLATE, "Las plantillas.", False),
    (Term("template", "plantilla"), "Las plantillas nuevas.", True),
    (Term("bill", "cuenta"), "En las cuentas.", True),
    (Term("order", "orden"), "Las órdenes de compra.", True),
    (Term("transaction", "transacción"), "Dos transacciones.", True),
    (TRANSFORMER, "Los Transformers ganan.", True),
    (TRANSFORMER, "Los transformers ganan.", False),  # case-sensitive
])
def test_target_satisfied(term, translation, ok):
    report = verify(g(term), f"The {term.source}s.", translation, "s1")
    assert report.found == (term,)
    assert (report.satisfied == (term,)) is ok


def test_verify_suggestions():
    gl = g(FM, TEMPLATE)
    report = verify(gl, "The foundation model and the template.", "El modelo de fundación y la plantilla nueva.", "s3")
    assert report.violations == (FM, TEMPLATE)
    assert [(s.severity, s.original, s.suggestion, s.origin, s.category, s.status) for s in report.suggestions] == [
        ("critical", "modelo de fundación", "modelo fundacional", "glossary", "terminology", "open"),
        ("critical", "plantilla", "modelo", "glossary", "terminology", "open"),
    ]
    report = verify(gl, "The foundation model.", "El gran modelo.", "s4")
    assert [(s.severity, s.original, s.suggestion) for s in report.suggestions] == [
        ("major", "", "modelo fundacional")]


def test_verify_target_only_flags_forbidden_variants():
    gl = g(TRANSFORMER, Term("Mamba", "Mamba", dnt=True, case_sensitive=True, forbidden=("serpiente venenosa",)))
    text = "La arquitectura del transformador y una serpiente venenosa; los Transformers no."
    found = [(s.original, s.severity) for s in verify_target_only(gl, text, "s9")]
    # without a source, an ordinary word is only a minor "check this"; a phrase keeps its severity
    assert found == [("transformador", "minor"), ("serpiente venenosa", "critical")]
    assert verify_target_only(gl, "Los modelos Transformer y Mamba.", "s9") == []


@pytest.mark.parametrize("source, translation, expected", [
    ("Select a template.", "Seleccione una plantilla.", "Seleccione un modelo."),
    ("Select the templates.", "Seleccione las plantillas nuevas.", "Seleccione los modelos nuevos."),
    ("Name of the template.", "Nombre de la plantilla.", "Nombre del modelo."),
    ("Templates are here.", "Plantillas aquí.", "Modelos aquí."),
    ("Use <1>the template</1>.", "Use <1>la plantilla</1>.", "Use <1>el modelo</1>."),
    ("Use the <1>template</1>.", "Use la <1>plantilla</1>.", "Use el <1>modelo</1>."),
    ("These foundation models.", "Estos modelos de fundación.", "Estos modelos fundacionales."),
])
def test_enforce_replaces_forbidden_variants_with_number_and_gender(source, translation, expected):
    text, suggestions = enforce(g(FM, TEMPLATE), source, translation, "s1", target_lang="es", hints=NoHints())
    assert text == expected
    assert suggestions and all(s.status == "applied" and s.origin == "glossary" for s in suggestions)
    assert placeholder_tokens(text) == placeholder_tokens(translation)


def test_enforce_gender_change_the_other_way():
    gl = g(Term("template", "plantilla", forbidden=("modelo",)))
    text, _ = enforce(gl, "The template of the template.", "El modelo del modelo.", "s1", hints=NoHints())
    assert text == "La plantilla de la plantilla."


class FakeHints:
    """An engine that renders terms and drafts sentences as told."""

    def __init__(self, renderings=None, drafts=None, back=None):
        self._renderings, self._drafts, self._back = renderings or {}, drafts or {}, back or {}

    def renderings(self, term):
        return self._renderings.get(term.source, [])

    def draft(self, source, span):
        text, rendering = self._drafts.get(source, (None, None))
        if text is None:
            return None
        start = text.index(rendering)
        return text, (start, start + len(rendering))

    def back_translations(self, words):
        return {w: self._back.get(w.lower(), ()) for w in words}


def test_enforce_uses_the_engines_rendering():
    gl = g(Term("foundation model", "modelo fundacional"))
    hints = FakeHints(renderings={"foundation model": ["modelo de fundación"]})
    text, sugg = enforce(gl, "Foundation models win.", "Los modelos de fundación ganan.", "s1", hints=hints)
    assert text == "Los modelos fundacionales ganan."
    assert [(s.original, s.suggestion, s.status) for s in sugg] == [
        ("modelos de fundación", "modelos fundacionales", "applied")]


def test_enforce_aligns_with_the_engines_draft():
    gl = g(Term("save", "guardar"))
    hints = FakeHints(drafts={"Click Save to continue.": ("Clic en Salvar para continuar.", "Salvar")})
    text, _ = enforce(gl, "Click Save to continue.", "Haga clic en Grabar para continuar.", "s1", hints=hints)
    assert text == "Haga clic en Guardar para continuar."


def test_enforce_by_elimination_with_back_translations():
    gl = g(Term("partner", "socio"))
    hints = FakeHints(back={"número": ("number",), "interlocutores": ("speaker",), "comerciales": ("commercial",)})
    text, _ = enforce(gl, "Business partners number", "Número de interlocutores comerciales", "s1", hints=hints)
    assert text == "Número de socios comerciales"


def test_enforce_leaves_an_open_suggestion_when_it_cannot_repair():
    gl = g(FM)
    text, sugg = enforce(gl, "A foundation model.", "Un gran modelo.", "s7", hints=NoHints())
    assert text == "Un gran modelo."
    assert [(s.status, s.severity, s.suggestion, s.check) for s in sugg] == [
        ("open", "major", "modelo fundacional", "glossary-term")]


def test_enforce_keeps_dnt_terms_as_written_in_the_source():
    gl = g(TRANSFORMER)
    text, _ = enforce(gl, "Transformers are fast.", "Los transformadores son rápidos.", "s1", hints=NoHints())
    assert text == "Los Transformers son rápidos."


def test_enforce_never_touches_placeholders():
    gl = g(TEMPLATE)
    text, sugg = enforce(gl, "A <1>template</1>.", "Una planti<1>lla</1>.", "s1", hints=NoHints())
    assert placeholder_tokens(text) == ["<1>", "</1>"]


@pytest.mark.parametrize("rows, expected", [
    ([("", "Los modelos fundacionales", {"foundation model": "modelo fundacional"})], 1.0),
    ([("", "Los modelos de fundación", {"foundation model": "modelo fundacional"})], 0.0),
    ([("", "Guarde la plantilla", {"save": "guardar", "template": "plantilla", "tab": "pestaña"})], 2 / 3),
    ([("", "x", {})], 1.0),
])
def test_term_success(rows, expected):
    assert term_success(rows) == pytest.approx(expected)


def test_align_span():
    # an equal-sized replaced stretch next to an identical one pairs word by word
    span, region = align_span("El socio empresarial es VIP", (3, 8), "Interlocutor comercial es VIP", "es")
    assert span == (0, 12)
    # a replaced stretch of another size only narrows the region
    span, region = align_span("El trabajo el siguiente", (3, 10), "La función hace lo siguiente", "es")
    assert span is None and region == (3, 15)
    span, _ = align_span("Seleccione la pestaña Usuarios", (14, 21), "Seleccione la ficha Usuarios", "es")
    assert span == (14, 19)


@pytest.mark.parametrize("word, plural", [
    ("modelo", "modelos"), ("orden", "órdenes"), ("imagen", "imágenes"), ("canción", "canciones"),
    ("luz", "luces"), ("análisis", "análisis"), ("mes", "meses"), ("inglés", "ingleses"),
    ("red", "redes"), ("chatbot", "chatbots"), ("API", "API"), ("país", "países"),
])
def test_spanish_plurals(word, plural):
    assert morph.es_pluralize_word(word) == plural


@pytest.mark.parametrize("phrase, plural", [
    ("modelo fundacional", "modelos fundacionales"), ("centro de trabajo", "centros de trabajo"),
    ("orden de producción", "órdenes de producción"), ("valor predeterminado", "valores predeterminados"),
])
def test_spanish_phrase_plurals(phrase, plural):
    assert morph.es_pluralize(phrase) == plural


@pytest.mark.parametrize("noun, gender", [
    ("plantilla", "f"), ("modelo", "m"), ("sistema", "m"), ("canción", "f"), ("mano", "f"), ("socio", "m"),
    ("unidad de negocio", "f"), ("problema", "m"),
])
def test_spanish_gender(noun, gender):
    assert morph.es_gender(noun) == gender


@pytest.mark.parametrize("verb, form, expected", [
    ("guardar", "grabe", "guarde"), ("guardar", "Grabar", "Guardar"), ("eliminar", "borrado", "eliminado"),
])
def test_spanish_verb_forms(verb, form, expected):
    assert morph.es_conjugate_like(verb, form) == expected


@pytest.mark.parametrize("draft, term, text, expected", [
    # the content words alone pair nothing; "de" and the brackets are anchors
    ("Cambio de Socio empresarial", "Socio", "Modificación de interlocutor comercial", "interlocutor"),
    ("Socio empresarial (payer)", "Socio", "Interlocutor comercial (pagador)", "Interlocutor"),
    # an anchor that leaves no equal-sized stretch pairs nothing
    ("Posting Categoría de socio", "socio", "Tipo de interlocutor de contabilización", None),
])
def test_align_span_with_function_words_as_anchors(draft, term, text, expected):
    s = draft.index(term)
    span, _ = align_span(draft, (s, s + len(term)), text, "es")
    assert (text[span[0]:span[1]] if span else None) == expected


@pytest.mark.parametrize("text, expected", [
    ("To save a filter, proceed as follows:", ["save"]),  # "as" is not "a"
    ("Click Save as to keep a copy.", ["Save as"]),
    ("Use the Save As dialog.", ["Save As"]),
])
def test_function_words_of_a_term_match_only_themselves(text, expected):
    gl = g(Term("save", "guardar"), Term("save as", "guardar como"))
    assert [h.text for h in gl.find(text)] == expected


def test_elimination_skips_words_of_other_terms():
    # "Saldos iniciales" renders "opening balance": the word left for "inventory" is "stocks"
    from translator.terms.align import residual_span

    src, mt = "Inventory Opening Balances", "Saldos iniciales de stocks"
    back = {"Saldos": ("balance",), "iniciales": ("initial",), "stocks": ("stock",)}
    span = residual_span(src, (0, 9), "en", mt, "es", lambda ws: back, None, 1, None, [(0, 16)])
    assert span is not None and mt[span[0]:span[1]] == "stocks"
