"""Load: many sessions stepping the training view at once on one app process (not a test).

    python benchmarks/load.py [--sessions 30] [--seconds 60] [--rate 1] [--url http://127.0.0.1:8501]

No browser: each session is a websocket client speaking Streamlit's own protocol (the
protobuf messages in ``streamlit.proto``), the way the page does. A session connects to
``/_stcore/stream``, asks for the page (BackMsg ``rerun_script``) and reads the reply until
``script_finished``; from it, it learns the training view's widget id (the
``component_instance`` of ``logit_player``) and the id of the fragment that draws it.
Then, ``--rate`` times a second, it sends what the component sends a moment after a Step
click: a ``rerun_script`` for that fragment whose widget states carry the component's
report ``{k, nonce, revision}`` as a JSON value, k one further each time.

What is timed is the server's side of a Step as the user feels it: from sending that
BackMsg until the ForwardMsg ``script_finished`` of the fragment's run arrives (the
panels below the charts are then up to date). The charts themselves move in the browser
at once, and the report leaves at the click (in a burst of Steps, at most every 250 ms);
the browser's own drawing is not included here.

Steps are sent on a fixed schedule (sessions spread evenly over the second), not after
the previous reply, so a slow server is not hidden by fewer steps. When a session's next
report arrives before its previous run has finished, Streamlit stops that run and starts
again with the newer report, as it does for a browser ("runs cut short"); each report
then counts as done when the later run finishes, timed from its own sending.

Errors: an exception element in any reply, a run that ends with a compile error, a step
still unanswered after ``--timeout`` seconds, a dropped connection, a failed send.

First one session alone (the reference), then ``--sessions`` sessions together, each for
``--seconds`` seconds, each on fresh sessions. The server is started here (``streamlit
run app.py`` on a free loopback port) unless ``--url`` names a running one; only
loopback addresses are accepted. Everything is bounded: the whole run gives up after a
deadline computed from the arguments, and the server it started is stopped.

Server CPU and memory come from ``/proc/<pid>/stat`` and ``/proc/<pid>/status`` of the
server process (with ``--url``: ``--server-pid``, or the process listening on the port if
it can be found). CPU is in % of one core (200% = both cores of a 2-core machine).
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from e2e.conftest import start_server  # noqa: E402

COMPONENT = "logit_player"  # the training view's component name ends with this
FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- statistics ---------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    """Linear-interpolation percentile (q in 0..100); nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- the server process -------------------------------------------------------------------------

def loopback_url(url: str) -> str:
    """The URL without a trailing slash; refuses anything but http(s) on a loopback address."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https"):
        raise SystemExit(f"--url must be http:// or https://, not {url!r}")
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise SystemExit(f"refusing {url!r}: this load generator only talks to loopback addresses "
                             "(127.0.0.0/8, ::1, localhost)")
    return url.rstrip("/")


def listening_pid(port: int) -> int | None:
    """The process listening on a local TCP port, if /proc lets us see it (best effort)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


@dataclass
class ProcSample:
    wall: float
    cpu_seconds: float  # user + system, all threads
    rss_mb: float


def proc_sample(pid: int | None) -> ProcSample | None:
    if pid is None:
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
    cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    rss_kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return ProcSample(time.monotonic(), cpu, rss_kb / 1024)


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    total = sum(values[:8])
    return total - idle, total


def load_average() -> float:
    return os.getloadavg()[0]


# --- one session --------------------------------------------------------------------------------

@dataclass
class Run:
    """One fragment run a session is waiting for (one or more Step reports folded in)."""

    sent: list[float]  # when each report of this run was sent
    started: float | None = None  # new_session: the server started the script run
    component: float | None = None  # the training view's element arrived
    finished: float | None = None
    size: int = 0  # bytes received for it


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    sent: int = 0
    completed: int = 0
    reruns: int = 0
    cut_short: int = 0  # runs a newer report interrupted (Streamlit then starts the run again)
    folded: int = 0  # reports that went out while an earlier one was still running
    errors: dict[str, int] = field(default_factory=dict)
    first_error: dict[str, str] = field(default_factory=dict)
    start_ms: list[float] = field(default_factory=list)  # send → script started
    view_ms: list[float] = field(default_factory=list)  # script started → training view element
    panel_ms: list[float] = field(default_factory=list)  # training view element → finished
    bytes_per_run: list[int] = field(default_factory=list)
    load_ms: list[float] = field(default_factory=list)  # first full page run per session

    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        self.first_error.setdefault(kind, detail)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


