"""What people feel in a real browser: a cold open, Step, a what-if change of α, Play, and large uploads (not a test).

    python benchmarks/browser.py [--only coldopen,step,whatif,play,large] [--repeat 20] [--url http://127.0.0.1:8501]

Starts its own server (unless --url) and a headless Chromium, and prints one table. Every
time runs from the user's action (the browser's click or key event) to the page having
finished updating, measured inside the page with one clock (epoch milliseconds):

- charts drawn: the training view has redrawn its four charts and the browser has painted
  them (two animation frames after the redraw);
- script idle: also the server's run caused by the action is over (its end-of-run message
  has arrived);
- page idle: also the server's run caused by the action is over and the page has stopped
  changing (the panels below follow): the later of the run's end and the last change to the
  page before it stayed unchanged for 300 ms.

A cold open (issue 13) is a first visit with an empty browser cache: the bytes that came over
the wire (response headers and bodies as sent, so compressed where they were compressed), split
into the app's own files (the page, the training view's files, Plotly) and Streamlit's /static/
bundle, and the time from navigation start to the first of the training view's charts painted
(its four charts are drawn in one go), in three parts: until the view's frame opens (the page
has loaded and the server's first run has sent the view), from its plotly.min.js received to
its scripts having run (Plotly parsed and run), and from there to the charts painted. It runs against the app directly and, when nginx is installed, through
deploy/run.sh (nginx in front of two replicas); --no-nginx leaves that out. One open first
warms the server (its first run computes and caches the figures); --cold-repeat opens follow,
at each of --cold-mbps's link speeds (Chromium's network emulation: that many Mbit/s each way
and 20 ms more round-trip time, on HTTP; 0 is the loopback as it is).
Targets: the app's own files ≤ 1 MB; everything through nginx ≤ 2.5 MB.

Targets (issue 5): Step p50 ≤ 100 ms at 1,000 points (p95 ≤ 200 ms); α change → whole run
recomputed and every chart redrawn at 1,000 points × 1,000 iterations p50 ≤ 250 ms; Play ≥ 30
iterations shown per second without rebuilding a chart (no flicker) and keeping a zoom; a
100,000-row upload's first charts ≤ 3 s and Step ≤ 300 ms; 1,000,000 rows still work.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from e2e.conftest import PLAYER, App, launch_args, start_server  # noqa: E402
from e2e.test_cold_open import cold_open, is_plotly_js  # noqa: E402

# Installed before the page loads: the end of each script run, as the server's message that the
# script stopped running arrives (a ForwardMsg holding an empty session_status_changed, field 9:
# bytes 0x4A 0x00). A run shorter than a frame never shows as "running" in the page, so the
# page's attribute cannot count runs.
RUN_PROBE = """
(() => {
  const ends = window.__runs = {count: 0, times: []};
  const listen = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, handler, options) {
    if (type === 'message') {
      const inner = handler;
      handler = function (event) {
        const data = event.data;
        if (Object.prototype.toString.call(data) === '[object ArrayBuffer]' && data.byteLength === 2
            && new Uint8Array(data)[0] === 0x4A && new Uint8Array(data)[1] === 0x00) {
          ends.count += 1; ends.times.push(performance.timeOrigin + performance.now());
        }
        return inner.call(this, event);
      };
    }
    return listen.call(this, type, handler, options);
  };
})();
"""

# Main page: the last change to the page (any element, text or attribute), and the key events.
PAGE_PROBE = """
() => {
  if (window.__probe) return;
  const p = window.__probe = {changed: 0, key: 0};
  const now = () => performance.timeOrigin + performance.now();
  new MutationObserver(() => { p.changed = now(); })
    .observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  document.addEventListener('keydown', () => { p.key = now(); }, true);
}
"""

# Training view's frame: when a click on a control happened and when its redraw was painted;
# when a new run (revision) was last drawn.
FRAME_PROBE = """
() => {
  if (window.__probe) return;
  const now = () => performance.timeOrigin + performance.now();
  const p = window.__probe = {click: 0, painted: 0, revision: window.logitPlayer.revision, revisionPainted: 0, action: 0};
  document.addEventListener('click', () => { p.click = now(); p.painted = 0; }, true);
  // The first click, key or choice since the measure armed it (action = 0).
  for (const type of ['click', 'keydown', 'change']) document.addEventListener(type, () => { if (!p.action) p.action = now(); }, true);
  window.addEventListener('click', () => requestAnimationFrame(() => requestAnimationFrame(() => { p.painted = now(); })));
  const watch = () => {
    if (window.logitPlayer.revision !== p.revision) {
      p.revision = window.logitPlayer.revision;
      requestAnimationFrame(() => requestAnimationFrame(() => { p.revisionPainted = now(); }));
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
}
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def frame(app: App):
    return app.page.locator(PLAYER).element_handle().content_frame()


def probes(app: App):
    app.page.evaluate(PAGE_PROBE)
    f = frame(app)
    f.evaluate(FRAME_PROBE)
    return f


QUIET_MS = 300  # the page counts as finished once nothing in it has changed for this long


def wait_idle_after(app: App, runs_before: int, timeout: float = 60.0) -> float:
    """Epoch ms when the page had finished updating after the run the action caused.

    Waits for that run's end (the server's "script finished" message), then for the page to
    stay unchanged for QUIET_MS; returns the later of the run's end and the page's last change.
    A run the page starts by itself afterwards (the view asking for runs ahead) is not waited for.
    """
    app.page.wait_for_function("(n) => window.__runs.count > n", arg=runs_before, timeout=timeout * 1000)
    app.page.wait_for_function(f"() => performance.timeOrigin + performance.now() - window.__probe.changed > {QUIET_MS}",
                               timeout=timeout * 1000, polling=50)
    return float(app.page.evaluate("(n) => Math.max(window.__runs.times[n], window.__probe.changed)", runs_before))


def run_end(app: App, runs_before: int) -> float:
    """Epoch ms when the end-of-run message of the run the action caused arrived (the first
    run to end after it)."""
    return float(app.page.evaluate("(n) => window.__runs.times[n]", runs_before))


def runs(app: App) -> int:
    """Script runs finished so far."""
    return int(app.page.evaluate("() => window.__runs.count"))


def record(out: dict[str, list[float]], app: App, runs_before: int, action: float, painted: float,
           idle: float) -> None:
    """One action's three times (ms): to the charts painted, to script idle, to page idle."""
    out["drawn"].append(painted - action)
    out["script"].append(max(run_end(app, runs_before), painted) - action)
    out["idle"].append(max(idle, painted) - action)


# --- the measures -------------------------------------------------------------------------------

def measure_step(app: App, repeat: int, warmup: int = 3) -> dict[str, list[float]]:
    f = probes(app)
    step = f.locator("#step")
    out: dict[str, list[float]] = {"drawn": [], "script": [], "idle": []}
    for i in range(warmup + repeat):
        k = app.iteration() + 1
        before = runs(app)
        step.click()
        f.wait_for_function("(k) => document.body.dataset.iteration === String(k) && window.__probe.painted > 0",
                            arg=k, timeout=30_000)
        idle = wait_idle_after(app, before)
        probe = f.evaluate("() => window.__probe")
        if i >= warmup:
            record(out, app, before, probe["click"], probe["painted"], idle)
        app.page.wait_for_timeout(300)  # a person does not click faster than this
    app.assert_no_exception()
    return out


def new_sample(app: App) -> None:
    """New data (the sidebar's "New sample"): no run computed for them yet. Waits until the view
    shows their run and has received its runs ahead."""
    f = frame(app)
    revision = f.evaluate("() => window.logitPlayer.revision")
    before = runs(app)
    app.page.locator('[data-testid="stSidebar"]').get_by_role("button", name="New sample").click()
    f.wait_for_function("(r) => window.logitPlayer.revision !== r && !window.logitPlayer.args.ahead_pending",
                        arg=revision, timeout=60_000)
    wait_idle_after(app, before)


def measure_whatif(app: App, repeat: int, how: str, warmup: int = 2) -> dict[str, list[float]]:
    """A new α in the training view, back and forth: "tenfold" clicks α × 10 then α ÷ 10; "notch" moves the
    α list one notch with the keyboard; "far" chooses a rate that was not computed ahead (10⁻⁴ ↔ 10);
    "cold" does that on new data each time, so that nothing at all is computed yet."""
    f = probes(app)
    select = f.locator("#alpha")
    out: dict[str, list[float]] = {"drawn": [], "script": [], "idle": []}
    for i in range(warmup + repeat):
        if how == "cold":
            new_sample(app)
        revision = f.evaluate("() => window.__probe.revision")
        before = runs(app)
        f.evaluate("() => { window.__probe.action = 0; window.__probe.revisionPainted = 0; }")
        if how == "tenfold":
            f.locator("#alpha-up" if i % 2 == 0 else "#alpha-down").click()
        elif how == "notch":
            select.focus()
            select.press("ArrowDown" if i % 2 == 0 else "ArrowUp")
        else:
            select.select_option("0.0001" if i % 2 == 0 else "10")
        f.wait_for_function("(r) => window.__probe.revision !== r && window.__probe.revisionPainted > 0",
                            arg=revision, timeout=60_000)
        idle = wait_idle_after(app, before)
        probe = f.evaluate("() => window.__probe")
        if i >= warmup:
            record(out, app, before, probe["action"], probe["revisionPainted"], idle)
        app.page.wait_for_timeout(300)
    app.assert_no_exception()
    return out


def measure_play(app: App, seconds: float, speed: int) -> dict[str, float]:
    """Iterations drawn per second while playing; chart rebuilds during Play; a zoom kept or not."""
    f = probes(app)
    f.locator("#speed").select_option(str(speed))
    # Zoom the loss chart by hand first (as a user would) to see whether Play keeps it.
    zoom = [0.0, 5.0]
    f.evaluate("(r) => Plotly.relayout(document.getElementById('chart-loss'), {'xaxis.range': r})", zoom)
    builds_before = f.evaluate("() => window.logitPlayer.builds || 0")
    start_k = app.iteration()
    f.locator("#play").click()
    f.wait_for_function("() => window.logitPlayer.playing", timeout=10_000)
    f.evaluate("() => { window.__frames0 = window.logitPlayer.framesDrawn; window.__t0 = performance.now(); "
               "window.__k0 = window.logitPlayer.k; }")
    time.sleep(seconds)
    result = f.evaluate("""() => ({frames: window.logitPlayer.framesDrawn - window.__frames0,
        seconds: (performance.now() - window.__t0) / 1000, k: window.logitPlayer.k - window.__k0,
        range: Array.from(document.getElementById('chart-loss')._fullLayout.xaxis.range)})""")
    f.locator("#play").click()
    builds = f.evaluate("() => window.logitPlayer.builds || 0") - builds_before
    app.assert_no_exception()
    return {
        "draws_per_s": result["frames"] / result["seconds"],
        "iterations_per_s": result["k"] / result["seconds"],
        "rebuilds": float(builds),
        "zoom_kept": float(abs(result["range"][0] - zoom[0]) < 1e-9 and abs(result["range"][1] - zoom[1]) < 1e-9),
        "from": float(start_k),
    }


def large_csv(path: Path, rows: int, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, rows)
    X = rng.normal(size=(rows, 2)) + np.where(y[:, None] == 1, 1.0, -1.0)
    with open(path, "w") as f:
        f.write("x1,x2,y\n")
        np.savetxt(f, np.column_stack([X, y]), fmt=["%.5f", "%.5f", "%d"], delimiter=",")
    return path


def measure_large(app: App, path: Path, steps: int) -> dict[str, list[float]]:
    """Upload → first charts of the new data; then Steps."""
    f = probes(app)
    sidebar = app.page.locator('[data-testid="stSidebar"]')
    with app.rerun():
        sidebar.get_by_text("Upload a file", exact=True).click()
    f = probes(app)
    revision = f.evaluate("() => window.__probe.revision")
    app.page.locator('[data-testid="stFileUploaderDropzoneInput"]').wait_for(state="attached")
    before = runs(app)
    start = time.time() * 1000
    app.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    f.wait_for_function("(r) => window.__probe.revision !== r && window.__probe.revisionPainted > 0",
                        arg=revision, timeout=300_000)
    painted = float(f.evaluate("() => window.__probe.revisionPainted"))
    idle = wait_idle_after(app, before, timeout=300)
    app.assert_no_exception()
    out = {"upload_drawn": [painted - start], "upload_idle": [max(idle, painted) - start]}
    step = measure_step(app, steps, warmup=1)
    out["step_drawn"], out["step_idle"] = step["drawn"], step["idle"]
    out["sampled_note"] = [float(app.player().get_by_text("Showing a fixed sample").count())]
    return out


def cold_open_rows(browser, url: str, where: str, repeat: int, links: list[float]) -> list[tuple[str, str]]:
    """A warm-up open (the server's first run computes and caches the figures), then ``repeat``
    cold opens, each in a new context, at each link speed (0: the loopback as it is)."""
    cold_open(browser, url)
    rows: list[tuple[str, str]] = []
    for mbps in links:
        opens = [cold_open(browser, url, mbps=mbps or None) for _ in range(repeat)]
        link = f", {mbps:g} Mbit/s" if mbps else ""
        if not rows:
            last = opens[-1]  # the bytes are the same every time, to a few bytes of headers
            plotly_js = sum(r.bytes for r in last.responses if is_plotly_js(r.path))
            megabytes = lambda n: f"{n / 1e6:8.2f}"  # noqa: E731
            rows += [
                (f"Cold open {where}: bytes on the wire, every HTTP response (MB)", megabytes(last.total)),
                (f"Cold open {where}: … the app's own files (MB)", megabytes(last.own)),
                (f"Cold open {where}: … of which plotly.min.js (MB)", megabytes(plotly_js)),
                (f"Cold open {where}: … Streamlit's /static/ (MB)", megabytes(last.static)),
                (f"Cold open {where}: the websocket's messages, not in the above (MB)", megabytes(last.websocket)),
            ]
        rows.append((f"Cold open {where}{link}: navigation → first chart painted",
                     summary([o.first_chart_ms for o in opens])))
        rows.append((f"Cold open {where}{link}: … navigation → the training view's frame opens",
                     summary([o.view_ms for o in opens])))
        rows.append((f"Cold open {where}{link}: … its plotly.min.js received → its scripts run (Plotly parsed)",
                     summary([o.view_ready_ms - o.plotly_ms for o in opens])))
        rows.append((f"Cold open {where}{link}: … its scripts run → four charts painted",
                     summary([o.charts_ms - o.view_ready_ms for o in opens])))
    return rows


# --- the run --------------------------------------------------------------------------------------

def summary(values: list[float]) -> str:
    return (f"{statistics.median(values):8.0f} {percentile(values, 95):8.0f} {min(values):8.0f} "
            f"{max(values):8.0f} {len(values):4d}")


def cold_open_through_nginx(browser, work: Path, repeat: int, links: list[float]) -> list[tuple[str, str]]:
    """The same through deploy/run.sh (nginx and two replicas), when nginx is installed."""
    from e2e.test_deploy import nginx_executable, start_cluster

    if nginx_executable() is None:
        return [("Cold open through nginx: nginx is not installed", "")]
    run_dir = work / "deploy"
    run_dir.mkdir()
    cluster = start_cluster(run_dir)
    try:
        return cold_open_rows(browser, cluster.url, "through nginx", repeat, links)
    finally:
        cluster.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="coldopen,step,whatif,play,large", help="comma-separated measures")
    parser.add_argument("--cold-repeat", type=int, default=5, help="cold opens after the warm-up (default 5)")
    parser.add_argument("--no-nginx", action="store_true", help="no cold open through nginx (deploy/run.sh)")
    parser.add_argument("--cold-mbps", default="0,20",
                        help="link speeds for the cold open, Mbit/s, 0 = the loopback as it is (default 0,20)")
    parser.add_argument("--repeat", type=int, default=20, help="timed actions per measure (default 20)")
    parser.add_argument("--play-seconds", type=float, default=8.0)
    parser.add_argument("--play-speed", type=int, default=60)
    parser.add_argument("--large-rows", default="100000,1000000", help="rows of the uploaded CSVs")
    parser.add_argument("--url", help="use this running app instead of starting one")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))

    server = None
    work = Path(tempfile.mkdtemp(prefix="logit-bench-"))
    url = args.url.rstrip("/") if args.url else None
    if url is None:
        server = start_server(work / "server.log")
        url = server.url
    rows: list[tuple[str, str]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_args())

            def fresh(query: str) -> App:
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
                context.add_init_script(RUN_PROBE)
                return App(context.new_page(), url).open(query)

            try:
                if "coldopen" in only:
                    links = [float(v) for v in args.cold_mbps.split(",") if v]
                    rows += cold_open_rows(browser, url, "directly", args.cold_repeat, links)
                    if not args.no_nginx:
                        rows += cold_open_through_nginx(browser, work, args.cold_repeat, links)
                if "step" in only:
                    result = measure_step(fresh("n=1000"), args.repeat)
                    rows.append(("Step, 1,000 points: click → 4 charts painted", summary(result["drawn"])))
                    rows.append(("Step, 1,000 points: click → charts painted and script idle",
                                 summary(result["script"])))
                    rows.append(("Step, 1,000 points: click → page idle (panels redrawn too)", summary(result["idle"])))
                if "whatif" in only:
                    for how, label in (("tenfold", "α × 10 / ÷ 10 (click)"), ("notch", "α one notch (key)"),
                                       ("far", "α not computed ahead (10⁻⁴ ↔ 10)"),
                                       ("cold", "α on new data, nothing computed")):
                        repeat = args.repeat if how != "cold" else max(5, args.repeat // 2)
                        result = measure_whatif(fresh("n=1000&iteration=500"), repeat, how, warmup=1 if how == "cold" else 2)
                        rows.append((f"{label}, 1,000 × 1,000: → 4 charts repainted", summary(result["drawn"])))
                        rows.append((f"{label}, 1,000 × 1,000: → charts and script idle", summary(result["script"])))
                        rows.append((f"{label}, 1,000 × 1,000: → page idle", summary(result["idle"])))
                if "play" in only:
                    play = measure_play(fresh("n=1000"), args.play_seconds, args.play_speed)
                    rows.append((f"Play at {args.play_speed} it/s: iterations drawn per second",
                                 f"{play['draws_per_s']:8.1f}"))
                    rows.append(("Play: charts rebuilt while playing (flicker)", f"{play['rebuilds']:8.0f}"))
                    rows.append(("Play: the user's zoom kept (1 = yes)", f"{play['zoom_kept']:8.0f}"))
                if "large" in only:
                    for n in (int(v) for v in args.large_rows.split(",") if v):
                        path = large_csv(work / f"rows-{n}.csv", n)
                        result = measure_large(fresh(""), path, steps=max(3, args.repeat // 4))
                        rows.append((f"{n:,} rows: upload → first charts painted", summary(result["upload_drawn"])))
                        rows.append((f"{n:,} rows: Step → 4 charts painted", summary(result["step_drawn"])))
                        rows.append((f"{n:,} rows: Step → page idle", summary(result["step_idle"])))
                        rows.append((f"{n:,} rows: the page says it draws a sample (1 = yes)",
                                     f"{result['sampled_note'][0]:8.0f}"))
            finally:
                browser.close()
    finally:
        if server is not None:
            server.stop()

    width = max(len(label) for label, _ in rows)
    print(f"{'measure (ms unless stated)':<{width}} {'median':>8} {'p95':>8} {'min':>8} {'max':>8} {'n':>4}")
    print("-" * (width + 42))
    for label, values in rows:
        print(f"{label:<{width}} {values}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
