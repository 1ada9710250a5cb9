"""The workshop features in a real Chromium, each checked by what a teacher would see.

Shareable links (state → URL → a new browser), presenter mode, clicking to add and remove
points, the panels below the charts (loss landscape, compare runs, lesson, threshold,
downloads), PNG export, accessibility (chart labels, keyboard, a phone-sized screen) and the
held-out test set.
"""

from __future__ import annotations

import os
import re

import pytest

try:
    import playwright.sync_api  # noqa: F401
except ImportError:  # pragma: no cover - depends on the machine
    if os.environ.get("LOGIT_REQUIRE_BROWSER"):
        pytest.fail("LOGIT_REQUIRE_BROWSER is set but Playwright is not installed", pytrace=False)
    pytest.skip("Playwright is not installed (pip install playwright pytest-playwright)", allow_module_level=True)

from .conftest import App
from .test_browser import assert_four_charts_drawn, isolated_point, point_pixels, poll, switch_to_chinese

SIDEBAR = '[data-testid="stSidebar"]'


# --- helpers ----------------------------------------------------------------------------------

def sidebar(app: App):
    return app.page.locator(SIDEBAR)


def alpha_shown(app: App) -> str:
    """The α the training view shows (e.g. "0.2")."""
    return app.alpha()


def raise_alpha(app: App) -> str:
    """One notch up on the training view's α; returns the new value shown once the server has it."""
    app.choose_alpha(app.next_alpha())
    return alpha_shown(app)


def fresh_app(browser, server, query: str = "", **context_args) -> App:
    """The app in a brand-new browser context (no shared session), opened at ``query``."""
    args = {"viewport": {"width": 1400, "height": 1000}, "locale": "en-US", **context_args}
    context = browser.new_context(**args)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return App(page, server.url).open(query)


def show_panel(app: App, name: str) -> None:
    with app.rerun(start_timeout=3):
        app.page.get_by_role("radio", name=name, exact=True).click()


def chart_data(chart) -> list[dict]:
    """Type and name of every trace of one graph div."""
    return chart.evaluate("(el) => el._fullData.map((t) => ({type: t.type, name: t.name}))")


def all_traces(app: App) -> list[list[dict]]:
    """The training view's four charts, then the panel's."""
    main, panel = app.charts(), app.panel_charts().locator(".js-plotly-plot")
    return [chart_data(main.nth(i)) for i in range(main.count())] + [
        chart_data(panel.nth(i)) for i in range(panel.count())]


def wait_charts(app: App, count: int) -> None:
    """``count`` charts in all: the training view's four and the panel's."""
    panel = count - 4
    poll(lambda: app.panel_charts().locator(".js-plotly-plot .main-svg").count() >= panel
         and app.panel_charts().count() == panel and app.charts().count() == 4,
         timeout=20, message=f"{count} Plotly charts drawn")


@pytest.fixture()
def blank(page, server) -> App:
    """An App not opened yet: for tests that start from a link (saves loading the default page first)."""
    page.set_default_timeout(30_000)
    unopened = App(page, server.url)
    yield unopened
    unopened.assert_no_exception()


# --- 1. shareable links --------------------------------------------------------------------------

def test_link_carries_alpha_language_and_iteration(app: App, browser, server) -> None:
    assert_four_charts_drawn(app)
    alpha = raise_alpha(app)
    assert alpha == "0.2", alpha
    switch_to_chinese(app)
    app.click("单步 ▸")
    app.wait_iteration(1)
    url = app.page.url
    for part in (f"alpha={alpha}", "lang=zh", "iteration=1"):
        poll(lambda: part in app.location(), timeout=5, message=f"{part!r} in the URL {app.location()}")
    url = app.location()

    other = fresh_app(browser, server, url.split("?", 1)[1])
    try:
        other.wait_iteration(1)
        assert other.header().inner_text().strip() == "第 1 次迭代"
        assert alpha_shown(other) == alpha
        other.assert_no_exception()
    finally:
        other.page.context.close()


def test_link_opens_bundled_iris_standardised_at_iteration_five(blank: App) -> None:
    app = blank
    app.open("source=bundled&bundled=iris&standardize=true&iteration=5")
    app.wait_iteration(5)
    assert_four_charts_drawn(app)
    chart = app.data_chart()
    titles = poll(lambda: chart.evaluate(
        "(el) => [el._fullLayout.xaxis.title.text, el._fullLayout.yaxis.title.text]"), message="axis titles")
    assert titles == ["petal_length_cm", "petal_width_cm"], titles
    assert app.summary_n() == 100
    assert sidebar(app).get_by_role("switch", name="Standardise features").is_checked()


