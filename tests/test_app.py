"""The page through Streamlit's AppTest: every control, uploads good and bad, both languages."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from logit.training import train
from logit.ui import cached
from logit.ui.locales import en, zh
from page_formulas import formulas
from player_state import args as player_args
from player_state import ahead_values, choose_alpha, click, click_chart, page_state, report, rest, run_values, scrub, step
from player_state import figures as player_figures

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
TIMEOUT = 60


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    return at


def iteration(at: AppTest) -> int:
    return int(page_state(at)["iteration"])


def charts(at: AppTest) -> list[dict]:
    """The training view's four figures, then the charts of the panel below."""
    main = player_figures(at)
    return [main[name] for name in ("data", "weights", "gradients", "loss")] + [
        json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_page_loads_at_iteration_zero_with_the_training_view(app):
    assert en.TEXTS["app.title"] in [t.value for t in app.title]
    sent = player_args(app)
    assert set(sent["figures"]) == {"data", "weights", "gradients", "loss"}
    assert sent["seek"]["k"] == 0 and sent["texts"]["step"] == en.TEXTS["control.step"]
    assert iteration(app) == 0


def test_the_browser_gets_the_whole_run_exactly(app):
    trajectory = app.session_state["run"][1]
    values = run_values(app)
    assert values.shape == (trajectory.iterations + 1, 11)
    assert player_args(app)["run"]["K"] == trajectory.iterations
    np.testing.assert_array_equal(values[:, 0:3], trajectory.params)
    np.testing.assert_array_equal(values[:, 3:6], trajectory.params_original)
    np.testing.assert_array_equal(values[:, 6:9], trajectory.gradients)
    np.testing.assert_array_equal(values[:, 9], trajectory.loss)
    np.testing.assert_array_equal(values[:, 10], trajectory.accuracy)


def test_a_report_of_step_moves_the_panels_and_the_url(app):
    step(app)
    assert iteration(app) == 1
    assert app.query_params["iteration"] in ("1", ["1"])
    step(app, 10)
    assert iteration(app) == 11
    scrub(app, 4)
    assert iteration(app) == 4
    scrub(app, 0)
    assert iteration(app) == 0 and "iteration" not in app.query_params


def test_a_report_is_acted_on_once(app):
    app.session_state["player"] = {"k": 5, "nonce": "same"}
    app.run()
    assert iteration(app) == 5
    page_state(app)["iteration"] = 2  # e.g. moved by the server since
    app.run()
    assert iteration(app) == 2, "an old report must not pull the iteration back"


def test_reports_out_of_range_or_malformed_are_harmless(app):
    K = player_args(app)["run"]["K"]
    report(app, k=10 ** 9)
    assert iteration(app) == K
    report(app, k=-5)
    assert iteration(app) == 0
    report(app, k="three")
    report(app, k=3, click="nonsense")
    report(app, k=3, click={"mode": "remove", "index": 10 ** 6})
    report(app, k=3, click={"mode": "add1", "x": "a", "y": None})
    assert app.session_state["last_good_data"].dataset.n == 200


def test_only_the_server_moving_the_view_changes_the_seek_token(app):
    step(app, 10)
    token = player_args(app)["seek"]["token"]
    app.run()
    assert player_args(app)["seek"]["token"] == token, "an ordinary run must not move the view"
    app.segmented_control(key="click_mode").set_value("add1").run()
    click_chart(app, mode="add1", x=0.5, y=0.5)
    assert app.session_state["edited"][1].dataset.n == 201  # the click added a point of class 1
    assert "201" in " ".join(c.value for c in app.caption), "the whole page must run again with the new point"
    assert player_args(app)["seek"]["token"] == token
    app.button(key="revert_edits").click().run()  # back to the original data: the view goes to iteration 0
    assert not app.exception
    assert player_args(app)["seek"] == {"k": 0, "token": player_args(app)["seek"]["token"]}
    assert player_args(app)["seek"]["token"] != token and iteration(app) == 0


def test_step_past_the_computed_iterations_extends_the_run(app):
    app.sidebar.number_input(key="max_iterations").set_value(5).run()
    assert player_args(app)["run"]["K"] == 5 and player_args(app)["run"]["canContinue"]
    step(app, 10)
    trajectory = app.session_state["run"][1]
    assert iteration(app) == 10
    assert trajectory.iterations >= 10
    assert player_args(app)["run"]["K"] == trajectory.iterations == len(run_values(app)) - 1


def test_changing_alpha_recomputes_and_keeps_the_iteration(app):
    step(app, 10)
    loss_before = app.session_state["run"][1].loss[10]
    choose_alpha(app, 1.0)
    assert iteration(app) == 10
    assert app.session_state["run"][1].settings.learning_rate == 1.0
    assert app.session_state["run"][1].loss[10] != loss_before
    assert run_values(app)[10, 9] == app.session_state["run"][1].loss[10]
    assert player_args(app)["alpha"] == 1.0 and app.query_params["alpha"] == "1"


def test_a_report_sent_with_an_older_url_does_not_drop_alpha_from_the_link(app):
    """Each run takes the URL the browser sent with its request; a Step reported before the α
    change's new URL reached the browser carries the old one. The link must keep α all the same."""
    choose_alpha(app, 1.0)
    assert app.query_params["alpha"] == "1"
    del app.query_params["alpha"]  # the browser's URL before the α change's run came back
    step(app)
    assert app.session_state["run"][1].settings.learning_rate == 1.0
    assert app.query_params["alpha"] == "1"


def test_the_runs_at_nearby_learning_rates_are_sent_ahead_and_match_the_core(app):
    """The view switches to these at once; each must be the run the core computes at that rate."""
    rest(app)
    settings = app.session_state["run"][1].settings
    data = app.session_state["last_good_data"].dataset
    sent = ahead_values(app)
    assert list(sent) == [0.2, 0.05, 1.0, 0.01]  # a notch up, a notch down, ×10, ÷10
    for meta in player_args(app)["ahead"]:
        expected = train(data.X, data.y, dataclasses.replace(settings, learning_rate=meta["alpha"]))
        np.testing.assert_array_equal(sent[meta["alpha"]][:, 9], expected.loss)
        assert meta["K"] == expected.iterations and meta["status"] == expected.status
        assert f"alpha{meta['alpha']:g}" in meta["files"]["loss"]
    # Choosing one of them finds it computed: the run on show is the one that was sent ahead.
    revision = next(m["revision"] for m in player_args(app)["ahead"] if m["alpha"] == 1.0)
    choose_alpha(app, 1.0)
    assert player_args(app)["run"]["revision"] == revision
    assert 0.1 in ahead_values(app), "going back must be at once too"


def test_a_run_the_view_lacks_goes_first_and_its_runs_ahead_with_the_next_report(app):
    """A run computes one run's worth before it sends the view: the runs ahead not computed yet
    are computed before the view only when the view already shows the run on show."""
    cached.trained.clear()  # nothing computed yet
    app.sidebar.number_input(key="seed").set_value(7).run()
    args = player_args(app)
    assert args["ahead"] == [] and args["ahead_pending"] is True
    report(app, then_rest=False, k=0)  # the view, resting, reports again
    args = player_args(app)
    assert [meta["alpha"] for meta in args["ahead"]] == [0.2, 0.05, 1.0, 0.01] and args["ahead_pending"] is False
    settings = app.session_state["run"][1].settings
    data = app.session_state["last_good_data"].dataset
    for alpha, values in ahead_values(app).items():
        expected = train(data.X, data.y, dataclasses.replace(settings, learning_rate=alpha))
        np.testing.assert_array_equal(values[:, 9], expected.loss)
    # A rate sent ahead is on show at once: its own runs ahead are computed in the same run.
    choose_alpha(app, 0.2, then_rest=False)
    args = player_args(app)
    assert [meta["alpha"] for meta in args["ahead"]] == [0.5, 0.1, 2.0, 0.02] and args["ahead_pending"] is False
    # A rate far away goes first, with only the runs ahead already there (0.01, computed ahead of 0.1)...
    choose_alpha(app, 0.001, then_rest=False)
    args = player_args(app)
    assert app.session_state["run"][1].settings.learning_rate == 0.001
    assert [meta["alpha"] for meta in args["ahead"]] == [0.01] and args["ahead_pending"] is True
    # ... even when it was computed before, if the view no longer has it.
    choose_alpha(app, 10.0, then_rest=False)
    choose_alpha(app, 0.001, then_rest=False)
    assert player_args(app)["ahead_pending"] is True
    rest(app)
    assert [meta["alpha"] for meta in player_args(app)["ahead"]] == [0.002, 0.0005, 0.01, 0.0001]


def test_an_unknown_learning_rate_from_the_browser_is_ignored(app):
    for wrong in (0.3, -1, "1", None, float("inf")):
        report(app, k=0, alpha=wrong)
        assert app.session_state["run"][1].settings.learning_rate == 0.1


def test_large_data_compute_no_runs_ahead(app):
    app.sidebar.select_slider(key="n").set_value(10_000).run()
    assert player_args(app)["ahead"] == [], "10,000 points × 1,000 iterations is past the budget"
    choose_alpha(app, 0.2)  # computed when chosen
    assert app.session_state["run"][1].settings.learning_rate == 0.2


@pytest.mark.parametrize(
    "key, value",
    [("standardize", True), ("l2", 0.01), ("w1_0", 1.5), ("w2_0", -2.0), ("b_0", 0.5), ("max_iterations", 50)],
)
def test_every_setting_reaches_the_run(app, key, value):
    widget = app.sidebar.toggle(key=key) if key == "standardize" else None
    if widget is None:
        for kind in ("select_slider", "number_input"):
            try:
                widget = getattr(app.sidebar, kind)(key=key)
                break
            except KeyError:
                continue
    widget.set_value(value).run()
    assert not app.exception
    settings = app.session_state["run"][1].settings
    observed = {
        "standardize": settings.standardize, "l2": settings.l2, "w1_0": settings.init[0],
        "w2_0": settings.init[1], "b_0": settings.init[2], "max_iterations": settings.max_iterations,
    }[key]
    assert observed == value


def test_batch_modes(app):
    app.sidebar.radio(key="batch").set_value("mini").run()
    app.sidebar.slider(key="batch_size").set_value(8).run()
    app.sidebar.number_input(key="shuffle_seed").set_value(3).run()
    settings = app.session_state["run"][1].settings
    assert (settings.batch_size, settings.seed) == (8, 3)
    app.sidebar.radio(key="batch").set_value("sgd").run()
    assert app.session_state["run"][1].settings.batch_size == 1
    app.sidebar.radio(key="batch").set_value("full").run()
    assert app.session_state["run"][1].settings.batch_size is None
    assert not app.exception


def test_generator_controls_change_the_data(app):
    first = app.session_state["run"][0].fingerprint
    for kind in ("blobs", "xor", "circles", "outliers", "imbalanced"):
        app.sidebar.selectbox(key="kind_en").set_value(kind).run()
        assert not app.exception
    app.sidebar.select_slider(key="n").set_value(500).run()
    app.sidebar.slider(key="noise").set_value(0.6).run()
    assert "500" in " ".join(c.value for c in app.caption)
    seed = page_state(app)["seed"]
    app.sidebar.button[0].click().run()  # New sample
    assert page_state(app)["seed"] == seed + 1
    assert app.session_state["run"][0].fingerprint != first


def test_bundled_data_sets_load_with_their_column_names(app):
    app.sidebar.radio(key="source").set_value("bundled").run()
    assert not app.exception
    from logit.bundled import BUNDLED, load_bundled

    for name in BUNDLED:
        app.sidebar.selectbox(key="bundled_en").set_value(name).run()
        assert not app.exception
        spec = charts(app)[0]
        assert spec["layout"]["xaxis"]["title"]["text"] == load_bundled(name).feature_names[0]


def test_divergence_is_explained(app):
    app.sidebar.radio(key="source").set_value("bundled").run()
    choose_alpha(app, 10.0)
    trajectory = app.session_state["run"][1]
    assert trajectory.status == "diverged"
    sent = player_args(app)
    assert sent["run"]["status"] == "diverged"
    # The status is the reason alone ("Training diverged: …"), not "Diverged. Training diverged: …".
    assert "diverged" not in sent["texts"]
    assert sent["run"]["reason"].startswith("Training diverged") and "learning rate 10" in sent["run"]["reason"]


def offered_rate_in(remedy: str, rates: list[float]) -> float:
    """The learning rate a remedy names ("try 0.05 or standardise …"), which must be one the view offers."""
    import re

    rate = float(re.search(r"(?:try|试试) ([0-9.e+-]+)", remedy).group(1))
    assert any(abs(rate - offered) <= 1e-12 * offered for offered in rates), (rate, rates)
    return rate


def test_every_run_sent_says_what_its_loss_shows_at_each_iteration_and_names_a_rate_that_can_be_chosen(app):
    app.sidebar.radio(key="source").set_value("bundled").run()  # penguins in grams and millimetres
    choose_alpha(app, 0.1)
    sent = player_args(app)
    for meta in (sent["run"], *sent["ahead"]):
        assert len(meta["trend"]) == meta["K"] + 1 and set(meta["trend"]) <= set("012")
        suggestion = offered_rate_in(meta["remedy"], sent["rates"])
        assert suggestion < meta["alpha"] and "standardise" in meta["remedy"]
    # At α = 0.1 on millimetres the first step already carries the loss above its start.
    assert sent["trends"][int(sent["run"]["trend"][1])] == "rising"
    app.sidebar.toggle(key="standardize").set_value(True).run()
    assert "standardise" not in player_args(app)["run"]["remedy"], "no advice to do what is done already"


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="upload").set_value((name, content, "text/csv")).run()
    return at


