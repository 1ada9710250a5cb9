"""What people feel in a real browser: Step, a what-if change of α, Play, and large uploads (not a test).

    python benchmarks/browser.py [--only step,whatif,play,large] [--repeat 20] [--url http://127.0.0.1:8501]

Starts its own server (unless --url) and a headless Chromium, and prints one table. Every
time runs from the user's action (the browser's click or key event) to the page having
finished updating, measured inside the page with one clock (epoch milliseconds):

- charts drawn: the training view has redrawn its four charts and the browser has painted
  them (two animation frames after the redraw);
- page idle: also the server's run caused by the action is over (the panels below follow).

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

# Main page: when the app's script last turned idle, and how many runs it has started.
PAGE_PROBE = """
() => {
  if (window.__probe) return;
  const p = window.__probe = {runs: 0, idleAt: 0, state: null, key: 0};
  const app = () => document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => {
    const s = app() && app().getAttribute('data-test-script-state');
    if (s === p.state) return;
    if (s === 'running') p.runs += 1;
    if (s === 'notRunning') p.idleAt = performance.timeOrigin + performance.now();
    p.state = s;
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
  p.state = app() && app().getAttribute('data-test-script-state');
  document.addEventListener('keydown', () => { p.key = performance.timeOrigin + performance.now(); }, true);
}
"""

# Training view's frame: when a click on a control happened and when its redraw was painted;
# when a new run (revision) was last drawn.
FRAME_PROBE = """
() => {
  if (window.__probe) return;
  const now = () => performance.timeOrigin + performance.now();
  const p = window.__probe = {click: 0, painted: 0, revision: window.logitPlayer.revision, revisionPainted: 0};
  document.addEventListener('click', () => { p.click = now(); p.painted = 0; }, true);
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


def wait_idle_after(app: App, runs_before: int, timeout: float = 60.0) -> float:
    """Epoch ms when the run the action caused ended.

    Waits up to 3 s for a run to start after ``runs_before`` (a request that arrives while a
    run is under way joins it without a new start), then for the script to be idle.
    """
    try:
        app.page.wait_for_function("(n) => window.__probe.runs > n", arg=runs_before, timeout=3000)
    except Exception as error:  # noqa: BLE001 - Playwright's timeout
        if "Timeout" not in type(error).__name__:
            raise
    app.page.wait_for_function("() => window.__probe.state === 'notRunning'", timeout=timeout * 1000)
    return float(app.page.evaluate("() => window.__probe.idleAt"))


def runs(app: App) -> int:
    return int(app.page.evaluate("() => window.__probe.runs"))


# --- the measures -------------------------------------------------------------------------------

def measure_step(app: App, repeat: int, warmup: int = 3) -> dict[str, list[float]]:
    f = probes(app)
    step = f.locator("#step")
    out: dict[str, list[float]] = {"drawn": [], "idle": []}
    for i in range(warmup + repeat):
        k = app.iteration() + 1
        before = runs(app)
        step.click()
        f.wait_for_function("(k) => document.body.dataset.iteration === String(k) && window.__probe.painted > 0",
                            arg=k, timeout=30_000)
        idle = wait_idle_after(app, before)
        probe = f.evaluate("() => window.__probe")
        if i >= warmup:
            out["drawn"].append(probe["painted"] - probe["click"])
            out["idle"].append(max(idle, probe["painted"]) - probe["click"])
        app.page.wait_for_timeout(300)  # a person does not click faster than this
    app.assert_no_exception()
    return out


def measure_whatif(app: App, repeat: int, warmup: int = 2) -> dict[str, list[float]]:
    """α one notch up, then down, ... with the keyboard on the sidebar's slider."""
    f = probes(app)
    thumb = app.page.locator('[data-testid="stSidebar"]').get_by_role("slider", name="Learning rate α")
    out: dict[str, list[float]] = {"drawn": [], "idle": []}
    for i in range(warmup + repeat):
        revision = f.evaluate("() => window.__probe.revision")
        before = runs(app)
        thumb.focus()
        thumb.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        f.wait_for_function("(r) => window.__probe.revision !== r && window.__probe.revisionPainted > 0",
                            arg=revision, timeout=60_000)
        idle = wait_idle_after(app, before)
        key = float(app.page.evaluate("() => window.__probe.key"))
        painted = float(f.evaluate("() => window.__probe.revisionPainted"))
        f.evaluate("() => { window.__probe.revisionPainted = 0; }")
        if i >= warmup:
            out["drawn"].append(painted - key)
            out["idle"].append(max(idle, painted) - key)
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
        sidebar.get_by_text("Upload CSV", exact=True).click()
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


# --- the run --------------------------------------------------------------------------------------

def summary(values: list[float]) -> str:
    return (f"{statistics.median(values):8.0f} {percentile(values, 95):8.0f} {min(values):8.0f} "
            f"{max(values):8.0f} {len(values):4d}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="step,whatif,play,large", help="comma-separated measures")
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
                return App(context.new_page(), url).open(query)

            try:
                if "step" in only:
                    result = measure_step(fresh("n=1000"), args.repeat)
                    rows.append(("Step, 1,000 points: click → 4 charts painted", summary(result["drawn"])))
                    rows.append(("Step, 1,000 points: click → page idle (panels too)", summary(result["idle"])))
                if "whatif" in only:
                    result = measure_whatif(fresh("n=1000&iteration=500"), args.repeat)
                    rows.append(("α change, 1,000 × 1,000: key → 4 charts repainted", summary(result["drawn"])))
                    rows.append(("α change, 1,000 × 1,000: key → page idle", summary(result["idle"])))
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
