"""The three screens people use, in a real Chromium: a projector (presenter mode, 1280×720 and
1920×1080), a laptop (1400×1000) and a phone (390×844, touch), in English and Chinese.

Layout faults come and go, so sizes are sampled several times after every action rather than
looked at once.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

try:
    import playwright.sync_api  # noqa: F401
except ImportError:  # pragma: no cover - depends on the machine
    if os.environ.get("LOGIT_REQUIRE_BROWSER"):
        pytest.fail("LOGIT_REQUIRE_BROWSER is set but Playwright is not installed", pytrace=False)
    pytest.skip("Playwright is not installed (pip install playwright pytest-playwright)", allow_module_level=True)

from .conftest import PLAYER, App, poll

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
SCREENS = {
    "projector": dict(viewport={"width": 1280, "height": 720}, presenter=True),
    "projector-1080": dict(viewport={"width": 1920, "height": 1080}, presenter=True),
    "laptop": dict(viewport={"width": 1400, "height": 1000}, presenter=False),
    "phone": dict(viewport={"width": 390, "height": 844}, presenter=False, is_mobile=True, has_touch=True),
}
WORDS = {
    "en": dict(upload="Upload a file", standardise="Standardise features", step="Step ▸", step10="Step ×10",
               reset="↺ Reset", alpha_up="α × 10"),
    "zh": dict(upload="上传文件", standardise="特征标准化", step="单步 ▸", step10="走 10 步", reset="↺ 重置",
               alpha_up="α × 10"),
}
SAMPLES_PER_ACTION = 5
SAMPLE_EVERY_S = 0.4
CHARTS = ("data", "weights", "gradients", "loss")


@contextmanager
def opened(browser, server, screen: str, language: str, query: str = "") -> Iterator[App]:
    spec = SCREENS[screen]
    context = browser.new_context(viewport=spec["viewport"], is_mobile=spec.get("is_mobile", False),
                                  has_touch=spec.get("has_touch", False), locale="en-US")
    try:
        app = App(context.new_page(), server.url)
        presenter = "&presenter=true" if spec["presenter"] else ""
        app.open(f"lang={language}{presenter}{'&' + query if query else ''}")
        poll(lambda: charts_drawn(app), timeout=30, message="four charts drawn")
        yield app
    finally:
        context.close()


def charts_drawn(app: App) -> bool:
    return app.player().locator(".chart .main-svg").count() >= 4


def geometry(app: App) -> dict:
    """Page coordinates (scrolled to where they are now) of the view's parts, and each chart's height
    beside the height Plotly drew it at."""
    return app.page.evaluate("""(sel) => {
        const frame = document.querySelector(sel);
        const f = frame.getBoundingClientRect(), d = frame.contentDocument;
        const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
            return {top: f.top + r.top, bottom: f.top + r.bottom, left: f.left + r.left, right: f.left + r.right}; };
        const charts = {};
        for (const name of ['data', 'weights', 'gradients', 'loss']) {
            const el = d.getElementById('chart-' + name);
            charts[name] = Object.assign(box(el), {height: el.offsetHeight,
                drawn: el._fullLayout ? el._fullLayout.height : null});
        }
        return {frame: frame.offsetHeight, charts, step: box(d.getElementById('step')),
                header: box(d.getElementById('header')), status: box(d.getElementById('status')),
                pageWidth: document.documentElement.scrollWidth};
    }""", PLAYER)


def sizes_problems(app: App, after: str) -> list[str]:
    """Sample the charts a few times: each keeps the height it is drawn at, and none covers another."""
    problems = []
    for sample in range(SAMPLES_PER_ACTION):
        shape = geometry(app)
        charts = shape["charts"]
        for name, chart in charts.items():
            if chart["height"] < 100 or chart["drawn"] is None or abs(chart["height"] - chart["drawn"]) > 2:
                problems.append(f"after {after}, sample {sample}: {name} is {chart['height']} px high, "
                                f"drawn at {chart['drawn']}")
        for i, first in enumerate(CHARTS):
            for second in CHARTS[i + 1:]:
                a, b = charts[first], charts[second]
                overlap = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                side = min(a["right"], b["right"]) - max(a["left"], b["left"])
                if overlap > 2 and side > 2:
                    problems.append(f"after {after}, sample {sample}: {first} and {second} overlap by {overlap:.0f} px")
        time.sleep(SAMPLE_EVERY_S)
    return problems


def sidebar_open(app: App) -> bool:
    box = app.page.locator('[data-testid="stSidebar"]').bounding_box()
    return bool(box) and box["x"] >= 0 and box["width"] > 0


def open_sidebar(app: App) -> None:
    """On a phone the sidebar starts closed, off the screen."""
    if not sidebar_open(app):
        app.page.locator('[data-testid="stExpandSidebarButton"]').click()
        poll(lambda: sidebar_open(app), message="the sidebar to open")


def close_sidebar(app: App) -> None:
    """On a phone the open sidebar covers the page."""
    if app.page.viewport_size["width"] < 640 and sidebar_open(app):
        app.page.locator('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]').first.click()
        poll(lambda: not sidebar_open(app), message="the sidebar to close")


def view_click(app: App, label: str) -> None:
    with app.rerun(start_timeout=3):
        app.player().get_by_role("button", name=label, exact=True).click()


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_the_charts_keep_their_size_through_upload_standardise_steps_and_reset(browser, server, screen, language):
    words = WORDS[language]
    with opened(browser, server, screen, language) as app:
        problems = sizes_problems(app, "opening")
        open_sidebar(app)
        sidebar = app.page.locator('[data-testid="stSidebar"]')
        with app.rerun():
            sidebar.get_by_text(words["upload"], exact=True).click()
        with app.rerun(start_timeout=5):
            app.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                str(REAL / "penguins_zh_excel_gbk.csv"))
        problems += sizes_problems(app, "upload")
        with app.rerun():
            sidebar.get_by_text(words["standardise"], exact=True).click()
        close_sidebar(app)
        problems += sizes_problems(app, "standardise")
        for step in range(4):
            view_click(app, words["step"])
            problems += sizes_problems(app, f"step {step + 1}")
        view_click(app, words["step10"])
        problems += sizes_problems(app, "step ×10")
        view_click(app, words["reset"])
        problems += sizes_problems(app, "reset")
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("screen", ["projector", "projector-1080"])
def test_the_charts_keep_their_size_in_presenter_mode(browser, server, screen, language):
    words = WORDS[language]
    with opened(browser, server, screen, language) as app:
        problems = sizes_problems(app, "opening")
        for label in (words["step"], words["step"], words["step10"], words["alpha_up"], words["reset"]):
            view_click(app, label)
            problems += sizes_problems(app, label)
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_projector_shows_step_the_iteration_the_status_and_the_data_chart_without_scrolling(browser, server, language):
    with opened(browser, server, "projector", language, "source=bundled&alpha=0.1") as app:
        view_click(app, WORDS[language]["step"])  # a warning: the longest status there is
        height = SCREENS["projector"]["viewport"]["height"]
        shape = geometry(app)
        for part in ("step", "header", "status"):
            assert 0 <= shape[part]["top"] and shape[part]["bottom"] <= height, (part, shape[part])
        assert shape["charts"]["data"]["bottom"] <= height, shape["charts"]["data"]
        assert shape["charts"]["data"]["height"] >= 400, "the data chart is the picture on the wall"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_large_projector_shows_all_four_charts(browser, server, language):
    with opened(browser, server, "projector-1080", language) as app:
        shape = geometry(app)
        for name, chart in shape["charts"].items():
            assert 0 <= chart["top"] and chart["bottom"] <= 1080, (name, chart)
        assert shape["step"]["bottom"] <= 1080 and shape["status"]["bottom"] <= 1080


@pytest.mark.parametrize("language", ["en", "zh"])
def test_on_a_phone_step_and_the_data_chart_fit_on_one_screen_and_nothing_runs_off_the_side(browser, server, language):
    with opened(browser, server, "phone", language) as app:
        shape = geometry(app)
        span = shape["charts"]["data"]["bottom"] - shape["step"]["top"]
        assert span <= SCREENS["phone"]["viewport"]["height"], f"Step to the data chart's bottom is {span:.0f} px"
        assert shape["pageWidth"] <= SCREENS["phone"]["viewport"]["width"]


def main_scroll(app: App) -> float:
    return app.page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop")


def test_on_a_phone_a_vertical_swipe_over_a_chart_scrolls_the_page(browser, server):
    with opened(browser, server, "phone", "en") as app:
        app.page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]'); m.scrollTop = 500; }")
        chart = geometry(app)["charts"]["data"]
        x, y = (chart["left"] + chart["right"]) / 2, (chart["top"] + chart["bottom"]) / 2
        assert 100 < y < 744, "the chart's middle is on the screen"
        before = main_scroll(app)
        ranges = "(el) => [el._fullLayout.xaxis.range.slice(), el._fullLayout.yaxis.range.slice()]"
        zoom_before = app.data_chart().evaluate(ranges)
        touch = app.page.context.new_cdp_session(app.page)
        touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for i in range(1, 11):
            touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 25 * i}]})
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        poll(lambda: main_scroll(app) > before + 100, message="the page to scroll with the swipe")
        assert app.data_chart().evaluate(ranges) == zoom_before, "the swipe must not pan or zoom the chart"


def test_on_a_phone_the_formulas_scroll_inside_their_box(browser, server):
    with opened(browser, server, "phone", "zh", "iteration=3") as app:
        boxes = poll(lambda: app.page.evaluate("""() => Array.from(document.querySelectorAll('.logit-formulas'),
            (el) => [el.scrollWidth, el.clientWidth, getComputedStyle(el).overflowX])"""), message="the chain rule")
        assert any(scroll > client for scroll, client, _ in boxes), "some formula is wider than a phone"
        assert all(overflow == "auto" for _, _, overflow in boxes)
        assert app.page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth") <= 390