class Session:
    """One user: a websocket to the app, the page loaded once, then Step reports on a schedule."""

    def __init__(self, url: str, tag: str, result: Result, timeout: float) -> None:
        self.url = url
        self.tag = tag
        self.result = result
        self.timeout = timeout
        self.ws = None
        self.reader: asyncio.Task | None = None
        self.widget_id: str | None = None
        self.fragment_id = ""
        self.revision: str | None = None
        self.iterations = 1
        self.query_string = ""
        self.loaded = asyncio.Event()
        self.load_status: int | None = None
        self.pending: Run | None = None  # the run in flight
        self.measuring = False
        self.closed = False
        self.nonce = 0
        self.k = 0
        self.cached: set[str] = set()  # hashes of the large messages received, as a browser caches them
        self.view_hash = ""  # the training view's last message

    def _back(self) -> BackMsg:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = ""
        state.context_info.locale = "en-US"
        state.context_info.timezone = "UTC"
        state.context_info.timezone_offset = 0
        state.context_info.url = f"{self.url}/" + (f"?{self.query_string}" if self.query_string else "")
        # As the page does: the server then sends a reference to a message the client already has.
        state.cached_message_hashes.extend(sorted(self.cached))
        return message

    async def open(self) -> None:
        """Connect and load the page (a whole-page run); returns when it has finished."""
        ws_url = self.url.replace("http", "ws", 1) + "/_stcore/stream"
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], origin=self.url, max_size=None,
                                           open_timeout=self.timeout, ping_interval=None)
        self.reader = asyncio.create_task(self._read())
        started = time.perf_counter()
        await self.ws.send(self._back().SerializeToString())
        await asyncio.wait_for(self.loaded.wait(), timeout=max(self.timeout, 30.0))
        self.result.load_ms.append((time.perf_counter() - started) * 1000)
        if self.load_status not in FINISHED_OK:
            raise RuntimeError(f"{self.tag}: the page's first run ended with status {self.load_status}")
        if self.widget_id is None:
            raise RuntimeError(f"{self.tag}: the page has no {COMPONENT} component")

    async def step(self) -> None:
        """Send one Step report (what the component sends ~250 ms after a click)."""
        if self.closed or self.ws is None:
            return
        self.nonce += 1
        self.k = self.k % self.iterations + 1
        report = {"k": self.k, "nonce": f"load-{self.tag}:{self.nonce}"}
        if self.revision is not None:
            report["revision"] = self.revision
        message = self._back()
        message.rerun_script.fragment_id = self.fragment_id
        widget = message.rerun_script.widget_states.widgets.add()
        widget.id = self.widget_id
        widget.json_value = json.dumps(report)
        now = time.perf_counter()
        if self.pending is None:
            self.pending = Run(sent=[now])
        else:
            self.pending.sent.append(now)
            self.result.folded += 1
        self.result.sent += 1
        try:
            await self.ws.send(message.SerializeToString())
        except Exception as error:  # the connection is gone
            self.result.error("send failed", repr(error))
            self.pending.sent.pop()
            if not self.pending.sent:
                self.pending = None
            self.closed = True

    def expire(self, now: float) -> None:
        """Count reports unanswered for longer than the timeout as errors."""
        run = self.pending
        if run is None:
            return
        kept = [t for t in run.sent if now - t <= self.timeout]
        for _ in range(len(run.sent) - len(kept)):
            self.result.error("timeout", f"no script_finished within {self.timeout:g} s")
        run.sent = kept
        if not kept:
            self.pending = None

    async def _read(self) -> None:
        problem = ("disconnect", "the server closed the connection")
        try:
            async for data in self.ws:
                self._on_message(data, time.perf_counter())
        except websockets.ConnectionClosed as error:
            problem = ("disconnect", repr(error))
        except Exception as error:  # a message we could not read: count it, stop this session
            problem = ("client error", repr(error))
        finally:
            if not self.closed:  # not closed by us
                self.result.error(*problem)
            self.closed = True
            self.loaded.set()

    def _on_message(self, data: bytes, now: float) -> None:
        message = ForwardMsg()
        message.ParseFromString(data)
        if message.metadata.cacheable and message.hash:
            self.cached.add(message.hash)
        kind = message.WhichOneof("type")
        run = self.pending
        if run is not None:
            run.size += len(data)
        if kind == "delta":
            delta = message.delta
            if delta.WhichOneof("type") != "new_element":
                return
            element = delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                self.result.error("exception", f"{element.exception.type}: {element.exception.message}"[:300])
            elif which == "component_instance" and element.component_instance.component_name.endswith(COMPONENT):
                instance = element.component_instance
                if self.widget_id is None:
                    self.widget_id = instance.id
                    self.fragment_id = delta.fragment_id
                    args = json.loads(instance.json_args)
                    self.revision = args.get("revision")
                    self.iterations = max(1, int(args.get("run", {}).get("K", 1)))
                self.view_hash = message.hash
                if run is not None and run.component is None:
                    run.component = now
        elif kind == "ref_hash":  # a message the client has: the training view, unchanged
            if run is not None and run.component is None and message.ref_hash == self.view_hash:
                run.component = now
        elif kind == "new_session":
            if run is not None and run.started is None:
                run.started = now
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "script_finished":
            status = message.script_finished
            if not self.loaded.is_set():
                self.load_status = status
                self.loaded.set()
                return
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                if self.measuring:
                    self.result.cut_short += 1
                return  # a newer report interrupted this run; the next finish answers both
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self.result.error("compile error", "script_finished: FINISHED_WITH_COMPILE_ERROR")
            if run is None:
                return
            self.pending = None
            if status not in FINISHED_OK or not self.measuring:
                return
            self.result.reruns += 1
            for sent in run.sent:
                self.result.latencies_ms.append((now - sent) * 1000)
                self.result.completed += 1
            if len(run.sent) == 1 and run.started and run.component:
                sent = run.sent[0]
                self.result.start_ms.append((run.started - sent) * 1000)
                self.result.view_ms.append((run.component - run.started) * 1000)
                self.result.panel_ms.append((now - run.component) * 1000)
            self.result.bytes_per_run.append(run.size)

    async def close(self) -> None:
        self.closed = True
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), timeout=5)
            except Exception:
                pass
        if self.reader is not None:
            self.reader.cancel()
            try:
                await self.reader
            except (asyncio.CancelledError, Exception):
                pass


