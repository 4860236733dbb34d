"""Whether a run may replace an existing output: only one that is ours,
as we wrote it, or whose edits it keeps (see `edits`); a file this memory
has no record of is somebody's (a translation by hand, the original of a
translation back, another machine's output)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from translator.memory.edits import written, written_from


def replace_problem(memory, output: Path, source: Path, keeps_edits: bool) -> str | None:
    """Why the run may not replace `output` (short of --overwrite), known
    before anything is sent: it exists and this memory has no record of
    writing it (a translation made by hand, the original of a translation
    back, another machine's output), or it was changed since it was written
    and this run cannot keep the changes (`keeps_edits` False: a --draft run,
    or an output in another format than its source), or it is the
    translation of another source file (its edits are not this one's). None: it may be
    replaced. Without a memory there is no record: `differs` decides, when
    the new bytes are known."""
    if not output.is_file() or getattr(memory, "db", None) is None:
        return None
    rec = written(memory, output)
    if rec is None:
        return (f"{output} exists and was not written by this tool with this memory (a translation by hand, "
                "or another machine's): it is kept; --overwrite replaces it, --out DIR writes elsewhere")
    origin = written_from(memory, output)
    if origin is not None and origin != str(source.resolve()):
        return (f"{output} is the translation of another file, {origin}: it is kept; --overwrite replaces it, "
                "--out DIR writes elsewhere")
    if keeps_edits:
        return None
    try:
        changed = hashlib.sha256(output.read_bytes()).hexdigest() != rec[0]
    except OSError as e:
        return f"{output}: cannot read it to tell whether it was edited ({e.strerror})"
    if changed:
        return (f"{output} was changed since it was written, and this run cannot keep the changes "
                "(post-editing a --draft, or another output format): it is kept; --overwrite replaces it")
    return None


def differs(output: Path, data: bytes) -> str | None:
    """Why `data` may not replace `output` in a run without a memory (--no-cache):
    it exists with other bytes, and nothing tells whether an editor wrote them."""
    try:
        same = not output.is_file() or output.read_bytes() == data
    except OSError:
        same = False
    if same:
        return None
    return (f"{output} exists with another text, and without the memory (--no-cache) nothing tells whether "
            "an editor changed it: it is kept and nothing was written; --overwrite replaces it")