def test_upload_good_bad_good(app):
    good = b"x1,x2,y\n" + b"".join(f"{i},{(i * 7) % 5},{i % 2}\n".encode() for i in range(40))
    upload(app, "good.csv", good)
    assert not app.exception
    assert app.session_state["run"][0].fingerprint == app.session_state["last_good_data"].fingerprint
    assert "**40**" in " ".join(m.value for m in app.caption) or "40" in " ".join(c.value for c in app.caption)
    kept = app.session_state["last_good_data"].fingerprint

    app.sidebar.file_uploader(key="upload").set_value(("bad.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary", "text/csv")).run()
    assert not app.exception
    assert app.sidebar.error, "a bad file must get an error message"
    assert app.session_state["last_good_data"].fingerprint == kept
    assert player_args(app)["run"]["K"] >= 0

    three = b"a,b,c\n1,2,x\n3,4,y\n5,6,z\n"
    app.sidebar.file_uploader(key="upload").set_value(("three.csv", three, "text/csv")).run()
    assert not app.exception and app.sidebar.error

    good2 = b"x1;x2;y\n" + b"".join(f"{i};{i % 3};{'yes' if i % 2 else 'no'}\n".encode() for i in range(30))
    app.sidebar.file_uploader(key="upload").set_value(("good2.csv", good2, "text/csv")).run()
    assert not app.exception and not app.sidebar.error
    assert app.session_state["last_good_data"].dataset.n == 30
    assert app.session_state["last_good_data"].dataset.classes == ("no", "yes")


