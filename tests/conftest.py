"""Shared fixtures. Fixture modules live beside this file; import them here."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).parent))
from fake_openai import fake_openai  # noqa: F401,E402
