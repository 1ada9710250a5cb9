"""The app in a real Chromium: load, Step, → key, Step ×10, Play/Pause, Reset, scrubbing,
uploads (good, bad, good again), 简体中文 and clicking a point in the data chart.

Every test gets a fresh browser context on the session's one server and fails if the page
ever shows an exception; the server fixture fails the session if its log has a traceback.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

try:
    import playwright.sync_api  # noqa: F401
    import pytest_playwright  # noqa: F401  (its fixtures: page, context, launch_browser)
except ImportError as missing:  # pragma: no cover - depends on the machine
    if os.environ.get("LOGIT_REQUIRE_BROWSER"):
        pytest.fail(f"LOGIT_REQUIRE_BROWSER is set but {missing.name} is not installed", pytrace=False)
    pytest.skip(f"{missing.name} is not installed (pip install playwright pytest-playwright)", allow_module_level=True)

from .conftest import PLAYER, App, poll, write_temp

TITLE = "logit: gradient descent, step by step"
BOUNDARY = "w₁x₁ + w₂x₂ + b = 0"
SCRUB = "Scrub through the iterations"


# --- helpers ----------------------------------------------------------------------------------

def good_csv(n: int, seed: int = 1) -> str:
    """n rows of x1,x2,y: two overlapping clouds, labels 0/1."""
    import numpy as np

    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    x = rng.normal(size=(n, 2)) + np.where(y[:, None] == 1, 1.5, -1.5)
    lines = ["x1,x2,y"] + [f"{a:.4f},{b:.4f},{int(c)}" for (a, b), c in zip(x, y)]
    return "\n".join(lines) + "\n"


def choose_upload(app: App) -> None:
    sidebar = app.page.locator('[data-testid="stSidebar"]')
    with app.rerun():
        sidebar.get_by_text("Upload a file", exact=True).click()
    app.page.locator('[data-testid="stFileUploaderDropzoneInput"]').wait_for(state="attached")


def upload(app: App, path) -> None:
    with app.rerun(start_timeout=5):
        app.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    app.idle()


def sidebar_errors(app: App) -> list[str]:
    alerts = app.page.locator('[data-testid="stSidebar"] [data-testid="stAlertContentError"]')
    return [a.inner_text() for a in alerts.all()]


def assert_four_charts_drawn(app: App) -> None:
    charts = app.charts()
    poll(lambda: charts.count() == 4, message="four Plotly charts")
    for i in range(4):
        charts.nth(i).locator(".main-svg").first.wait_for(state="attached")


# --- tests ------------------------------------------------------------------------------------

def test_page_loads_at_iteration_zero_with_four_charts(app: App) -> None:
    page = app.page
    assert page.title() == TITLE
    assert app.iteration() == 0
    assert page.get_by_role("heading", name="logit · watch gradient descent learn").is_visible()
    assert_four_charts_drawn(app)
    for name in ("Step ▸", "Step ×10", "↺ Reset", "▶ Play"):
        assert app.button(name).is_visible(), name
    assert not app.playing()


def boundary(app: App) -> dict | None:
    """The separating line as drawn (a shape of the data chart), or None while there is none."""
    return app.data_chart().evaluate("""(el) => {
        const s = (el._fullLayout.shapes || [])[0];
        return s && s.visible !== false ? {x0: s.x0, y0: s.y0, x1: s.x1, y1: s.y1} : null; }""")


def rings(app: App) -> int:
    """How many points the data chart rings as misclassified (visible elements of the rings trace)."""
    return app.data_chart().evaluate("""(el) => {
        const index = el._fullData.findIndex((t) => t.meta === 'mistakes');
        for (const g of el.querySelectorAll('g.trace.scatter')) {
          const p = g.querySelector('path.point');
          if (p && p.__data__ && p.__data__.trace && p.__data__.trace.index === index) {
            return Array.from(g.querySelectorAll('path.point')).filter((q) => q.style.opacity === '1').length;
          }
        }
        return -1; }""")


def misclassified_shown(app: App) -> int:
    """Misclassified points out of 200, from the accuracy metric the training view shows."""
    accuracy = float(app.player().locator("#m-acc").inner_text().rstrip("%")) / 100
    return round((1 - accuracy) * 200)


def test_step_moves_to_iteration_one_and_moves_the_line(app: App) -> None:
    chart = app.data_chart()
    chart.wait_for(state="attached")
    assert boundary(app) is None, "w1 = w2 = 0 at the start: no line yet"
    app.click("Step ▸")
    app.wait_iteration(1)
    first = poll(lambda: boundary(app), message="the line to appear")
    app.click("Step ×10")
    app.wait_iteration(11)
    moved = poll(lambda: (b := boundary(app)) != first and b, message="the line to move")
    assert moved
    assert abs(rings(app) - misclassified_shown(app)) <= 1, (rings(app), misclassified_shown(app))
    app.set_playing(True)
    poll(lambda: app.iteration() >= 20, timeout=30, message="Play to pass iteration 20")
    app.set_playing(False)
    assert rings(app) > 0 and abs(rings(app) - misclassified_shown(app)) <= 1, "the rings must follow Play"


def formula_boxes(app: App) -> list[dict]:
    """The chain rule's formulas as the browser laid them out: text, width and height."""
    return app.page.evaluate("""() => Array.from(document.querySelectorAll('.logit-formulas math')).map((m) => {
        const box = m.getBoundingClientRect();
        return {text: m.textContent, width: box.width, height: box.height, mathml: m instanceof MathMLElement};
    })""")


