"""Apertium as a tool of the terminology code, without the engine: its modes and
processes (`process`), its HTML batch format with placeholders and protected
spans (`encode`, `decode`), and what it tells glossary enforcement (`hints`)."""
