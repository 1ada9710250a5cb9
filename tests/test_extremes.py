"""Numerical extremes: learning rates 1e-6..1e3, features scaled by 1e-150..1e150, initial weights ±1e6.

Two levels:

* the core (:func:`logit.training.train`) and the chart builders (:mod:`logit.ui.figures`) over
  the whole grid, including learning rates the sidebar does not offer;
* the page through Streamlit's AppTest, with the scaled data uploaded as a CSV and the extreme
  settings the sidebar allows (its smallest and largest learning rate, weights at ±1e6).

Everywhere: no exception, no non-finite number handed to a chart or to the training view,
no "nan"/"inf" in any text on the page, and a run that diverges says so, naming the learning rate.

The training view (status, metrics, charts) may be Streamlit elements or one browser
component whose arguments carry the texts and numbers; the checks read both.
"""

from __future__ import annotations

import base64
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from player_state import args as player_args
from player_state import choose_alpha, page_state
from streamlit.testing.v1 import AppTest

from logit.generators import generate
from logit.geometry import padded_box
from logit.training import TrainingSettings, train
from logit.ui import figures
from logit.ui.i18n import Translator

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60

ALPHAS = [float(a) for a in np.logspace(-6, 3, 10)]  # 1e-6 … 1e3
SCALES = [float(s) for s in np.logspace(-150, 150, 7)]  # 1e-150, 1e-100, …, 1e150
INITS = [(0.0, 0.0, 0.0), (1e6, -1e6, 1e6), (-1e6, 1e6, -1e6)]  # the sidebar's limits are ±1e6
BAD_WORD = re.compile(r"(?<![A-Za-z])(nan|inf|infinity)(?![A-Za-z])", re.IGNORECASE)
BASE = generate("overlap", n=200, noise=0.3, seed=0)  # the page's default data


def non_finite_text(texts) -> list[str]:
    return [t for t in texts if BAD_WORD.search(t)]


# --- the core and the chart builders ------------------------------------------------------------

def assert_finite_run(trajectory, context: str) -> None:
    for name in ("params", "gradients", "loss", "accuracy", "gradient_norm", "params_original"):
        values = np.asarray(getattr(trajectory, name), dtype=float)
        assert values.size and np.isfinite(values).all(), f"{context}: {name} has non-finite values"
    assert trajectory.status in ("converged", "max_iterations", "diverged"), context


def assert_explained(trajectory, alpha: float, context: str) -> None:
    """The reason in both languages: words, no nan/inf, and for a divergence the learning rate."""
    for language in ("en", "zh"):
        text = Translator(language).notice(trajectory.reason)
        assert text.strip(), f"{context}: no reason given ({language})"
        assert not non_finite_text([text]), f"{context}: {text!r}"
        if trajectory.status == "diverged":
            assert f"{alpha:g}" in text, f"{context}: the divergence message does not name α = {alpha:g}: {text!r}"


def figure_arrays(fig):
    """Every numeric array and axis range a figure hands to Plotly."""
    for trace in fig.data:
        for name in ("x", "y", "z"):
            value = getattr(trace, name, None)
            if value is not None and len(value):
                yield f"{trace.type}.{name}", np.asarray(value, dtype=float)
    for axis in ("xaxis", "yaxis", "yaxis2"):
        value = getattr(fig.layout, axis, None)
        if value is not None and value.range is not None:
            yield f"layout.{axis}.range", np.asarray(value.range, dtype=float)


TEXT = figures.DataChartText(x1_title="x1", x2_title="x2", class_names=("0 (y=0)", "1 (y=1)"),
                             misclassified="wrong", boundary="line", probability="ŷ", selected="here")


def assert_finite_figures(X, y, trajectory, context: str, iterations) -> None:
    box = padded_box(X)
    assert np.isfinite(box).all(), f"{context}: chart box {box}"
    for k in iterations:
        built = [
            figures.data_figure(X, y, trajectory.params_original[k], box, TEXT),
            figures.history_figure(trajectory.params, ("w1", "w2", "b"), k, title="w", y_title="v", x_title="k"),
            figures.history_figure(trajectory.gradients, ("g1", "g2", "gb"), k, title="g", y_title="v", x_title="k",
                                   zero_line=True),
            figures.loss_accuracy_figure(trajectory.loss, trajectory.accuracy, k, title="J", loss_name="J",
                                         accuracy_name="acc", x_title="k"),
        ]
        for fig in built:
            for where, values in figure_arrays(fig):
                assert np.isfinite(values).all(), f"{context}, iteration {k}: {where} has non-finite values"


@pytest.mark.parametrize("scale", SCALES, ids=lambda s: f"x{s:.0e}")
def test_core_over_every_learning_rate_and_start(scale):
    X, y = BASE.X * scale, BASE.y
    for alpha in ALPHAS:
        for init in INITS:
            for standardize in (False, True):
                context = f"scale {scale:g}, α {alpha:g}, init {init}, standardize {standardize}"
                settings = TrainingSettings(learning_rate=alpha, max_iterations=300, init=init, standardize=standardize)
                trajectory = train(X, y, settings)
                assert_finite_run(trajectory, context)
                assert_explained(trajectory, alpha, context)