def test_chain_rule_formulas_are_laid_out_as_mathml_and_follow_the_step(app: App) -> None:
    before = formula_boxes(app)
    assert len(before) >= 10, "the chain rule's formulas"
    for box in before:
        assert box["mathml"] and box["width"] > 40 and box["height"] > 12, box  # laid out as maths, not left as text
    app.click("Step ▸")
    app.wait_iteration(1)
    poll(lambda: formula_boxes(app)[0]["text"] != before[0]["text"], message="z to change with the Step")


def test_a_far_learning_rate_draws_first_and_its_neighbours_follow_unasked(app: App) -> None:
    """α = 10⁻⁴ on data nothing was computed for: its run comes first, then (the view reports by
    itself once it rests) the runs next to it, so that α × 10 afterwards draws at once."""
    app.open("seed=770077")  # data no other test trains on
    frame = app.player_frame()
    frame.evaluate("""() => { window.__pending = []; window.addEventListener('message', (event) => {
        if (event.data && event.data.type === 'streamlit:render') window.__pending.push(event.data.args.ahead_pending); }); }""")
    app.choose_alpha("0.0001")
    poll(lambda: frame.evaluate("() => [0.0002, 0.001].every((a) => window.logitPlayer.runs.has(a))"),
         timeout=30, message="the runs at 2·10⁻⁴ and 10⁻³ to arrive")
    assert frame.evaluate("() => window.__pending")[0] is True, "the run should have come before its runs ahead"
    assert frame.evaluate("() => window.logitPlayer.args.ahead_pending") is False
    drawn_at_once = frame.evaluate("""() => { document.getElementById('alpha-up').click();
        return window.logitPlayer.runs.has(window.logitPlayer.wantedAlpha); }""")
    assert drawn_at_once, "α × 10 should find its run computed ahead"
    app.player().locator('body[data-alpha="0.001"]').wait_for(state="attached", timeout=30_000)
    app.assert_no_exception()


def test_charts_are_not_rebuilt_by_stepping_and_keep_a_zoom(app: App) -> None:
    """Step, Play and scrub redraw from the layout: no chart is built again (no flicker) and a
    zoom the user made stays while the iteration moves."""
    frame = app.player_frame()
    builds = frame.evaluate("() => window.logitPlayer.builds")
    frame.evaluate("() => Plotly.relayout(document.getElementById('chart-weights'), {'xaxis.range': [0, 3]})")
    app.click("Step ×10")
    app.wait_iteration(10)
    app.set_playing(True)
    poll(lambda: app.iteration() >= 15, timeout=30, message="Play to pass iteration 15")
    app.set_playing(False)
    assert frame.evaluate("() => window.logitPlayer.builds") == builds, "a chart was built anew"
    shown = frame.evaluate("() => Array.from(document.getElementById('chart-weights')._fullLayout.xaxis.range)")
    assert shown == [0, 3], f"the zoom was lost: {shown}"
    frame.evaluate("() => Plotly.relayout(document.getElementById('chart-weights'), {'xaxis.autorange': true})")
    k = app.iteration()
    top = poll(lambda: frame.evaluate(
        "() => document.getElementById('chart-weights')._fullLayout.xaxis.range[1]") >= k, message="axes to follow k")
    assert top


