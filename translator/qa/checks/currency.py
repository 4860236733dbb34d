"""A currency of the source (symbol, code or name) missing in the translation."""

from __future__ import annotations

import re

from translator.document import Suggestion, strip_placeholders
from translator.qa.checks.base import CheckContext, Pair, _s

NAME = "currency"
NEEDS_SOURCE = True
ORDER = 60
QUIET_AFTER = ("empty",)


def run(pair: Pair, ctx: CheckContext) -> tuple[Suggestion, ...]:
    return tuple(currencies(pair))


_CURRENCY = {
    "USD": r"\$|\bUSD\b|\bd[oó]lar|\bdollars?\b|美元",
    "EUR": r"€|\bEUR\b|\beuros?\b|欧元",
    "GBP": r"£|\bGBP\b|\blibras?\b|\bpounds?\b|英镑",
    "JPY": r"\bJPY\b|\byen(?:es)?\b|日元",
    "CNY": r"\bCNY\b|\bRMB\b|\byuan(?:es)?\b|人民币",
}


def currencies(p: Pair) -> list[Suggestion]:
    if p.source is None:
        return []
    src, tgt = strip_placeholders(p.source), strip_placeholders(p.target)
    out = []
    for code, pattern in _CURRENCY.items():
        if re.search(pattern, src, re.I) and not re.search(pattern, tgt, re.I):
            out.append(_s(p.id, "locale", "major", "", code,
                          f"Currency {code} of the source is missing in the translation.", "currency"))
    return out

