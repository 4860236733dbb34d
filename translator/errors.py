"""Errors written for people. The CLI prints them as `Error: …` and exits 1;
nothing else prints or exits."""


class TranslatorError(Exception):
    """Base class: the message is shown to the user as is."""


class InputError(TranslatorError):
    """A file that cannot be read, decoded or parsed."""


class GlossaryError(TranslatorError):
    """A glossary file that is malformed: the message names file and line."""


class EngineError(TranslatorError):
    """An engine that is missing, misconfigured or unreachable."""


class PairUnavailable(EngineError):
    """An engine that cannot translate this language pair (Apertium without
    it, or not installed): a given translation (--draft) is post-edited without it."""


class PromptError(TranslatorError):
    """A prompt file that is missing or lacks a required variable."""