def test_upload_that_drops_rows_warns(app):
    content = b"x1,x2,y\n1,2,0\n2,,1\n3,4,1\n5,nan,0\n6,7,0\n8,9,1\n"
    upload(app, "gaps.csv", content)
    assert not app.exception
    assert app.warning, "dropped rows must be reported"
    assert app.session_state["last_good_data"].dataset.n == 4


def test_upload_with_ambiguous_columns_offers_pickers(app):
    content = b"height,weight,age,species\n" + b"".join(
        f"{150 + i},{50 + i % 7},{20 + i % 5},{'a' if i % 2 else 'b'}\n".encode() for i in range(20)
    )
    upload(app, "four.csv", content)
    assert not app.exception
    label_picker = next(box for box in app.sidebar.selectbox if box.label == en.TEXTS["data.label"])
    label_picker.set_value("species").run()
    assert not app.exception
    dataset = app.session_state["last_good_data"].dataset
    assert dataset.label_name == "species"


CORPUS = sorted(p for p in DATA.glob("*") if p.is_file() and not p.name.startswith(".") and p.name != "MANIFEST.csv")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_files_never_raise_in_the_page(path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    at.run()
    upload(at, path.name, path.read_bytes())
    assert not at.exception, f"{path.name}: {at.exception}"
    assert set(player_figures(at)) == {"data", "weights", "gradients", "loss"}


def test_chinese_interface(app):
    app.sidebar.segmented_control(key="lang").set_value("zh").run()
    assert not app.exception
    assert zh.TEXTS["app.title"] in [t.value for t in app.title]
    texts = player_args(app)["texts"]
    assert texts["step"] == zh.TEXTS["control.step"] and texts["header"] == zh.TEXTS["status.iteration"]
    assert player_args(app)["language"] == "zh"


def test_chain_rule_panel_shows_formulas_for_the_chosen_point(app):
    step(app)
    app.number_input(key="point").set_value(3).run()
    assert not app.exception
    latex = formulas(app)
    assert any(r"\frac{\partial L}{\partial \hat y}" in line for line in latex)
    assert any(r"w_1 \leftarrow" in line for line in latex)
    assert page_state(app)["point"] == 3


def test_presenter_mode_hides_settings_and_enlarges_charts(app):
    normal = charts(app)[1]["layout"]["height"]
    app.toggle(key="presenter").set_value(True).run()
    assert not app.exception
    assert any("stSidebar" in m.value for m in app.markdown), "presenter CSS must hide the sidebar"
    assert charts(app)[1]["layout"]["height"] > normal
    assert player_args(app)["scale"] > 1
    app.toggle(key="presenter").set_value(False).run()
    assert not any("stSidebar" in m.value for m in app.markdown)


def test_click_modes_offer_both_classes_and_a_clickable_grid_when_adding(app):
    control = app.segmented_control(key="click_mode")
    assert control.value == "explain"
    control.set_value("add1").run()
    assert not app.exception
    grid = [t for t in charts(app)[0]["data"] if t.get("name") == "grid"]
    assert grid, "adding points needs the clickable grid"
    app.segmented_control(key="click_mode").set_value("remove").run()
    assert not [t for t in charts(app)[0]["data"] if t.get("name") == "grid"]


def test_a_link_opens_the_same_state():
    # Bound widgets are written to the URL by the browser (see the browser tests); here: URL → page.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    params = {"lang": "zh", "source": "bundled", "bundled": "iris", "alpha": "0.5", "batch": "mini",
              "batch_size": "8", "standardize": "true", "l2": "0.01", "w1_0": "1.5", "iteration": "7",
              "presenter": "true", "max_iterations": "300"}
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    trajectory = at.session_state["run"][1]
    settings = trajectory.settings
    assert at.session_state["last_good_data"].dataset.source.startswith("Fisher")
    assert (settings.learning_rate, settings.batch_size, settings.standardize, settings.l2) == (0.5, 8, True, 0.01)
    assert settings.init[0] == 1.5 and settings.max_iterations == 300
    assert iteration(at) == 7 and player_args(at)["seek"]["k"] == 7
    assert any("stSidebar" in m.value for m in at.markdown)


