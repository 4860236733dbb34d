"""spaCy pipelines, loaded once per language and only when first needed.

No trained pipeline can be downloaded here, so every language gets a blank
pipeline (rule-based tokenizer); stages add the components they need.
A trained pipeline installed by the user (e.g. es_core_news_sm) is not
required by anything.
"""

from __future__ import annotations

import sys
import types
from functools import lru_cache

SPACY_LANGS = {"en", "es", "zh", "fr", "de", "it", "pt", "ca", "nl", "ja", "ko", "ru"}


@lru_cache(maxsize=None)
def blank(lang: str):
    """A blank spaCy pipeline for `lang` ("xx", multi-language, when spaCy has none)."""
    spacy = _import_spacy()

    code = lang if lang in SPACY_LANGS else "xx"
    try:
        return spacy.blank(code)
    except Exception:  # a language whose tokenizer needs an extra package
        return spacy.blank("xx")


def _import_spacy():
    """`import spacy` without its command line: spaCy's `__init__` imports
    `spacy.cli.info` only to re-export `spacy.info`, and `spacy.cli` pulls in
    weasel, httpx, requests, jinja2 and rich (a third of the import time).
    While spaCy loads, `spacy.cli` and `spacy.cli.info` are empty stand-ins;
    afterwards they are removed, so a later `import spacy.cli` loads the real
    one, and `spacy.info` loads it when called."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        import spacy

        return spacy
    cli, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    cli.__path__ = []

    def lazy_info(*args, **kwargs):
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    info.info = lazy_info
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = cli, info
    try:
        import spacy
    except ImportError:  # a spaCy whose __init__ needs more of its cli: import it whole
        for name in [m for m in sys.modules if m == "spacy" or m.startswith("spacy.")]:
            del sys.modules[name]
        spacy = None
    finally:
        for name, stub in (("spacy.cli.info", info), ("spacy.cli", cli)):
            if sys.modules.get(name) is stub:
                del sys.modules[name]
        parent = sys.modules.get("spacy")
        if parent is not None and getattr(parent, "cli", None) is cli:
            delattr(parent, "cli")
    if spacy is None:
        import spacy
    return spacy


# --- results kept between runs -------------------------------------------------
# Importing spaCy and building a tokenizer take longer than translating a short
# file with Apertium. What its tokenizer (and the sentence rules built on it)
# answer for a text depends only on spaCy's version and our rules, so the
# answers for the first DISK_BUDGET characters a process sees are kept in the
# user's cache (stagecache): a short file translated again loads no spaCy.
# Past the budget (a big document) results stay in memory only, so the cache
# grows by at most that much per run.

DISK_BUDGET = 100_000
_used = [0]


@lru_cache(maxsize=None)
def spacy_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("spacy")
    except metadata.PackageNotFoundError:
        return "-"


def _on_disk(texts: list[str]) -> bool:
    """Whether these texts' answers go through the disk cache (DISK_BUDGET)."""
    n = sum(len(t) for t in texts)
    if _used[0] + n > DISK_BUDGET:
        return False
    _used[0] += n
    return True


def persist(namespace: str, version: str, texts: list[str], compute) -> dict[str, str]:
    """`compute(texts) -> {text: str}`, answered from the disk cache where it can be
    (see DISK_BUDGET); `version` names what else the answers depend on."""
    if not _on_disk(texts):
        return compute(list(dict.fromkeys(texts)))
    from translator.stagecache import cached_map

    return cached_map(namespace, f"{spacy_version()}|{version}", texts, compute)


def code(lang: str) -> str:
    """The language code of `blank(lang)` ("xx" where spaCy has no tokenizer)."""
    return persist("spacy-code", "", [lang], lambda todo: {t: blank(t).lang for t in todo})[lang]


Span = tuple[str, int, bool]  # a token's text, its offset, whether it is whitespace


def tokenize(lang: str, texts: list[str]) -> list[list[Span]]:
    """The tokens of each text by `blank(lang)`'s tokenizer, as (text, offset, is_space)."""
    import json

    def spans(todo: list[str]) -> list[list[Span]]:
        return [[(tok.text, tok.idx, tok.is_space) for tok in doc] for doc in blank(lang).tokenizer.pipe(todo)]

    if not _on_disk(texts):
        return spans(texts)
    from translator.stagecache import cached_map

    def compute(todo: list[str]) -> dict[str, str]:
        return {t: json.dumps(d, ensure_ascii=False) for t, d in zip(todo, spans(todo))}

    got = cached_map(f"spacy-tokens-{lang}", spacy_version(), texts, compute)
    return [json.loads(got[t]) for t in texts]
