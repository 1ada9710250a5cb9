"""The classroom panels through Streamlit's AppTest: lesson, threshold, train/test split and downloads.

Each script builds a Page from a generated data set, trains, and calls the panels the
way the page does, at an iteration read from the session state.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from logit import TrainingSettings, generate, train
from logit.split import path_metrics, train_test_split
from logit.ui.exports import chart_file_name, png_config
from logit.ui.panels.lesson import STEPS
from logit.ui.locales import en, zh
from page_formulas import formulas
from player_state import click, page_state

TIMEOUT = 60


def panels(language: str = "en", standardize: bool = False, split: bool = True, batch_size: int | None = None,
           l2: float = 0.0) -> None:
    import streamlit as st

    import logit
    from logit.training import TrainingSettings, train
    from logit.ui import cached, sidebar
    from logit.ui.panels import downloads, lesson, threshold, train_test
    from logit.ui.i18n import Translator
    from logit.ui.context import Page

    tr = Translator(language)
    data = cached.loaded(logit.generate("overlap"))
    settings = TrainingSettings(max_iterations=60, standardize=standardize, batch_size=batch_size, l2=l2)
    parts = sidebar.split_data(data, 0.25, 0) if split else None
    trained_on = parts[0] if parts else data
    test = parts[1].dataset if parts else None
    page = Page(tr, trained_on, settings, test=test, everything=data.dataset)
    trajectory = train(trained_on.dataset.X, trained_on.dataset.y, settings)
    k = int(st.session_state.get("k", 20))
    st.session_state.lesson_shown = lesson.show(page, trajectory, k)
    st.session_state.threshold_shown = threshold.show(page, trajectory, k)
    if parts:
        train_test.show(page, trajectory, k)
    st.session_state.names = downloads.show(page, trajectory, k)


def run(**kwargs) -> AppTest:
    at = AppTest.from_function(panels, kwargs=kwargs, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def decoded(values) -> np.ndarray:
    """Array values of a Plotly spec, plain or in Plotly's typed-array encoding."""
    if isinstance(values, dict):
        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        if "shape" in values:  # "2, 2" or [2, 2]
            shape = values["shape"]
            shape = [int(v) for v in shape.split(",")] if isinstance(shape, str) else shape
            array = array.reshape(shape)
        return array
    return np.asarray(values)


def chart_specs(at: AppTest) -> dict[str, dict]:
    return {chart.proto.id: json.loads(chart.proto.spec) for chart in at.get("plotly_chart")}


@pytest.fixture(scope="module")
def app() -> AppTest:
    return run()


# --- lesson -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language, table", [("en", en.TEXTS), ("zh", zh.TEXTS)])
def test_lesson_walks_forward_and_back_through_every_step(language, table):
    at = run(language=language)
    titles = [table[f"lesson.{i}.title"] for i in range(1, STEPS + 1)]
    seen = []
    for step in range(STEPS):
        assert at.session_state["lesson_step"] == step == at.session_state["lesson_shown"]
        assert titles[step] in [h.value for h in at.subheader]
        assert at.button(key="lesson_back").disabled == (step == 0)
        assert at.button(key="lesson_next").disabled == (step == STEPS - 1)
        seen.append(len(formulas(at)))
        if step < STEPS - 1:
            click(at, "lesson_next")
    assert all(count > 0 for count in seen)  # every step has formulas with numbers
    for step in reversed(range(STEPS - 1)):
        click(at, "lesson_back")
        assert at.session_state["lesson_step"] == step
    assert at.button(key="lesson_back").disabled


def test_lesson_numbers_follow_the_iteration_and_the_point():
    at = run()
    first = formulas(at)[:2]
    at.session_state["k"] = 40
    at.run()
    assert formulas(at)[:2] != first  # other weights, other ŷ
    page_state(at)["point"] = 7  # a point clicked
    at.run()
    assert not at.exception
    assert any("#7" in m.value for m in at.markdown)


@pytest.mark.parametrize("options", [dict(standardize=True), dict(batch_size=16, l2=0.01), dict(split=False)])
def test_lesson_in_every_mode(options):
    at = run(**options)
    for _ in range(STEPS - 1):
        click(at, "lesson_next")
    assert at.session_state["lesson_step"] == STEPS - 1


def test_update_step_shows_all_three_parameters_and_the_next_values():
    at = run()
    for _ in range(4):
        click(at, "lesson_next")
    updates = [line for line in formulas(at) if r"\leftarrow" in line]
    assert len(updates) == 3
    assert any(en.TEXTS["lesson.5.next"].format(next=21) == m.value for m in at.markdown)


# --- threshold ---------------------------------------------------------------------------------


def test_threshold_slider_moves_the_confusion_matrix(app):
    at = app
    assert at.slider(key="threshold").value == 0.5
    specs = chart_specs(at)
    before = [spec for spec in specs.values() if spec["data"][0]["type"] == "heatmap"]
    assert len(before) == 2  # training and test side by side
    metrics_before = [m.value for m in at.metric]
    at.slider(key="threshold").set_value(0.8).run()
    assert not at.exception
    assert at.session_state["threshold_shown"] == 0.8
    after = [spec for spec in chart_specs(at).values() if spec["data"][0]["type"] == "heatmap"]
    assert [m.value for m in at.metric] != metrics_before
    for spec in before + after:
        z = decoded(spec["data"][0]["z"])
        assert z.shape == (2, 2)
    # the counts of the training matrix add up to the training points and the class names label the axes
    z = decoded(after[0]["data"][0]["z"])
    assert z.sum() == 150
    assert after[0]["data"][0]["x"] == ["0 (0)", "1 (1)"]
    # the line σ(z) = t is written out with ln(t/(1−t))
    assert any(r"\ln\frac{0.8}{0.2}" in line for line in formulas(at))
    at.slider(key="threshold").set_value(0.5).run()


