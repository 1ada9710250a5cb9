"""The page before the training view moved to the browser (server-side Step and Play), measured
the way benchmarks/browser.py measures the page now (not a test).

    git worktree add ../logit-before 7d9f96a
    python benchmarks/before.py ../logit-before

It starts that checkout's app and times, from the browser's click or key event to the end of
the run it caused (the old page drew its charts in that run): Step at 1,000 points, a change
of α at 1,000 points × 1,000 iterations, Play at its default speed, and a 100,000-row upload.
"""
import sys, time, statistics, tempfile
from pathlib import Path

if len(sys.argv) != 2:
    sys.exit(__doc__)
sys.path.insert(0, str(Path(sys.argv[1]).resolve() / "tests"))
from playwright.sync_api import sync_playwright
from e2e.conftest import App, launch_args, start_server
import numpy as np

PROBE = """() => { if (window.__p) return; const p = window.__p = {runs: 0, idleAt: 0, state: null, ev: 0};
  const app = () => document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => { const s = app() && app().getAttribute('data-test-script-state'); if (s === p.state) return;
    if (s === 'running') p.runs += 1; if (s === 'notRunning') p.idleAt = performance.now(); p.state = s; })
    .observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
  p.state = app() && app().getAttribute('data-test-script-state');
  document.addEventListener('click', () => { p.ev = performance.now(); }, true);
  document.addEventListener('keydown', () => { p.ev = performance.now(); }, true); }"""

def wait_after(page, before):
    try: page.wait_for_function("(n) => window.__p.runs > n", arg=before, timeout=3000)
    except Exception: pass
    page.wait_for_function("() => window.__p.state === 'notRunning'", timeout=60000)
    return page.evaluate("() => window.__p.idleAt - window.__p.ev")

def pct(v, q):
    o = sorted(v); x = (len(o) - 1) * q / 100; lo = int(x); hi = min(lo + 1, len(o) - 1); return o[lo] + (o[hi] - o[lo]) * (x - lo)

server = start_server(Path(tempfile.mkdtemp()) / "s.log")
out = {}
try:
    with sync_playwright() as pw:
        b = pw.chromium.launch(**launch_args())
        def fresh(q):
            page = b.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US").new_page()
            app = App(page, server.url).open(q); page.evaluate(PROBE); return app
        # Step at 1,000 points: click -> header + idle
        app = fresh("n=1000"); page = app.page; step = app.button("Step ▸"); t = []
        for i in range(15):
            k = app.iteration() + 1; before = page.evaluate("() => window.__p.runs")
            step.click(); app.wait_iteration(k); t.append(wait_after(page, before)); page.wait_for_timeout(300)
        out["step idle"] = t[3:]; print("step", out["step idle"], flush=True)
        # alpha change
        app = fresh("n=1000&iteration=500"); page = app.page; t = []
        thumb = page.locator('[data-testid="stSidebar"]').get_by_role("slider", name="Learning rate α")
        for i in range(12):
            before = page.evaluate("() => window.__p.runs"); thumb.focus(); thumb.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            t.append(wait_after(page, before)); page.wait_for_timeout(300)
        out["alpha idle"] = t[2:]; print("alpha", out["alpha idle"], flush=True)
        # Play at the fastest speed
        app = fresh("n=1000"); page = app.page
        k0 = app.iteration(); app.set_playing(True); t0 = time.monotonic(); time.sleep(8); k1 = app.iteration(); dt = time.monotonic() - t0
        app.set_playing(False)
        out["play it/s (default speed 10)"] = [(k1 - k0) / dt]; print("play", out["play it/s (default speed 10)"], flush=True)
        # 100k upload
        rng = np.random.default_rng(0); n = 100_000; y = rng.integers(0, 2, n); X = rng.normal(size=(n, 2)) + np.where(y[:, None] == 1, 1.0, -1.0)
        path = Path(tempfile.mkdtemp()) / "rows.csv"
        with open(path, "w") as f:
            f.write("x1,x2,y\n"); np.savetxt(f, np.column_stack([X, y]), fmt=["%.5f", "%.5f", "%d"], delimiter=",")
        app = fresh(""); page = app.page
        with app.rerun(): page.locator('[data-testid="stSidebar"]').get_by_text("Upload CSV", exact=True).click()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').wait_for(state="attached")
        before = page.evaluate("() => window.__p.runs"); s = time.monotonic()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        page.wait_for_function("() => /100,?000 points from/.test(document.body.innerText)", timeout=120000)
        page.wait_for_function("() => window.__p.state === 'notRunning'", timeout=120000)
        out["100k upload to idle"] = [1000 * (time.monotonic() - s)]
        step = app.button("Step ▸"); t = []
        for i in range(5):
            k = app.iteration() + 1; before = page.evaluate("() => window.__p.runs")
            step.click(); app.wait_iteration(k); t.append(wait_after(page, before)); page.wait_for_timeout(300)
        out["100k step idle"] = t[1:]
        b.close()
finally:
    server.stop()
for k, v in out.items():
    print(f"{k:32s} median {statistics.median(v):8.1f}  p95 {pct(v, 95):8.1f}  n {len(v)}")
