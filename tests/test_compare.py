"""Compare runs: labels, pins and the three figures (pure), and Pin / Remove / Clear through AppTest."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from logit import TrainingSettings, generate, load_bundled, separating_line, padded_box, train
from logit.ui import compare_figures as compare
from logit.ui.compare_figures import (
    CompareText,
    LabelWords,
    comparison_figures,
    kept_iterations,
    make_pin,
    pin_label,
)
from logit.ui.locales import en, zh

TEXT = CompareText(
    loss_title="loss", path_title="paths", lines_title="lines", iteration="iteration", loss="J",
    current="Current: {label}", pinned="📌{number}: {label}", start="start", end="end", no_line="no line",
    x1_title="x1", x2_title="x2", class_names=("a (y=0)", "b (y=1)"),
)
DATA = generate("overlap", n=150, noise=0.3, seed=0)


def pinned(settings: TrainingSettings, number: int = 1, style: int = 0, data=DATA, **kwargs):
    trajectory = train(data.X, data.y, settings)
    return make_pin(trajectory, "fp", settings, number=number, style=style, **kwargs), trajectory


# --- labels -------------------------------------------------------------------------------------

def test_labels_name_the_settings():
    assert pin_label(TrainingSettings(learning_rate=0.5), True) == "α=0.5 · full · std · λ=0 · init (0,0,0)"
    mini = TrainingSettings(learning_rate=0.02, batch_size=32, seed=3, l2=0.01, init=(1.0, -2.0, 0.5))
    assert pin_label(mini, False) == "α=0.02 · B=32 (seed 3) · raw · λ=0.01 · init (1,-2,0.5)"
    assert pin_label(TrainingSettings(learning_rate=1e-4, batch_size=1), False).startswith("α=0.0001 · SGD (seed 0)")
    words = LabelWords(full="全批量", sgd="随机", standardized="标准化", raw="原始", init="初值", seed="种子")
    assert pin_label(TrainingSettings(learning_rate=0.5), True, words) == "α=0.5 · 全批量 · 标准化 · λ=0 · 初值 (0,0,0)"


def test_labels_of_different_settings_differ():
    variants = [TrainingSettings(), TrainingSettings(learning_rate=0.2), TrainingSettings(batch_size=8),
                TrainingSettings(batch_size=8, seed=1), TrainingSettings(l2=0.1), TrainingSettings(init=(0, 0, 1.0))]
    labels = {pin_label(s, False) for s in variants} | {pin_label(TrainingSettings(), True)}
    assert len(labels) == len(variants) + 1


# --- pins ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("total", [0, 1, 10, 1_999, 2_000, 5_000, 100_000])
def test_kept_iterations_are_few_sorted_and_keep_both_ends(total):
    kept = kept_iterations(total)
    assert kept[0] == 0 and kept[-1] == total
    assert len(kept) <= compare.PATH_LIMIT and np.all(np.diff(kept) > 0)
    if total < compare.PATH_LIMIT:
        assert len(kept) == total + 1
    else:
        assert np.all(np.isin(np.arange(20), kept))  # the first iterations stay dense
    assert total // 2 in kept_iterations(total, extra=(total // 2, total + 5, -1))


def test_a_pin_keeps_the_run_in_original_units():
    settings = TrainingSettings(learning_rate=0.01, standardize=True, max_iterations=3_000)
    pin, trajectory = pinned(settings, extra=(1234,))
    assert trajectory.iterations == 3_000
    # The pin is known by its run (the data and the settings), once: its RunKey.
    assert pin.key.settings == settings and pin.key.fingerprint == pin.fingerprint and pin.label == pin_label(settings, True)
    assert pin.total == trajectory.iterations and len(pin.iterations) <= compare.PATH_LIMIT + 1
    assert 1234 in pin.iterations
    np.testing.assert_array_equal(pin.params, trajectory.params_original[pin.iterations])
    np.testing.assert_array_equal(pin.loss, trajectory.loss[pin.iterations])
    np.testing.assert_array_equal(pin.final, trajectory.final_params_original)
    with pytest.raises(AttributeError):
        pin.label = "other"  # frozen


# --- figures ------------------------------------------------------------------------------------

def figures_for(n_pins: int, **kwargs):
    pins = [pinned(TrainingSettings(learning_rate=a, max_iterations=80), number=i + 1, style=i)[0]
            for i, a in enumerate((0.02, 0.05, 0.5, 2.0)[:n_pins])]
    current, _ = pinned(TrainingSettings(learning_rate=0.2, standardize=True, max_iterations=80), extra=(30,))
    return pins, current, comparison_figures(pins, current, DATA, TEXT, **kwargs)


@pytest.mark.parametrize("n_pins", [0, 1, 4])
def test_figures_have_one_styled_trace_per_run(n_pins):
    pins, current, (loss_fig, path_fig, lines_fig) = figures_for(n_pins, current_iteration=30)
    runs = n_pins + 1
    assert len(loss_fig.data) == runs + 1  # + the current iteration's marker
    assert len(path_fig.data) == 3 * runs + 1  # path, start, end per run; + the current iteration
    assert len(lines_fig.data) == 2 + runs  # the two classes, then a line per run
    curves = loss_fig.data[:runs]
    styles = {(c.line.color, c.line.dash) for c in curves}
    assert len({c for c, _ in styles}) == runs and len({d for _, d in styles}) == runs  # colour AND dash differ
    names = [c.name for c in curves]
    assert names[0].startswith("Current: α=0.2 · full · std")
    assert curves[0].line.dash == "solid"
    for pin, name in zip(pins, names[1:]):
        assert name == f"📌{pin.number}: {pin_label(pin.settings, False)}"
    # the legend names match across the figures
    assert [t.name for t in lines_fig.data[2:]] == names
    assert [t.name for t in path_fig.data[0 : 3 * runs : 3]] == names
    # the current iteration is marked on the current run
    marker = loss_fig.data[-1]
    assert marker.x[0] == 30 and marker.y[0] == pytest.approx(current.loss[list(current.iterations).index(30)])


def test_final_lines_are_the_runs_lines_in_original_units():
    pins, current, (_, _, lines_fig) = figures_for(2)
    box = padded_box(DATA.X)
    for run, trace in zip([current, *pins], lines_fig.data[2:]):
        ends = separating_line(run.final, box)
        assert ends is not None
        np.testing.assert_allclose(trace.x, [ends[0][0], ends[1][0]])
        np.testing.assert_allclose(trace.y, [ends[0][1], ends[1][1]])
    assert tuple(lines_fig.layout.xaxis.range) == (box[0], box[1])


def test_a_run_without_a_line_says_so_and_a_diverged_run_is_named():
    no_line, _ = pinned(TrainingSettings(max_iterations=0), number=1)  # w = 0: no line yet
    data = load_bundled("penguins-mass")
    diverged, trajectory = pinned(TrainingSettings(learning_rate=1.0, max_iterations=100), number=2, style=1,
                                  data=data)
    assert trajectory.status == "diverged"
    _, _, lines_fig = comparison_figures([no_line], no_line, DATA, TEXT)
    assert lines_fig.data[2].name.endswith("(no line)") and lines_fig.data[2].x == (None,)
    loss_fig, _, _ = comparison_figures([diverged], diverged, data, TEXT)
    assert loss_fig.data[0].name.endswith("· diverged")


def test_log_axes():
    _, _, (loss_fig, _, _) = figures_for(1, log_iterations=True, log_loss=True)
    assert loss_fig.layout.xaxis.type == "log" and loss_fig.layout.yaxis.type == "log"
    assert all(min(trace.x) >= 1 for trace in loss_fig.data)  # iteration 0 has no place on a log axis


def test_large_data_are_drawn_through_a_sample():
    big = generate("overlap", n=10_000, noise=0.3, seed=0)
    current, _ = pinned(TrainingSettings(max_iterations=5), data=big)
    _, _, lines_fig = comparison_figures([], current, big, TEXT)
    assert sum(len(t.x) for t in lines_fig.data[:2]) == compare.DRAW_POINTS


# --- the panel through AppTest --------------------------------------------------------------------

def compare_script() -> None:
    import streamlit as st

    from logit import TrainingSettings, generate, train
    from logit.ui.cached import loaded
    from logit.ui.panels.compare import show as compare_ui
    from logit.ui.i18n import Translator
    from logit.ui.context import Page

    data = loaded(generate("overlap", n=150, noise=0.3, seed=int(st.session_state.get("data_seed", 0))))
    settings = TrainingSettings(learning_rate=float(st.session_state.get("alpha", 0.1)), max_iterations=60,
                                standardize=bool(st.session_state.get("std", False)))
    page = Page(Translator(st.session_state.get("language", "en")), data, settings)
    compare_ui(page, train(data.dataset.X, data.dataset.y, settings), int(st.session_state.get("k", 10)))


def charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def pins(at: AppTest):
    return tuple(at.session_state["pins"]) if "pins" in at.session_state else ()


def click(at: AppTest, key: str) -> None:
    at.button(key=key).click().run()
    assert not at.exception, at.exception


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_function(compare_script, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def pin_with(at: AppTest, alpha: float, std: bool = False) -> None:
    at.session_state["alpha"] = alpha
    at.session_state["std"] = std
    at.run()
    click(at, "compare_pin")


def test_nothing_pinned_prompts_to_pin(app):
    assert [i.value for i in app.info] == [en.TEXTS["compare.empty"]]
    assert not app.get("plotly_chart")
    assert app.button(key="compare_clear").disabled and not app.button(key="compare_pin").disabled


def test_pin_change_settings_and_compare(app):
    click(app, "compare_pin")
    assert len(pins(app)) == 1
    assert any("Pinned: α=0.1 · full · raw" in t.value for t in app.toast)
    assert app.button(key="compare_pin").disabled  # the same settings pin once
    loss, lines, path = charts(app)
    assert len(loss["data"]) == 2 + 1  # the pin, the current run, the current iteration
    pin_with(app, 0.5, std=True)
    assert len(pins(app)) == 2
    loss, lines, path = charts(app)
    assert len(loss["data"]) == 3 + 1 and len(lines["data"]) == 2 + 3 and len(path["data"]) == 3 * 3 + 1
    names = [t["name"] for t in loss["data"][:3]]
    assert names == ["Current: α=0.5 · full · std · λ=0 · init (0,0,0)",
                     "📌1: α=0.1 · full · raw · λ=0 · init (0,0,0)", "📌2: α=0.5 · full · std · λ=0 · init (0,0,0)"]


def test_a_fifth_pin_replaces_the_oldest(app):
    for alpha in (0.1, 0.2, 0.5, 1.0):
        pin_with(app, alpha)
    assert len(pins(app)) == 4
    pin_with(app, 2.0)
    assert [p.settings.learning_rate for p in pins(app)] == [0.2, 0.5, 1.0, 2.0]
    assert any("At most 4 runs" in t.value and "α=0.1" in t.value for t in app.toast)
    assert len({p.style for p in pins(app)}) == 4  # styles stay distinct
    assert len(charts(app)[0]["data"]) == 5 + 1


def test_remove_one_and_clear_all(app):
    for alpha in (0.1, 0.2, 0.5):
        pin_with(app, alpha)
    second = pins(app)[1]
    style_of_third = pins(app)[2].style
    click(app, f"compare_remove_{second.number}")
    assert [p.settings.learning_rate for p in pins(app)] == [0.1, 0.5]
    assert pins(app)[1].style == style_of_third  # the others keep their colours
    assert len(charts(app)[0]["data"]) == 3 + 1
    click(app, "compare_clear")
    assert pins(app) == ()
    assert not app.get("plotly_chart")


def test_pins_of_other_data_are_hidden_and_can_be_cleared(app):
    pin_with(app, 0.1)
    app.session_state["data_seed"] = 1
    app.run()
    assert len(pins(app)) == 1
    assert [w.value for w in app.warning] == [en.TEXTS["compare.other_data"].format(n=1)]
    assert not app.get("plotly_chart")  # the pin belongs to other data
    assert not app.button(key="compare_pin").disabled
    click(app, "compare_clear_other")
    assert pins(app) == () and not app.warning


def test_going_back_to_the_data_brings_the_pins_back(app):
    pin_with(app, 0.1)
    app.session_state["data_seed"] = 1
    app.run()
    pin_with(app, 0.5)
    app.session_state["data_seed"] = 0
    app.run()
    assert len(pins(app)) == 2
    assert len(charts(app)[0]["data"]) == 2 + 1  # only this data's pin, and the current run


def test_chinese_panel(app):
    app.session_state["language"] = "zh"
    app.run()
    click(app, "compare_pin")
    assert not app.exception
    names = [t["name"] for t in charts(app)[0]["data"][:2]]
    assert names == ["当前：α=0.1 · 全批量 · 原始 · λ=0 · 初值 (0,0,0)", "📌1 号：α=0.1 · 全批量 · 原始 · λ=0 · 初值 (0,0,0)"]
    assert app.button(key="compare_pin").label == zh.TEXTS["compare.pin"]
