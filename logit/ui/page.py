"""The page's panels: each ``*_ui`` function draws one part of the page and returns what it chose.

The maths lives in :mod:`logit`; the charts in :mod:`logit.ui.figures`; the formulas in
:mod:`logit.ui.explain`. This module wires widgets and session state to them.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from logit.bundled import BUNDLED, VIEWS
from logit.csv_loader import choose_columns, dataset_from_frame, distinct_labels, suggest_columns
from logit.dataset import Dataset
from logit.encodings import CHOICES as ENCODINGS, encoding_name
from logit.errors import LogitError
from logit.generators import GENERATORS
from logit.geometry import padded_box, probability_grid_axes
from logit.diagnosis import loss_trend
from logit.messages import Notice
from logit.training import Trajectory, TrainingSettings, extend, remedy, suggested_learning_rate
from logit.ui import cached, classroom, compare, downloads, explain, figures, formulas, landscape_view, lesson, player
from logit.ui.cached import LoadedData
from logit.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, language_from_locale

UPLOAD_LIMIT_MB = 50
DEFAULT_GENERATOR = "overlap"
# 1, 2 and 5 × 10⁻⁸ … 10³: wide enough for every rate the advice names (features in grams or in
# thousands need 10⁻⁷), and for divergence on the default data (α = 1000).
LEARNING_RATES = tuple(float(f"{m}e{e}") for e in range(-8, 3) for m in (1, 2, 5)) + (1000.0,)
DEFAULT_LEARNING_RATE = 0.1
# Point-iterations computed ahead for the learning rates next to the chosen one, so that
# choosing one of them redraws at once (4 runs of 1,000 iterations at 1,000 points).
AHEAD_BUDGET = 4_000_000
L2_STRENGTHS = (0.0, 1e-4, 1e-3, 1e-2, 0.1, 1.0)
SAMPLE_SIZES = (20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 100_000)
SPEEDS = (1, 2, 5, 10, 30, 60, 120)  # iterations per second while playing
DEFAULT_SPEED = 10
HEATMAP_RESOLUTION = 60
DRAW_LIMIT = 5_000  # points drawn on the data chart; compute always uses all of them
UP_FRONT_BUDGET = 20_000_000  # point-iterations computed before the page first shows a run
MIN_UP_FRONT = 20
TABLE_LIMIT = 500  # rows shown in the per-point table
EDIT_LIMIT = 5_000  # rows editable in the table editor
CLICK_MODES = ["explain", "add0", "add1", "remove"]
TRAINING_CHARTS = ("data", "weights", "gradients", "loss")
# What can be shown below the charts.
PANELS = ["chain", "points", "landscape", "compare", "lesson", "threshold", "split", "downloads"]
CLICK_GRID = 45  # clickable points a side when adding points
PRESENTER_SCALE = 1.35
# The page's own CSS, always (phones) and in presenter mode (a projector's one screen).
PAGE_CSS = """<style>
.logit-formulas { overflow-x: auto; max-width: 100%; }
/* The uploader's own size note is English only; the label says it in the page's language. */
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
/* Captions dark enough to read (4.5 : 1 on white and on the sidebar's grey). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #545b63 !important; opacity: 1 !important; }
@media (max-width: 640px) {
  .stMainBlockContainer { padding-top: 3.5rem; padding-left: 0.75rem; padding-right: 0.75rem; }
  .stMainBlockContainer h1 { font-size: 1.6rem; padding-top: 0; }
  .st-key-subtitle p { font-size: 0.9rem; }
  .st-key-presenter { display: none; }  /* a phone is not a projector */
}
</style>"""
PRESENTER_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
header[data-testid="stHeader"] { display: none !important; }
.st-key-subtitle, .st-key-click_mode [data-testid="stWidgetLabel"] { display: none !important; }
.stMainBlockContainer h1 { font-size: 2.2rem !important; padding: 0 !important; }
.stMainBlockContainer { max-width: 100% !important; padding: 0.75rem 2rem 1rem !important; }
.stMainBlockContainer p, .stMainBlockContainer li, .stMainBlockContainer label { font-size: 1.3rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p, [data-testid="stMetricValue"] div { font-size: 3rem !important; }
.stMainBlockContainer h3 { font-size: 2.4rem !important; }
.logit-formulas math { font-size: 1.5em !important; }
</style>"""


@dataclass(frozen=True)
class Page:
    """What the sidebar chose: the language, the data and the training settings."""

    tr: Translator
    data: LoadedData  # what gradient descent trains on (the training part when a test set is held out)
    settings: TrainingSettings
    test: Dataset | None = None  # held-out points when a split is on
    everything: Dataset | None = None  # all the points (what "Data (CSV)" downloads)


# --- sidebar ----------------------------------------------------------------------------------

def language_ui() -> Translator:
    """Language picker; defaults to the browser's language. Names the browser's tab in it."""
    default = language_from_locale(getattr(st.context, "locale", None))
    _seed_choice_from_url("lang", list(LANGUAGES), default)
    language = st.sidebar.segmented_control(
        "Language / 语言", list(LANGUAGES), format_func=LANGUAGES.get, key="lang", required=True,
        label_visibility="collapsed",
    )
    _write_choice_to_url("lang", default)
    tr = Translator(language or DEFAULT_LANGUAGE)
    st.set_page_config(page_title=tr("app.page_title"))
    return tr


