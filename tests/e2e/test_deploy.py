"""deploy/: two app processes behind nginx, with sticky sessions, in a real Chromium.

``deploy/run.sh`` starts two replicas and nginx on free loopback ports; several browser
contexts load the page through nginx; one uploads a CSV. nginx's access log (it records the
route key and the upstream of every request) shows that both replicas got sessions and that
each browser's page, websocket and upload all went to one replica. At the end run.sh gets
TERM and every process it started must be gone.

Only the sidebar and the data summary caption are used, not the training controls. A second
test opens the page once more with an empty cache: nginx compresses what Streamlit sends
uncompressed on purpose (its /static/ front end and the page), passes what Streamlit compressed
itself through untouched, and the whole cold open stays within 2.5 MB on the wire (issue 13).
Needs nginx (Debian: ``apt-get install nginx``): without it the test skips, or fails under
``LOGIT_REQUIRE_BROWSER``.
"""

from __future__ import annotations

import os
import re
import shutil
import gzip
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

try:
    import playwright.sync_api  # noqa: F401
    import pytest_playwright  # noqa: F401  (its fixtures: launch_browser, behind conftest's browser)
except ImportError as missing:  # pragma: no cover - depends on the machine
    if os.environ.get("LOGIT_REQUIRE_BROWSER"):
        pytest.fail(f"LOGIT_REQUIRE_BROWSER is set but {missing.name} is not installed", pytrace=False)
    pytest.skip(f"{missing.name} is not installed (pip install playwright pytest-playwright)", allow_module_level=True)

from playwright.sync_api import expect

from .conftest import EXCEPTION, IDLE, PLAYER, ROOT, RUN_COUNTER_JS, free_port, no_browser, poll, write_temp
from .test_cold_open import CHARTS, cold_open, served_plotly

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

RUN_SH = ROOT / "deploy" / "run.sh"
REPLICAS = 2
FIRST_SESSIONS = 4     # browser contexts open at once
MORE_SESSIONS = 8      # opened one by one only while a replica has no session yet
START_TIMEOUT = 180.0  # seconds for run.sh to report everything healthy
WAIT_MS = 120_000      # for anything the page has to do: the machine may be busy
ROUTE_COOKIE = "logit_route"
XSRF_COOKIE = "_streamlit_xsrf"
SUMMARY = '[data-testid="stCaptionContainer"]'
COLD_OPEN_LIMIT = 2_500_000  # bytes on the wire of a first visit through nginx (issue 13)
GZIP_MIN_LENGTH = 1024       # nginx.conf.template's gzip_min_length
LOG_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ '
                      r'route=(?P<route>\S+) upstream=(?P<upstream>.*?) time=')


def nginx_executable() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


# --- the cluster ----------------------------------------------------------------------------