# --- 2. presenter mode ---------------------------------------------------------------------------

def test_presenter_mode_hides_the_sidebar_and_toggles_back(blank: App) -> None:
    app = blank
    app.open("presenter=true")
    assert_four_charts_drawn(app)
    assert not sidebar(app).is_visible(), "presenter mode should hide the sidebar"
    app.click("Step ▸")
    app.wait_iteration(1)
    with app.rerun(start_timeout=3):
        app.page.get_by_text("Presenter mode", exact=True).click()
    poll(lambda: sidebar(app).is_visible(), message="the sidebar to come back")
    assert "presenter" not in app.page.url
    assert app.iteration() == 1




def test_presenter_mode_metric_values_stand_out(blank: App) -> None:
    app = blank
    app.open("presenter=true")
    value = app.player().locator(".metric .value").first
    value.wait_for()
    size = value.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    text = app.page.evaluate("""() => parseFloat(getComputedStyle(
        document.querySelector('.stMainBlockContainer [data-testid="stMarkdownContainer"] p')).fontSize)""")
    sizes = {"value": size, "text": text}
    assert sizes["value"] >= 36 and sizes["value"] > 1.5 * sizes["text"], sizes


# --- 3. click to add or remove a point ---------------------------------------------------------

def choose_click_mode(app: App, name: str) -> None:
    with app.rerun(start_timeout=3):
        app.page.get_by_role("radio", name=name, exact=True).click()


def plot_area(app: App) -> dict:
    chart = app.data_chart()
    chart.scroll_into_view_if_needed()
    chart.locator(".main-svg").first.wait_for(state="attached")
    return chart.locator(".nsewdrag").first.bounding_box()


def real_click(app: App, x: float, y: float) -> None:
    page = app.page
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=5)
    page.wait_for_timeout(150)  # Plotly clicks the point it hovers
    with app.rerun(start_timeout=5):
        page.mouse.click(x, y)
    app.assert_no_exception()


def test_click_adds_then_removes_a_point(app: App) -> None:
    assert_four_charts_drawn(app)
    assert app.summary_n() == 200
    choose_click_mode(app, "add 1")
    box = plot_area(app)
    real_click(app, box["x"] + 0.1 * box["width"], box["y"] + 0.1 * box["height"])
    poll(lambda: app.summary_n() == 201, message=f"n to be 201 (is {app.summary_n()})")

    choose_click_mode(app, "remove a point")
    target = isolated_point(point_pixels(app), avoid=set())
    real_click(app, target["px"], target["py"])
    poll(lambda: app.summary_n() == 200, message=f"n back to 200 (is {app.summary_n()})")


# --- 4. panels below the charts -----------------------------------------------------------------

def test_panels_landscape_lesson_threshold_downloads(app: App) -> None:
    """One page, four panels in turn (one page load instead of four: the machine is small)."""
    page = app.page
    assert_four_charts_drawn(app)

    # Loss landscape: a fifth chart, a contour map.
    show_panel(app, "Loss landscape")
    wait_charts(app, 5)
    types = [t["type"] for chart in all_traces(app)[4:] for t in chart]
    assert "contour" in types, f"loss landscape: no contour trace in {types}"

    # Lesson: Next and Back walk through the six steps.
    show_panel(app, "Lesson")
    wait_charts(app, 4)
    progress = lambda: page.get_by_text(re.compile(r"^Step \d of 6: ")).first.inner_text()  # noqa: E731
    poll(lambda: progress() == "Step 1 of 6: What ŷ is", message="lesson step 1")
    assert app.button("Back").is_disabled()
    for step, title in ((2, "Why the log loss"), (3, "The chain rule")):
        app.click("Next")
        poll(lambda: progress() == f"Step {step} of 6: {title}", message=f"lesson step {step}")
        assert page.get_by_role("heading", name=title).count() == 1
    app.click("Back")
    poll(lambda: progress().startswith("Step 2 of 6"), message="lesson step 2 again")

    # Threshold: the confusion matrix (a heatmap) over all 200 points, and accuracy by threshold.
    show_panel(app, "Threshold")
    wait_charts(app, 6)
    heatmaps = [chart for chart in all_traces(app)[4:] if any(t["type"] == "heatmap" for t in chart)]
    assert len(heatmaps) == 1, all_traces(app)[4:]
    matrix = app.panel_charts().nth(0).locator(".js-plotly-plot").evaluate(
        "(el) => Array.from(el._fullData.find((t) => t.type === 'heatmap').z, (row) => Array.from(row))")
    assert sum(map(sum, matrix)) == 200, matrix

    # Downloads: the data as a CSV file with its header.
    show_panel(app, "Downloads")
    data_button = page.get_by_role("button", name=re.compile(r"Data \(CSV\)"))
    data_button.wait_for()
    assert page.get_by_role("button", name=re.compile(r"Run \(CSV\)")).is_visible()
    with page.expect_download() as info:
        data_button.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    with open(download.path(), "rb") as f:
        content = f.read()
    assert content.startswith(b"x1,x2,y\n"), content[:60]
    assert content.count(b"\n") == 201, "header and 200 rows"