# --- one phase: N sessions for a while ----------------------------------------------------------

@dataclass
class Phase:
    sessions: int
    seconds: float
    result: Result
    server_cpu_pct: float | None = None
    server_cpu_seconds: float | None = None
    server_rss_mb: float | None = None
    server_rss_peak_mb: float | None = None
    client_cpu_pct: float = 0.0
    machine_busy_pct: float = 0.0
    load_before: float = 0.0
    load_after: float = 0.0
    wall: float = 0.0


async def run_phase(url: str, sessions: int, seconds: float, rate: float, timeout: float,
                    server_pid: int | None, label: str) -> Phase:
    result = Result()
    phase = Phase(sessions, seconds, result)
    users = [Session(url, f"{label}{i}", result, timeout) for i in range(sessions)]
    print(f"[{label}] opening {sessions} session(s)…", file=sys.stderr, flush=True)
    opened = await asyncio.gather(*(user.open() for user in users), return_exceptions=True)
    failures = [o for o in opened if isinstance(o, BaseException)]
    if failures:
        for user in users:
            await user.close()
        raise RuntimeError(f"{len(failures)} of {sessions} sessions could not load the page: {failures[0]!r}")
    await asyncio.sleep(1.0)  # let the page loads' last messages settle

    print(f"[{label}] stepping for {seconds:g} s…", file=sys.stderr, flush=True)
    for user in users:
        user.measuring = True
    phase.load_before = load_average()
    rss_peak = 0.0
    server_before = proc_sample(server_pid)
    busy_before = machine_busy()
    client_before = time.process_time()
    wall_before = time.monotonic()
    start = time.perf_counter() + 0.2
    end = start + seconds
    period = 1.0 / rate

    async def schedule(index: int, user: Session) -> None:
        offset = period * index / sessions  # spread evenly over one period
        n = 0
        while True:
            target = start + offset + n * period
            if target >= end:
                return
            await asyncio.sleep(max(0.0, target - time.perf_counter()))
            user.expire(time.perf_counter())
            if user.closed:
                return
            await user.step()
            n += 1

    async def monitor() -> None:
        nonlocal rss_peak
        while True:
            sample = proc_sample(server_pid)
            if sample is not None:
                rss_peak = max(rss_peak, sample.rss_mb)
            await asyncio.sleep(0.5)

    watcher = asyncio.create_task(monitor())
    await asyncio.gather(*(schedule(i, user) for i, user in enumerate(users)))
    # Drain: wait for the runs still in flight, up to the timeout.
    drain_end = time.perf_counter() + timeout
    while time.perf_counter() < drain_end and any(u.pending is not None and not u.closed for u in users):
        await asyncio.sleep(0.05)
    for user in users:
        user.expire(float("inf") if user.pending is not None else time.perf_counter())
    phase.wall = time.monotonic() - wall_before
    server_after = proc_sample(server_pid)
    busy_after = machine_busy()
    phase.client_cpu_pct = 100 * (time.process_time() - client_before) / phase.wall
    watcher.cancel()
    phase.load_after = load_average()
    ncpu = os.cpu_count() or 1
    busy = busy_after[0] - busy_before[0]
    total = busy_after[1] - busy_before[1]
    phase.machine_busy_pct = 100 * ncpu * busy / total if total else float("nan")
    if server_before and server_after:
        phase.server_cpu_seconds = server_after.cpu_seconds - server_before.cpu_seconds
        phase.server_cpu_pct = 100 * phase.server_cpu_seconds / (server_after.wall - server_before.wall)
        phase.server_rss_mb = server_after.rss_mb
        phase.server_rss_peak_mb = max(rss_peak, server_after.rss_mb)
    for user in users:
        await user.close()
    return phase