def press_right_on_body(app: App) -> None:
    app.page.evaluate("() => document.activeElement && document.activeElement.blur()")
    assert app.page.evaluate("() => document.activeElement === document.body || document.activeElement === null")
    with app.rerun(start_timeout=3):
        app.page.keyboard.press("ArrowRight")


def test_right_and_left_arrow_keys_step_from_anywhere_on_the_page(app: App) -> None:
    press_right_on_body(app)
    app.wait_iteration(1)
    press_right_on_body(app)
    app.wait_iteration(2)
    app.page.keyboard.press("ArrowLeft")
    app.wait_iteration(1)
    # typing in a field of the page must not step
    number_input = app.page.get_by_role("spinbutton", name="Point #")
    number_input.focus()
    number_input.press("ArrowRight")
    app.page.wait_for_timeout(300)
    assert app.iteration() == 1


def test_step_ten(app: App) -> None:
    app.click("Step ×10")
    app.wait_iteration(10)
    app.click("Step ×10")
    app.wait_iteration(20)


def readings_while_playing(app: App, count: int = 5, every: float = 0.5, timeout: float = 60.0) -> list[int]:
    """Read the iteration until it has shown ``count`` different values (or ``timeout`` passes).

    No speed is asserted: on a busy machine Play's first tick can take seconds to arrive.
    """
    readings = [app.iteration()]
    deadline = time.monotonic() + timeout
    while len(set(readings)) < count and time.monotonic() < deadline:
        time.sleep(every)
        readings.append(app.iteration())
    return readings


def test_play_keeps_stepping_and_pause_stops(app: App) -> None:
    app.set_playing(True)
    assert app.playing()
    readings = readings_while_playing(app)
    assert readings == sorted(readings) and readings[-1] > readings[0], f"Play did not keep stepping: {readings}"
    assert app.button("Step ▸").is_disabled(), "Step should be disabled while playing"

    app.set_playing(False)
    app.idle()
    first = app.iteration()
    time.sleep(1.0)
    app.idle()
    second = app.iteration()
    assert not app.playing(), "the Play switch turned itself back on"
    assert first == second, f"the iteration still rises after Pause: {first} → {second}"
    assert first >= readings[-1], f"the iteration went back on Pause: {readings[-1]} → {first}"
    assert app.button("Step ▸").is_enabled()


def test_pause_stops_play_every_time(app: App) -> None:
    """Play, then one flip of the switch to pause: 6 times, and every time the iteration must stop.

    (With a Play/Pause *button*, one Pause click in two or three was undone: its on_click ran
    twice, the second time bound to Play. This guards the switch against that coming back.)
    """
    for attempt in range(6):
        app.set_playing(True)
        readings = readings_while_playing(app, count=2)
        assert readings[-1] > readings[0], f"round {attempt}: Play did not keep stepping: {readings}"
        app.set_playing(False)
        app.idle()
        first = app.iteration()
        time.sleep(1.0)
        app.idle()
        assert not app.playing(), f"round {attempt}: the Play switch turned itself back on"
        second = app.iteration()
        assert first == second, f"round {attempt}: the iteration still rises after Pause: {first} → {second}"
        assert first >= readings[-1], f"round {attempt}: the iteration went back on Pause: {readings[-1]} → {first}"
        assert app.button("Step ▸").is_enabled(), f"round {attempt}: Step still disabled after Pause"


def test_reset_goes_back_to_zero(app: App) -> None:
    app.click("Step ×10")
    app.wait_iteration(10)
    app.click("↺ Reset")
    app.wait_iteration(0)


