"""Front-matter keys added, removed or renamed between two Markdown files,
and untranslated values (dates, slugs, flags) changed. Not a registered
check: `review` runs it on the two files."""

from __future__ import annotations

from translator.document import Suggestion
from translator.qa.checks.base import _s


def frontmatter_keys(source_text: str, target_text: str, id_: str = "frontmatter") -> list[Suggestion]:
    """Front-matter keys added, removed or renamed, and values that are never
    translated (dates, slugs, flags) changed."""
    src, tgt = _front(source_text), _front(target_text)
    if src is None and tgt is None:
        return []
    if src is None or tgt is None:
        which = "translation" if tgt is None else "source"
        return [_s(id_, "markup", "major", "", "", f"The {which} has no front matter but the other file does.",
                   "frontmatter")]
    return _keys_changed(src, tgt, id_) + _values_changed(src, tgt, id_)


def _keys_changed(src: dict, tgt: dict, id_: str) -> list[Suggestion]:
    out = []
    for key in sorted(set(src) - set(tgt)):
        out.append(_s(id_, "markup", "major", "", key, f"Front-matter key '{key}' is missing in the translation.",
                      "frontmatter"))
    for key in sorted(set(tgt) - set(src)):
        out.append(_s(id_, "markup", "major", key, "", f"Front-matter key '{key}' is not in the source.",
                      "frontmatter"))
    return out


def _values_changed(src: dict, tgt: dict, id_: str) -> list[Suggestion]:
    """Untranslated values changed; nested tables whose keys differ."""
    from translator.formats import frontmatter

    keep = set(frontmatter.TRANSLATED_KEYS) | set(frontmatter.LIST_KEYS)
    out = []
    for key in sorted(set(src) & set(tgt)):
        a, b = src[key], tgt[key]
        if key.lower() in keep or a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            missing = sorted(set(map(str, a)) - set(map(str, b)))
            extra = sorted(set(map(str, b)) - set(map(str, a)))
            if missing or extra:
                out.append(_s(id_, "markup", "major", "", "",
                              f"Front-matter '{key}' keys differ (missing: {', '.join(missing) or '–'};"
                              f" added: {', '.join(extra) or '–'}).", "frontmatter"))
            continue
        if not isinstance(a, (dict, list)):
            out.append(_s(id_, "accuracy", "minor", str(b), str(a),
                          f"Front-matter '{key}' changed from {a!r} to {b!r} (it is not a translated field).",
                          "frontmatter"))
    return out


def _front(text: str) -> dict | None:
    from translator.formats import frontmatter

    fm = frontmatter.find(text)
    if fm is None:
        return None
    try:
        data = frontmatter.load(text, fm)
    except frontmatter.FrontMatterError:
        return {}
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}
