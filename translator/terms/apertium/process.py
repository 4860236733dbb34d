"""Apertium's installed modes and its processes: one `apertium` run over a
batch, and long-running `lt-proc -z` pipes (analysers, generators)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from functools import lru_cache
from pathlib import Path

from translator.errors import EngineError

APERTIUM_DATA = (Path("/usr/share/apertium"), Path("/usr/local/share/apertium"))
# languages Apertium has released pairs for (ISO 639-1 → Apertium's code); Chinese is not one
LANG3 = {"en": "eng", "es": "spa", "ca": "cat", "fr": "fra", "pt": "por", "it": "ita", "gl": "glg",
         "eu": "eus", "oc": "oci", "ro": "ron", "eo": "epo", "nb": "nob", "nn": "nno", "sv": "swe",
         "da": "dan", "is": "isl", "br": "bre", "cy": "cym", "mt": "mlt", "ar": "ara", "an": "arg",
         "sc": "srd", "hi": "hin", "ur": "urd", "bg": "bul", "mk": "mkd", "af": "afr", "nl": "nld",
         "kk": "kaz", "tt": "tat", "be": "bel", "ru": "rus", "uk": "ukr"}


def apertium_mode(source_lang: str, target_lang: str) -> str | None:
    """The installed Apertium mode for a pair ("eng-spa"), or None."""
    a, b = LANG3.get(source_lang.lower()), LANG3.get(target_lang.lower())
    if not a or not b or not shutil.which("apertium"):
        return None
    mode = f"{a}-{b}"
    return mode if mode_file(mode) else None


def mode_file(mode: str) -> Path | None:
    for d in APERTIUM_DATA:
        f = d / "modes" / f"{mode}.mode"
        if f.is_file():
            return f
    return None


@lru_cache(maxsize=None)
def data_version(mode: str) -> str:
    """Size and date of a mode's file and of every file it names: cached
    answers of an older dictionary are never used."""
    f = mode_file(mode)
    if f is None:
        return ""
    files = [f] + [Path(p) for p in re.findall(r"(/[^'\s|]+\.(?:bin|prob|t\dx|rlx|lrx|mode))", f.read_text())]
    return file_stamp(files)


def file_stamp(paths: list[Path]) -> str:
    """Path, size and date of each file ("-" for one that is missing): what
    keys cached answers to the data those files hold."""
    parts = []
    for p in paths:
        try:
            st = p.stat()
            parts.append(f"{p}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{p}:-")
    return "|".join(parts)


def run_apertium(mode: str, text: str, fmt: str = "html") -> str:
    """One apertium process over `text`; EngineError if it fails."""
    try:
        proc = subprocess.run(["apertium", "-f", fmt, mode], input=text.encode("utf-8"),
                              capture_output=True, timeout=600, check=False)
    except (OSError, subprocess.SubprocessError) as e:
        raise EngineError(f"Apertium could not run ({e}); reinstall it: sudo apt-get install apertium") from e
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise EngineError(f"Apertium {mode} failed: {detail[0]}")
    return proc.stdout.decode("utf-8", "replace")



class NullFlush:
    """A long-running pipe in Apertium's null-flush mode (`-z`): each request
    ends with NUL and so does its answer. Any failure turns it off (`ask`
    then answers None) and callers fall back to rules."""

    def __init__(self, cmd: list[str]):
        self.cmd = cmd
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.broken = False

    def ask(self, data: bytes) -> str | None:
        with self.lock:
            if self.broken:
                return None
            try:
                if self.proc is None:
                    self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                 stderr=subprocess.DEVNULL)
                stdin, stdout = self.proc.stdin, self.proc.stdout
                if stdin is None or stdout is None:
                    raise OSError(f"{self.cmd[0]} has no pipes")
                stdin.write(data + b"\0")
                stdin.flush()
                out = b""
                while not out.endswith(b"\0"):
                    chunk = os.read(stdout.fileno(), 65536)
                    if not chunk:
                        raise OSError(f"{self.cmd[0]} stopped")
                    out += chunk
                return out[:-1].decode("utf-8", "replace")
            except OSError:
                self.broken = True
                if self.proc is not None:
                    self.proc.kill()
                return None


class LtProc(NullFlush):
    """A long-running `lt-proc -z`: one word or one lexical unit per request,
    answered in well under a millisecond ("" when it is off)."""

    def __init__(self, binary: Path, *flags: str):
        super().__init__(["lt-proc", "-z", *flags, str(binary)])

    def ask(self, text: str) -> str:  # type: ignore[override]
        out = super().ask(text.replace("\0", " ").encode("utf-8") + b" ")
        return (out or "").strip()



def parse_analyses(out: str) -> list[tuple[str, tuple[str, ...]]]:
    m = re.match(r"^\^[^/]*/(.*)\$$", out.strip())
    if not m or m.group(1).startswith("*"):
        return []
    result = []
    for reading in m.group(1).split("/"):
        if "+" in reading:  # contractions like del = de+el: not a single word
            continue
        lemma = reading.split("<", 1)[0]
        tags = tuple(re.findall(r"<([^>]+)>", reading))
        result.append((lemma, tags))
    return result