def test_slider_scrubs_backwards_and_forwards(app: App) -> None:
    app.click("Step ×10")
    app.wait_iteration(10)
    thumb = app.player().get_by_role("slider", name=SCRUB)
    assert thumb.input_value() == "10"
    top = int(thumb.get_attribute("max"))
    assert top >= 10

    thumb.focus()
    with app.rerun(start_timeout=3):
        thumb.press("ArrowLeft")
    app.wait_iteration(9)

    thumb.focus()
    with app.rerun(start_timeout=3):
        thumb.press("End")
    app.wait_iteration(top)

    thumb.focus()
    with app.rerun(start_timeout=3):
        thumb.press("ArrowLeft")
    app.wait_iteration(top - 1)

    thumb.focus()
    with app.rerun(start_timeout=3):
        thumb.press("Home")
    app.wait_iteration(0)


def test_upload_good_csv_shows_its_size(app: App, tmp_path) -> None:
    assert app.summary_n() == 200  # the default sample
    choose_upload(app)
    upload(app, write_temp(tmp_path, "fifty.csv", good_csv(50)))
    poll(lambda: app.summary_n() == 50, message="the summary to say 50 points")
    assert "fifty.csv" in app.page.locator('[data-testid="stCaptionContainer"]').filter(
        has_text="points from").first.inner_text()
    assert not sidebar_errors(app)
    assert_four_charts_drawn(app)
    app.click("Step ▸")
    app.wait_iteration(1)


def test_bad_uploads_show_an_error_and_keep_the_previous_data(app: App, tmp_path) -> None:
    choose_upload(app)
    upload(app, write_temp(tmp_path, "good.csv", good_csv(50)))
    poll(lambda: app.summary_n() == 50, message="the summary to say 50 points")

    bad_files = {
        "binary.csv": bytes(range(256)) * 8,
        "three_classes.csv": "x1,x2,y\n" + "".join(f"{i},{i % 7},{'abc'[i % 3]}\n" for i in range(30)),
    }
    for name, content in bad_files.items():
        upload(app, write_temp(tmp_path, name, content))
        errors = poll(lambda: sidebar_errors(app), message=f"an error message for {name}")
        assert all(e.strip() for e in errors), errors
        app.assert_no_exception()
        assert app.summary_n() == 50, f"the previous data should stay after {name}"
        assert_four_charts_drawn(app)

    upload(app, write_temp(tmp_path, "good_again.csv", good_csv(60, seed=2)))
    poll(lambda: app.summary_n() == 60, message="the summary to say 60 points")
    assert not sidebar_errors(app)
    assert_four_charts_drawn(app)


def test_chinese(app: App) -> None:
    switch_to_chinese(app)  # the sidebar's segmented control: its options are radios
    app.wait_iteration(0)
    assert "lang=zh" in app.page.url
    app.click("单步 ▸")
    app.wait_iteration(1)


def switch_to_chinese(app: App) -> None:
    with app.rerun():
        app.page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="简体中文").click()
    app.button("单步 ▸").wait_for()
    app.idle()


def test_chinese_translates_the_chosen_data_shape(app: App) -> None:
    """The keyed selectbox must show its chosen option in the new language, not keep the English text."""
    from logit.ui.locales import zh

    shape = app.page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    switch_to_chinese(app)
    assert shape.get_by_text(zh.TEXTS["data.kind"]).count() == 1  # the label is translated
    poll(lambda: shape.locator("input").first.input_value() == zh.TEXTS["gen.overlap"], timeout=3,
         message=f"the chosen data shape to read {zh.TEXTS['gen.overlap']}, not {shape.locator('input').first.input_value()!r}")


POINT_PIXELS_JS = """
(el) => {
  const xa = el._fullLayout.xaxis, ya = el._fullLayout.yaxis;
  const box = el.getBoundingClientRect();
  const points = [];
  el._fullData.forEach((t) => {  // _fullData: the arrays decoded from Plotly.py's base64
    if (!t.customdata || t.hoverinfo === 'skip' || t.mode !== 'markers') return;
    for (let j = 0; j < t.x.length; j++) {
      const cd = t.customdata[j];
      points.push({
        index: Array.isArray(cd) ? cd[0] : cd, x: t.x[j], y: t.y[j],
        px: box.left + xa._offset + xa.d2p(t.x[j]),
        py: box.top + ya._offset + ya.d2p(t.y[j]),
      });
    }
  });
  return {points, plot: {left: box.left + xa._offset, top: box.top + ya._offset, width: xa._length, height: ya._length}};
}
"""