# --- report -------------------------------------------------------------------------------------

def fmt(value: float | None, spec: str = ".0f") -> str:
    return "n/a" if value is None or value != value else format(value, spec)


def print_report(phases: list[Phase], rate: float) -> None:
    header = ["sessions", "steps sent", "completed", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms",
              "reruns/s", "server CPU %", "server RSS MB (peak)", "client CPU %"]
    rows = []
    for phase in phases:
        r = phase.result
        lat = r.latencies_ms
        rss = "n/a" if phase.server_rss_mb is None else f"{phase.server_rss_mb:.0f} ({phase.server_rss_peak_mb:.0f})"
        rows.append([str(phase.sessions), str(r.sent), str(r.completed), str(r.error_count),
                     fmt(median(lat)), fmt(percentile(lat, 95)), fmt(percentile(lat, 99)),
                     fmt(max(lat) if lat else None), fmt(r.reruns / phase.seconds, ".1f"),
                     fmt(phase.server_cpu_pct), rss, fmt(phase.client_cpu_pct)])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    print()
    print(f"Step latency under load: report sent → script_finished of the fragment run, {rate:g} step/s per session")
    print("| " + " | ".join(h.rjust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(row, widths)) + " |")

    if len(phases) >= 2 and phases[0].sessions == 1:
        one, many = phases[0].result.latencies_ms, phases[-1].result.latencies_ms
        if one and many:
            print(f"\n{phases[-1].sessions} sessions vs 1: p50 ×{median(many) / median(one):.2f}, "
                  f"p95 ×{percentile(many, 95) / percentile(one, 95):.2f}")
        else:
            print(f"\n{phases[-1].sessions} sessions vs 1: no ratio, "
                  f"{'no step' if not many else 'the reference had no step'} completed")

    print("\nWhere a Step's time goes (median ms, runs that answered a single report):")
    print("| sessions | send → run starts | run start → training view sent | training view → finished "
          "| KB received per run | server CPU ms per finished run | reports sent while running | runs cut short |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for phase in phases:
        r = phase.result
        cpu = None if phase.server_cpu_seconds is None or not r.reruns else 1000 * phase.server_cpu_seconds / r.reruns
        print(f"| {phase.sessions} | {fmt(median(r.start_ms))} | {fmt(median(r.view_ms))} | "
              f"{fmt(median(r.panel_ms))} | {fmt(median(r.bytes_per_run) / 1024 if r.bytes_per_run else None)} "
              f"| {fmt(cpu)} | {r.folded} | {r.cut_short} |")

    print("\nPage loads (first whole-page run per session, all sessions connecting at once), ms:")
    for phase in phases:
        loads = phase.result.load_ms
        print(f"  {phase.sessions} session(s): p50 {fmt(median(loads))}, max {fmt(max(loads) if loads else None)}")

    print("\nMachine while stepping:")
    for phase in phases:
        print(f"  {phase.sessions} session(s): all CPUs busy {fmt(phase.machine_busy_pct)} % of one core "
              f"(of {100 * (os.cpu_count() or 1)} %), 1-min load average {phase.load_before:.2f} → "
              f"{phase.load_after:.2f}, {phase.wall:.1f} s incl. drain")

    for phase in phases:
        for kind, count in phase.result.errors.items():
            print(f"  errors with {phase.sessions} session(s): {count} × {kind}: {phase.result.first_error[kind]}")


# --- main ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=30, help="concurrent sessions (default 30)")
    parser.add_argument("--seconds", type=float, default=60.0, help="stepping time per phase (default 60)")
    parser.add_argument("--rate", type=float, default=1.0, help="steps per second per session (default 1)")
    parser.add_argument("--reference-seconds", type=float, default=None,
                        help="stepping time of the 1-session reference (default: --seconds; 0 skips it)")
    parser.add_argument("--sweep", default="",
                        help="comma-separated session counts to run too, each for --seconds, between the "
                             "reference and the main phase (e.g. 4,8,12): where one process stops keeping up")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds after which an unanswered step is an error (default 10)")
    parser.add_argument("--url", help="use this running app (loopback only) instead of starting one")
    parser.add_argument("--server-pid", type=int, help="with --url: the server's process id, for CPU and memory")
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.seconds <= 0 or args.rate <= 0 or args.timeout <= 0:
        parser.error("--sessions, --seconds, --rate and --timeout must be positive")
    reference = args.seconds if args.reference_seconds is None else args.reference_seconds
    try:
        sweep = [int(v) for v in args.sweep.split(",") if v.strip()]
    except ValueError:
        parser.error("--sweep takes session counts such as 4,8,12")
    if any(v < 1 for v in sweep):
        parser.error("--sweep counts must be positive")

    # Hard deadline: page loads, both phases, their drains, start-up and shutdown.
    phases_planned = 2 + len(sweep)
    budget = (phases_planned * (60 + 2 * args.timeout) + reference + args.seconds * (1 + len(sweep))
              + 3 * (args.sessions + sum(sweep)) + 120)
    server = None
    if args.url:
        url = loopback_url(args.url)
        pid = args.server_pid or listening_pid(urlsplit(url).port or (443 if url.startswith("https") else 80))
    else:
        server = start_server(Path(tempfile.mkdtemp(prefix="logit-load-")) / "server.log")
        url, pid = server.url, server.process.pid

    def give_up() -> None:  # the event loop is stuck: stop our server, leave
        print(f"load.py: hard deadline of {budget:.0f} s passed, giving up", file=sys.stderr, flush=True)
        if server is not None:
            server.process.kill()
        os._exit(2)

    watchdog = threading.Timer(budget + 30, give_up)
    watchdog.daemon = True
    watchdog.start()

    phases: list[Phase] = []

    async def everything() -> None:
        if reference > 0:
            phases.append(await run_phase(url, 1, reference, args.rate, args.timeout, pid, "ref"))
        for count in sweep:
            phases.append(await run_phase(url, count, args.seconds, args.rate, args.timeout, pid, f"sweep{count}-"))
        phases.append(await run_phase(url, args.sessions, args.seconds, args.rate, args.timeout, pid, "load"))

    print(f"load.py: {url}, server pid {pid or 'unknown'}, {os.cpu_count()} CPUs, "
          f"1-min load average {load_average():.2f}", file=sys.stderr, flush=True)
    late = False
    try:
        asyncio.run(asyncio.wait_for(everything(), timeout=budget))
    except TimeoutError:
        late = True
        print(f"load.py: deadline of {budget:.0f} s reached; results so far:", file=sys.stderr, flush=True)
    finally:
        watchdog.cancel()
        log = server.log() if server is not None else ""
        if server is not None:
            server.stop()
    print_report(phases, args.rate)
    if server is not None:
        tracebacks = log.count("Traceback")
        print(f"\nServer log: {tracebacks} traceback(s)" + (f"\n{log[-3000:]}" if tracebacks else ""))
    failed = sum(p.result.error_count for p in phases) + (log.count("Traceback") if server else 0)
    return 2 if late else 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