# Widgets whose options are shown through a translated label keep their value in the URL
# by hand: Streamlit's own binding would store the label, so a link made in one language
# would not open in the other.

def _seed_choice_from_url(key: str, options: list[str], default: str) -> None:
    if key not in st.session_state:
        wanted = st.query_params.get(key)
        st.session_state[key] = wanted if wanted in options else default


def _translated_selectbox(tr: Translator, label: str, options: list[str], key: str, default: str, **kwargs) -> str:
    """A selectbox whose option labels are translated; its value lives in ``st.session_state[key]``.

    The widget's own key carries the language: a keyed selectbox keeps showing the old
    language's label of its choice when only ``format_func`` changes.
    """
    _seed_choice_from_url(key, options, default)
    widget_key = f"{key}_{tr.language}"
    st.session_state[widget_key] = st.session_state[key]
    st.sidebar.selectbox(label, options, key=widget_key, on_change=_copy_state, args=(widget_key, key),
                         placeholder=tr("select.placeholder"), **kwargs)
    _write_choice_to_url(key, default)
    return st.session_state[key]


def _copy_state(source: str, target: str) -> None:
    st.session_state[target] = st.session_state[source]


def _write_choice_to_url(key: str, default) -> None:
    """The URL carries ``st.session_state[key]`` unless it is the default. Written again on every run
    that differs: each run takes the URL the browser sent with its request."""
    value = st.session_state.get(key)
    if value is None or value == default:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)


def data_ui(tr: Translator) -> LoadedData:
    """Where the data come from: generated, bundled or uploaded; keeps the last good data on errors."""
    st.sidebar.header(tr("data.header"))
    sources = ["generate", "bundled", "upload"]
    _seed_choice_from_url("source", sources, "generate")
    source = st.sidebar.radio(tr("data.source"), sources, format_func=lambda s: tr(f"data.source.{s}"),
                              horizontal=True, key="source")
    _write_choice_to_url("source", "generate")
    try:
        if source == "generate":
            data = _generated_ui(tr)
        elif source == "bundled":
            data = _bundled_ui(tr)
        else:
            data = _upload_ui(tr)
    except LogitError as error:
        st.sidebar.error(tr.error(error))
        data = None
    if data is None:
        data = st.session_state.get("last_good_data") or cached.generated(DEFAULT_GENERATOR, 200, 0.3, 0)
        if source == "upload" and st.session_state.get("last_good_data") is not None:
            st.sidebar.caption(tr("data.kept_previous"))
    st.session_state.last_good_data = data
    return _edited(data)


def _generated_ui(tr: Translator) -> LoadedData:
    kind = _translated_selectbox(tr, tr("data.kind"), list(GENERATORS), "kind", DEFAULT_GENERATOR,
                                 format_func=lambda k: tr(f"gen.{k}"))
    n = st.sidebar.select_slider(tr("data.n"), SAMPLE_SIZES, value=200, key="n", bind="query-params")
    noise = st.sidebar.slider(tr("data.noise"), 0.0, 1.0, 0.3, 0.05, key="noise", bind="query-params")
    seed_column, button_column = st.sidebar.columns([3, 2], vertical_alignment="bottom")
    seed = seed_column.number_input(tr("data.seed"), 0, 1_000_000, 0, 1, key="seed", bind="query-params")
    button_column.button(tr("data.new_sample"), on_click=_new_sample, help=tr("data.new_sample.help"))
    with st.spinner(tr("busy.generating")):
        return cached.generated(kind, int(n), float(noise), int(seed))


def _new_sample() -> None:
    st.session_state.seed = int(st.session_state.get("seed", 0)) + 1


def _bundled_ui(tr: Translator) -> LoadedData:
    name = _translated_selectbox(tr, tr("data.bundled"), list(BUNDLED), "bundled", list(BUNDLED)[0],
                                 format_func=lambda b: tr(f"bundled.{b}"))
    data = cached.bundled(name)
    view = VIEWS[name]
    st.sidebar.caption(tr("data.bundled.source", name=tr(f"bundled.{name}"), references=view.references,
                          c0=view.negative, c1=view.positive, n=data.dataset.n))
    return data


def _upload_ui(tr: Translator) -> LoadedData | None:
    # Any file type: the loader tells a table from anything else and says so in the page's
    # language (the uploader's own refusal would be a tooltip in English).
    upload = st.sidebar.file_uploader(tr("data.upload", mb=UPLOAD_LIMIT_MB), key="upload", help=tr("data.upload.help", mb=UPLOAD_LIMIT_MB))
    st.sidebar.caption(tr("data.upload.not_in_url"))
    if upload is None:
        st.sidebar.info(tr("data.upload.prompt"))
        return None
    content = upload.getvalue()
    digest = cached.content_hash(content)
    encoding, sheet = _reading_ui(tr, content, digest)  # drawn before reading, so a wrong choice can be undone
    with st.spinner(tr("busy.reading")):
        frame = cached.uploaded_table(content, UPLOAD_LIMIT_MB * 2**20, encoding, sheet)
    _reading_caption(tr, frame, encoding)
    columns = [str(c) for c in frame.columns]
    try:
        guess = choose_columns(frame)
    except LogitError:
        st.sidebar.info(tr("data.columns.choose", columns=", ".join(columns)))
        guess = suggest_columns(frame) if len(columns) >= 3 else (columns[0], columns[-1], columns[-1])
    table = f"{digest}_{sheet}" if sheet else digest  # a workbook's sheets have columns of their own
    # One under another: column names are often long ("Schnabellänge (mm)", "喙长(毫米)").
    choose = tr("select.placeholder")
    x1 = st.sidebar.selectbox("x1", columns, index=columns.index(guess[0]), key=f"x1_{table}", placeholder=choose)
    x2 = st.sidebar.selectbox("x2", columns, index=columns.index(guess[1]), key=f"x2_{table}", placeholder=choose)
    label = st.sidebar.selectbox(tr("data.label"), columns, index=columns.index(guess[2]), key=f"label_{table}",
                                 placeholder=choose)
    labels = distinct_labels(frame, label)
    positive = None
    if len(labels) == 2:
        positive = st.sidebar.selectbox(tr("data.positive"), labels, index=1, key=f"positive_{table}_{label}",
                                        placeholder=choose)
    with st.spinner(tr("busy.reading")):
        # Keyed by how the bytes were read too: another sheet or encoding is another table.
        return cached.uploaded_dataset(f"{table}_{encoding}", x1, x2, label, positive, upload.name, frame)


