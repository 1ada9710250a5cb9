"""The training view and the panel below it: a fragment, which a report from the browser reruns alone.

How a Step flows: the browser moves to the next iteration at once (``view_frontend/view.js``)
and reports it (``{k, nonce}``, the component's value); the fragment runs, :func:`_take_report`
takes the report once (by its nonce), :func:`_follow_report` sets the state's ``iteration``
(and computes more iterations when Play asks, or acts on a click), and the panel below draws at
that iteration. The view's arguments stay the same from report to report (where to go, the
seek, only changes when the server moves the view), so Streamlit sends a reference instead of
them. A new learning rate comes the same way, with ``alpha`` in the report.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from logit.dataset import fixed_sample
from logit.diagnosis import loss_trend
from logit.errors import LogitError
from logit.geometry import padded_box, probability_grid_axes
from logit.messages import Notice
from logit.training import Trajectory, TrainingSettings, remedy, suggested_learning_rate
from logit.ui import chart_clicks, exports, figures, panels, room, screen, state, view_component
from logit.ui.context import Page
from logit.ui.i18n import Translator
from logit.ui.runs import current_run, extended, learning_rate_named, runs_ahead
from logit.ui.state import CLICK_MODES, LEARNING_RATES

SPEEDS = (1, 2, 5, 10, 30, 60, 120)  # iterations per second while playing
DEFAULT_SPEED = 10
HEATMAP_RESOLUTION = 60
DRAW_LIMIT = 5_000  # points drawn on the data chart; compute always uses all of them
CLICK_GRID = 45  # clickable points a side when adding points
TRAINING_CHARTS = ("data", "weights", "gradients", "loss")


def training_view(page: Page) -> None:
    """The training view (controls, status, metrics, charts: drawn in the browser), then one panel.

    A report from the browser reruns only :func:`_training_fragment`.
    """
    view = state.session("view")
    if view.seek_count:
        # A whole-page run may draw the view anew (its frame loses what it showed): it then
        # starts at the iteration the panels show.
        view.seek_k = state.get("iteration")
    _training_fragment(page)


@st.fragment
def _training_fragment(page: Page) -> None:
    tr = page.tr
    try:
        page, report = _take_report(page)
        if report is not None and "room" not in report:  # a room's news: the room says where to go
            _follow_report(page, report)
        room.follow_view(report)  # a student's page moves with the teacher's
        page = page.with_learning_rate(state.get("alpha"))
        trajectory = current_run(page)
        if room.following() and state.get("iteration") > trajectory.iterations and trajectory.can_continue:
            trajectory = extended(page, trajectory, state.get("iteration"))  # the teacher played on
    except LogitError as error:  # e.g. starting weights that overflow on these features
        st.error(tr.error(error), icon="⚠️")
        room.share_state()
        state.write_url()
        return
    if state.session("data_changed"):
        state.keep(data_changed=False)
        st.rerun()  # a click edited the points: the data come from the whole page's run
    seek_k, token = _seek()
    k = min(state.get("iteration"), trajectory.iterations)
    state.set(iteration=k)
    seek = (min(seek_k, trajectory.iterations), token)
    view = st.container()
    ahead, complete = runs_ahead(page, compute=False)
    # The runs ahead not computed yet are computed now only if the browser already shows the
    # run: then the panel goes first and reaches the browser while the server computes them.
    # Else the view goes first, and they come with the next report (the view sends one once
    # it has rested).
    if complete or not _view_has(page, trajectory):
        with view:
            _view_ui(page, trajectory, seek, ahead, complete)
        panels.panel_ui(page, trajectory, k)
    else:
        panels.panel_ui(page, trajectory, k)
        ahead, complete = runs_ahead(page)
        with view:
            _view_ui(page, trajectory, seek, ahead, complete)
    room.share_state()
    state.write_url()


# --- the exchange with the browser ------------------------------------------------------------------

def _seek() -> tuple[int, str]:
    """Where the training view goes when it first draws or the server moves it: (iteration, token).

    The token changes each time the server moves the view. Both stay the same while the
    browser moves it (a report only updates the state's iteration), so the view's arguments
    stay the same from report to report and Streamlit sends a reference to them instead.
    """
    view = state.session("view")
    if not view.seek_count:  # a link may open at an iteration (?iteration=40)
        state.move_to(state.get("iteration"))
    return view.seek_k, str(view.seek_count)


def _take_report(page: Page) -> tuple[Page, dict | None]:
    """The training view's latest report, if not yet acted on, and the page with the learning rate
    now chosen (another rate may be in the report). Computes nothing."""
    page = page.with_learning_rate(state.get("alpha"))  # α may have changed since the whole page ran
    report = state.view_report()
    view = state.session("view")
    if report is None or report.get("nonce") == view.report_nonce:
        return page, None
    view.report_nonce = report.get("nonce")
    rate = learning_rate_named(report.get("alpha")) if isinstance(report.get("alpha"), (int, float)) else None
    if rate is not None:
        state.set(alpha=rate)
        page = page.with_learning_rate(rate)
    return page, report


def _follow_report(page: Page, report: dict) -> None:
    """Act on a report: the iteration on show, a request for more iterations, a click."""
    trajectory = current_run(page)
    try:
        k = int(report.get("k", 0))
    except (TypeError, ValueError):
        return
    if report.get("more") and trajectory.can_continue:
        trajectory = extended(page, trajectory, k + 1)
    state.set(iteration=max(0, min(k, trajectory.iterations)))
    if isinstance(report.get("click"), dict):
        chart_clicks.on_click(page, report["click"])


def _view_has(page: Page, trajectory: Trajectory) -> bool:
    """Whether the training view was sent this run already (as the run on show or a run ahead)."""
    return page.run_key().revision(trajectory.iterations) in state.session("view").sent


# --- the view's arguments ------------------------------------------------------------------------

def _view_ui(page: Page, trajectory: Trajectory, seek: tuple[int, str],
             ahead: list[tuple[TrainingSettings, Trajectory]], ahead_complete: bool) -> None:
    tr, dataset = page.tr, page.data.dataset
    presenter = screen.presenter_mode()
    scale = screen.PRESENTER_SCALE if presenter else 1.0
    click_mode = st.segmented_control(
        tr("click.label"), CLICK_MODES, key=state.widget("click_mode"),
        format_func=lambda m: tr(f"click.{m}", c0=dataset.classes[0], c1=dataset.classes[1]),
        required=True, help=tr("click.help"), on_change=state.take, args=("click_mode",),
    )
    drawn = fixed_sample(dataset.n, DRAW_LIMIT)
    rows = np.arange(dataset.n) if drawn is None else drawn
    box = _chart_box(page)
    selected = state.explained_point(dataset.n)
    specs = _figure_specs(page.data.fingerprint, tr.language, scale, click_mode, selected, tuple(map(float, box)),
                          _page=page, _trajectory=trajectory)
    sampled = tr("chart.sampled", shown=len(drawn), n=dataset.n) if drawn is not None else ""
    args = view_component.player_args(
        run=_view_run(page, page.settings, trajectory),
        ahead=[_view_run(page, settings, run) for settings, run in ahead], ahead_pending=not ahead_complete,
        rates=LEARNING_RATES, data_key=page.data.fingerprint,
        figure_specs=specs, configs={name: tr.chart_config(_png(name, trajectory)) for name in specs.figures},
        alt={"data": tr("chart.data.alt"), "weights": tr("chart.weights"), "gradients": tr("chart.gradients"),
             "loss": tr("chart.loss")},
        drawn_X=dataset.X[rows], drawn_y=dataset.y[rows], drawn_rows=rows, box=box,
        grid=probability_grid_axes(box, HEATMAP_RESOLUTION), text=view_text(tr, trajectory, sampled),
        seek=seek, click_mode=click_mode, language=tr.language, speeds=SPEEDS, speed=DEFAULT_SPEED, scale=scale,
        layout="presenter" if presenter else "page", room=room.view_args(),
    )
    state.session("view").sent = frozenset(meta["revision"] for meta in (args["run"], *args["ahead"]))
    view_component.player(args, key=state.VIEW_REPORT)


def view_text(tr: Translator, trajectory: Trajectory, sampled: str) -> view_component.PlayerText:
    """The training view's words; fields such as ``{k}`` are filled in by the browser."""
    return view_component.PlayerText(
        step=tr("control.step"), step_help=tr("control.step.help"), step10=tr("control.step10"),
        play=tr("control.play"), pause=tr("control.pause"), play_help=tr("control.play.help"),
        reset=tr("control.reset"), reset_help=tr("control.reset.help"), speed=tr("control.speed"),
        speed_value=tr("control.speed.value"), scrub=tr("control.iteration"), scrub_help=tr("control.iteration.help"),
        alpha=tr("settings.alpha"), alpha_help=tr("settings.alpha.help"), alpha_down=tr("control.alpha_down"),
        alpha_down_help=tr("control.alpha_down.help"), alpha_up=tr("control.alpha_up"),
        alpha_up_help=tr("control.alpha_up.help"), computing=tr("status.computing"),
        header=tr("status.iteration"), start=tr("status.start"), running=tr("status.running"),
        playing=tr("status.playing"), converged=tr("status.converged"), rising=tr("status.rising"),
        oscillating=tr("status.oscillating"),
        loss=tr("metric.loss"), accuracy=tr("metric.accuracy"),
        original="" if trajectory.scaler.is_identity else tr("metric.original_units"),
        sampled=sampled, view_title=tr("view.title"),
    )


def _view_run(page: Page, settings: TrainingSettings, trajectory: Trajectory) -> view_component.PlayerRun:
    full_batch = settings.batch_size is None or settings.batch_size >= page.data.dataset.n
    return view_component.PlayerRun(
        trajectory=trajectory, key=page.run_key(settings), reason=page.tr.notice(trajectory.reason),
        files={name: exports.chart_file_name(name, trajectory, "{k}") for name in TRAINING_CHARTS},
        trend=loss_trend(trajectory.loss, full_batch), remedy=page.tr.notice(_remedy(page, trajectory)),
    )


def _remedy(page: Page, trajectory: Trajectory) -> Notice:
    """What to do if this run's loss rises or bounces, naming a learning rate the view offers."""
    X = trajectory.scaler.transform(page.data.dataset.X)
    suggestion = suggested_learning_rate(X, trajectory.settings)
    offered = max((rate for rate in LEARNING_RATES if rate <= suggestion), default=LEARNING_RATES[0])
    return remedy(offered, trajectory.settings)


@st.cache_data(max_entries=256, show_spinner=False)
def _figure_specs(data_key: str, language: str, scale: float, click_mode: str, selected: int | None,
                  box: tuple[float, ...], *, _page: Page, _trajectory: Trajectory) -> view_component.FigureSpecs:
    """The training view's four figures as JSON, built once per data, language and view.

    Building Plotly figures costs ~0.15 s at 1,000 points; a report of the iteration (every Step)
    and another run on the same data (what-if α) reuse them, and a room of people on the same
    default page shares them. Not keyed on the run: the browser puts the run's values in
    (``_trajectory`` only gives the figures their shape).
    """
    tr, dataset, trajectory = _page.tr, _page.data.dataset, _trajectory
    text = figures.DataChartText(
        x1_title=dataset.feature_names[0], x2_title=dataset.feature_names[1],
        class_names=(f"{dataset.classes[0]} (y=0)", f"{dataset.classes[1]} (y=1)"),
        misclassified=tr("chart.misclassified"), boundary=tr("chart.boundary"), probability="ŷ",
        selected=tr("chart.selected"),
    )
    # Drawn at iteration 0: the browser moves every chart to the iteration on show.
    it = tr("chart.iteration")
    charts = {
        "data": figures.data_figure(
            dataset.X, dataset.y, trajectory.params_original[0], box, text, drawn=fixed_sample(dataset.n, DRAW_LIMIT),
            selected=selected, scale=scale, clickable_grid=CLICK_GRID if click_mode in ("add0", "add1") else 0,
            # The browser draws the probability itself; SVG, not WebGL, for the ≤ 5,000 drawn points:
            # the rings of the misclassified points change by their SVG elements, and starting WebGL
            # costs seconds where the browser renders it in software.
            heatmap_resolution=2, webgl=False),
        "weights": figures.history_figure(trajectory.params, ("w₁", "w₂", "b"), 0, title=tr("chart.weights"),
                                          y_title=tr("chart.value"), x_title=it, scale=scale),
        "gradients": figures.history_figure(trajectory.gradients, ("∂J/∂w₁", "∂J/∂w₂", "∂J/∂b"), 0,
                                            title=tr("chart.gradients"), y_title=tr("chart.value"), x_title=it,
                                            zero_line=True, scale=scale),
        "loss": figures.loss_accuracy_figure(trajectory.loss, trajectory.accuracy, 0, title=tr("chart.loss"),
                                             loss_name=tr("metric.loss"), accuracy_name=tr("metric.accuracy"),
                                             x_title=it, scale=scale),
    }
    return view_component.figure_specs(charts, scale)


def _png(name: str, trajectory: Trajectory) -> dict:
    """Chart config: the modebar's camera saves a PNG named after the chart, the run and the iteration
    (the browser puts the iteration on show in place of ``{k}``)."""
    return exports.png_config(exports.chart_file_name(name, trajectory, "{k}"))


def _chart_box(page: Page):
    """Axis ranges of the data chart: fixed per source data, so adding points doesn't move the view."""
    base = state.session("last_good_data") or page.data
    boxes = state.session("chart_boxes")
    if base.fingerprint not in boxes:
        boxes.clear()
        boxes[base.fingerprint] = padded_box(base.dataset.X)
    low1, high1, low2, high2 = boxes[base.fingerprint]
    X = page.data.dataset.X  # edited data may reach past the original box
    return (min(low1, X[:, 0].min()), max(high1, X[:, 0].max()), min(low2, X[:, 1].min()), max(high2, X[:, 1].max()))