def point_pixels(app: App) -> dict:
    """The data chart's drawn points with their places on the page (the chart is in the training view's frame)."""
    geometry = app.data_chart().evaluate(POINT_PIXELS_JS)
    frame = app.page.locator(PLAYER).bounding_box()
    for p in geometry["points"]:
        p["px"] += frame["x"]
        p["py"] += frame["y"]
    geometry["plot"]["left"] += frame["x"]
    geometry["plot"]["top"] += frame["y"]
    return geometry


def isolated_point(geometry: dict, avoid: set[int]) -> dict:
    """The drawn point farthest (in pixels) from its nearest neighbour, inside the plot area."""
    plot = geometry["plot"]
    inside = [p for p in geometry["points"]
              if plot["left"] + 20 < p["px"] < plot["left"] + plot["width"] - 20
              and plot["top"] + 20 < p["py"] < plot["top"] + plot["height"] - 20 and p["index"] not in avoid]
    assert inside, "no data point inside the plot area"

    def gap(p):
        return min(((p["px"] - q["px"]) ** 2 + (p["py"] - q["py"]) ** 2 for q in geometry["points"] if q is not p),
                   default=1e9)

    return max(inside, key=gap)


def chain_point_number(app: App) -> int:
    text = app.page.locator('[data-testid="stMarkdownContainer"]').filter(
        has_text=re.compile(r"^Point #\d+:")).first.inner_text()
    return int(re.match(r"Point #(\d+):", text).group(1))


def click_point(app: App, avoid: set[int] = frozenset()) -> dict:
    """Click (real mouse) a well separated data point; returns {index, x, y, px, py}."""
    page = app.page
    chart = app.data_chart()
    chart.scroll_into_view_if_needed()
    chart.locator(".main-svg").first.wait_for(state="attached")
    target = isolated_point(point_pixels(app), avoid=set(avoid))
    page.mouse.move(target["px"] - 30, target["py"] - 30)
    page.mouse.move(target["px"], target["py"], steps=5)
    page.wait_for_timeout(150)  # Plotly's hover finds the point; its click uses the hovered point
    with app.rerun(start_timeout=5):
        page.mouse.click(target["px"], target["py"])
    app.assert_no_exception()
    return target


def explained(app: App, index: int, timeout: float = 5.0) -> None:
    try:
        poll(lambda: chain_point_number(app) == index, timeout=timeout)
    except AssertionError:
        raise AssertionError(f"the chain rule explains point #{chain_point_number(app)}, not the clicked #{index}") from None
    assert app.page.get_by_role("spinbutton", name="Point #").input_value() == str(index)


def star_on(app: App, target: dict, timeout: float = 5.0) -> None:
    def there():
        star = app.trace(app.data_chart(), "explained point")
        return bool(star and star["x"] and abs(star["x"][0] - target["x"]) < 1e-4 and abs(star["y"][0] - target["y"]) < 1e-4)

    poll(there, timeout=timeout, message=f"the star to sit on point #{target['index']}")


def test_click_after_a_step_explains_the_point(app: App) -> None:
    """The real mouse click reaches the app: Plotly's click (clickmode event+select) → selection → rerun."""
    app.click("Step ▸")
    app.wait_iteration(1)
    assert chain_point_number(app) == 0
    target = click_point(app, avoid={0})
    explained(app, target["index"])

    # Typing another number afterwards explains that point (the old click must not stick).
    other = 1 if target["index"] != 1 else 2
    number_input = app.page.get_by_role("spinbutton", name="Point #")
    with app.rerun(start_timeout=3):
        number_input.fill(str(other))
        number_input.press("Enter")
    explained(app, other)


def test_clicking_a_point_on_a_fresh_page_explains_it(app: App) -> None:
    """The very first click must count (it was lost while the chart's widget id followed its figure)."""
    assert chain_point_number(app) == 0
    target = click_point(app, avoid={0})
    explained(app, target["index"])


def test_clicked_point_gets_the_star_and_the_next_click_counts(app: App) -> None:
    """The star moves with the click, and a second click right after the first one counts too."""
    app.click("Step ▸")
    app.wait_iteration(1)
    first = click_point(app, avoid={0})
    explained(app, first["index"])
    star_on(app, first)
    second = click_point(app, avoid={0, first["index"]})
    explained(app, second["index"])
    star_on(app, second)