@pytest.mark.slow
@pytest.mark.parametrize("scale", SCALES, ids=lambda s: f"x{s:.0e}")
def test_charts_over_the_extremes(scale):
    """The four charts at the start (which depends only on the start) and at the end of each run."""
    X, y = BASE.X * scale, BASE.y
    for init in INITS:
        for standardize in (False, True):
            for alpha in (ALPHAS[0], ALPHAS[-1]):
                settings = TrainingSettings(learning_rate=alpha, max_iterations=100, init=init, standardize=standardize)
                trajectory = train(X, y, settings)
                shown = [trajectory.iterations] if alpha != ALPHAS[0] else [0, trajectory.iterations]
                assert_finite_figures(X, y, trajectory,
                                      f"scale {scale:g}, α {alpha:g}, init {init}, standardize {standardize}", shown)


def test_large_features_and_a_large_learning_rate_diverge_and_say_so():
    trajectory = train(BASE.X * 1e150, BASE.y, TrainingSettings(learning_rate=1e3))
    assert trajectory.status == "diverged"
    text = Translator("en").notice(trajectory.reason)
    assert "diverged" in text.lower() and "learning rate 1000" in text


# --- the page -------------------------------------------------------------------------------------

ELEMENT_KINDS = ("title", "header", "subheader", "markdown", "caption", "latex", "text", "code", "metric",
                 "warning", "error", "info", "success", "exception", "toast")


