"""Scale: a big HTML issue through the CLI against an instant fake LLM (issue 8).

Builds HTML issues of the given sizes by repeating the body of
samples/ai-weekly-042.en.html (each copy numbered, so no two segments are the
same and the memory cannot shortcut), then runs

    translator translate ISSUE.html --from en --to es --model openai:fake --out DIR

in a subprocess with a fresh XDG_CACHE_HOME, against tests/fake_openai.py
answering instantly. Reports time to the first model request, total time,
peak RSS of the CLI process, segments and requests.

Usage: .venv/bin/python bench/scale.py [SIZE_MB ...]      (default: 1 5)
       .venv/bin/python bench/scale.py --profile 1         (cProfile of the run, top 25)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fake_openai import FakeOpenAI, prefix  # noqa: E402


def build(size: int) -> str:
    """An HTML issue of about `size` bytes: the sample's body repeated, numbered."""
    page = (ROOT / "samples/ai-weekly-042.en.html").read_text(encoding="utf-8")
    head, body = page.split("<body>", 1)
    body = body.split("</body>", 1)[0]
    body = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    parts = [head, "<body>"]
    total, n = len(head), 0
    while total < size:
        # number every sentence start so each copy's segments are new text
        part = re.sub(r"(<(?:p|li|h[1-6]|td|figcaption)[^>]*>)", lambda m: f"{m.group(1)}[{n}] ", body)
        parts.append(part)
        total += len(part.encode())
        n += 1
    parts.append("</body></html>\n")
    return "".join(parts)


def run(size_mb: float, work: Path, profile: bool = False) -> dict:
    path = work / f"issue-{size_mb:g}mb.en.html"
    path.write_text(build(int(size_mb * 1_000_000)), encoding="utf-8")
    fake = FakeOpenAI().start()
    first: list[float] = []
    answer = prefix("ES: ")

    def respond(req):
        if not first:
            first.append(time.perf_counter())
            print(f"  first request after {first[0] - t0:.1f}s (peak RSS so far {_hwm(proc.pid):.0f}MB)", flush=True)
        return answer(req)

    fake.responder = respond
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env.update(OPENAI_BASE_URL=fake.base_url, OPENAI_API_KEY="sk-fake", XDG_CACHE_HOME=str(work / f"cache-{size_mb:g}"))
    out = work / f"out-{size_mb:g}"
    cli = [sys.executable, "-m", "translator.cli.main"]
    if profile:  # threads run inline (asyncio.to_thread) so the profile sees the stages' work
        cli = [sys.executable, "-c", _PROFILED, str(work / f"scale-{size_mb:g}mb.prof")]
    cmd = cli + ["translate", str(path), "--from", "en", "--to", "es", "--model", "openai:fake", "--out", str(out)]
    t0 = time.perf_counter()
    proc = None
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(proc.stdout), daemon=True)
    reader.start()
    done = threading.Event()
    threading.Thread(target=_monitor, args=(proc.pid, fake, t0, done), daemon=True).start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    total = time.perf_counter() - t0
    reader.join(5)
    proc.returncode = os.waitstatus_to_exitcode(status)
    fake.stop()
    if profile:
        text = "".join(log)
        at = text.find("Ordered by")
        print(text[at:at + 16000] if at >= 0 else text[-6000:])
    outputs = list(out.glob("*.html")) if out.exists() else []
    return {
        "size_mb": path.stat().st_size / 1e6,
        "exit": proc.returncode,
        "first_request_s": (first[0] - t0) if first else None,
        "total_s": total,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,  # the machine is shared: CPU time is steadier than wall time
        "requests": len(fake.chat_requests(status=None)),
        "output_mb": outputs[0].stat().st_size / 1e6 if outputs else 0.0,
        "tail": "".join(log[-6:]),
    }


_PROFILED = """
import asyncio, cProfile, pstats, sys
async def inline(func, *a, **kw):
    return func(*a, **kw)
asyncio.to_thread = inline
out = sys.argv.pop(1)
sys.argv[0] = "translator"
from translator.cli.main import main
prof = cProfile.Profile()
try:
    prof.runcall(main)
except SystemExit:
    pass
finally:
    prof.dump_stats(out)
    stats = pstats.Stats(out)
    stats.sort_stats("cumulative").print_stats("translator/", 40)
    stats.sort_stats("tottime").print_stats(25)
"""


def _monitor(pid: int, fake, t0: float, done: threading.Event) -> None:
    """Every SCALE_LOG_EVERY seconds (60): requests so far and memory, so a run
    cut short still says where it got. (Not proc.poll(): it would reap the
    child before os.wait4 reads its peak RSS.)"""
    every = float(os.environ.get("SCALE_LOG_EVERY", "60"))
    while not done.wait(every):
        print(f"  {time.perf_counter() - t0:7.0f}s requests {len(fake.requests):6d} "
              f"RSS {_status(pid, 'VmRSS:'):.0f}MB peak {_hwm(pid):.0f}MB "
              f"load {os.getloadavg()[0]:.1f}", flush=True)


def _hwm(pid: int) -> float:
    return _status(pid, "VmHWM:")


def _status(pid: int, field: str) -> float:
    """A memory figure of a running process (VmHWM: peak so far, VmRSS: now), in MB (Linux)."""
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main(argv: list[str]) -> None:
    profile = "--profile" in argv
    sizes = [float(a) for a in argv if a != "--profile"] or [1.0, 5.0]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'size':>8} {'exit':>4} {'first request':>13} {'total':>8} {'cpu':>8} {'peak RSS':>9} {'requests':>8}")
        for size in sizes:
            r = run(size, Path(tmp), profile)
            first = f"{r['first_request_s']:.1f}s" if r["first_request_s"] is not None else "none"
            print(f"{r['size_mb']:>6.1f}MB {r['exit']:>4} {first:>13} {r['total_s']:>7.1f}s {r['cpu_s']:>7.1f}s "
                  f"{r['peak_rss_mb']:>7.0f}MB {r['requests']:>8}", flush=True)
            if r["exit"] != 0:
                print(r["tail"])


if __name__ == "__main__":
    main(sys.argv[1:])