def test_a_link_restores_the_view_panel_point_click_mode_and_pins(app):
    # Make a view: the landscape panel, point 7 explained, clicks adding class 1, two runs pinned.
    app.segmented_control(key="panel").set_value("compare").run()
    app.button(key="compare_pin").click().run()
    choose_alpha(app, 0.5)
    app.button(key="compare_pin").click().run()
    click_chart(app, mode="explain", index=7)
    app.segmented_control(key="click_mode").set_value("add1").run()
    app.segmented_control(key="panel").set_value("landscape").run()
    assert not app.exception
    link = {key: app.query_params[key] for key in app.query_params}
    assert {link[key] for key in ("panel", "point", "click_mode")} == {"landscape", "7", "add1"}
    pinned = [pin.settings for pin in app.session_state["pins"]]

    opened = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in link.items():
        opened.query_params[key] = value
    opened.run()
    assert not opened.exception
    assert opened.segmented_control(key="panel").value == "landscape"
    assert opened.segmented_control(key="click_mode").value == "add1"
    assert page_state(opened)["point"] == 7 and player_args(opened)["click_mode"] == "add1"
    opened.segmented_control(key="panel").set_value("compare").run()
    assert [pin.settings for pin in opened.session_state["pins"]] == pinned
    assert len(opened.get("plotly_chart")) == 3