def test_numbers_in_the_training_view_read_as_python_writes_them(app: App) -> None:
    """The metrics are formatted in the browser; they must match the server's ``format(v, ".4g")``.

    (Except exact binary ties such as 1234.5, which JavaScript rounds up and Python to even.)
    """
    values = [0.0, 1.0, -1.0, 0.5, 0.1234567, 123.456, 12345.6, 123456.0, 1e-5, -2.5e-7, 9.99999, 0.00012345,
              1e300, -3.14159e-300, 1234.56, 0.30000000000000004]
    shown = app.player_frame().evaluate("(vs) => vs.map((v) => formatG(v, 4))", values)
    assert shown == [format(v, ".4g") for v in values]


# --- a teacher's own files --------------------------------------------------------------------

REAL = Path(__file__).resolve().parents[1] / "data" / "real"


def sidebar_text(app: App) -> str:
    return app.page.locator('[data-testid="stSidebar"]').inner_text()


def test_a_chinese_excel_csv_loads_with_its_own_column_names_and_labels(app: App) -> None:
    choose_upload(app)
    upload(app, REAL / "penguins_zh_excel_gbk.csv")
    poll(lambda: "Read as GB18030 / GBK (found automatically)." in sidebar_text(app),
         message="the sidebar to say the file was read as GBK")
    text = sidebar_text(app)
    assert "喙长(毫米)" in text and "性别" in text, "the Chinese column names, not mojibake"
    assert not sidebar_errors(app)
    poll(lambda: "雄" in app.page.locator('[data-testid="stCaptionContainer"]').filter(
        has_text="points from").first.inner_text(), message="the labels in the data summary")
    assert_four_charts_drawn(app)


def rows_loaded(path, sheet: str) -> int:
    """Points the page should load from a sheet with the columns it suggests (the loader's count)."""
    from logit.csv_loader import dataset_from_frame, read_table, suggest_columns

    frame = read_table(path, sheet=sheet)
    return dataset_from_frame(frame, *suggest_columns(frame)).n


def test_a_workbook_with_two_sheets_offers_the_second(app: App) -> None:
    path = REAL / "penguins_two_sheets_libreoffice.xlsx"
    first, second = rows_loaded(path, "Adelie and Gentoo"), rows_loaded(path, "Chinstrap and Gentoo")
    choose_upload(app)
    upload(app, path)
    poll(lambda: app.summary_n() == first, message=f"the first sheet's {first} penguins")
    sidebar = app.page.locator('[data-testid="stSidebar"]')
    with app.rerun():
        sidebar.get_by_label("Sheet", exact=True).click()
        app.page.get_by_role("option", name="Chinstrap and Gentoo").click()
    app.idle()
    poll(lambda: app.summary_n() == second, message=f"the second sheet's {second} penguins")
    assert not sidebar_errors(app)
    assert_four_charts_drawn(app)


# --- the status tells the truth -----------------------------------------------------------------

def status(app: App) -> tuple[str, str]:
    """The status box's kind (info, success, warning) and text."""
    box = app.player().locator("#status")
    return box.get_attribute("class").split()[-1], box.inner_text()


def test_the_status_warns_as_soon_as_the_loss_rises_also_while_playing_past_the_first_block(app: App) -> None:
    # Penguin bills in millimetres at α = 0.1: the first step carries the loss far above its start.
    app.open("source=bundled&alpha=0.1&max_iterations=20")
    assert status(app)[0] == "info"
    app.click("Step ▸")
    app.wait_iteration(1)
    kind, text = status(app)
    assert kind == "warning" and text.startswith("Iteration 1: the loss is higher than at the start"), text
    assert "try 0.001 or standardise the features" in text
    app.player().locator("#speed").select_option("120")
    app.set_playing(True)
    seen = set()

    def past_the_block() -> bool:
        k = app.iteration()
        seen.add(status(app)[0])
        return k > 25

    poll(past_the_block, timeout=60, message="Play to go past the 20 iterations computed first")
    app.set_playing(False)
    assert "warning" in seen and status(app)[0] == "warning", "still bouncing past iteration 20"
