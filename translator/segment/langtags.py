"""Language codes on the command line: BCP 47 tags, checked with langcodes.

`--to Spanish` used to write `x.Spanish.md`; now it is an error with the
code to use ("did you mean es?"). Valid tags are normalised (`EN` → `en`,
`es_ES` → `es-ES`, `spa` → `es`), so output names and language pairs agree.
"""

from __future__ import annotations


from translator.errors import TranslatorError

# valid tags that langcodes gives back unchanged (tests/test_startup_caches.py checks): answered
# without importing langcodes, whose tables take longer to load than a short file takes to translate
PLAIN = frozenset("en es zh fr de it pt ca nl ja ko ru".split())


def check(value: str, option: str = "--to") -> str:
    """The normalised tag, or TranslatorError naming the likely code."""
    text = value.strip()
    if text in PLAIN:
        return text
    import langcodes

    try:
        tag = langcodes.get(text)
        if tag.is_valid() and tag.language:
            return str(tag)
    except (langcodes.LanguageTagError, ValueError):
        pass
    hint = ""
    try:
        found = langcodes.find(text)
        hint = f"; did you mean {found.language}?"
    except (LookupError, ValueError):
        pass
    raise TranslatorError(f"{option} {value!r} is not a language code (BCP 47, e.g. en, es, zh){hint}")