def scaled_csv(scale: float) -> bytes:
    lines = ["x1,x2,y"] + [f"{a * scale:.17g},{b * scale:.17g},{int(c)}" for (a, b), c in zip(BASE.X, BASE.y)]
    return ("\n".join(lines) + "\n").encode()


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, name: str, content: bytes) -> None:
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="upload").set_value((name, content, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.sidebar.error, [e.value for e in at.sidebar.error]


def set_start(at: AppTest, init: tuple[float, float, float]) -> None:
    for key, value in zip(("w1_0", "w2_0", "b_0"), init):
        at.sidebar.number_input(key=key).set_value(value).run()


def show_last_iteration(at: AppTest) -> None:
    """Move to the last computed iteration (the status and the panels show the end of the run)."""
    page_state(at)["iteration"] = 10**9  # the page clamps it to the run's length
    at.run()


def components(at: AppTest) -> list:
    return list(at.get("component_instance"))


def _json(text: str):
    constants = []
    value = json.loads(text, parse_constant=lambda c: constants.append(c) or float("nan"))
    return value, constants


def _walk(value, path: str = ""):
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:  # a typed array as plotly.js receives it
            yield path, np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            return
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]")
    else:
        yield path, value


# Arrays in which a null stands for a number that was not finite (Plotly's JSON and the
# training view's point lists write NaN and ±inf as null).
NUMERIC_ARRAYS = re.compile(r"\.(x|y|z|x1|x2|customdata|range|box)(\[\d+\])+$")


def bad_numbers(value, where: str) -> list[str]:
    found = []
    for path, item in _walk(value):
        if isinstance(item, np.ndarray):
            if item.dtype.kind == "f" and not np.isfinite(item).all():
                found.append(f"{where}{path}: non-finite in a typed array")
        elif isinstance(item, float) and not math.isfinite(item):
            found.append(f"{where}{path} = {item}")
        elif item is None and NUMERIC_ARRAYS.search(path):
            found.append(f"{where}{path} is null")
    return found


def page_texts(at: AppTest) -> list[str]:
    """Every text the page shows: Streamlit's elements and the strings handed to browser components."""
    texts = []
    for kind in ELEMENT_KINDS:
        for element in getattr(at, kind):
            texts.append(str(element.value))
            if kind == "metric":
                texts += [str(element.label), str(element.proto.delta)]
    for component in components(at):
        args, _ = _json(component.proto.json_args)
        texts += [item for _, item in _walk(args) if isinstance(item, str)]
    return texts


def page_numbers(at: AppTest) -> list[str]:
    """Problems with the numbers handed to the charts and the training view (empty when all are finite)."""
    found = []
    for i, chart in enumerate(at.get("plotly_chart")):
        spec, constants = _json(chart.proto.spec)
        found += [f"chart {i}: {c}" for c in constants] + bad_numbers(spec, f"chart {i}")
    for component in components(at):
        name = component.proto.component_name
        args, constants = _json(component.proto.json_args)
        found += [f"{name}: {c}" for c in constants] + bad_numbers(args, name)
        for special in component.proto.special_args:
            if special.key == "run_values":  # the run as little-endian float64 rows
                values = np.frombuffer(special.bytes, dtype="<f8")
                if not np.isfinite(values).all():
                    found.append(f"{name}.run_values: {int((~np.isfinite(values)).sum())} non-finite")
    return found


def assert_clean(at: AppTest, context: str) -> None:
    assert not at.exception, f"{context}: {[e.value for e in at.exception]}"
    # Something to check: the charts are Streamlit elements or inside the training view's component.
    assert components(at) or len(at.get("plotly_chart")) >= 4, f"{context}: no charts found"
    bad = non_finite_text(page_texts(at))
    assert not bad, f"{context}: the page shows {bad[:5]}"
    numbers = page_numbers(at)
    assert not numbers, f"{context}: {numbers[:5]}"


def test_the_checks_see_what_they_look_for():
    nan = base64.b64encode(np.array([1.0, np.nan]).tobytes()).decode()
    spec = '{"data": [{"x": [1, null], "y": {"dtype": "f8", "bdata": "%s"}, "z": [Infinity]}], "layout": {}}' % nan
    value, constants = _json(spec)
    assert constants == ["Infinity"]
    found = bad_numbers(value, "chart")
    assert any("x[1] is null" in f for f in found) and any(".y" in f for f in found), found
    assert bad_numbers(json.loads('{"data": [{"x": [], "name": null, "y": [1.5]}]}'), "chart") == []
    assert non_finite_text(["w₁ = nan", "-inf", "Infinity", "J = 1e+300"]) == ["w₁ = nan", "-inf", "Infinity"]
    assert non_finite_text(["information", "infer", "finance", "Nancy"]) == []


def assert_divergence_explained(at: AppTest, alpha: float, context: str) -> None:
    """A diverged run says so, with the learning rate: a warning, or the training view's words for it."""
    said = [w.value for w in at.warning] + page_texts(at)
    said.append(player_args(at)["run"]["reason"])  # the training view's status for a diverged run
    assert any("diverged" in s.lower() and f"learning rate {alpha:g}" in s for s in said), (
        f"{context}: no explanation of the divergence among {[w.value for w in at.warning]}")


def trajectory(at: AppTest):
    return at.session_state["run"][1]


def learning_rates() -> tuple[float, float]:
    """The smallest and largest learning rate the training view offers."""
    from logit.ui.state import LEARNING_RATES

    return min(LEARNING_RATES), max(LEARNING_RATES)


@pytest.mark.slow
@pytest.mark.parametrize("scale", [1e-150, 1e150], ids=["x1e-150", "x1e150"])
def test_page_with_extreme_data_rates_and_starts(scale):
    at = open_page()
    upload(at, f"scaled_{scale:.0e}.csv", scaled_csv(scale))
    assert f"scaled_{scale:.0e}.csv" in " ".join(c.value for c in at.caption)
    assert_clean(at, f"scale {scale:g}, defaults")
    for init in INITS[1:]:
        set_start(at, init)
        for alpha in learning_rates():
            choose_alpha(at, alpha)
            show_last_iteration(at)
            context = f"scale {scale:g}, α {alpha:g}, init {init}"
            run = trajectory(at)
            assert run.settings.learning_rate == alpha and run.settings.init == init, context
            assert_clean(at, context)
            if run.status == "diverged":
                assert_divergence_explained(at, alpha, context)
    if scale > 1:
        assert trajectory(at).status == "diverged", "1e150-sized features with α = 10 must diverge"


@pytest.mark.slow
def test_every_panel_at_the_end_of_a_diverged_run():
    from logit.ui.state import PANELS

    at = open_page()
    upload(at, "huge.csv", scaled_csv(1e150))
    set_start(at, INITS[1])
    alpha = learning_rates()[1]
    choose_alpha(at, alpha)
    show_last_iteration(at)
    assert trajectory(at).status == "diverged"
    for panel in PANELS:
        at.segmented_control(key="panel").set_value(panel).run()
        context = f"panel {panel}"
        assert_clean(at, context)
        for frame in at.dataframe:
            numeric = frame.value.select_dtypes("number") if hasattr(frame.value, "select_dtypes") else None
            if numeric is not None and numeric.size:
                assert np.isfinite(numeric.to_numpy(dtype=float)).all(), f"{context}: a table has non-finite values"


@pytest.mark.slow
def test_default_data_with_the_sidebars_extremes():
    at = open_page()
    for init in INITS[1:]:
        set_start(at, init)
        for alpha in learning_rates():
            choose_alpha(at, alpha)
            show_last_iteration(at)
            assert_clean(at, f"default data, α {alpha:g}, init {init}")
            if trajectory(at).status == "diverged":
                assert_divergence_explained(at, alpha, f"default data, α {alpha:g}, init {init}")


def test_starting_point_that_overflows_is_refused_with_a_message():
    at = open_page()
    upload(at, "edge.csv", scaled_csv(1e303))
    at.sidebar.number_input(key="w1_0").set_value(1e6).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error or at.sidebar.error or at.warning, "the page should say why it cannot train"
    assert any("standardise" in e.value for e in at.error), [e.value for e in at.error]
