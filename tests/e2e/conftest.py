"""Browser tests: one Streamlit server for the session, a fresh browser context per test.

Every test here carries the ``browser`` marker (``pytest -m "not browser"`` leaves them out).
Chromium: ``LOGIT_CHROMIUM`` if set, else Debian's ``chromium`` if installed, else the one
``playwright install chromium`` put in Playwright's cache. When no browser can be launched
the tests skip, unless ``LOGIT_REQUIRE_BROWSER`` is set (CI), where they fail.

The helpers (:class:`App`, :func:`wait_idle`, :func:`start_server`) are shared with
``screenshots.py`` and the browser benchmarks (``benchmarks/browser.py``).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

REQUIRE_BROWSER = bool(os.environ.get("LOGIT_REQUIRE_BROWSER"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 60.0  # seconds until /_stcore/health answers "ok"

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
HEADER = re.compile(r"^(?:Iteration|第) (\d+)(?: 次迭代)?$")
# The training view (a component), by its address: the view names its frame in the page's language.
PLAYER = 'iframe[src*=".logit_player/index.html"]'
# Labels of the training view's own buttons (drawn in its frame, not by Streamlit).
PLAYER_BUTTONS = ("Step ▸", "Step ×10", "▶ Play", "⏸ Pause", "↺ Reset", "单步 ▸", "走 10 步", "▶ 播放", "⏸ 暂停", "↺ 重置")

# Counts the script runs the page has seen: every time stApp's script state turns to
# "running" (whole-page runs and fragment runs alike). wait_idle(since=...) uses it to
# know that the run an action triggered has started, without guessing with a sleep.
RUN_COUNTER_JS = """
(() => {
  if (window.__logitRuns !== undefined) return;
  window.__logitRuns = 0;
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.target.getAttribute && m.target.getAttribute('data-test-script-state') === 'running') {
        window.__logitRuns += 1;
      }
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
})();
"""


# --- browser ----------------------------------------------------------------------------------

def chromium_executable() -> str | None:
    """The Chromium to launch, or None to let Playwright use its own."""
    for candidate in (os.environ.get("LOGIT_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def launch_args() -> dict:
    args: dict = {"headless": True, "args": list(CHROMIUM_ARGS)}
    executable = chromium_executable()
    if executable:
        args["executable_path"] = executable
    return args


def no_browser(reason: str) -> None:
    """Skip, or fail when the environment insists on browser tests."""
    if REQUIRE_BROWSER:
        pytest.fail(f"LOGIT_REQUIRE_BROWSER is set but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (set LOGIT_REQUIRE_BROWSER=1 to make this an error)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: end-to-end test driving the app in a real Chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options plus ours (headless, the system Chromium, no sandbox)."""
    return {**browser_type_launch_args, **launch_args(), "headless": browser_type_launch_args.get("headless", True)}


@pytest.fixture(scope="session")
def browser(launch_browser: Callable):
    """pytest-playwright's browser, but a launch failure skips (or fails under LOGIT_REQUIRE_BROWSER)."""
    try:
        launched = launch_browser()
    except Exception as error:  # Playwright raises its own Error for a missing or broken browser
        no_browser(f"Chromium could not be launched ({type(error).__name__}: {str(error).splitlines()[0]})")
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Wide desktop window and English: the page's language follows the browser's."""
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}, "locale": "en-US"}


# --- server -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(log_path: Path, timeout: float = SERVER_START_TIMEOUT, script: str = "serve.py",
                 env: dict | None = None) -> Server:
    """``streamlit run serve.py`` (what scripts/run.sh runs: app.py and the rooms' route) on a free
    local port; returns once /_stcore/health says ok."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]
    log = open(log_path, "wb")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               env={**os.environ, **(env or {})})
    log.close()  # the child has its own handle
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    return server
        except OSError:
            pass
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"streamlit did not answer /_stcore/health within {timeout:.0f} s:\n{server.log()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One app server for the whole session; at the end its log must hold no traceback."""
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    running = start_server(log_path)
    yield running
    running.stop()
    log = running.log()
    if "Traceback" in log:
        pytest.fail(f"the server log has a traceback:\n{log[-6000:]}", pytrace=False)


