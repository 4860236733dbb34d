"""Where a run writes, decided before anything is sent or written.

Every output and report path of a run is planned once the inputs are read
(their language and format name the outputs) and before the first engine
call, so that nothing is paid for that cannot be written, and no file is
silently replaced:

- an output or report path equal to an input of the run is refused;
- two inputs that would write one output path are refused, both of them,
  naming each other (a folder input's subfolders are mirrored under --out
  and --report, so that rule covers folders);
- two reports that would share a name (`issue.html` and `issue.md` both give
  `issue.es.report.json`) are named after the full output file name instead:
  `issue.es.html.report.json`, `issue.es.md.report.json`;
- an output folder that is a file, or cannot be written, is an error for the
  files that would go there.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from translator.errors import TranslatorError


@dataclass(frozen=True)
class Target:
    """The paths one input writes."""

    output: Path
    report_json: Path | None = None
    report_html: Path | None = None


def check_folder(folder: Path, option: str) -> None:
    """Raise TranslatorError unless `folder` is (or can be made) a folder we can write in.
    The folder is created (it would be anyway, before the first write)."""
    if folder.exists() and not folder.is_dir():
        raise TranslatorError(f"{option} {folder}: is a file, not a folder; give a folder to write into")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise TranslatorError(f"{option} {folder}: cannot create the folder ({e.strerror or e})") from None
    probe_writable(folder, option)


def probe_writable(folder: Path, what: str) -> None:
    """Create and remove a temporary file in `folder` (permission bits do not
    tell: root passes them, read-only file systems do not show in them)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".translator-probe-", dir=str(folder))
    except OSError as e:
        raise TranslatorError(f"{what} {folder}: cannot write in this folder ({e.strerror or e})") from None
    os.close(fd)
    try:
        os.unlink(tmp)
    except OSError:
        pass


def plan(candidates: dict[Path, Target], inputs: list[Path]) -> tuple[dict[Path, Target], dict[Path, str]]:
    """Check the planned targets of every input (`candidates`: input → its
    default target) against each other and against `inputs` (every input of
    the run). Returns the targets to use and an error per refused input."""
    errors = _overwrites_input(candidates, inputs)
    _shared_outputs(candidates, errors)
    targets = _own_reports({p: t for p, t in candidates.items() if p not in errors})
    # an output that is a folder, or a folder we cannot write in
    probed: dict[Path, str | None] = {}
    for path, t in list(targets.items()):
        problem = _unwritable(t.output, probed) or (
            _unwritable(t.report_json, probed) if t.report_json is not None else None)
        if problem:
            errors[path] = f"{path}: {problem}"
            del targets[path]
    return targets, errors


def _overwrites_input(candidates: dict[Path, Target], inputs: list[Path]) -> dict[Path, str]:
    """An error for each input whose output or report is one of the inputs."""
    errors: dict[Path, str] = {}
    given = {p.resolve(): p for p in inputs}
    for path, t in candidates.items():
        for p in (t.output, t.report_json, t.report_html):
            if p is not None and p.resolve() in given:
                other = given[p.resolve()]
                what = "the input" if other.resolve() == path.resolve() else f"the input {other}"
                errors[path] = f"{path}: the {'output' if p == t.output else 'report'} {p} would overwrite {what}; use --out DIR"
                break
    return errors


def _shared_outputs(candidates: dict[Path, Target], errors: dict[Path, str]) -> None:
    """Two inputs, one output path: neither is written (no rule tells which one the user meant)."""
    by_output: dict[Path, list[Path]] = defaultdict(list)
    for path, t in candidates.items():
        by_output[t.output.resolve()].append(path)
    for paths in by_output.values():
        if len(paths) > 1:
            for path in paths:
                others = ", ".join(str(p) for p in paths if p != path)
                errors.setdefault(path, f"{path}: {others} would also be written to {candidates[path].output}; "
                                        "translate them in separate runs or into different --out folders")


def _own_reports(targets: dict[Path, Target]) -> dict[Path, Target]:
    """Two reports, one name: name each after its output's full file name."""
    by_report: dict[Path, list[Path]] = defaultdict(list)
    for path, t in targets.items():
        if t.report_json is not None:
            by_report[t.report_json.resolve()].append(path)
    for paths in by_report.values():
        if len(paths) > 1:
            for path in paths:
                t = targets[path]
                assert t.report_json is not None  # grouped by it above
                folder = t.report_json.parent
                targets[path] = Target(t.output, folder / f"{t.output.name}.report.json",
                                       folder / f"{t.output.name}.report.html")
    return targets


def _unwritable(path: Path, probed: dict[Path, str | None]) -> str | None:
    if path.is_dir():
        return f"the output {path} is a folder"
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if folder not in probed:
        try:
            if not folder.is_dir():
                raise TranslatorError(f"{folder} is a file, not a folder")
            probe_writable(folder, "")
            probed[folder] = None
        except TranslatorError as e:
            probed[folder] = f"cannot write {path} ({str(e).strip()})"
    return probed[folder]


def subfolders(given: list[Path], files: list[Path]) -> dict[Path, Path]:
    """For each file found in a folder input, its subfolder in that folder
    (mirrored under --out and --report, so `a/x.md` and `b/x.md` of one folder
    input do not write one path)."""
    folders = [p.resolve() for p in given if p.is_dir()]
    out: dict[Path, Path] = {}
    for f in files:
        here = f.resolve().parent
        for root in folders:
            if root == here or root in here.parents:
                out[f] = here.relative_to(root)
                break
    return out