def _reading_ui(tr: Translator, content: bytes, digest: str) -> tuple[str | None, str | None]:
    """How to read the upload: a text file's encoding (None: found automatically), a workbook's sheet."""
    sheets = cached.uploaded_sheets(content)
    if sheets is None:
        choice = st.sidebar.selectbox(
            tr("data.encoding"), ["auto", *ENCODINGS], key=f"encoding_{digest}", help=tr("data.encoding.help"),
            format_func=lambda codec: tr("data.encoding.auto") if codec == "auto" else encoding_name(codec),
            placeholder=tr("select.placeholder"))
        return (None if choice == "auto" else choice), None
    if len(sheets) > 1:
        return None, st.sidebar.selectbox(tr("data.sheet"), sheets, key=f"sheet_{digest}", help=tr("data.sheet.help"),
                                          placeholder=tr("select.placeholder"))
    return None, None


def _reading_caption(tr: Translator, frame: pd.DataFrame, chosen_encoding: str | None) -> None:
    """Which encoding a text file was read in, and whether it was certain."""
    if not frame.attrs.get("sheets"):  # a workbook's sheet is shown by its picker
        how = "chosen" if chosen_encoding else "found" if frame.attrs.get("encoding_certain", True) else "guessed"
        st.sidebar.caption(tr("data.encoding.used", encoding=encoding_name(frame.attrs["encoding"]),
                              how=tr(f"data.encoding.{how}")))


def _edited(data: LoadedData) -> LoadedData:
    """The table editor's version of the data, while it was made from this data."""
    edited = st.session_state.get("edited")
    if edited is not None and edited[0] == data.fingerprint:
        return edited[1]
    st.session_state.pop("edited", None)
    return data