def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_block(size: int) -> int:
    """A port P with P..P+size-1 all free on loopback (nginx on P, the replicas after it)."""
    for _ in range(100):
        base = free_port()
        if base + size <= 65535 and all(port_is_free(base + i) for i in range(1, size)):
            return base
    raise RuntimeError(f"found no {size} consecutive free ports")


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@dataclass
class Cluster:
    url: str
    run_dir: Path
    process: subprocess.Popen
    output: Path
    pids: list[int]                 # every process run.sh started: Redis, the replicas, then nginx
    replicas: list[str]             # their "127.0.0.1:port" addresses, as nginx logs them

    def log(self) -> str:
        return self.output.read_text(errors="replace")

    def access_log(self) -> list[dict]:
        path = self.run_dir / "nginx-access.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return [m.groupdict() for m in map(LOG_LINE.search, text.splitlines()) if m]

    def replica_logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')}"
                         for p in sorted(self.run_dir.glob("replica-*.log")))

    def stop(self) -> None:
        """TERM to run.sh, which stops its processes by PID; KILL whatever is left (ours only)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        leftovers = [pid for pid in self.pids if alive(pid)]
        for pid in leftovers:
            os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        assert not leftovers, f"still running after run.sh was stopped: {leftovers}\n{self.log()}"


def start_cluster(run_dir: Path) -> Cluster:
    base = free_port_block(REPLICAS + 2)  # nginx, the replicas, Redis
    output = run_dir / "run.out"
    command = ["bash", str(RUN_SH), "--replicas", str(REPLICAS), "--port", str(base),
               "--address", "127.0.0.1", "--run-dir", str(run_dir), "--timeout", str(int(START_TIMEOUT))]
    env = {**os.environ, "PYTHON": sys.executable, "LOGIT_NGINX": nginx_executable() or "nginx"}
    with open(output, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    cluster = Cluster(f"http://127.0.0.1:{base}", run_dir, process, output, [],
                      [f"127.0.0.1:{base + i}" for i in range(1, REPLICAS + 1)])
    deadline = time.monotonic() + START_TIMEOUT + 30
    while time.monotonic() < deadline:
        if "logit is up:" in cluster.log():
            cluster.pids = [int(p) for p in (run_dir / "pids").read_text().split()]
            return cluster
        if process.poll() is not None:
            raise RuntimeError(f"deploy/run.sh exited with {process.returncode}:\n{cluster.log()}\n"
                               f"{cluster.replica_logs()}")
        time.sleep(0.25)
    cluster.stop()
    raise RuntimeError(f"deploy/run.sh did not report healthy in time:\n{cluster.log()}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if nginx_executable() is None:
        no_browser("nginx is not installed (Debian: apt-get install --no-install-recommends nginx)")
    error: Exception | None = None
    for _ in range(3):  # another test may take one of the free ports between the check and the bind
        try:
            running = start_cluster(tmp_path_factory.mktemp("deploy"))
            break
        except RuntimeError as failed:
            error = failed
            if "not available" not in str(failed) and "Address already in use" not in str(failed):
                raise
    else:
        raise error  # type: ignore[misc]
    yield running
    running.stop()
    logs = running.replica_logs()
    if "Traceback" in logs:
        pytest.fail(f"a replica's log has a traceback:\n{logs[-6000:]}", pytrace=False)
    nginx_log = running.log() + (running.run_dir / "nginx-error.log").read_text(errors="replace")
    serious = [line for line in nginx_log.splitlines() if re.search(r"\[(emerg|alert|crit)\]", line)]
    assert not serious, "nginx complained:\n" + "\n".join(serious)


# --- the page -------------------------------------------------------------------------------

@dataclass
class Session:
    context: object
    page: object
    route: str


def summary(page):
    return page.locator(SUMMARY).filter(has_text=re.compile(r"points from"))


def exceptions(page) -> list[str]:
    return [e.inner_text() for e in page.locator(EXCEPTION).all()]


def open_session(browser, url: str, query: str = "") -> Session:
    """A new browser (context) loads the page through nginx; returns once the data summary shows."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.add_init_script(RUN_COUNTER_JS)
    page.goto(url + "/" + (f"?{query}" if query else ""), wait_until="domcontentloaded", timeout=WAIT_MS)
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    page.locator(f"{EXCEPTION}, {SUMMARY}").first.wait_for(state="attached")
    page.wait_for_selector(IDLE, state="attached")
    assert not exceptions(page), "the page shows an exception:\n" + "\n---\n".join(exceptions(page))
    expect(summary(page).first).to_contain_text("points from", timeout=WAIT_MS)
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    assert cookies.get(ROUTE_COOKIE), f"nginx set no {ROUTE_COOKIE} cookie: {sorted(cookies)}"
    assert cookies.get(XSRF_COOKIE), f"Streamlit set no {XSRF_COOKIE} cookie: {sorted(cookies)}"
    return Session(context, page, cookies[ROUTE_COOKIE])


def small_csv(n: int) -> str:
    """n rows of x1,x2,y: two clouds, labels 0/1 (deterministic, no randomness needed)."""
    rows = ["x1,x2,y"]
    for i in range(n):
        y = i % 2
        centre = 1.5 if y else -1.5
        rows.append(f"{centre + ((i * 37) % 11 - 5) / 5:.3f},{centre + ((i * 53) % 13 - 6) / 6:.3f},{y}")
    return "\n".join(rows) + "\n"


def upload_csv(session: Session, path: Path, n: int) -> None:
    page = session.page
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Upload a file", exact=True).click()
    file_input = sidebar.locator("input[type=file]")
    file_input.wait_for(state="attached")
    page.wait_for_selector(IDLE, state="attached")
    file_input.set_input_files(str(path))
    expect(summary(page).first).to_contain_text(f"{n} points from {path.name}", timeout=WAIT_MS)
    page.wait_for_selector(IDLE, state="attached")
    errors = [a.inner_text() for a in sidebar.locator('[data-testid="stAlertContentError"]').all()]
    assert not errors, f"the upload shows an error: {errors}"


