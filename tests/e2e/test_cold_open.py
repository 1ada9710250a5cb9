"""A cold open: what a first visit (empty browser cache) moves over the wire, and its charts.

Issue 13: the app's own files (everything but Streamlit's ``/static/`` bundle) stay within
1 MB on the wire because the training view serves plotly.js's cartesian partial bundle
(``logit/ui/plotly_bundle.py``), and that bundle draws the four charts exactly as the full
``plotly.min.js`` does.

:func:`cold_open` is shared with ``test_deploy.py`` (the same through nginx) and
``benchmarks/browser.py`` (the "cold open" figures in docs/performance.md).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

try:
    import playwright.sync_api  # noqa: F401
    import pytest_playwright  # noqa: F401  (its fixtures: launch_browser, behind conftest's browser)
except ImportError as missing:  # pragma: no cover - depends on the machine
    if os.environ.get("LOGIT_REQUIRE_BROWSER"):
        pytest.fail(f"LOGIT_REQUIRE_BROWSER is set but {missing.name} is not installed", pytrace=False)
    pytest.skip(f"{missing.name} is not installed (pip install playwright pytest-playwright)", allow_module_level=True)

from .conftest import PLAYER, App, poll

# The training view's Plotly: the vendored cartesian bundle, or plotly's own full bundle.
PLOTLY_JS = re.compile(r"/plotly(-cartesian)?\.min\.js$")


def is_plotly_js(path: str) -> bool:
    """Whether a URL path is the training view's Plotly script (either bundle)."""
    return PLOTLY_JS.search(path) is not None

OWN_FILES_LIMIT = 1_000_000  # bytes on the wire of the app's own files (issue 13)
CHARTS = ("data", "weights", "gradients", "loss")
VIEWPORT = {"width": 1400, "height": 1000}

# In the page (not its frames): when the first of the training view's charts, and when all
# four, were drawn and painted (two animation frames after Plotly put their traces in), in
# epoch milliseconds like performance.timeOrigin. The page watches the view's frame (same
# origin) on every animation frame: a script added to the frame itself would run in its first,
# empty document only (the frame's window is reused by the document it then loads).
COLD_OPEN_PROBE = """
(() => {
  if (window.top !== window || window.__coldOpen) return;
  const probe = window.__coldOpen = {first: 0, all: 0, count: 0};
  const now = () => performance.timeOrigin + performance.now();
  const painted = (key) => requestAnimationFrame(() => requestAnimationFrame(() => { probe[key] = now(); }));
  const drawn = (el) => !!(el._fullLayout && el.querySelector('.main-svg .scatterlayer .trace'));
  let first = false;
  const watch = () => {
    const frame = document.querySelector(PLAYER);
    const doc = frame && frame.contentDocument;
    const charts = doc ? Array.from(doc.querySelectorAll('.chart')) : [];
    const n = charts.filter(drawn).length;
    probe.count = n;
    if (n > 0 && !first) { first = true; painted('first'); }
    if (charts.length > 0 && n === charts.length) { painted('all'); return; }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
})();
""".replace("PLAYER", json.dumps(PLAYER))


@dataclass
class Response:
    """One HTTP response of the visit: its path, bytes on the wire (headers and body as sent)."""

    path: str
    bytes: int
    encoding: str  # Content-Encoding ("" when sent as is)
    content_type: str
    body_bytes: int

    @property
    def static(self) -> bool:
        """Streamlit's own front end (its hashed, immutable bundle)."""
        return self.path.startswith("/static/")


@dataclass
class ColdOpen:
    responses: list[Response]
    websocket: int          # bytes of the messages the server sent on the session's websocket
    first_chart_ms: float   # from navigation start to the first of the four charts painted
    charts_ms: float        # ... to all four painted
    charts: int             # charts drawn
    view_ms: float = 0.0         # ... to the training view's frame starting to load
    plotly_ms: float = 0.0       # ... to its plotly.min.js received
    view_ready_ms: float = 0.0   # ... to its scripts having run (DOMContentLoaded: Plotly parsed)
    failed: list[str] = field(default_factory=list)  # requests that failed

    @property
    def static(self) -> int:
        return sum(r.bytes for r in self.responses if r.static)

    @property
    def own(self) -> int:
        """Everything the app serves itself: the page, the training view's files, Plotly."""
        return sum(r.bytes for r in self.responses if not r.static)

    @property
    def total(self) -> int:
        """Every HTTP response (the websocket's messages apart: they are the session's data)."""
        return self.static + self.own

    def largest(self, n: int = 8) -> str:
        rows = sorted(self.responses, key=lambda r: -r.bytes)[:n]
        return "\n".join(f"{r.bytes:>10,} {r.encoding or '-':>5} {r.path}" for r in rows)