def test_at_one_half_the_accuracy_is_the_run_accuracy():
    at = run(split=False)
    data = generate("overlap")
    trajectory = train(data.X, data.y, TrainingSettings(max_iterations=60))
    accuracy = next(m.value for m in at.metric if m.label == en.TEXTS["metric.accuracy"])
    assert accuracy == f"{trajectory.accuracy[20]:.1%}"
    heatmaps = [spec for spec in chart_specs(at).values() if spec["data"][0]["type"] == "heatmap"]
    assert len(heatmaps) == 1


def test_threshold_extremes_show_undefined_precision():
    at = run()
    at.slider(key="threshold").set_value(0.99).run()
    assert not at.exception
    assert any(m.value == "—" for m in at.metric if m.label == en.TEXTS["threshold.precision"])
    at.slider(key="threshold").set_value(0.01).run()
    assert not at.exception


# --- split --------------------------------------------------------------------------------------


def test_split_curves_match_path_metrics_also_after_the_run_moves_on():
    at = run()
    data = generate("overlap")
    train_part, test_part = train_test_split(data, 0.25, 0)
    trajectory = train(train_part.X, train_part.y, TrainingSettings(max_iterations=60))
    for k in (20, 5, 45):
        at.session_state["k"] = k
        at.run()
        assert not at.exception
        loss, accuracy = path_metrics(trajectory.params_original[: k + 1], test_part.X, test_part.y)
        shown = next(m.value for m in at.metric if m.label == en.TEXTS["split.test_loss"])
        assert shown == f"{loss[k]:.4f}"
        spec = chart_specs(at)
        loss_chart = next(s for s in spec.values() if s["layout"]["title"]["text"] == en.TEXTS["split.loss_chart"])
        test_line = next(t for t in loss_chart["data"] if t.get("name") == en.TEXTS["split.test"])
        np.testing.assert_allclose(decoded(test_line["y"]).astype(float), loss, rtol=1e-6)
    cache = at.session_state["split_path_metrics"]
    assert set(cache) == {"train", "test"}


def test_split_controls_in_the_sidebar():
    def script():
        import streamlit as st

        import logit
        from logit.ui import cached, sidebar
        from logit.ui.i18n import Translator

        data = cached.loaded(logit.generate("overlap", n=int(st.session_state.get("n", 200))))
        parts = sidebar.split_data_ui(Translator("en"), data)
        st.session_state.sizes = None if parts is None else (parts[0].dataset.n, parts[1].dataset.n)

    at = AppTest.from_function(script, default_timeout=TIMEOUT)
    at.run()
    assert at.session_state["sizes"] is None
    at.sidebar.toggle(key="split_on").set_value(True).run()
    assert at.session_state["sizes"] == (150, 50)
    at.sidebar.select_slider(key="test_fraction").set_value(0.5).run()
    assert at.session_state["sizes"] == (100, 100)
    at.session_state["n"] = 3
    at.run()
    assert not at.exception
    assert at.session_state["sizes"] is None
    assert at.sidebar.error  # too few points to split, said in words


# --- downloads ----------------------------------------------------------------------------------


def test_download_buttons_offer_the_data_and_the_run(app):
    names = app.session_state["names"]
    assert names == {"data": "logit-data-overlap-n200-noise0.3-seed0.csv", "run": "logit-run-alpha0.1-full-60it.csv"}
    buttons = {button.proto.id.split("-")[-1]: button.proto for button in app.get("download_button")}
    assert len(buttons) == 2
    labels = sorted(proto.label for proto in buttons.values())
    assert labels == sorted([en.TEXTS["download.data"], en.TEXTS["download.run"]])
    helps = " ".join(proto.help for proto in buttons.values())
    assert names["data"] in helps and names["run"] in helps
    assert "200 points" in helps  # the whole data set, not only the training part


def test_downloads_in_chinese_with_standardised_features():
    at = run(language="zh", standardize=True)
    assert at.session_state["names"]["run"] == "logit-run-alpha0.1-full-std-60it.csv"
    assert any(zh.TEXTS["download.run.columns_standardized"] == c.value for c in at.caption)
    assert sorted(b.proto.label for b in at.get("download_button")) == sorted(
        [zh.TEXTS["download.data"], zh.TEXTS["download.run"]])


def test_charts_save_as_named_png(app):
    configs = [json.loads(chart.proto.config) for chart in app.get("plotly_chart")]
    names = [config["toImageButtonOptions"]["filename"] for config in configs]
    assert all(config["toImageButtonOptions"]["format"] == "png" for config in configs)
    assert "logit-accuracy-by-threshold-alpha0.1-full-60it-k20" in names
    assert "logit-train-test-loss-alpha0.1-full-60it-k20" in names


def test_png_config():
    config = png_config("logit-loss.png")
    assert config == {"displaylogo": False,
                      "toImageButtonOptions": {"format": "png", "filename": "logit-loss", "scale": 2}}
    data = generate("blobs", n=50)
    trajectory = train(data.X, data.y, TrainingSettings(max_iterations=3))
    assert chart_file_name("Loss & accuracy", trajectory, 2) == "logit-loss-accuracy-alpha0.1-full-3it-k2"
