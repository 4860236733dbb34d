"""Prompt files: one per step in prompts/, loaded and checked at start.

A prompt file is Markdown with a small YAML front matter:

    ---
    step: translate
    version: 3
    variables: [source_lang, target_lang, register]
    ---
    You translate {{register}} from {{source_lang}} into {{target_lang}} …

Every `{{name}}` in the body must be declared, every declared variable must be
used, and rendering without a value for one raises PromptError.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Literal, Mapping

from pydantic import BaseModel, ConfigDict, ValidationError

from translator.errors import InputError, PromptError
from translator.formats import frontmatter

STEPS = ("translate", "critique", "revise")
SUPPLIED = {"source_lang", "target_lang", "register"}  # what the engine can fill in
_VAR = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def default_dir() -> Path:
    """$TRANSLATOR_PROMPTS, else the prompts shipped in the package (package data)."""
    env = os.environ.get("TRANSLATOR_PROMPTS")
    return Path(env) if env else Path(str(files("translator") / "prompts"))


class _Meta(BaseModel):
    model_config = ConfigDict(extra="forbid")
    step: Literal["translate", "critique", "revise", "clean"]
    version: int | str
    variables: list[str]
    description: str = ""


@dataclass(frozen=True)
class Prompt:
    step: str
    version: str
    variables: tuple[str, ...]
    body: str
    path: str

    def render(self, values: Mapping[str, str]) -> str:
        missing = [v for v in self.variables if v not in values]
        if missing:
            raise PromptError(f"{self.path}: no value for {', '.join(missing)}")
        return _VAR.sub(lambda m: str(values[m.group(1)]), self.body)


def _front_matter(text: str) -> frontmatter.FrontMatter | None:
    try:
        fm = frontmatter.find(text)
    except InputError:  # opened, never closed
        return None
    return fm if fm is not None and fm.kind == "yaml" else None


def load_prompt(path: Path, step: str) -> Prompt:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"prompt file missing: {path} (the {step} step needs it)") from None
    fm = _front_matter(text)
    if fm is None:
        raise PromptError(f"{path}: must start with a front matter block between '---' lines")
    try:
        meta = _Meta.model_validate(frontmatter.load(text, fm) or {})
    except (frontmatter.FrontMatterError, ValidationError) as e:
        raise PromptError(f"{path}: bad front matter: {e}") from None
    if meta.step != step:
        raise PromptError(f"{path}: front matter says step {meta.step!r}, expected {step!r}")
    body = text[fm.stop:].strip() + "\n"
    used = set(_VAR.findall(body))
    declared = set(meta.variables)
    if used - declared:
        raise PromptError(f"{path}: uses undeclared variable(s) {', '.join(sorted(used - declared))}")
    if declared - used:
        raise PromptError(f"{path}: declares variable(s) it never uses: {', '.join(sorted(declared - used))}")
    if declared - SUPPLIED:
        raise PromptError(f"{path}: unknown variable(s) {', '.join(sorted(declared - SUPPLIED))}; "
                          f"available: {', '.join(sorted(SUPPLIED))}")
    return Prompt(step, str(meta.version), tuple(meta.variables), body, str(path))


@dataclass(frozen=True)
class PromptSet:
    prompts: Mapping[str, Prompt]

    def __getitem__(self, step: str) -> Prompt:
        return self.prompts[step]

    @property
    def signature(self) -> str:
        return ",".join(f"{s}@{self.prompts[s].version}" for s in STEPS)


def load_prompts(directory: Path | str | None = None) -> PromptSet:
    """Load and check the three step prompts; raises PromptError naming the file."""
    base = Path(directory) if directory is not None else default_dir()
    return PromptSet({step: load_prompt(base / f"{step}.md", step) for step in STEPS})