# --- the page ---------------------------------------------------------------------------------

def poll(condition, timeout: float = 10.0, interval: float = 0.1, message: str = "condition"):
    """Call ``condition()`` until it returns something truthy; returns that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {message}")
        time.sleep(interval)


def run_count(page) -> int:
    return int(page.evaluate("() => window.__logitRuns || 0"))


def wait_idle(page, *, since: int | None = None, start_timeout: float = 1.5, timeout: float = 60.0) -> None:
    """Wait until the app's script has finished the run an action started.

    ``since``: the run count read before the action; we first wait (up to ``start_timeout``
    seconds) for a run to have started after it. Without it, we wait up to ``start_timeout``
    for the state to leave notRunning. Then we wait for notRunning.
    """
    try:
        if since is not None:
            page.wait_for_function("(n) => (window.__logitRuns || 0) > n", arg=since, timeout=start_timeout * 1000)
        else:
            page.wait_for_selector('[data-testid="stApp"]:not([data-test-script-state="notRunning"])',
                                   state="attached", timeout=start_timeout * 1000)
    except Exception as error:  # no run started: the action needed none, or it finished unseen
        if "Timeout" not in type(error).__name__ and "Timeout" not in str(error):
            raise
    page.wait_for_selector(IDLE, state="attached", timeout=timeout * 1000)


class App:
    """The app in one browser page, with the few moves the tests make."""

    def __init__(self, page, url: str) -> None:
        self.page = page
        self.url = url
        page.add_init_script(RUN_COUNTER_JS)

    def open(self, query: str = "") -> "App":
        self.page.goto(self.url + ("/?" + query if query else "/"), wait_until="domcontentloaded")
        self.page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=60_000)
        self.page.wait_for_selector(IDLE, state="attached", timeout=60_000)
        self.page.locator(f'{EXCEPTION}, h1, h2, h3').first.wait_for(state="attached", timeout=60_000)
        self.assert_no_exception()
        self.player_body().wait_for(state="attached", timeout=60_000)
        self.page.wait_for_function(
            "(sel) => { const f = document.querySelector(sel); return f && f.contentDocument && "
            "f.contentDocument.body && f.contentDocument.body.dataset.iteration !== undefined; }",
            arg=PLAYER, timeout=60_000)
        return self

    # waiting
    @contextmanager
    def rerun(self, start_timeout: float = 1.5) -> Iterator[None]:
        """``with app.rerun(): <action>``: returns once the run the action started is over."""
        before = run_count(self.page)
        yield
        wait_idle(self.page, since=before, start_timeout=start_timeout)

    def idle(self) -> None:
        wait_idle(self.page)

    # the training view (in its own frame)
    def player(self):
        return self.page.frame_locator(PLAYER)

    def player_body(self):
        return self.player().locator("body")

    def player_frame(self):
        """The training view's Frame (for evaluate)."""
        handle = self.page.locator(PLAYER).element_handle(timeout=30_000)
        frame = handle.content_frame()
        assert frame is not None, "the training view has no frame"
        return frame

    # reading
    def header(self):
        return self.player().locator("#header")

    def iteration(self) -> int:
        """The iteration the training view shows (its header)."""
        text = self.header().inner_text().strip()
        match = HEADER.match(text)
        assert match, f"unexpected iteration header {text!r}"
        return int(match.group(1))

    def location(self) -> str:
        """The page's URL as it is now. Not ``page.url``: the sync API updates that only while it
        handles a call, so polling it alone can miss the page's own URL changes for good."""
        return str(self.page.evaluate("() => location.href"))

    def reported(self) -> int:
        """The iteration the server last heard of (what the panels show): the URL's ?iteration."""
        match = re.search(r"[?&]iteration=(\d+)", self.location())
        return int(match.group(1)) if match else 0

    def exceptions(self) -> list[str]:
        return [e.inner_text() for e in self.page.locator(EXCEPTION).all()]

    def assert_no_exception(self) -> None:
        found = self.exceptions()
        assert not found, "the page shows an exception:\n" + "\n---\n".join(found)

    def charts(self):
        """The training view's four charts (data, weights, gradients, loss)."""
        return self.player().locator(".chart.js-plotly-plot")

    def panel_charts(self):
        """Streamlit's Plotly charts: the panel below the training view."""
        return self.page.locator('[data-testid="stPlotlyChart"]')

    def data_chart(self):
        """The data chart's Plotly graph div."""
        return self.player().locator("#chart-data")

    def trace(self, chart, name: str) -> dict:
        """One trace of a chart, by name: {x, y, customdata} as Plotly drew them.

        ``_fullData``, not ``data``: Plotly.py sends NumPy arrays base64-encoded
        ({dtype, bdata}); ``_fullData`` holds them decoded into typed arrays.
        """
        return chart.evaluate(
            """(el, name) => {
                 const t = el._fullData.find((t) => t.name === name);
                 if (!t) return null;
                 const arr = (a) => a == null ? null : Array.from(a, (v) => Array.isArray(v) ? v[0] : v);
                 return {x: arr(t.x), y: arr(t.y), customdata: arr(t.customdata)};
               }""",
            name,
        )

    def summary_n(self) -> int:
        """n from the data summary caption ("**200** points from …")."""
        caption = self.page.locator('[data-testid="stCaptionContainer"]').filter(has_text=re.compile(r"points from"))
        text = caption.first.inner_text()
        match = re.match(r"\s*([\d,]+) points from", text)
        assert match, f"unexpected summary caption {text!r}"
        return int(match.group(1).replace(",", ""))

    # acting
    def button(self, name: str):
        """A button by its label (in the training view's frame for its own buttons)."""
        where = self.player() if name in PLAYER_BUTTONS else self.page
        return where.get_by_role("button", name=re.compile("^" + re.escape(name) + r"(\s|$)"))

    def click(self, name: str) -> None:
        """Click a button and wait for what it starts: for the training view's buttons, the
        report to the server (sent a moment after the click) and the run it causes."""
        with self.rerun(start_timeout=3 if name in PLAYER_BUTTONS else 1.5):
            self.button(name).click()

    def play_button(self):
        return self.player().locator("#play")

    def playing(self) -> bool:
        return self.play_button().get_attribute("aria-pressed") == "true"

    def set_playing(self, on: bool) -> None:
        if self.playing() != on:
            self.play_button().click()

    def alpha(self) -> str:
        """The learning rate the training view shows, as written there (e.g. "0.2"); waits for the
        view to draw (a page that is idle may not have drawn it yet)."""
        select = self.player().locator("#alpha")
        return poll(lambda: select.input_value(), timeout=30, message="the training view's learning rate")

    def choose_alpha(self, value: str) -> None:
        """Choose a learning rate in the training view and wait until the server has it (the URL says so)."""
        self.player().locator("#alpha").select_option(value)
        wanted = "" if value == "0.1" else f"alpha={value}"
        self.player().locator(f'body[data-alpha="{value}"]').wait_for(state="attached", timeout=30_000)
        poll(lambda: (wanted in self.location()) if wanted else ("alpha=" not in self.location()),
             timeout=15, message=f"α = {value} to reach the server")

    def next_alpha(self, step: int = 1) -> str:
        """The learning rate ``step`` notches from the one shown (the list runs from small to large)."""
        values = self.player().locator("#alpha option").evaluate_all("(os) => os.map((o) => o.value)")
        return values[values.index(self.alpha()) + step]

    def wait_iteration(self, k: int, timeout: float = 30.0) -> None:
        self.player().locator(f'body[data-iteration="{k}"]').wait_for(state="attached", timeout=timeout * 1000)


@pytest.fixture()
def app(page, server: Server) -> Iterator[App]:
    """The app, loaded and idle, in a fresh browser context; fails the test if it ever shows an exception."""
    page.set_default_timeout(30_000)
    opened = App(page, server.url).open()
    yield opened
    opened.assert_no_exception()


def write_temp(directory: Path, name: str, content: bytes | str) -> Path:
    path = directory / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path