def cold_open(browser, url: str, *, mbps: float | None = None, latency_ms: float = 20.0,
              timeout: float = 120.0) -> ColdOpen:
    """Open the app in a new browser context (empty cache) and measure what came over the wire.

    ``mbps``: the browser's emulation of a link of that many megabits a second each way, with
    ``latency_ms`` of added round-trip time, for HTTP (not the websocket); None: as fast as
    the loopback goes. Returns once the training view has painted its four charts and every
    request the page started has finished.
    """
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    try:
        context.add_init_script(COLD_OPEN_PROBE)
        started: list = []
        finished: list = []
        failed: list = []
        received: list[int] = []
        context.on("request", lambda request: started.append(request))
        context.on("requestfinished", lambda request: finished.append(request))
        context.on("requestfailed", lambda request: failed.append(request))
        page = context.new_page()
        page.set_default_timeout(timeout * 1000)
        if mbps:
            session = context.new_cdp_session(page)
            session.send("Network.enable")
            session.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": latency_ms,
                "downloadThroughput": mbps * 1e6 / 8, "uploadThroughput": mbps * 1e6 / 8})

        def on_websocket(socket) -> None:
            socket.on("framereceived",
                      lambda payload: received.append(len(payload.encode() if isinstance(payload, str) else payload)))

        page.on("websocket", on_websocket)
        app = App(page, url).open()
        page.wait_for_function("() => window.__coldOpen.all > 0", timeout=timeout * 1000)
        probe = page.evaluate("() => window.__coldOpen")
        origin = float(page.evaluate("() => performance.timeOrigin"))
        view = app.player_frame().evaluate(r"""() => {
            const at = (t) => performance.timeOrigin + t;
            const nav = performance.getEntriesByType('navigation')[0];
            const plotly = performance.getEntriesByType('resource')
                .find((e) => /\/plotly(-cartesian)?\.min\.js$/.test(e.name.split('?')[0]));
            // Plotly run: the view loads it once its arguments name it (logitPlotlyLoaded); an
            // older view loaded it with the page (then its DOMContentLoaded).
            const ran = window.logitPlotlyLoaded || nav.domContentLoadedEventEnd;
            return {start: performance.timeOrigin, ready: at(ran),
                    plotly: plotly ? at(plotly.responseEnd) : 0};
        }""")
        # Let the last requests finish (the favicon, a font the charts asked for, ...). Playwright
        # hands over its events only while a call waits: wait in the page, not with a sleep.
        def settled() -> bool:
            page.wait_for_timeout(100)
            return len(started) == len(finished) + len(failed)

        poll(settled, timeout=timeout, interval=0, message="every request to finish")
        page.wait_for_timeout(500)
        poll(settled, timeout=timeout, interval=0, message="every request to finish")
        responses = []
        for request in finished:
            response = request.response()
            if response is None:
                continue
            sizes = request.sizes()
            responses.append(Response(
                path=urlsplit(request.url).path,
                bytes=int(sizes["responseHeadersSize"]) + int(sizes["responseBodySize"]),
                encoding=response.header_value("content-encoding") or "",
                content_type=(response.header_value("content-type") or "").split(";")[0],
                body_bytes=int(sizes["responseBodySize"]),
            ))
        return ColdOpen(responses, websocket=sum(received), first_chart_ms=probe["first"] - origin,
                        charts_ms=probe["all"] - origin, charts=int(probe["count"]),
                        view_ms=view["start"] - origin, plotly_ms=view["plotly"] - origin,
                        view_ready_ms=view["ready"] - origin, failed=[f"{r.url} ({r.failure})" for r in failed])
    finally:
        context.close()


# --- the tests ------------------------------------------------------------------------------

