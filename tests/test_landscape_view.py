"""The loss-landscape panel: window, grid, sampling and figure (pure), and the panel through AppTest."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from logit import TrainingSettings, generate, load_bundled, loss_landscape, train
from logit.ui import landscape_figures as lv
from logit.ui.landscape_figures import (
    LandscapeText,
    contour_levels,
    landscape_figure,
    landscape_grid,
    landscape_window,
    resolution_for,
    sample_rows,
)

TEXT = LandscapeText(title="Loss landscape", path="path so far", start="start", current="iteration k")


def run(kind="overlap", n=200, **settings):
    data = generate(kind, n=n, noise=0.3, seed=0)
    trajectory = train(data.X, data.y, TrainingSettings(**settings))
    return data, trajectory, trajectory.scaler.transform(data.X)


def inside(window, points) -> bool:
    points = np.asarray(points).reshape(-1, 2)
    return bool(np.all((window[0] <= points[:, 0]) & (points[:, 0] <= window[1])
                       & (window[2] <= points[:, 1]) & (points[:, 1] <= window[3])))


# --- grid size and sampling ---------------------------------------------------------------------

def test_resolution_adapts_to_n():
    assert resolution_for(20) == lv.MAX_RESOLUTION
    assert resolution_for(2_000) == 80
    assert resolution_for(5_000) == resolution_for(10**6) == 50
    sizes = [resolution_for(n) for n in (2, 100, 500, 1_000, 2_000, 3_000, 5_000, 5_001, 10**5, 10**6)]
    assert sizes == sorted(sizes, reverse=True)
    assert all(lv.MIN_RESOLUTION <= r <= lv.MAX_RESOLUTION for r in sizes)
    # the work stays within budget: grid points × points used
    for n in (100, 2_000, 4_000, 10**6):
        assert resolution_for(n) ** 2 * min(n, lv.SAMPLE_LIMIT) <= lv.WORK_BUDGET * 1.01


def test_sample_is_fixed_sorted_and_only_above_the_limit():
    assert sample_rows(lv.SAMPLE_LIMIT) is None
    rows = sample_rows(12_345)
    assert len(rows) == lv.SAMPLE_LIMIT
    assert np.all(np.diff(rows) > 0) and rows[0] >= 0 and rows[-1] < 12_345
    assert np.array_equal(rows, sample_rows(12_345))


def test_large_data_are_evaluated_on_the_sample(monkeypatch):
    seen = []

    def recording(X, y, w1, w2, b, l2=0.0):
        seen.append((len(X), len(y)))
        return np.zeros((len(w2), len(w1)))

    monkeypatch.setattr(lv, "loss_landscape", recording)
    data, trajectory, X = run(n=200, max_iterations=5)
    big_X = np.tile(X, (40, 1))  # 8,000 points
    big_y = np.tile(data.y, 40)
    landscape_grid(big_X, big_y, trajectory, 3)
    assert len(seen) == 2 and set(seen) == {(lv.SAMPLE_LIMIT, lv.SAMPLE_LIMIT)}  # two threads, on the sample
    seen.clear()
    landscape_grid(X, data.y, trajectory, 3)
    assert set(seen) == {(200, 200)}


# --- the window ---------------------------------------------------------------------------------

@pytest.mark.parametrize("settings", [
    dict(learning_rate=0.5, standardize=True),
    dict(learning_rate=0.1),
    dict(learning_rate=2.0, init=(3.0, -4.0, 1.0), standardize=True),
    dict(learning_rate=0.05, batch_size=8, seed=2),
    dict(learning_rate=0.5, l2=0.1, standardize=True),
])
def test_window_is_square_and_holds_the_path_so_far_and_the_end(settings):
    _, trajectory, X = run(max_iterations=300, **settings)
    for k in (0, 1, 7, 50, trajectory.iterations):
        window = landscape_window(X, trajectory, k)
        assert window[1] - window[0] == pytest.approx(window[3] - window[2])
        assert inside(window, trajectory.params[: k + 1, :2])
        assert inside(window, trajectory.params[-1, :2])


def test_window_shows_some_of_the_surface_around_a_single_point():
    data = load_bundled("penguins-mass")
    for standardize, smallest in ((False, 15.0), (True, 1.0)):
        trajectory = train(data.X, data.y, TrainingSettings(max_iterations=0, learning_rate=1e-6,
                                                             standardize=standardize))
        X = trajectory.scaler.transform(data.X)
        window = landscape_window(X, trajectory, 0)
        spread = np.sqrt(np.mean(X**2, axis=0)).min()
        assert (window[1] - window[0]) / 2 >= lv.MIN_LOGITS / spread
        assert inside(window, [0.0, 0.0])


def test_nearby_iterations_share_a_window():
    _, trajectory, X = run(learning_rate=0.3, standardize=True, max_iterations=400)
    windows = {landscape_window(X, trajectory, k) for k in range(0, 400, 10)}
    assert len(windows) <= 3


def test_diverging_run_gives_a_finite_window_and_grid():
    data = load_bundled("penguins-mass")
    trajectory = train(data.X, data.y, TrainingSettings(learning_rate=1.0, max_iterations=200))
    assert trajectory.status == "diverged"
    for k in (0, trajectory.iterations // 2, trajectory.iterations):
        window = landscape_window(data.X, trajectory, k)
        assert np.all(np.isfinite(window))
        w1, w2, J = landscape_grid(data.X, data.y, trajectory, k, resolution=20)
        landscape_figure(w1, w2, J, trajectory.params[: k + 1, :2], trajectory.params[k, :2], TEXT)


@pytest.mark.parametrize("magnitude", [1e-150, 1e-8, 1e8, 1e150])
def test_extreme_feature_scales_give_a_finite_window_without_warnings(magnitude):
    data = generate("overlap", n=100, noise=0.3, seed=1)
    X = data.X * magnitude
    for standardize in (False, True):
        trajectory = train(X, data.y, TrainingSettings(learning_rate=0.1, max_iterations=5, standardize=standardize))
        X_trained = trajectory.scaler.transform(X)
        for k in (0, trajectory.iterations):
            window = landscape_window(X_trained, trajectory, k)
            assert np.all(np.isfinite(window)) and window[1] > window[0]
            path = trajectory.params[: k + 1, :2]
            assert inside(window, path[np.all(np.abs(path) < lv.WEIGHT_LIMIT, axis=1)])
            w1, w2, J = landscape_grid(X_trained, data.y, trajectory, k, resolution=12)
            landscape_figure(w1, w2, J, trajectory.params[: k + 1, :2], trajectory.params[k, :2], TEXT)


# --- the grid -----------------------------------------------------------------------------------

def test_grid_is_loss_landscape_at_the_current_b_and_lambda():
    data, trajectory, X = run(learning_rate=0.5, l2=0.01, standardize=True, max_iterations=50)
    k = 20
    w1, w2, J = landscape_grid(X, data.y, trajectory, k, resolution=31)
    assert w1.shape == w2.shape == (31,) and J.shape == (31, 31)
    window = landscape_window(X, trajectory, k)
    assert (w1[0], w1[-1], w2[0], w2[-1]) == window
    expected = loss_landscape(X, data.y, w1, w2, trajectory.params[k, 2], 0.01)
    np.testing.assert_array_equal(J, expected)  # split between threads, bit for bit the same


def test_grid_minimum_lies_near_the_end_of_a_converged_run():
    data, trajectory, X = run(kind="overlap", learning_rate=1.0, standardize=True, max_iterations=3000)
    k = trajectory.iterations
    w1, w2, J = landscape_grid(X, data.y, trajectory, k)
    i, j = np.unravel_index(np.argmin(J), J.shape)
    step = w1[1] - w1[0]
    assert abs(w1[j] - trajectory.params[k, 0]) <= 2 * step
    assert abs(w2[i] - trajectory.params[k, 1]) <= 2 * step


# --- the figure ---------------------------------------------------------------------------------

def figure_for(trajectory, X, y, k, text=TEXT):
    w1, w2, J = landscape_grid(X, y, trajectory, k, resolution=41)
    return landscape_figure(w1, w2, J, trajectory.params[: k + 1, :2], trajectory.params[k, :2], text,
                            current_loss=float(trajectory.loss[k])), J


def test_figure_has_contours_path_start_and_current_on_equal_axes():
    data, trajectory, X = run(learning_rate=0.5, standardize=True, max_iterations=60)
    fig, J = figure_for(trajectory, X, data.y, 25)
    contour, halo, path, start, current = fig.data
    assert halo.showlegend is False and np.array_equal(halo.x, path.x)
    assert contour.type == "contour" and contour.contours.coloring == "fill"
    assert contour.colorscale[0][1] == "#440154"  # Viridis, dark for low J
    assert "customdata" in contour.hovertemplate and np.allclose(np.asarray(contour.customdata), J, rtol=1e-6)
    assert len(path.x) == 26 and path.mode == "lines+markers"
    assert (path.x[-1], path.y[-1]) == pytest.approx(tuple(trajectory.params[25, :2]), rel=1e-6)
    assert (start.x[0], start.y[0]) == tuple(trajectory.params[0, :2])
    assert (current.x[0], current.y[0]) == tuple(trajectory.params[25, :2])
    assert current.name == "iteration k"
    layout = fig.layout
    assert layout.xaxis.title.text == "w₁" and layout.yaxis.title.text == "w₂"
    assert layout.yaxis.scaleanchor == "x" and layout.yaxis.scaleratio == 1
    assert not layout.annotations  # no sampling note


def test_contour_levels_are_log_spaced():
    # a round bowl and a thin valley: both get rings near the floor
    g = np.linspace(-1, 1, 101)
    W1, W2 = np.meshgrid(g, g)
    for J in (0.5 + W1**2 + W2**2, 0.5 + W1**2 + 1000 * W2**2):
        z, floor, delta = contour_levels(J)
        assert floor == 0.5
        levels = np.linspace(np.nanmin(z), np.nanmax(z), lv.LEVELS + 1)[1:]
        J_levels = floor + 10.0 ** levels - delta
        ratios = np.diff(np.log(J_levels - floor + delta))
        assert np.allclose(ratios, ratios[0])  # geometric in J − min J
        # at least a third of the rings lie below 1 % of the range above the floor
        assert np.mean(J_levels - floor < 0.01 * (J.max() - floor)) >= 1 / 3


def test_figure_copes_with_non_finite_and_flat_surfaces():
    w = np.linspace(-1, 1, 5)
    path = np.zeros((1, 2))
    for J in (np.full((5, 5), 0.7), np.full((5, 5), np.inf), np.where(np.eye(5) > 0, np.inf, 1.0)):
        fig = landscape_figure(w, w, J, path, path[0], TEXT)
        assert fig.data[0].type == "contour"


def test_long_paths_are_thinned_and_keep_both_ends():
    w = np.linspace(-1, 1, 5)
    path = np.column_stack([np.linspace(0, 1, 50_001), np.linspace(0, -1, 50_001)])
    fig = landscape_figure(w, w, np.ones((5, 5)), path, path[-1], TEXT)
    drawn = fig.data[2]
    assert len(drawn.x) <= lv.PATH_DRAW_LIMIT
    assert drawn.customdata[0] == 0 and drawn.customdata[-1] == 50_000
    assert (drawn.x[-1], drawn.y[-1]) == (1.0, -1.0)


def test_the_sampling_note_is_written_on_the_chart():
    data, trajectory, X = run(max_iterations=5)
    text = LandscapeText(title="t", path="p", start="s", current="c", note="A sample of 5,000 of 8,000 points.")
    fig, _ = figure_for(trajectory, X, data.y, 3, text)
    assert [a.text for a in fig.layout.annotations] == [text.note]


def test_standardising_turns_the_thin_valley_into_a_bowl():
    """Penguins by flipper length and body mass: the floor of the landscape (J within 5 %
    of its range above the minimum) is a long sliver in original units and a round
    patch in standardised units."""
    data = load_bundled("penguins-mass")
    aspects = []
    for standardize, alpha in ((False, 1e-6), (True, 0.1)):
        trajectory = train(data.X, data.y, TrainingSettings(learning_rate=alpha, standardize=standardize,
                                                            max_iterations=200))
        X = trajectory.scaler.transform(data.X)
        w1, w2, J = landscape_grid(X, data.y, trajectory, 200, resolution=60)
        W1, W2 = np.meshgrid(w1, w2)
        floor = J <= J.min() + 0.05 * (J.max() - J.min())
        spread = np.linalg.eigvalsh(np.cov(np.vstack([W1[floor], W2[floor]])))
        aspects.append(np.sqrt(spread[1] / spread[0]))
    raw, standardized = aspects
    assert raw > 8 and standardized < 2.5


# --- the panel through AppTest --------------------------------------------------------------------

def values(array) -> np.ndarray:
    """A trace's array from a chart's JSON spec (plain list or Plotly's base64 typed array)."""
    if isinstance(array, dict) and "bdata" in array:
        import base64

        flat = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        shape = array.get("shape")
        if isinstance(shape, str):
            shape = tuple(int(part) for part in shape.split(","))
        return flat.reshape(shape) if shape else flat
    return np.asarray(array)


def landscape_script(kind: str, n: int, standardize: bool, k: int, language: str) -> None:
    from logit import TrainingSettings, generate, train
    from logit.ui.cached import loaded
    from logit.ui.i18n import Translator
    from logit.ui.panels.landscape import show as landscape_ui
    from logit.ui.context import Page

    data = loaded(generate(kind, n=n, noise=0.3, seed=0))
    settings = TrainingSettings(learning_rate=0.5, standardize=standardize, max_iterations=40, l2=0.01)
    page = Page(Translator(language), data, settings)
    landscape_ui(page, train(data.dataset.X, data.dataset.y, settings), k)


@pytest.mark.parametrize("n, standardize, language", [(200, True, "en"), (200, False, "zh"), (8_000, True, "en")])
def test_panel_renders_the_landscape(n, standardize, language):
    at = AppTest.from_function(landscape_script, args=("overlap", n, standardize, 12, language), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    types = [trace["type"] for trace in spec["data"]]
    assert types == ["contour", "scatter", "scatter", "scatter", "scatter"]
    assert len(values(spec["data"][2]["x"])) == 13  # iterations 0..12
    notes = [a["text"] for a in spec["layout"].get("annotations", [])]
    assert bool(notes) == (n > lv.SAMPLE_LIMIT)
    captions = " ".join(c.value for c in at.caption)
    from logit.ui.locales import en, zh

    table = en.TEXTS if language == "en" else zh.TEXTS
    assert table["landscape.standardized" if standardize else "landscape.raw"] in captions
    assert table["landscape.l2"].split("{")[0] in captions
