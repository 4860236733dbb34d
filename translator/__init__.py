"""A machine-translation post-editing pipeline for newsletters."""

__version__ = "0.1.0"
