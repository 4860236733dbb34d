"""Parse + segment + assemble time for large HTML newsletters (issue 2).

Builds 100 KB, 1 MB and 5 MB HTML documents by repeating the sample issue's
body, then times read → segment → assemble (identity and changed text).
Usage: .venv/bin/python bench/formats_speed.py
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from translator.formats.assemble import assemble
from translator.io.reader import parse

ROOT = Path(__file__).resolve().parents[1]


def build(size: int) -> str:
    page = (ROOT / "samples/ai-weekly-042.en.html").read_text(encoding="utf-8")
    head, body = page.split("<body>", 1)
    body = body.split("</body>", 1)[0]
    body = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    parts = [head, "<body>"]
    n = 0
    while sum(map(len, parts)) < size:
        parts.append(body.replace("<h1>", f"<h1>Part {n}: "))
        n += 1
    parts.append("</body></html>\n")
    return "".join(parts)


def main() -> None:
    parse("<p>warm up the pipelines. Yes.</p>", "html", source_lang="en")
    print(f"{'size':>8} {'segments':>9} {'parse+segment':>14} {'assemble':>9} {'total':>7} {'s/MB':>6}")
    for size in (100_000, 1_000_000, 5_000_000):
        text = build(size)
        t0 = time.perf_counter()
        doc = parse(text, "html", source_lang="en")
        t1 = time.perf_counter()
        same = assemble(doc, {s.id: s.source for s in doc.segments}).text
        changed = assemble(doc, {s.id: s.source.upper() for s in doc.segments}).text
        t2 = time.perf_counter()
        assert same == text and changed != text
        mb = len(text.encode()) / 1e6
        print(f"{len(text.encode()) / 1e3:>6.0f}KB {len(doc.segments):>9} {t1 - t0:>13.2f}s {(t2 - t1) / 2:>8.2f}s "
              f"{t1 - t0 + (t2 - t1) / 2:>6.2f}s {(t1 - t0 + (t2 - t1) / 2) / mb:>6.2f}")


if __name__ == "__main__":
    main()