def upstreams_by_route(lines: list[dict]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for line in lines:
        if line["upstream"] != "-":
            found.setdefault(line["route"], set()).add(line["upstream"])
    return found


# --- the test -------------------------------------------------------------------------------

def test_sessions_spread_over_replicas_and_each_browser_sticks_to_one(cluster: Cluster, browser,
                                                                    tmp_path: Path) -> None:
    sessions: list[Session] = []
    try:
        for _ in range(FIRST_SESSIONS):
            sessions.append(open_session(browser, cluster.url))

        def replica_of(route: str) -> str:
            served = upstreams_by_route(cluster.access_log()).get(route, set())
            assert len(served) == 1, f"route {route} was served by {served or 'no replica'}"
            return next(iter(served))

        # The first replica a browser meets is random (consistent hash of a random key):
        # open more browsers, one at a time, while one replica has none.
        for _ in range(MORE_SESSIONS):
            if len({replica_of(s.route) for s in sessions}) == REPLICAS:
                break
            extra = open_session(browser, cluster.url)
            sessions.append(extra)
        replica_sessions = {r: [s.route for s in sessions if replica_of(s.route) == r] for r in cluster.replicas}
        assert all(replica_sessions.values()), f"a replica got no session: {replica_sessions}"

        # An upload is its own HTTP request (PUT /_stcore/upload_file/<session>/<file>): it only
        # works on the replica holding the session's websocket.
        uploader = sessions[0]
        upload_csv(uploader, write_temp(tmp_path, "thirty-seven.csv", small_csv(37)), 37)

        for s in sessions:
            found = exceptions(s.page)
            assert not found, "a page shows an exception:\n" + "\n---\n".join(found)
    finally:
        for s in sessions:
            s.context.close()

    # nginx logs a websocket when it closes: by now every session's /_stcore/stream is there.
    routes = {s.route for s in sessions}
    poll(lambda: routes <= {l["route"] for l in cluster.access_log()
                            if l["path"].startswith("/_stcore/stream") and l["status"] == "101"},
         timeout=60, message="nginx to log every session's websocket")
    lines = cluster.access_log()
    served = upstreams_by_route(lines)
    for route in routes:
        assert len(served[route]) == 1, f"browser {route} was served by several replicas: {served[route]}"
    streams = {l["route"]: l["upstream"] for l in lines if l["path"].startswith("/_stcore/stream")}
    assert set(streams[r] for r in routes) == set(cluster.replicas), f"websockets per replica: {streams}"

    uploads = [l for l in lines if l["path"].startswith("/_stcore/upload_file/") and l["method"] == "PUT"]
    assert uploads, "nginx logged no upload"
    assert all(l["route"] == uploader.route and l["status"] in ("200", "204") for l in uploads), uploads
    assert {l["upstream"] for l in uploads} == {streams[uploader.route]}, (uploads, streams[uploader.route])
    assert "Invalid session_id" not in cluster.replica_logs()


def fetch_gzip(url: str) -> tuple[dict[str, str], bytes]:
    """GET as a browser would (accepting gzip): the response's headers and its body as sent."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return {k.lower(): v for k, v in response.getheaders()}, response.read()


def test_nginx_compresses_streamlits_static_files_and_a_cold_open_stays_within_2_5_mb(cluster: Cluster,
                                                                                       browser) -> None:
    cold = cold_open(browser, cluster.url)
    assert cold.charts == len(CHARTS), f"{cold.charts} charts drawn"
    assert not cold.failed, cold.failed

    # Streamlit sends /static/ and the page uncompressed; through nginx they come gzipped.
    text = [r for r in cold.responses
            if (r.static or r.path == "/") and r.content_type in ("application/javascript", "text/javascript",
                                                                  "text/css", "text/html")]
    assert any(r.path.endswith(".js") for r in text), [r.path for r in cold.responses]
    plain = [r for r in text if r.encoding != "gzip" and r.body_bytes >= GZIP_MIN_LENGTH]
    assert not plain, "sent uncompressed through nginx:\n" + "\n".join(f"{r.bytes:>10,} {r.path}" for r in plain)

    # What Streamlit compresses itself (the training view's plotly.js) is compressed once, not twice.
    plotly_js = served_plotly(cold)
    assert plotly_js.encoding == "gzip", plotly_js
    static_js = max((r for r in text if r.static and r.path.endswith(".js")), key=lambda r: r.body_bytes)
    for path in (plotly_js.path, static_js.path):
        headers, body = fetch_gzip(cluster.url + path)
        assert headers.get("content-encoding") == "gzip", (path, headers)
        assert "accept-encoding" in headers.get("vary", "").lower(), (path, headers)
        inflated = gzip.decompress(body)
        assert not inflated.startswith(b"\x1f\x8b"), f"{path} was compressed twice"
        assert len(inflated) > 2 * len(body), (path, len(body), len(inflated))

    assert cold.total <= COLD_OPEN_LIMIT, (
        f"a cold open through nginx moved {cold.total:,} bytes (limit {COLD_OPEN_LIMIT:,}):\n" + cold.largest())


# --- a class across replicas ----------------------------------------------------------------

def shown_iteration(page) -> str | None:
    return page.evaluate(
        "(sel) => { const f = document.querySelector(sel); return f && f.contentDocument && "
        "f.contentDocument.body ? f.contentDocument.body.dataset.iteration : null; }", PLAYER)


def teacher_steps(page, times: int = 1) -> None:
    step = page.frame_locator(PLAYER).get_by_role("button", name=re.compile(r"^Step ▸"))
    for _ in range(times):
        step.click()
        page.wait_for_timeout(300)  # each its own report (the view sends at most every 250 ms)


def redis_pid(cluster: Cluster) -> int:
    for pid in cluster.pids:
        try:
            if b"redis-server" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
    raise AssertionError(f"run.sh started no redis-server: {cluster.pids}")


def test_a_class_spans_replicas_through_redis_and_survives_redis_going_away(cluster: Cluster, browser,
                                                                          tmp_path: Path) -> None:
    """The teacher on one replica, students on the other; Redis stopped mid-class, then back."""
    from redis_server import RedisServer

    sessions: list[Session] = []
    restarted = None
    try:
        teacher = open_session(browser, cluster.url)
        sessions.append(teacher)
        teacher.page.get_by_role("button", name="Open a room").click()
        code = teacher.page.locator(".st-key-room-code p").inner_text().replace(" ", "")
        teacher.page.keyboard.press("Escape")

        def replica_of(route: str) -> str:
            served = upstreams_by_route(cluster.access_log()).get(route, set())
            return next(iter(served)) if len(served) == 1 else ""

        students: list[Session] = []
        for _ in range(MORE_SESSIONS):  # until two students sit on the replica the teacher is not on
            student = open_session(browser, cluster.url, f"room={code}")
            sessions.append(student)
            if poll(lambda: replica_of(student.route), timeout=30, message="the student's replica") != \
                    replica_of(teacher.route):
                students.append(student)
            if len(students) == 2:
                break
        assert len(students) == 2, "no two students landed on the other replica"

        teacher_steps(teacher.page, 2)
        for student in students:
            poll(lambda: shown_iteration(student.page) == "2", timeout=WAIT_MS / 1000,
                 message="a student on the other replica to follow the teacher")

        # Redis goes away mid-class: the room says it is unavailable; everyone's page goes on.
        pid = redis_pid(cluster)
        os.kill(pid, signal.SIGTERM)
        poll(lambda: not alive(pid), timeout=30, message="redis-server to stop")
        teacher_steps(teacher.page, 1)
        expect(teacher.page.get_by_text(re.compile("Rooms are unavailable")).first).to_be_visible(timeout=WAIT_MS)
        for student in students:
            expect(student.page.get_by_text(re.compile("Rooms are unavailable")).first).to_be_visible(timeout=WAIT_MS)
        lone = students[0].page
        lone.frame_locator(PLAYER).get_by_role("button", name=re.compile(r"^Step ▸")).click()
        poll(lambda: shown_iteration(lone) == "3", timeout=30, message="a student to step alone")

        # Redis is back (its append-only file kept the room): the class goes on.
        redis_port = int(re.search(r"on 127\.0\.0\.1:(\d+)", (cluster.run_dir / "run.out").read_text()
                                   .split("redis: pid", 1)[1]).group(1))
        restarted = RedisServer(cluster.run_dir / "redis", redis_port).start()
        teacher_steps(teacher.page, 3)
        follower = students[1].page
        poll(lambda: shown_iteration(follower) == shown_iteration(teacher.page), timeout=WAIT_MS / 1000,
             message="the following student to catch up once Redis is back")
        for s in sessions:
            assert not exceptions(s.page), "a page shows an exception:\n" + "\n---\n".join(exceptions(s.page))
    finally:
        for s in sessions:
            s.context.close()
        if restarted is not None:
            restarted.stop()
