"""How long a Step takes in the browser, from the click until the page has caught up (not a test).

    python benchmarks/step_latency.py [--clicks 20] [--url http://127.0.0.1:8501]

End to end, the timer starts just before Playwright clicks "Step ▸" and stops when the header
reads the new "Iteration N" and the app's script is idle again (the fragment's run is over).
In the page, a click listener and a MutationObserver time the same from the browser's click
event, without Playwright's own overhead. It starts its own server (unless --url is given) and
a headless Chromium, warms up with a few clicks, then prints the median, p95, min and max.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from e2e.conftest import IDLE, App, launch_args, start_server  # noqa: E402

DONE_JS = """
([k, idle]) => {
  if (!document.querySelector(idle)) return false;
  return Array.from(document.querySelectorAll('h1, h2, h3')).some((h) => h.textContent.trim() === `Iteration ${k}`);
}
"""

# In-page clock: when the browser dispatched the click, when the header first read the new
# number, and when the script state first read notRunning after that.
PROBE_JS = """
() => {
  if (window.__bench) return;
  const b = window.__bench = {click: null, header: null, idle: null, k: null};
  document.addEventListener('click', (e) => {
    if (e.target.closest('button') && /^Step ▸/.test(e.target.closest('button').innerText)) b.click = performance.now();
  }, true);
  new MutationObserver(() => {
    if (b.click === null) return;
    if (b.header === null && Array.from(document.querySelectorAll('h3')).some((h) => h.textContent.trim() === `Iteration ${b.k}`)) {
      b.header = performance.now();
    }
    const app = document.querySelector('[data-testid="stApp"]');
    if (b.header !== null && b.idle === null && app && app.getAttribute('data-test-script-state') === 'notRunning') {
      b.idle = performance.now();
    }
  }).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
}
"""


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolation percentile (q in 0..100)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(app: App, clicks: int, warmup: int) -> dict[str, list[float]]:
    page = app.page
    page.evaluate(PROBE_JS)
    step = app.button("Step ▸")
    times: dict[str, list[float]] = {"end_to_end": [], "in_page_header": [], "in_page_idle": []}
    k = app.iteration()
    for i in range(warmup + clicks):
        k += 1
        page.evaluate("(k) => Object.assign(window.__bench, {click: null, header: null, idle: null, k})", k)
        start = time.perf_counter()
        step.click()
        page.wait_for_function(DONE_JS, arg=[k, IDLE], polling="raf", timeout=30_000)
        elapsed = (time.perf_counter() - start) * 1000
        bench = page.evaluate("() => window.__bench")
        if i >= warmup:
            times["end_to_end"].append(elapsed)
            times["in_page_header"].append(bench["header"] - bench["click"])
            times["in_page_idle"].append(bench["idle"] - bench["click"])
        page.wait_for_timeout(100)  # a person does not click faster than this
    app.assert_no_exception()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clicks", type=int, default=20, help="timed clicks (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed clicks first (default 3)")
    parser.add_argument("--url", help="use this running app instead of starting one")
    args = parser.parse_args(argv)

    server = None
    if args.url:
        url = args.url.rstrip("/")
    else:
        server = start_server(Path(tempfile.mkdtemp(prefix="logit-bench-")) / "server.log")
        url = server.url
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_args())
            try:
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
                app = App(context.new_page(), url).open()
                times = measure(app, args.clicks, args.warmup)
            finally:
                browser.close()
    finally:
        if server is not None:
            server.stop()

    labels = {
        "end_to_end": "Playwright click() → header shows it and app idle",
        "in_page_header": "browser click event → header shows the new number",
        "in_page_idle": "browser click event → app idle again (charts sent)",
    }
    print(f"Step latency over {args.clicks} clicks after {args.warmup} warm-up clicks "
          "(default data: 200 points, full batch), in ms")
    width = max(len(label) for label in labels.values())
    print(f"{'measure':<{width}}  {'median':>7}  {'p95':>7}  {'min':>7}  {'max':>7}")
    print(f"{'-' * width}  {'-' * 7}  {'-' * 7}  {'-' * 7}  {'-' * 7}")
    for key, label in labels.items():
        values = times[key]
        print(f"{label:<{width}}  {statistics.median(values):7.0f}  {percentile(values, 95):7.0f}  "
              f"{min(values):7.0f}  {max(values):7.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