def served_plotly(cold: ColdOpen) -> Response:
    found = [r for r in cold.responses if is_plotly_js(r.path)]
    assert len(found) == 1, f"expected one Plotly script, got {[r.path for r in found]}"
    return found[0]


def test_a_cold_open_moves_at_most_1_mb_of_the_apps_own_files_and_draws_four_charts(server, browser) -> None:
    from logit.ui import plotly_bundle

    assert plotly_bundle.script_path() == plotly_bundle.BUNDLE, (
        "the cartesian bundle is not vendored (or not of the installed plotly.js version): "
        "run `python -m logit.ui.plotly_bundle` (scripts/test.sh does)")
    cold = cold_open(browser, server.url)
    assert cold.charts == len(CHARTS), f"{cold.charts} charts drawn"
    assert not cold.failed, cold.failed
    plotly_js = served_plotly(cold)
    assert plotly_js.encoding == "gzip", f"Streamlit sent the training view's plotly.js uncompressed: {plotly_js}"
    assert cold.own <= OWN_FILES_LIMIT, (
        f"the app's own files moved {cold.own:,} bytes on a cold open (limit {OWN_FILES_LIMIT:,}):\n"
        + cold.largest())


def test_the_cartesian_bundle_draws_the_four_charts_as_the_full_one_does(server, browser, tmp_path: Path) -> None:
    """The same page with each bundle (the full one swapped in by the browser), at iteration 0
    and after Step ×10 (lines, the boundary, the probability image, the rings): every chart's
    pixels are the same, and no trace type is missing from the cartesian bundle."""
    from logit.ui import plotly_bundle

    served = plotly_bundle.script_path()
    full = plotly_bundle.full_bundle()
    assert served != full, "the cartesian bundle is not vendored: run `python -m logit.ui.plotly_bundle`"
    shots: dict[str, dict[str, bytes]] = {}
    for name, bundle in (("cartesian", None), ("full", full)):
        context = browser.new_context(viewport=VIEWPORT, locale="en-US")
        try:
            errors: list[str] = []
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            if bundle is not None:
                body = bundle.read_bytes()
                context.route(PLOTLY_JS, lambda route: route.fulfill(
                    status=200, body=body, headers={"Content-Type": "application/javascript"}))
            app = App(page, server.url).open()
            frame = app.player_frame()
            frame.wait_for_function("(n) => document.querySelectorAll('.chart.js-plotly-plot .main-svg').length >= n",
                                    arg=len(CHARTS))
            info = frame.evaluate("""() => ({
                version: Plotly.version,
                types: Array.from(document.querySelectorAll('.chart')).map(
                    (el) => [el.id, el.data.map((t) => t.type || 'scatter'), el._fullData.map((t) => t.type)]),
                partial: !('scatter3d' in Plotly.PlotSchema.get().traces),
                images: document.getElementById('chart-data')._fullLayout.images.length,
                shapes: document.getElementById('chart-data')._fullLayout.shapes.length,
            })""")
            assert info["version"] == plotly_bundle.plotlyjs_version(), info
            assert info["partial"] == (bundle is None), f"{name} bundle: not the one expected ({info})"
            for chart, wanted, drawn in info["types"]:
                # A trace type the bundle lacks is drawn as nothing (Plotly warns and skips it).
                assert drawn == wanted, f"{name} bundle, {chart}: traces {wanted} drawn as {drawn}"
            assert info["images"] >= 1 and info["shapes"] >= 1, info
            shots[name] = {}
            for k in (0, 10):
                if k:
                    app.click("Step ×10")
                    app.wait_iteration(k)
                # The rings of misclassified points are written in 2 s after the view rests.
                page.wait_for_timeout(3000)
                app.idle()
                for chart in CHARTS:
                    shot = app.player().locator(f"#chart-{chart}").screenshot(animations="disabled")
                    shots[name][f"{chart}, iteration {k}"] = shot
                    (tmp_path / f"{chart}-{k}-{name}.png").write_bytes(shot)
            assert not [e for e in errors if "plotly" in e.lower() or "trace" in e.lower()], errors
        finally:
            context.close()
    different = [chart for chart in shots["full"] if shots["cartesian"][chart] != shots["full"][chart]]
    assert not different, f"drawn differently by the cartesian bundle: {different} (screenshots in {tmp_path})"