def test_a_link_with_bad_view_values_opens_the_default_view():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in {"panel": "nowhere", "point": "-5", "click_mode": "fly", "pins": "1_2_x~garbage"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert at.segmented_control(key="panel").value == "chain" and page_state(at)["point"] == 0
    at.segmented_control(key="panel").set_value("compare").run()
    assert not at.exception
    assert "pins" not in at.session_state or not at.session_state["pins"]
    assert "pins" not in at.query_params


def test_a_link_with_bad_values_falls_back_to_defaults():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in {"lang": "xx", "source": "nowhere", "kind": "spiral", "alpha": "-3", "n": "abc",
                       "iteration": "999999", "batch": "huge"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert at.session_state["run"][1].settings.learning_rate == 0.1
    assert 0 <= iteration(at) <= at.session_state["run"][1].iterations


@pytest.mark.parametrize("panel, charts_below", [("chain", 0), ("points", 0), ("landscape", 1), ("compare", 0), ("lesson", 0), ("threshold", 2), ("split", 0), ("downloads", 0)])
def test_every_panel_below_the_charts_renders(app, panel, charts_below):
    step(app, 10)
    app.segmented_control(key="panel").set_value(panel).run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == charts_below


def test_compare_pins_runs_with_different_settings(app):
    app.segmented_control(key="panel").set_value("compare").run()
    click(app, "compare_pin")
    choose_alpha(app, 1.0)
    click(app, "compare_pin")
    assert len(app.session_state["pins"]) == 2
    loss_chart = next(c for c in charts(app) if any("α=1" in (t.get("name") or "") for t in c["data"]))
    names = [t.get("name") or "" for t in loss_chart["data"]]
    assert any("α=0.1" in name for name in names) and any("α=1" in name for name in names)
    click(app, "compare_clear")
    assert len(app.session_state["pins"]) == 0


def test_held_out_test_set_trains_on_the_rest_and_shows_test_curves(app):
    n = app.session_state["last_good_data"].dataset.n
    app.sidebar.toggle(key="split_on").set_value(True).run()
    assert not app.exception
    trained_on = app.session_state["run"][0].fingerprint
    assert trained_on != app.session_state["last_good_data"].fingerprint  # trains on the training part only
    step(app, 10)
    app.segmented_control(key="panel").set_value("split").run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == 2
    app.segmented_control(key="panel").set_value("threshold").run()
    assert not app.exception and len(app.get("plotly_chart")) >= 3  # confusion matrices for train and test + sweep
    app.slider(key="threshold").set_value(0.8).run()
    assert not app.exception
    assert app.session_state["last_good_data"].dataset.n == n


def test_lesson_walks_through_every_step(app):
    app.segmented_control(key="panel").set_value("lesson").run()
    steps = 1
    while not app.button(key="lesson_next").disabled:
        click(app, "lesson_next")
        steps += 1
        assert formulas(app)  # every step explains with the live state
    assert steps == 6
    assert app.button(key="lesson_back").disabled is False
    while not app.button(key="lesson_back").disabled:
        click(app, "lesson_back")
    assert app.session_state["lesson_step"] in (0, 1)


@pytest.mark.parametrize("requested, n, expected", [(1000, 200, 1000), (1000, 20_000, 1000), (1000, 100_000, 200),
                                                    (1000, 1_000_000, 20), (50, 1_000_000, 20), (5, 10, 5),
                                                    (10, 10 ** 9, 10)])
def test_large_data_compute_fewer_iterations_up_front(requested, n, expected):
    from logit.ui.runs import MIN_UP_FRONT, UP_FRONT_BUDGET, iterations_up_front

    got = iterations_up_front(requested, n)
    assert got == expected
    assert got <= requested and (got == requested or got * n <= UP_FRONT_BUDGET or got == MIN_UP_FRONT)


def test_a_large_sample_says_how_much_it_computes_up_front_and_steps_past_it(app):
    app.sidebar.select_slider(key="n").set_value(100_000).run()
    assert not app.exception
    trajectory = app.session_state["run"][1]
    assert trajectory.iterations == 200 and trajectory.can_continue
    assert any("first 200 iterations" in c.value for c in app.sidebar.caption)
    step(app, 205)
    assert iteration(app) == 205 and app.session_state["run"][1].iterations >= 205
    sampled = player_args(app)
    assert len(sampled["points"]["x1"]) == 5000 and "5,000" in sampled["texts"]["sampled"]


# --- a teacher's own files: encodings, workbooks, sheets, anything else -----------------------

REAL = DATA / "real"


def choose_columns(at: AppTest, x1: str, x2: str, label: str, positive: str | None = None) -> AppTest:
    boxes = {box.label: box for box in at.sidebar.selectbox}
    boxes["x1"].set_value(x1)
    boxes["x2"].set_value(x2)
    boxes[en.TEXTS["data.label"]].set_value(label)
    at.run()
    if positive is not None:
        next(box for box in at.sidebar.selectbox if box.label == en.TEXTS["data.positive"]).set_value(positive).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("name", ["penguins_zh_excel_gbk.csv", "penguins_zh_excel_unicode_text.txt",
                                  "penguins_zh_excel97.xls", "penguins_zh_libreoffice.ods"])
def test_a_chinese_teachers_file_trains_as_its_utf8_twin(app, name):
    columns = ("喙长(毫米)", "体重(克)", "性别")
    upload(app, "penguins_zh.csv", (REAL / "penguins_zh.csv").read_bytes())
    twin = choose_columns(app, *columns).session_state["last_good_data"].dataset
    upload(app, name, (REAL / name).read_bytes())
    assert not app.sidebar.error
    dataset = choose_columns(app, *columns).session_state["last_good_data"].dataset
    np.testing.assert_array_equal(dataset.X, twin.X)
    np.testing.assert_array_equal(dataset.y, twin.y)
    assert dataset.classes == twin.classes == ("雄", "雌")
    assert app.session_state["run"][1].params.tolist() == train(twin.X, twin.y, app.session_state["run"][1].settings).params.tolist()


def test_the_page_says_which_encoding_it_read_and_lets_the_teacher_choose_another(app):
    upload(app, "gbk.csv", (REAL / "penguins_zh_excel_gbk.csv").read_bytes())
    captions = " ".join(c.value for c in app.sidebar.caption)
    assert en.TEXTS["data.encoding.used"].format(encoding="GB18030 / GBK", how=en.TEXTS["data.encoding.found"]) in captions
    key = f"encoding_{cached.content_hash((REAL / 'penguins_zh_excel_gbk.csv').read_bytes())}"
    kept = app.session_state["last_good_data"].fingerprint
    app.sidebar.selectbox(key=key).set_value("utf-8").run()  # wrong: GBK bytes are not UTF-8
    assert not app.exception and app.sidebar.error
    assert "UTF-8" in app.sidebar.error[0].value
    assert app.session_state["last_good_data"].fingerprint == kept, "the data read before stay in use"
    app.sidebar.selectbox(key=key).set_value("auto").run()
    assert not app.exception and not app.sidebar.error


def test_an_uncertain_encoding_is_read_and_flagged_in_the_pages_language(app):
    app.sidebar.segmented_control(key="lang").set_value("zh").run()
    upload(app, "labels.csv", "x1,x2,y\r\n1,2,男\r\n3,4,女\r\n5,6,男\r\n".encode("gbk"))
    assert not app.exception
    assert app.session_state["last_good_data"].dataset.classes == ("女", "男")
    warnings = " ".join(w.value for w in app.warning)
    assert "GB18030 / GBK" in warnings and "文件编码" in warnings


def test_a_workbook_with_two_sheets_offers_the_sheets(app):
    content = (REAL / "penguins_two_sheets_libreoffice.xlsx").read_bytes()
    upload(app, "two.xlsx", content)
    assert not app.sidebar.error
    key = f"sheet_{cached.content_hash(content)}"
    assert app.sidebar.selectbox(key=key).options == ["Adelie and Gentoo", "Chinstrap and Gentoo"]
    choose_columns(app, "bill_length_mm", "body_mass_g", "species")
    assert app.session_state["last_good_data"].dataset.classes == ("Adelie", "Gentoo")
    app.sidebar.selectbox(key=key).set_value("Chinstrap and Gentoo").run()
    choose_columns(app, "bill_length_mm", "body_mass_g", "species")
    assert app.session_state["last_good_data"].dataset.classes == ("Chinstrap", "Gentoo")


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("name, content", [
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ("notes.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
    ("penguins_formulas_without_values.xlsx", (REAL / "penguins_formulas_without_values.xlsx").read_bytes()),
])
def test_a_file_that_is_no_table_gets_the_apps_own_message(app, language, name, content):
    app.sidebar.segmented_control(key="lang").set_value(language).run()
    kept = app.session_state["last_good_data"].fingerprint
    upload(app, name, content)
    assert not app.exception
    (error,) = app.sidebar.error
    table = zh.CORE_MESSAGES if language == "zh" else __import__("logit.messages", fromlist=["MESSAGES"]).MESSAGES
    code = "formulas_without_values" if name.endswith(".xlsx") else "binary_file_format"
    assert error.value.startswith(table[code].split("{")[0])
    assert app.session_state["last_good_data"].fingerprint == kept