def pin(app: App) -> None:
    app.click("📌 Pin this run")


def test_compare_runs_draws_two_pins(app: App) -> None:
    assert_four_charts_drawn(app)
    show_panel(app, "Compare runs")
    pin(app)
    wait_charts(app, 7)
    assert app.button("📌 Pin this run").is_disabled(), "the same run should not be pinned twice"
    raise_alpha(app)
    pin(app)
    wait_charts(app, 7)

    def pinned_names():
        names = {t["name"] for chart in all_traces(app)[4:] for t in chart if t["name"]}
        return {m.group(1) for n in names if (m := re.match(r"📌(\d+)", n))}

    assert poll(lambda: pinned_names() == {"1", "2"}, message="pins 1 and 2 in the compare charts")
    assert app.page.get_by_text(re.compile(r"📌2 · .*0\.2")).count() >= 1


# --- 5 and 6. PNG export and chart labels -----------------------------------------------------

def test_charts_are_labelled_and_the_data_chart_saves_a_named_png(app: App) -> None:
    assert_four_charts_drawn(app)
    # Each chart of the training view is a figure with a text description for screen readers (a figure,
    # not an image: it holds its toolbar's buttons, which an image must not).
    charts = app.charts()
    labels = [(charts.nth(i).get_attribute("role"), charts.nth(i).get_attribute("aria-label") or "")
              for i in range(charts.count())]
    assert len(labels) == 4 and all(role == "figure" and label.strip() for role, label in labels), labels

    chart = app.data_chart()
    chart.hover()
    button = app.charts().first.locator('.modebar-btn[data-title*="png" i]')
    button.wait_for(state="visible")
    assert button.get_attribute("data-title").lower() == "download plot as a png"
    name = chart.evaluate("(el) => el._context.toImageButtonOptions.filename")
    assert name.startswith("logit-"), name


# --- 6. accessibility ---------------------------------------------------------------------------

def test_keyboard_tab_reaches_step_and_enter_steps(app: App) -> None:
    """From the top of the page, Tab (sidebar first, then the main area) reaches Step; Enter presses it."""
    page = app.page
    assert_four_charts_drawn(app)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("""() => { let a = document.activeElement;
            if (a && a.tagName === 'IFRAME' && a.contentDocument) a = a.contentDocument.activeElement;  // the training view
            return a ? (a.getAttribute('aria-label') || a.innerText || a.tagName).trim().split('\\n')[0] : ''; }"""))
        if seen[-1] == "Step ▸":
            break
    assert seen[-1] == "Step ▸", f"Tab never reached Step; focus went: {seen}"
    assert len(seen) < 40, f"{len(seen)} Tab presses to reach Step: {seen}"
    with app.rerun(start_timeout=3):
        page.keyboard.press("Enter")
    app.wait_iteration(1)


def test_phone_screen_has_no_horizontal_scroll(browser, server) -> None:
    phone = fresh_app(browser, server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        assert_four_charts_drawn(phone)
        widths = phone.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1] + 1, f"horizontal scroll: page {widths[0]} px wide in a {widths[1]} px window"
        step = phone.button("Step ▸")
        step.scroll_into_view_if_needed()
        assert step.is_visible()
        box = step.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 391, box
        phone.assert_no_exception()
    finally:
        phone.page.context.close()


# --- 7. held-out test set -------------------------------------------------------------------------

def test_test_set_shows_train_and_test_curves(app: App) -> None:
    with app.rerun(start_timeout=3):
        sidebar(app).get_by_text("Hold out a test set", exact=True).click()
    poll(lambda: app.summary_n() == 200, message="the summary to still count all points")
    show_panel(app, "Train vs test")
    wait_charts(app, 6)
    names = [{t["name"] for t in chart} for chart in all_traces(app)[4:]]
    assert all({"Training points", "Test points"} <= n for n in names), names
    assert app.page.get_by_text(re.compile(r"trains on 150 points; 50 are held out")).count() == 1
