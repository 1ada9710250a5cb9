"""Soak: ten visitors keep the app busy for minutes; does the server's memory stay flat and come back? (not a test)

    python benchmarks/soak.py [--minutes 5] [--sessions 10] [--ttl 30] [--rounds 1] [--stub-components]

It starts its own server (``start_server`` from the browser tests) with
``server.disconnectedSessionTTL`` set to ``--ttl`` seconds, then opens ``--sessions`` pages
in one headless Chromium, one browser context (one Streamlit session) each. Every session
behaves like a person trying settings: it types a new seed for the generated data into the
sidebar (session i: 10i+1 … 10i+4, then round again), waits until the data summary names that
seed and the page is idle, and does that about once a second. Play and Step are not used: they
run in the browser, and the server only hears the iteration now and then.

Every ``--sample-every`` seconds it reads the server's resident memory (psutil if installed,
else ``VmRSS`` in /proc/PID/status) and CPU time. Errors are counted as they happen: exception
boxes on the page, browser console errors and page errors, failed requests, HTTP responses
of 400 and above, and waits for the page that timed out.

After the busy minutes it closes every context (the sessions disconnect) and keeps sampling
until the TTL has passed and a while more, then opens and closes one more page: Streamlit's
session storage drops expired sessions only when it next stores one (a later visitor), so that
is when their memory can be freed. ``--rounds 2`` does it all twice: whether the second round
reuses the memory the first one kept or adds to it hints at a leak or at an allocator that
keeps what was freed. It prints a table per minute and a summary: the peak, the growth per minute over
the second half of the busy minutes, and the memory after the sessions were released.

In a browser each run costs far more CPU than on the server (Streamlit's page and the training
view's four Plotly charts are redrawn), so on a small machine the browser, not the server,
limits how often ten pages can rerun. ``--stub-components`` serves an empty page in place of the
training view's component: the server computes and sends exactly the same, the browser draws less.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import os
import platform
import re
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from playwright.async_api import async_playwright  # noqa: E402

from e2e.conftest import EXCEPTION, IDLE, launch_args, start_server  # noqa: E402

SUMMARY = '[data-testid="stCaptionContainer"]'
SEED = "Seed"  # the sidebar's number input for the generated data (en.TEXTS["data.seed"])
SEEDS_PER_SESSION = 4  # session i cycles through seeds 10i+1 … 10i+4: new data, then the same four again (cached)
PAGE_TIMEOUT_MS = 120_000
# --stub-components: what the browser gets instead of a component's page. It tells Streamlit it
# is ready (so the page does not wait for it) and draws nothing; the server sends it the same
# arguments on every run as it does the real one.
STUB_COMPONENT = """<!doctype html><html><body><script>
window.parent.postMessage({isStreamlitMessage: true, type: "streamlit:componentReady", apiVersion: 1}, "*");
</script></body></html>"""


# --- the server process -----------------------------------------------------------------------

def rss_bytes(pid: int) -> int:
    try:
        import psutil  # type: ignore[import-not-found]

        return int(psutil.Process(pid).memory_info().rss)
    except ImportError:
        pass
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/PID/status")


def server_metrics(url: str) -> dict[str, float]:
    """Streamlit's /_stcore/metrics: active sessions and the bytes held per cache type (st_cache_data, st_session_state …).

    Session state is counted for connected sessions only; disconnected ones waiting out their
    TTL are not in it.
    """
    found: dict[str, float] = {}
    try:
        with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=30) as response:
            text = response.read().decode()
    except OSError:
        return found
    for line in text.splitlines():
        match = re.match(r'^(active_sessions|cache_memory_bytes)(\{[^}]*\})? ([0-9.eE+-]+)$', line)
        if not match:
            continue
        name, labels, value = match.groups()
        if name == "cache_memory_bytes":
            kind = re.search(r'cache_type="([^"]+)"', labels or "")
            name = kind.group(1) if kind else "cache"
        found[name] = found.get(name, 0.0) + float(value)
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- bookkeeping ------------------------------------------------------------------------------

@dataclass
class Sample:
    t: float  # seconds since the soak started (negative before, beyond its end after)
    rss: int
    cpu: float
    reruns: int
    errors: int
    phase: str


@dataclass
class Stats:
    reruns: int = 0
    errors: list[tuple[float, int, str, str]] = field(default_factory=list)
    counting: bool = False  # errors count only while the sessions are meant to be running
    started: float = 0.0

    def error(self, session: int, kind: str, detail: str) -> None:
        if self.counting:
            self.errors.append((time.monotonic() - self.started, session, kind, detail[:300]))


async def sampler(pid: int, stats: Stats, samples: list[Sample], every: float, phase: list[str],
                  stop: asyncio.Event) -> None:
    while not stop.is_set():
        samples.append(Sample(time.monotonic() - stats.started, rss_bytes(pid), cpu_seconds(pid), stats.reruns,
                              len(stats.errors), phase[0]))
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
        except asyncio.TimeoutError:
            pass


# --- one visitor ------------------------------------------------------------------------------

async def open_session(browser, url: str, number: int, stats: Stats, stub_components: bool = False):
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    # Ten pages drawing their first charts at once on a small machine can keep an input from being
    # ready for more than Playwright's default 30 s; that is the browser's wait, not the server's.
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    if stub_components:
        await context.route("**/component/**/index.html*",
                            lambda route: route.fulfill(status=200, content_type="text/html", body=STUB_COMPONENT))
    page = await context.new_page()
    page.on("console", lambda m: stats.error(number, "console", m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: stats.error(number, "pageerror", str(e)))
    page.on("requestfailed", lambda r: stats.error(number, "requestfailed", f"{r.url} {r.failure}"))
    page.on("response", lambda r: stats.error(number, "http", f"{r.status} {r.url}") if r.status >= 400 else None)
    await page.goto(url + "/", wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
    await page.locator(SUMMARY).filter(has_text="points from").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    await page.wait_for_selector(IDLE, state="attached", timeout=PAGE_TIMEOUT_MS)
    return context, page


async def visitor(page, number: int, stats: Stats, until: float, pace: float) -> None:
    # The seed of the generated data, typed in and confirmed with Enter. The data summary names the
    # seed ("… seed=13 · …"), so the server's answer is seen on the page: a run counter alone can
    # miss a run that starts and ends between two frames, and a key sent to a slider among ten
    # pages in one browser now and then went nowhere.
    field = page.get_by_role("spinbutton", name=SEED)
    for seed in itertools.cycle(range(10 * number + 1, 10 * number + 1 + SEEDS_PER_SESSION)):
        if time.monotonic() >= until:
            return
        began = time.monotonic()
        try:
            await field.fill(str(seed))
            await field.press("Enter")
            await page.wait_for_function(
                "([selector, text]) => Array.from(document.querySelectorAll(selector)).some((e) => e.innerText.includes(text))",
                arg=[SUMMARY, f"seed={seed} "], timeout=PAGE_TIMEOUT_MS)
            await page.wait_for_selector(IDLE, state="attached", timeout=PAGE_TIMEOUT_MS)
            stats.reruns += 1
            shown = await page.locator(EXCEPTION).count()
            if shown:
                stats.error(number, "exception", await page.locator(EXCEPTION).first.inner_text())
        except Exception as error:  # a timeout or a page that went away: count it and go on
            stats.error(number, type(error).__name__, str(error).splitlines()[0] if str(error) else "")
        await asyncio.sleep(max(0.0, pace - (time.monotonic() - began)))


# --- the run ----------------------------------------------------------------------------------

async def one_round(browser, url: str, pid: int, args, stats: Stats, samples: list[Sample], phase: list[str],
                    number: int, notes: dict) -> None:
    """Open the sessions, keep them busy, close them, wait out the TTL, let one more visitor in."""
    phase[0] = f"loading {number}"
    opened = await asyncio.gather(*(open_session(browser, url, i, stats, args.stub_components)
                                    for i in range(args.sessions)))
    stats.started = time.monotonic()  # the round's clock starts with every page loaded
    stats.counting = True
    phase[0] = f"soak {number}"
    samples.append(Sample(0.0, rss_bytes(pid), cpu_seconds(pid), stats.reruns, len(stats.errors), phase[0]))
    until = stats.started + args.minutes * 60
    await asyncio.gather(*(visitor(page, i, stats, until, args.pace) for i, (_, page) in enumerate(opened)))
    samples.append(Sample(time.monotonic() - stats.started, rss_bytes(pid), cpu_seconds(pid), stats.reruns,
                          len(stats.errors), phase[0]))
    stats.counting = False
    notes.setdefault("load", []).append(os.getloadavg()[0])
    notes["metrics"][f"busy {number}"] = server_metrics(url)
    phase[0] = f"closed {number}"
    for context, _ in opened:
        await context.close()
    await asyncio.sleep(args.ttl + args.settle)
    notes["metrics"][f"closed {number}"] = server_metrics(url)
    # The next visitor: storing its session is when the expired ones are dropped.
    phase[0] = f"next visitor {number}"
    context, _ = await open_session(browser, url, -1, stats, args.stub_components)
    await context.close()
    phase[0] = f"after {number}"
    await asyncio.sleep(args.settle)
    notes["metrics"][f"after {number}"] = server_metrics(url)


async def soak(args) -> tuple[list[Sample], Stats, dict]:
    os.environ["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(args.ttl)  # start_server's child inherits it
    log_path = Path(tempfile.mkdtemp(prefix="logit-soak-")) / "server.log"
    server = start_server(log_path)
    pid = server.process.pid
    stats, samples, phase = Stats(), [], ["idle"]
    stop = asyncio.Event()
    notes: dict = {"load": [os.getloadavg()[0]]}
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**launch_args())
            stats.started = time.monotonic()
            sampling = asyncio.create_task(sampler(pid, stats, samples, args.sample_every, phase, stop))
            try:
                await asyncio.sleep(args.sample_every)  # the idle server, before any page
                phase[0] = "warm-up"  # one page loaded and closed: modules imported, default data cached
                context, _ = await open_session(browser, server.url, -1, stats, args.stub_components)
                await context.close()
                phase[0] = "warm"
                await asyncio.sleep(2 * args.sample_every)
                notes["metrics"] = {"warm": server_metrics(server.url)}
                for number in range(1, args.rounds + 1):
                    await one_round(browser, server.url, pid, args, stats, samples, phase, number, notes)
            finally:
                stop.set()
                await sampling
                await browser.close()
    finally:
        server.stop()
        notes["traceback_in_log"] = "Traceback" in server.log()
    return samples, stats, notes


# --- the report -------------------------------------------------------------------------------

def mb(value: float) -> float:
    return value / 2**20


def slope_per_minute(points: list[Sample]) -> float:
    """Least-squares slope of RSS against time, MB per minute."""
    if len(points) < 2:
        return float("nan")
    ts = [p.t / 60 for p in points]
    ys = [mb(p.rss) for p in points]
    mean_t, mean_y = sum(ts) / len(ts), sum(ys) / len(ys)
    var = sum((t - mean_t) ** 2 for t in ts)
    return sum((t - mean_t) * (y - mean_y) for t, y in zip(ts, ys)) / var if var else float("nan")


def minute_table(soak: list[Sample], minutes: float) -> list[str]:
    lines = ["| minute | RSS MB (end) | RSS MB (max) | reruns | reruns/s | server CPU % | errors |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    previous = soak[0]
    final = math.ceil(minutes)
    for minute in range(1, final + 1):
        # The last minute also takes the sample made when the last session finished its last change.
        inside = [s for s in soak if (minute - 1) * 60 < s.t and (s.t <= minute * 60 or minute == final)]
        if not inside:
            continue
        end = inside[-1]
        seconds = end.t - previous.t
        reruns = end.reruns - previous.reruns
        cpu = 100 * (end.cpu - previous.cpu) / seconds if seconds > 0 else float("nan")
        lines.append(f"| {minute} | {mb(end.rss):.0f} | {max(mb(s.rss) for s in inside):.0f} | {reruns} | "
                     f"{reruns / seconds:.1f} | {cpu:.0f} | {end.errors - previous.errors} |")
        previous = end
    return lines


def report(samples: list[Sample], stats: Stats, notes: dict, args) -> str:
    def last(phase: str) -> float:
        found = [s for s in samples if s.phase == phase]
        return mb(found[-1].rss) if found else float("nan")

    lines = [f"{args.sessions} sessions, {args.rounds} round(s) of {args.minutes:g} min, one settings change per "
             f"session about every {args.pace:g} s; server.disconnectedSessionTTL = {args.ttl} s"
             + ("; training view stubbed in the browser" if args.stub_components else ""), ""]
    def row(label: str, value: str) -> None:
        lines.append(f"{label:<40}{value}")

    warm = last("warm")
    row("server before any page:", f"{last('idle'):7.0f} MB")
    row("warm (one page loaded and closed):", f"{warm:7.0f} MB")
    for number in range(1, args.rounds + 1):
        soak = [s for s in samples if s.phase == f"soak {number}"]
        if not soak:
            continue
        lines += ["", f"Round {number}", ""] + minute_table(soak, args.minutes) + [""]
        peak = max(mb(s.rss) for s in soak)
        end = mb(soak[-1].rss)
        half = [s for s in soak if s.t >= args.minutes * 30]
        released, final = last(f"closed {number}"), last(f"after {number}")
        reruns = soak[-1].reruns - soak[0].reruns
        seconds = soak[-1].t - soak[0].t
        row(f"all {args.sessions} pages loaded:", f"{mb(soak[0].rss):7.0f} MB")
        row("peak while busy:", f"{peak:7.0f} MB")
        row("end of the busy minutes:", f"{end:7.0f} MB")
        row("growth over their second half:", f"{slope_per_minute(half):+7.1f} MB/min")
        row(f"closed, TTL + {args.settle:.0f} s later:", f"{released:7.0f} MB")
        row("after the next visitor came and went:", f"{final:7.0f} MB")
        gained = end - warm
        if gained > 0:
            row("given back:", f"{end - final:7.0f} MB of the {gained:.0f} MB above the warm server "
                               f"({100 * (end - final) / gained:.0f}%)")
        row("reruns:", f"{reruns} ({reruns / seconds:.2f}/s in all, {reruns / seconds / args.sessions:.2f}/s per session)")
        row("errors:", f"{soak[-1].errors - soak[0].errors}")
    lines.append("")
    measured = notes.get("metrics", {})
    kinds = sorted({k for values in measured.values() for k in values if k != "active_sessions"})
    if measured:
        lines.append("Streamlit's /_stcore/metrics (MB held by each kind of cache; session state of connected sessions only):")
        lines.append("")
        lines.append("| when | active sessions | " + " | ".join(kinds) + " |")
        lines.append("|---|---:|" + "---:|" * len(kinds))
        for when, values in measured.items():
            lines.append(f"| {when} | {values.get('active_sessions', float('nan')):.0f} | "
                         + " | ".join(f"{mb(values.get(k, 0.0)):.1f}" for k in kinds) + " |")
        lines.append("")
    lines.append(f"traceback in the server log: {'yes' if notes.get('traceback_in_log') else 'no'}; "
                 "load average (1 min) at the start and at the end of each round: "
                 + ", ".join(f"{v:.1f}" for v in notes.get("load", ())))
    if stats.errors:
        kinds: dict[str, int] = {}
        for _, _, kind, _ in stats.errors:
            kinds[kind] = kinds.get(kind, 0) + 1
        lines.append("errors by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
        for t, session, kind, detail in stats.errors[:10]:
            lines.append(f"  {t:6.1f} s  session {session}  {kind}: {detail}")
    return "\n".join(lines)


def machine() -> str:
    import streamlit

    return (f"{os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}, "
            f"Streamlit {streamlit.__version__}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5, help="how long the sessions keep going (default 5)")
    parser.add_argument("--sessions", type=int, default=10, help="browser contexts, one session each (default 10)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="busy periods, each followed by the release (default 1; a second shows whether the "
                             "memory kept from the first is used again or added to)")
    parser.add_argument("--pace", type=float, default=1.0, help="seconds from one change to the next (default 1)")
    parser.add_argument("--ttl", type=int, default=30, help="server.disconnectedSessionTTL in seconds (default 30)")
    parser.add_argument("--settle", type=float, default=30, help="seconds to keep sampling after the TTL (default 30)")
    parser.add_argument("--sample-every", type=float, default=5, help="seconds between memory samples (default 5)")
    parser.add_argument("--stub-components", action="store_true",
                        help="serve the browser an empty page for the training view's component (the server's work is "
                             "the same; the browser skips drawing four charts per run, which on a small machine is "
                             "what limits how often ten pages can rerun)")
    parser.add_argument("--csv", type=Path, help="also write every sample to this CSV file")
    args = parser.parse_args(argv)

    print(machine(), flush=True)
    samples, stats, notes = asyncio.run(soak(args))
    if args.csv:
        with open(args.csv, "w") as file:
            file.write("t_s,phase,rss_mb,cpu_s,reruns,errors\n")
            for s in samples:
                file.write(f"{s.t:.1f},{s.phase},{mb(s.rss):.1f},{s.cpu:.2f},{s.reruns},{s.errors}\n")
    print(report(samples, stats, notes, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