def iterations_up_front(requested: int, n: int) -> int:
    """Iterations to compute before the page shows: the request, within a budget of point-iterations.

    1,000 iterations of 100,000 points take about a second; large data get fewer up front
    (200 at 100,000 points, 20 at a million) and Step and Play compute more as they go.
    """
    return max(1, min(requested, max(MIN_UP_FRONT, UP_FRONT_BUDGET // max(n, 1))))


def settings_ui(tr: Translator, data: LoadedData) -> TrainingSettings:
    """The run's settings; any change recomputes the run at once."""
    st.sidebar.toggle(tr("settings.standardize"), key="standardize", help=tr("settings.standardize.help"),
                      bind="query-params")
    st.sidebar.header(tr("settings.header"))
    learning_rate = current_learning_rate()
    st.sidebar.caption(tr("settings.alpha.where"))  # not its value: the view changes it without this part
    _seed_choice_from_url("batch", ["full", "mini", "sgd"], "full")
    mode = st.sidebar.radio(tr("settings.batch"), ["full", "mini", "sgd"], format_func=lambda m: tr(f"batch.{m}"),
                            horizontal=True, key="batch")
    _write_choice_to_url("batch", "full")
    batch_size, seed = None, 0
    n = data.dataset.n
    if mode == "mini":
        largest = max(2, min(n, 1024))
        batch_size = st.sidebar.slider(tr("settings.batch_size"), 1, largest, min(32, largest), key="batch_size",
                                       bind="query-params")
    if mode in ("mini", "sgd"):
        seed = st.sidebar.number_input(tr("settings.shuffle_seed"), 0, 1_000_000, 0, key="shuffle_seed",
                                       bind="query-params")
        batch_size = 1 if mode == "sgd" else batch_size
    l2 = st.sidebar.select_slider(tr("settings.l2"), L2_STRENGTHS, value=0.0, format_func=lambda v: f"{v:g}",
                                  key="l2", help=tr("settings.l2.help"), bind="query-params")
    st.sidebar.markdown(tr("settings.init"))
    c1, c2, c3 = st.sidebar.columns(3)
    w1 = c1.number_input("w₁", -1e6, 1e6, 0.0, 0.1, key="w1_0", bind="query-params")
    w2 = c2.number_input("w₂", -1e6, 1e6, 0.0, 0.1, key="w2_0", bind="query-params")
    b = c3.number_input("b", -1e6, 1e6, 0.0, 0.1, key="b_0", bind="query-params")
    max_iterations = st.sidebar.number_input(tr("settings.max_iterations"), 1, 100_000, 1000, 100,
                                             key="max_iterations", help=tr("settings.max_iterations.help"),
                                             bind="query-params")
    up_front = iterations_up_front(int(max_iterations), n)
    if up_front < max_iterations:
        st.sidebar.caption(tr("settings.up_front", n=n, m=up_front))
    return TrainingSettings(
        learning_rate=float(learning_rate), max_iterations=up_front, batch_size=batch_size,
        l2=float(l2), seed=int(seed), init=(float(w1), float(w2), float(b)),
        standardize=bool(st.session_state.get("standardize", False)),
    )


def current_learning_rate() -> float:
    """The learning rate α, chosen in the training view (a link may set it: ?alpha=0.5)."""
    if "alpha" not in st.session_state:
        st.session_state.alpha = learning_rate_named(st.query_params.get("alpha")) or DEFAULT_LEARNING_RATE
    return float(st.session_state.alpha)


def learning_rate_named(value) -> float | None:
    """The offered learning rate equal to ``value`` (a number or its text), or None."""
    try:
        wanted = float(value)
    except (TypeError, ValueError):
        return None
    return next((rate for rate in LEARNING_RATES if math.isclose(rate, wanted, rel_tol=1e-9)), None)


def _choose_learning_rate(rate: float) -> None:
    """Make ``rate`` the learning rate, in the session and in the URL."""
    st.session_state.alpha = rate
    shown = None if rate == DEFAULT_LEARNING_RATE else f"{rate:g}"
    if st.query_params.get("alpha") == shown:
        return
    if shown is None:
        st.query_params.pop("alpha", None)
    else:
        st.query_params["alpha"] = shown


def nearby_learning_rates(rate: float) -> list[float]:
    """The rates one notch up and down, then ×10 and ÷10: the what-ifs computed ahead, in that order."""
    index = LEARNING_RATES.index(rate)
    tenfold = [learning_rate_named(rate * 10), learning_rate_named(rate / 10)]
    notches = [LEARNING_RATES[i] for i in (index + 1, index - 1) if 0 <= i < len(LEARNING_RATES)]
    return list(dict.fromkeys(r for r in notches + tenfold if r is not None))


def _with_learning_rate(page: Page, rate: float) -> Page:
    if page.settings.learning_rate == rate:
        return page
    return dataclasses.replace(page, settings=dataclasses.replace(page.settings, learning_rate=rate))


# --- the run ----------------------------------------------------------------------------------

def current_run(page: Page) -> Trajectory:
    """The run for this data and these settings, extended by Play if it has been."""
    key = (page.data.fingerprint, repr(page.settings))
    stored = st.session_state.get("run")
    if stored is not None and stored[0] == key:
        return stored[1]
    with st.spinner(page.tr("busy.training")):
        trajectory = _trained(page, page.settings)
    st.session_state.run = (key, trajectory)
    return trajectory


def _trained(page: Page, settings: TrainingSettings, compute: bool = True) -> Trajectory:
    dataset = page.data.dataset
    return cached.trained(page.data.fingerprint, repr(settings), dataset.X, dataset.y, settings, _compute=compute)


def current_iteration() -> int:
    """The iteration the panels show: the one the training view last reported."""
    return int(st.session_state.get("current", 0))


def move_to(k: int) -> None:
    """Show iteration ``k``: the panels at once, the training view when it next draws."""
    st.session_state.current = st.session_state.seek_k = max(0, int(k))
    st.session_state.seek_count = st.session_state.get("seek_count", 0) + 1


def _seek() -> tuple[int, str]:
    """Where the training view goes when it first draws or the server moves it: (iteration, token).

    The token changes each time the server moves the view. Both stay the same while the
    browser moves it (a report only updates ``current``), so the view's arguments stay the
    same from report to report and Streamlit sends a reference to them instead of them.
    """
    if "seek_count" not in st.session_state:  # a link may open at an iteration (?iteration=40)
        try:
            move_to(int(st.query_params.get("iteration", 0)))
        except ValueError:
            move_to(0)
    return int(st.session_state.seek_k), str(st.session_state.seek_count)


def _extend(page: Page, trajectory: Trajectory, target: int) -> Trajectory:
    """Compute more iterations (Play past the end): enough for a while, not so many that it stalls."""
    n = page.data.dataset.n
    chunk = max(target - trajectory.iterations, min(200, max(10, 2_000_000 // n)))
    trajectory = extend(trajectory, page.data.dataset.X, page.data.dataset.y, chunk)
    st.session_state.run = ((page.data.fingerprint, repr(page.settings)), trajectory)
    return trajectory


def _take_report(page: Page) -> tuple[Page, dict | None]:
    """The training view's latest report, if not yet acted on, and the page with the learning rate
    now chosen (another rate may be in the report). Computes nothing.

    Read at the start of the run (not in a callback), each report once by its nonce.
    """
    # Each run takes the URL the browser sent with its request: one sent before the last run's
    # URL arrived lacks that α. Write it again, so that a link always carries the α on show.
    _choose_learning_rate(current_learning_rate())
    page = _with_learning_rate(page, current_learning_rate())  # α may have changed since the whole page ran
    event = st.session_state.get("player")
    if not isinstance(event, dict) or event.get("nonce") == st.session_state.get("report_nonce"):
        return page, None
    st.session_state.report_nonce = event.get("nonce")
    rate = learning_rate_named(event.get("alpha")) if isinstance(event.get("alpha"), (int, float)) else None
    if rate is not None:
        _choose_learning_rate(rate)
        page = _with_learning_rate(page, rate)
    return page, event


def _follow_report(page: Page, event: dict) -> None:
    """Act on a report: the iteration on show, a request for more iterations, a click."""
    trajectory = current_run(page)
    try:
        k = int(event.get("k", 0))
    except (TypeError, ValueError):
        return
    if event.get("more") and trajectory.can_continue:
        trajectory = _extend(page, trajectory, k + 1)
    st.session_state.current = max(0, min(k, trajectory.iterations))
    if st.session_state.current:
        st.query_params["iteration"] = str(st.session_state.current)
    else:
        st.query_params.pop("iteration", None)
    if isinstance(event.get("click"), dict):
        _on_chart_click(page, event["click"])


# --- the training view (a fragment: a report from the browser reruns only this part) ----------

def training_view(page: Page) -> None:
    """The training view (controls, status, metrics, charts: drawn in the browser), then one panel.

    A report from the browser reruns only :func:`_training_fragment`.
    """
    # A whole-page run may draw the view anew (its frame loses what it showed): it then
    # starts at the iteration the panels show.
    if "seek_count" in st.session_state:
        st.session_state.seek_k = current_iteration()
    _training_fragment(page)


@st.fragment
def _training_fragment(page: Page) -> None:
    tr = page.tr
    try:
        page, report = _take_report(page)
        if report is not None:
            _follow_report(page, report)
        trajectory = current_run(page)
    except LogitError as error:  # e.g. starting weights that overflow on these features
        st.error(tr.error(error), icon="⚠️")
        return
    if st.session_state.pop("data_changed", False):
        st.rerun()  # a click edited the points: the data come from the whole page's run
    seek_k, token = _seek()
    st.session_state.current = min(current_iteration(), trajectory.iterations)
    k = current_iteration()
    seek = (min(seek_k, trajectory.iterations), token)
    view = st.container()
    ahead, complete = runs_ahead(page, compute=False)
    # The runs ahead not computed yet are computed now only if the browser already shows the
    # run: then the panel goes first and reaches the browser while the server computes them.
    # Else the view goes first, and they come with the next report (the view sends one once
    # it has rested).
    if complete or not _view_has(page, trajectory):
        with view:
            _player_ui(page, trajectory, seek, ahead, complete)
        _panel_ui(page, trajectory, k)
    else:
        _panel_ui(page, trajectory, k)
        ahead, complete = runs_ahead(page)
        with view:
            _player_ui(page, trajectory, seek, ahead, complete)


def _view_has(page: Page, trajectory: Trajectory) -> bool:
    """Whether the training view was sent this run already (as the run on show or a run ahead)."""
    revision = player.run_revision(_run_base(page, page.settings), trajectory.iterations)
    return revision in st.session_state.get("view_runs", ())


def _run_base(page: Page, settings: TrainingSettings) -> str:
    return f"{page.data.fingerprint}|{settings!r}"


def _panel_ui(page: Page, trajectory: Trajectory, k: int) -> None:
    # One panel at a time (not tabs): tabs would compute and send every panel on every Step.
    tr = page.tr
    _seed_choice_from_url("panel", PANELS, PANELS[0])
    panel = st.segmented_control(tr("panel.label"), PANELS, format_func=lambda p: tr(f"tab.{p}"), key="panel",
                                 required=True, label_visibility="collapsed")
    _write_choice_to_url("panel", PANELS[0])
    PANEL_VIEWS[panel](page, trajectory, k)
    _write_choice_to_url("point", 0)  # the explained point, as a click or the chain rule chose it


def player_text(tr: Translator, trajectory: Trajectory, sampled: str) -> player.PlayerText:
    """The training view's words; fields such as ``{k}`` are filled in by the browser."""
    return player.PlayerText(
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


def _player_ui(page: Page, trajectory: Trajectory, seek: tuple[int, str],
               ahead: list[tuple[TrainingSettings, Trajectory]], ahead_complete: bool) -> None:
    tr, dataset = page.tr, page.data.dataset
    scale = PRESENTER_SCALE if presenter_mode() else 1.0
    _seed_choice_from_url("click_mode", CLICK_MODES, CLICK_MODES[0])
    click_mode = st.segmented_control(
        tr("click.label"), CLICK_MODES, key="click_mode",
        format_func=lambda m: tr(f"click.{m}", c0=dataset.classes[0], c1=dataset.classes[1]),
        required=True, help=tr("click.help"),
    )
    _write_choice_to_url("click_mode", CLICK_MODES[0])
    drawn = draw_sample(dataset.n)
    rows = np.arange(dataset.n) if drawn is None else drawn
    box = _chart_box(page)
    selected = explained_point(dataset.n)
    specs = _figure_specs(page.data.fingerprint, tr.language, scale, click_mode,
                          selected if isinstance(selected, int) else None, tuple(map(float, box)),
                          _page=page, _trajectory=trajectory)
    sampled = tr("chart.sampled", shown=len(drawn), n=dataset.n) if drawn is not None else ""
    args = player.player_args(
        run=_player_run(page, page.settings, trajectory),
        ahead=[_player_run(page, settings, run) for settings, run in ahead], ahead_pending=not ahead_complete,
        rates=LEARNING_RATES, data_key=page.data.fingerprint,
        figure_specs=specs, configs={name: tr.chart_config(_png(name, trajectory)) for name in specs.figures},
        alt={"data": tr("chart.data.alt"), "weights": tr("chart.weights"), "gradients": tr("chart.gradients"),
             "loss": tr("chart.loss")},
        drawn_X=dataset.X[rows], drawn_y=dataset.y[rows], drawn_rows=rows, box=box,
        grid=probability_grid_axes(box, HEATMAP_RESOLUTION), text=player_text(tr, trajectory, sampled),
        seek=seek, click_mode=click_mode, language=tr.language, speeds=SPEEDS, speed=DEFAULT_SPEED, scale=scale,
        layout="presenter" if presenter_mode() else "page",
    )
    st.session_state.view_runs = {meta["revision"] for meta in (args["run"], *args["ahead"])}
    player.player(args, key="player")


def _player_run(page: Page, settings: TrainingSettings, trajectory: Trajectory) -> player.PlayerRun:
    full_batch = settings.batch_size is None or settings.batch_size >= page.data.dataset.n
    return player.PlayerRun(
        trajectory=trajectory, base=_run_base(page, settings), reason=page.tr.notice(trajectory.reason),
        files={name: downloads.chart_file_name(name, trajectory, "{k}") for name in TRAINING_CHARTS},
        trend=loss_trend(trajectory.loss, full_batch), remedy=page.tr.notice(_remedy(page, trajectory)),
    )


def _remedy(page: Page, trajectory: Trajectory) -> Notice:
    """What to do if this run's loss rises or bounces, naming a learning rate the view offers."""
    X = trajectory.scaler.transform(page.data.dataset.X)
    suggestion = suggested_learning_rate(X, trajectory.settings)
    offered = max((rate for rate in LEARNING_RATES if rate <= suggestion), default=LEARNING_RATES[0])
    return remedy(offered, trajectory.settings)


def runs_ahead(page: Page, compute: bool = True) -> tuple[list[tuple[TrainingSettings, Trajectory]], bool]:
    """The runs at the learning rates next to the chosen one, within :data:`AHEAD_BUDGET`, and
    whether that is all of them (with ``compute=False``, only those already computed).

    Shared between sessions through the run cache: choosing one of these rates finds its run
    ready, and a room on the same page computes each once.
    """
    dataset, settings = page.data.dataset, page.settings
    cost = dataset.n * max(settings.max_iterations, 1)
    found, complete = [], True
    for rate in nearby_learning_rates(settings.learning_rate)[: AHEAD_BUDGET // cost]:
        other = dataclasses.replace(settings, learning_rate=rate)
        try:
            found.append((other, _trained(page, other, compute=compute)))
        except cached.NotCached:
            complete = False
        except LogitError:  # as the run on show would be (only the start, not α, can fail); it says why
            break
    return found, complete


@st.cache_data(max_entries=256, show_spinner=False)
def _figure_specs(data_key: str, language: str, scale: float, click_mode: str, selected: int | None,
                  box: tuple[float, ...], *, _page: Page, _trajectory: Trajectory) -> player.FigureSpecs:
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
            dataset.X, dataset.y, trajectory.params_original[0], box, text, drawn=draw_sample(dataset.n),
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
    return player.figure_specs(charts, scale)


def _png(name: str, trajectory: Trajectory) -> dict:
    """Chart config: the modebar's camera saves a PNG named after the chart, the run and the iteration
    (the browser puts the iteration on show in place of ``{k}``)."""
    return downloads.png_config(downloads.chart_file_name(name, trajectory, "{k}"))


def draw_sample(n: int) -> np.ndarray | None:
    """Rows to draw when there are too many to draw them all (fixed, so points don't jump)."""
    if n <= DRAW_LIMIT:
        return None
    return np.sort(np.random.default_rng(0).choice(n, DRAW_LIMIT, replace=False))


def explained_point(n: int) -> int:
    """The point the chain rule explains and the data chart stars: point 0 until another is chosen
    (a link may choose it: ?point=12), always one of the n points."""
    if "point" not in st.session_state:
        try:
            st.session_state.point = int(st.query_params.get("point", 0))
        except ValueError:
            st.session_state.point = 0
    st.session_state.point = min(max(int(st.session_state.point), 0), n - 1)
    return st.session_state.point


def _chart_box(page: Page):
    """Axis ranges of the data chart: fixed per source data, so adding points doesn't move the view."""
    base = st.session_state.get("last_good_data", page.data)
    boxes = st.session_state.setdefault("chart_boxes", {})
    if base.fingerprint not in boxes:
        boxes.clear()
        boxes[base.fingerprint] = padded_box(base.dataset.X)
    low1, high1, low2, high2 = boxes[base.fingerprint]
    X = page.data.dataset.X  # edited data may reach past the original box
    return (min(low1, X[:, 0].min()), max(high1, X[:, 0].max()), min(low2, X[:, 1].min()), max(high2, X[:, 1].max()))


def _on_chart_click(page: Page, click: dict) -> None:
    """A click on the data chart: explain that point, add a point there, or remove the point."""
    mode, index, x, y = click.get("mode"), click.get("index"), click.get("x"), click.get("y")
    dataset = page.data.dataset
    if isinstance(index, int) and not 0 <= index < dataset.n:
        return
    if mode == "explain" and isinstance(index, int):
        st.session_state.point = index
        st.session_state.point_input = index
    elif mode in ("add0", "add1") and isinstance(x, (int, float)) and isinstance(y, (int, float)) \
            and np.isfinite([x, y]).all():
        label = 1.0 if mode == "add1" else 0.0
        X = np.vstack([dataset.X, [[float(x), float(y)]]])
        _use_edited(page, dataset.with_rows(X, np.append(dataset.y, label)))
    elif mode == "remove" and isinstance(index, int) and dataset.n > 2:
        keep = np.arange(dataset.n) != index
        if len(set(dataset.y[keep].tolist())) == 2:
            _use_edited(page, dataset.with_rows(dataset.X[keep], dataset.y[keep]))
        else:
            st.toast(page.tr("click.keep_both"))


def _use_edited(page: Page, dataset) -> None:
    """Switch to edited data (kept until the source data change); the whole page must run again."""
    base = st.session_state.get("last_good_data", page.data)
    edited = dataclasses.replace(dataset, source=base.dataset.source)  # the origin says it was edited
    st.session_state.edited = (base.fingerprint, cached.loaded(edited, ("edited", *base.origin)))
    st.session_state.data_changed = True


def presenter_mode() -> bool:
    return bool(st.session_state.get("presenter", False))


def presenter_ui(tr: Translator) -> bool:
    """One switch for a projector: hides the sidebar, enlarges type and charts; the URL carries it."""
    on = st.toggle(tr("presenter.toggle"), key="presenter", help=tr("presenter.help"), bind="query-params")
    # Our own fixed CSS (no user data), in one element either way: the elements after it keep
    # their place, so switching does not build the training view anew.
    st.markdown(PAGE_CSS + (PRESENTER_CSS if on else ""), unsafe_allow_html=True)
    return on


def _chain_rule_ui(page: Page, trajectory: Trajectory, k: int) -> None:
    tr, dataset = page.tr, page.data.dataset
    X = trajectory.scaler.transform(dataset.X)
    st.markdown(tr("chain.intro"))
    if "point_input" not in st.session_state:
        st.session_state.point_input = explained_point(dataset.n)
    st.session_state.point_input = min(int(st.session_state.point_input), dataset.n - 1)
    index = st.number_input(tr("chain.point"), 0, dataset.n - 1, key="point_input", help=tr("chain.point.help"))
    st.session_state.point = int(index)
    params = trajectory.params[k]
    x, y = X[index], dataset.y[index]
    if not trajectory.scaler.is_identity:
        st.caption(tr("chain.standardized"))
    st.markdown(tr("chain.point.values", index=index, x1=f"{x[0]:.4g}", x2=f"{x[1]:.4g}", y=int(y),
                   cls=dataset.classes[int(y)]))
    parts = explain.explain_point(x, y, params)
    st.markdown(tr("chain.step1"))
    formulas.show(parts.forward)
    st.markdown(tr("chain.step2"))
    formulas.show([parts.dL_dyhat])
    st.markdown(tr("chain.step3"))
    formulas.show(parts.dyhat)
    st.markdown(tr("chain.step4"))
    formulas.show(parts.products)
    st.markdown(tr("chain.step5", n=dataset.n))
    settings = trajectory.settings
    mean = explain.mean_gradient_row(X, dataset.y, params)
    step_gradient = trajectory.gradients[k]
    formulas.show(
        rf"\frac{{\partial J}}{{\partial w_1}} = \frac{{1}}{{n}}\sum_i \frac{{\partial L_i}}{{\partial w_1}}"
        rf" = {explain.fmt(mean[0])},\quad \frac{{\partial J}}{{\partial w_2}} = {explain.fmt(mean[1])},"
        rf"\quad \frac{{\partial J}}{{\partial b}} = {explain.fmt(mean[2])}"
    )
    if settings.l2:
        st.caption(tr("chain.l2", l2=f"{settings.l2:g}"))
    if settings.batch_size is not None and settings.batch_size < dataset.n:
        st.caption(tr("chain.minibatch", b=settings.batch_size))
    st.markdown(tr("chain.step6", alpha=f"{settings.learning_rate:g}"))
    formulas.show(explain.update_lines(params, step_gradient, settings.learning_rate, settings.l2))
    if k >= trajectory.iterations and trajectory.status != "max_iterations":
        st.caption(tr("chain.no_next_step"))
    st.markdown(tr("chain.check"))
    full_gradient = mean + np.array([settings.l2 * params[0], settings.l2 * params[1], 0.0])
    check = explain.gradient_check(X, dataset.y, params, full_gradient, settings.l2)
    check.columns = [tr("chain.check.analytic"), tr("chain.check.numerical"), tr("chain.check.difference")]
    check.index.name = tr("chain.check.derivative")
    _small_table(check, "%.6g")


def _per_point_ui(page: Page, trajectory: Trajectory, k: int) -> None:
    tr, dataset = page.tr, page.data.dataset
    X = trajectory.scaler.transform(dataset.X)
    params = trajectory.params[k]
    mean = explain.mean_gradient_row(X, dataset.y, params)
    st.markdown(tr("points.intro", n=dataset.n))
    mean_row = pd.DataFrame([mean], columns=["∂L/∂w1", "∂L/∂w2", "∂L/∂b"],
                            index=pd.Index([tr("points.mean", n=dataset.n)], name=tr("points.gradient")))
    _small_table(mean_row, "%.6g")
    table = explain.per_point_table(X, dataset.y, params, dataset.feature_names, limit=TABLE_LIMIT)
    if dataset.n > TABLE_LIMIT:
        st.caption(tr("points.limited", shown=TABLE_LIMIT, n=dataset.n))
    _numbers(table, "%.4g", skip=("y",), height=360)


def _small_table(frame: pd.DataFrame, number_format: str) -> None:
    """A few numbers as a Markdown table: on every Step it redraws at once (a data grid redraws
    its cells in stages for a few hundred milliseconds; a styled table costs ~10 ms more)."""
    st.markdown(explain.markdown_table(frame, number_format))


def _numbers(frame: pd.DataFrame, number_format: str, skip: tuple[str, ...] = (), **kwargs) -> None:
    """A table of numbers in ``number_format`` (printf style), formatted by the browser.

    Not a pandas Styler: styling a table in Python took about half of each Step's run.
    """
    config = {str(c): st.column_config.NumberColumn(format=number_format) for c in frame.columns if c not in skip}
    st.dataframe(frame, column_config=config, **kwargs)


def _threshold_view(page: Page, trajectory: Trajectory, k: int) -> None:
    classroom.threshold_ui(page, trajectory, k, page.test)


def _split_view(page: Page, trajectory: Trajectory, k: int) -> None:
    if page.test is None:
        st.info(page.tr("split.off"))
        return
    classroom.split_ui(page, trajectory, k, page.data.dataset, page.test)


def _downloads_view(page: Page, trajectory: Trajectory, k: int) -> None:
    downloads.downloads_ui(page, trajectory, page.everything)


PANEL_VIEWS = dict(zip(PANELS, (_chain_rule_ui, _per_point_ui, landscape_view.landscape_ui, compare.compare_ui,
                                lesson.lesson_ui, _threshold_view, _split_view, _downloads_view)))


# --- the data table editor (outside the fragment: an edit changes the data, so the whole page reruns) ----

def data_overview_ui(tr: Translator, data: LoadedData) -> None:
    """n, class balance, label mapping and loader warnings.

    In one container: however many warnings there are, the elements after it keep their place
    in the page, so the training view's frame is not built anew (and does not vanish for a
    moment) when new data bring a warning more or less.
    """
    dataset = data.dataset
    positives = dataset.n_positive
    with st.container():
        st.caption(tr("data.summary", n=dataset.n, source=source_text(tr, data.origin, dataset.source), c0=dataset.classes[0],
                      n0=dataset.n - positives, c1=dataset.classes[1], n1=positives, mapping=dataset.label_mapping))
        for notice in dataset.notices:
            st.warning(tr.notice(notice), icon="⚠️")


def source_text(tr: Translator, origin: tuple, fallback: str) -> str:
    """Where the data came from, in the page's language (see :class:`~logit.ui.cached.LoadedData`)."""
    kind, *details = origin or ("",)
    if kind == "generated":
        generator, n, noise, seed = details
        return tr("data.origin.generated", kind=tr(f"gen.{generator}"), n=n, noise=f"{noise:g}", seed=seed)
    if kind == "bundled":
        return tr(f"bundled.{details[0]}")
    if kind == "edited":
        return tr("editor.source", source=source_text(tr, tuple(details), fallback))
    return fallback or "—"


def editor_ui(tr: Translator, data: LoadedData) -> None:
    """Edit, add or delete points; the run restarts on the edited data."""
    dataset = data.dataset
    with st.expander(tr("editor.header")):
        if dataset.n > EDIT_LIMIT:
            st.info(tr("editor.too_big", limit=EDIT_LIMIT))
            return
        frame = pd.DataFrame({
            dataset.feature_names[0]: dataset.X[:, 0],
            dataset.feature_names[1]: dataset.X[:, 1],
            dataset.label_name: [dataset.classes[int(v)] for v in dataset.y],
        })
        base = st.session_state.get("edited_base", data.fingerprint)
        edited = st.data_editor(
            frame, num_rows="dynamic", key=f"editor_{base}", width="stretch", height=300,
            column_config={dataset.label_name: st.column_config.SelectboxColumn(options=list(dataset.classes),
                                                                               required=True)},
        )
        if st.button(tr("editor.apply"), key="apply_edits", type="primary"):
            _apply_edits(tr, data, edited)
        if st.session_state.get("edited") is not None:
            st.button(tr("editor.revert"), key="revert_edits", on_click=_revert_edits)


def _revert_edits() -> None:
    """Back to the data as loaded (a callback: the whole page then runs with them)."""
    st.session_state.pop("edited", None)
    move_to(0)


def _apply_edits(tr: Translator, data: LoadedData, edited: pd.DataFrame) -> None:
    dataset = data.dataset
    frame = edited.astype(str).replace({"None": "", "nan": ""})
    try:
        new = dataset_from_frame(frame, dataset.feature_names[0], dataset.feature_names[1], dataset.label_name,
                                 positive=dataset.classes[1])
    except LogitError as error:
        st.error(tr.error(error))
        return
    move_to(0)
    _use_edited(Page(tr, data, None), new)  # type: ignore[arg-type]
    st.session_state.pop("data_changed", None)
    st.rerun()
