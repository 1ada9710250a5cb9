"""Compare runs: pin the current run, change a setting, and see the runs side by side.

Pure builders first (:func:`pin_label`, :func:`make_pin`, :func:`comparison_figures`),
tested without Streamlit; then :func:`compare_ui`, the panel.

Pins live in ``st.session_state["pins"]`` as a tuple of small frozen :class:`Pin`
records (at most :data:`MAX_PINS`), each tied to the fingerprint of the data it was
trained on: pins of other data are kept but hidden, and the panel says so. The URL
carries the settings of the pins of the data on show (``?pins=``, :func:`pins_query`), so
that a link rebuilds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from logit.dataset import Dataset
from logit.errors import LogitError
from logit.geometry import padded_box, separating_line
from logit.training import Trajectory, TrainingSettings
from logit.ui import cached
from logit.ui.figures import CLASS_COLORS, CLASS_SYMBOLS, base_layout, compact

if TYPE_CHECKING:  # page.py imports this module to show the panel
    from logit.ui.page import Page

MAX_PINS = 4
# Iterations kept per run for drawing: the first ones densely, the rest evenly.
PATH_LIMIT = 2_000
# Points drawn under the final lines.
DRAW_POINTS = 2_000

# The current run: solid black. Pins: an Okabe–Ito colour and a dash pattern each, so
# they stay apart in grey scale and for every common colour-vision deficiency.
CURRENT_STYLE = ("#222222", "solid")
PIN_STYLES = (("#D55E00", "dash"), ("#56B4E9", "dot"), ("#009E73", "dashdot"), ("#CC79A7", "longdash"))
PIN_SYMBOLS = ("square", "triangle-up", "diamond", "cross")


@dataclass(frozen=True)
class LabelWords:
    """The words inside a run's label, in the page's language."""

    full: str = "full"
    sgd: str = "SGD"
    standardized: str = "std"
    raw: str = "raw"
    init: str = "init"
    seed: str = "seed"
    diverged: str = "diverged"


@dataclass(frozen=True, eq=False)
class Pin:
    """One run, kept small for comparison.

    Attributes
    ----------
    number : int
        Stable id within the session (names the pin's Remove button).
    style : int
        Index into :data:`PIN_STYLES`; kept while the pin lives, so colours do not move.
    fingerprint : str
        The data the run was trained on.
    settings : TrainingSettings
        As chosen in the sidebar.
    settings_key : str
        ``repr(settings)``: the same settings are pinned once.
    label : str
        :func:`pin_label` in the language of the moment it was pinned (the panel
        relabels from ``settings`` in the current language).
    iterations : ndarray, shape (m,)
        Iteration numbers kept (m ≤ 2,000 + extra), 0 and the last always among them.
    loss : ndarray, shape (m,)
        Mean loss J at those iterations.
    params : ndarray, shape (m, 3)
        (w₁, w₂, b) at those iterations, in original units.
    final : ndarray, shape (3,)
        (w₁, w₂, b) after the last iteration, in original units.
    status : str
        The run's status ("converged", "max_iterations" or "diverged").
    """

    number: int
    style: int
    fingerprint: str
    settings: TrainingSettings
    settings_key: str
    label: str
    iterations: np.ndarray
    loss: np.ndarray
    params: np.ndarray
    final: np.ndarray
    status: str

    @property
    def total(self) -> int:
        """The run's number of iterations."""
        return int(self.iterations[-1])


@dataclass(frozen=True)
class CompareText:
    """Words on the comparison charts, in the page's language."""

    loss_title: str
    path_title: str
    lines_title: str
    iteration: str
    loss: str
    current: str  # legend name of the current run: "{label}" is replaced
    pinned: str  # legend name of a pin: "{number}" and "{label}" are replaced
    start: str
    end: str
    no_line: str
    x1_title: str
    x2_title: str
    class_names: tuple[str, str]
    words: LabelWords = LabelWords()


def pin_label(settings: TrainingSettings, standardized: bool, words: LabelWords = LabelWords()) -> str:
    """Short description of a run's settings, e.g. ``α=0.5 · full · std · λ=0 · init (0,0,0)``."""
    batch = settings.batch_size
    if batch is None:
        mode = words.full
    elif batch == 1:
        mode = words.sgd
    else:
        mode = f"B={batch}"
    parts = [f"α={settings.learning_rate:g}", mode]
    if batch is not None:
        parts[-1] += f" ({words.seed} {settings.seed})"
    parts += [words.standardized if standardized else words.raw, f"λ={settings.l2:g}"]
    parts.append(f"{words.init} ({','.join(f'{v:g}' for v in settings.init)})")
    return " · ".join(parts)


def pins_query(settings: Sequence[TrainingSettings]) -> str:
    """Runs' settings as a URL value: per run its fields, exactly, joined by "_"; runs joined by "~"."""
    def number(value: float | int) -> str:
        return repr(value).replace("+", "")  # "1e+100" would become "1e 100" in a query
    return "~".join("_".join([
        number(float(s.learning_rate)), str(s.max_iterations), str(s.batch_size or 0), number(float(s.l2)),
        str(s.seed), *(number(float(v)) for v in s.init), number(float(s.tolerance)), str(int(s.standardize)),
    ]) for s in settings)


def settings_from_query(text: str | None) -> list[TrainingSettings]:
    """The settings :func:`pins_query` wrote (at most :data:`MAX_PINS`); a malformed or invalid run is left out."""
    found = []
    for part in (text or "").split("~")[:MAX_PINS]:
        fields = part.split("_")
        if len(fields) != 10:
            continue
        try:
            alpha, K, batch, l2, seed, w1, w2, b, tolerance, standardize = fields
            found.append(TrainingSettings(
                learning_rate=float(alpha), max_iterations=int(K), batch_size=int(batch) or None, l2=float(l2),
                seed=int(seed), init=(float(w1), float(w2), float(b)), tolerance=float(tolerance),
                standardize=standardize == "1"))
        except (ValueError, LogitError):
            continue
    return found


def kept_iterations(total: int, limit: int = PATH_LIMIT, extra: Sequence[int] = ()) -> np.ndarray:
    """At most ``limit`` (+ ``extra``) iteration numbers of 0..total for drawing.

    Half evenly spaced, half geometrically (the first iterations, where the loss moves
    most, stay dense); 0, ``total`` and the ``extra`` ones always included.
    """
    total = int(total)
    if total + 1 <= limit:
        kept = np.arange(total + 1)
    else:
        half = limit // 2
        even = np.round(np.linspace(0, total, half)).astype(int)
        early = np.round(np.geomspace(1, total, limit - half - 1)).astype(int)
        kept = np.unique(np.concatenate([[0, total], even, early]))
    wanted = [int(i) for i in extra if 0 <= int(i) <= total]
    return np.unique(np.concatenate([kept, np.array(wanted, dtype=int)])) if wanted else kept


def make_pin(trajectory: Trajectory, fingerprint: str, settings: TrainingSettings, *, number: int = 0,
             style: int = 0, label: str | None = None, extra: Sequence[int] = ()) -> Pin:
    """The run as a :class:`Pin` (history thinned to :func:`kept_iterations`, plus ``extra``)."""
    kept = kept_iterations(trajectory.iterations, extra=extra)
    params = trajectory.scaler.params_to_original(trajectory.params[kept])
    return Pin(
        number=int(number), style=int(style), fingerprint=fingerprint, settings=settings,
        settings_key=repr(settings),
        label=label if label is not None else pin_label(settings, not trajectory.scaler.is_identity),
        iterations=kept, loss=np.array(trajectory.loss[kept], dtype=float), params=params,
        final=trajectory.final_params_original, status=str(trajectory.status),
    )


def _styles(pin: Pin | None) -> tuple[str, str, float, str]:
    """(colour, dash, width, end symbol) of a pin, or of the current run for None."""
    if pin is None:
        return CURRENT_STYLE[0], CURRENT_STYLE[1], 3.5, "star"
    color, dash = PIN_STYLES[pin.style % len(PIN_STYLES)]
    return color, dash, 2.5, PIN_SYMBOLS[pin.style % len(PIN_SYMBOLS)]


def _name(pin: Pin | None, current: Pin, text: CompareText) -> str:
    run = current if pin is None else pin
    label = pin_label(run.settings, run.settings.standardize, text.words)
    if run.status == "diverged":
        label += f" · {text.words.diverged}"
    if pin is None:
        return text.current.format(label=label)
    return text.pinned.format(number=pin.number, label=label)


def comparison_figures(
    pins: Sequence[Pin],
    current: Pin,
    dataset: Dataset,
    text: CompareText,
    *,
    current_iteration: int | None = None,
    log_iterations: bool = False,
    log_loss: bool = False,
    scale: float = 1.0,
) -> tuple[go.Figure, go.Figure, go.Figure]:
    """Loss curves, weight paths (w₁ against w₂, original units) and final lines, one style per run.

    Parameters
    ----------
    pins : the pinned runs (drawn in their own styles)
    current : the current run (solid black, drawn first)
    dataset : the data all the runs were trained on (original units)
    text : CompareText
    current_iteration : marks this iteration of the current run (it should be in
        ``current.iterations``; see ``extra`` of :func:`make_pin`)
    log_iterations, log_loss : logarithmic axes on the loss chart

    Returns
    -------
    (loss_fig, path_fig, lines_fig)
        Traces in run order, the current run first then the pins: loss_fig one curve per
        run (+ the current iteration's marker); path_fig path, start, end per run (+ the
        marker); lines_fig the two classes, then one line per run.
    """
    # None: the current run, drawn first: its solid line shows through the gaps of the
    # pins' dashes where runs coincide (the same path at another speed, say).
    runs: list[Pin | None] = [None, *pins]
    loss_fig, path_fig, lines_fig = go.Figure(), go.Figure(), go.Figure()
    box = padded_box(dataset.X)
    _data_points(lines_fig, dataset, text)
    for pin in runs:
        run = current if pin is None else pin
        color, dash, width, symbol = _styles(pin)
        name = _name(pin, current, text)
        group = "current" if pin is None else f"pin{pin.number}"
        line = dict(color=color, dash=dash, width=width)
        shown = run.iterations >= 1 if log_iterations else slice(None)
        loss_fig.add_trace(go.Scatter(
            x=run.iterations[shown], y=compact(run.loss[shown]), mode="lines", name=name, line=line,
            legendgroup=group,
            hovertemplate=f"{name}<br>{text.iteration} %{{x}}<br>{text.loss}=%{{y:.5g}}<extra></extra>",
        ))
        path_fig.add_trace(go.Scatter(
            x=compact(run.params[:, 0]), y=compact(run.params[:, 1]), customdata=run.iterations, mode="lines",
            name=name, line=line, legendgroup=group,
            hovertemplate=f"{name}<br>{text.iteration} %{{customdata}}<br>"
            "w₁=%{x:.4g}<br>w₂=%{y:.4g}<extra></extra>",
        ))
        path_fig.add_trace(go.Scatter(
            x=[run.params[0, 0]], y=[run.params[0, 1]], mode="markers", showlegend=False, legendgroup=group,
            marker=dict(symbol="circle-open", size=12, color=color, line=dict(width=2)),
            hovertemplate=f"{text.start}<extra></extra>",
        ))
        path_fig.add_trace(go.Scatter(
            x=[run.params[-1, 0]], y=[run.params[-1, 1]], mode="markers", showlegend=False, legendgroup=group,
            marker=dict(symbol=symbol, size=13, color=color, line=dict(color="white", width=1)),
            hovertemplate=f"{text.end}: {text.iteration} {run.total}<extra></extra>",
        ))
        ends = separating_line(run.final, box)
        lines_fig.add_trace(go.Scatter(
            # No line in view: one missing point keeps the run in the legend (an empty trace would not be listed).
            x=[ends[0][0], ends[1][0]] if ends else [None], y=[ends[0][1], ends[1][1]] if ends else [None],
            mode="lines", line=line, legendgroup=group, hoverinfo="skip",
            name=name if ends else f"{name} ({text.no_line})",
        ))
    if current_iteration is not None:
        at = np.flatnonzero(current.iterations == current_iteration)
        if at.size:
            i = int(at[0])
            loss_fig.add_trace(go.Scatter(
                x=[current_iteration], y=[current.loss[i]], mode="markers", showlegend=False, hoverinfo="skip",
                marker=dict(color=CURRENT_STYLE[0], size=9, line=dict(color="white", width=1.5)),
            ))
            path_fig.add_trace(go.Scatter(
                x=[current.params[i, 0]], y=[current.params[i, 1]], mode="markers", showlegend=False,
                hoverinfo="skip", marker=dict(color=CURRENT_STYLE[0], size=9, line=dict(color="white", width=1.5)),
            ))
    for fig, title in ((loss_fig, text.loss_title), (path_fig, text.path_title), (lines_fig, text.lines_title)):
        base_layout(fig, height=440, title=title, scale=scale)
        fig.update_layout(legend=dict(orientation="v", yanchor="top", y=-0.24, xanchor="left", x=0.0),
                          margin=dict(b=10))
    loss_fig.update_xaxes(title_text=text.iteration, type="log" if log_iterations else "linear")
    loss_fig.update_yaxes(title_text=text.loss, type="log" if log_loss else "linear",
                          rangemode="normal" if log_loss else "tozero")
    path_fig.update_xaxes(title_text="w₁", exponentformat="power")
    path_fig.update_yaxes(title_text="w₂", exponentformat="power")
    lines_fig.update_xaxes(title_text=text.x1_title, range=[box[0], box[1]], zeroline=False)
    lines_fig.update_yaxes(title_text=text.x2_title, range=[box[2], box[3]], zeroline=False)
    return loss_fig, path_fig, lines_fig


def _data_points(fig: go.Figure, dataset: Dataset, text: CompareText) -> None:
    n = dataset.n
    rows = np.arange(n) if n <= DRAW_POINTS else np.sort(np.random.default_rng(0).choice(n, DRAW_POINTS, replace=False))
    for label in (0, 1):
        mine = rows[dataset.y[rows] == label]
        fig.add_trace(go.Scattergl(
            x=compact(dataset.X[mine, 0]), y=compact(dataset.X[mine, 1]), mode="markers",
            name=text.class_names[label], legendgroup="data", hoverinfo="skip", opacity=0.45,
            marker=dict(color=CLASS_COLORS[label], symbol=CLASS_SYMBOLS[label], size=6),
        ))


# --- the panel ----------------------------------------------------------------------------------

def _words(page: Page) -> LabelWords:
    tr = page.tr
    return LabelWords(full=tr("compare.word.full"), sgd=tr("compare.word.sgd"), standardized=tr("compare.word.std"),
                      raw=tr("compare.word.raw"), init=tr("compare.word.init"), seed=tr("compare.word.seed"),
                      diverged=tr("compare.word.diverged"))


def _stored() -> tuple[Pin, ...]:
    return tuple(st.session_state.get("pins", ()))


def _restore_from_url(page: Page) -> None:
    """A link's pins, trained on the data on show, once per session (a session's own pins win)."""
    if st.session_state.get("pins_restored") or _stored():
        return
    st.session_state["pins_restored"] = True
    dataset = page.data.dataset
    for settings in settings_from_query(st.query_params.get("pins")):
        try:
            run = cached.trained(page.data.fingerprint, repr(settings), dataset.X, dataset.y, settings)
        except LogitError:
            continue
        _pin(page, run, settings, quiet=True)


def _pin(page: Page, trajectory: Trajectory, settings: TrainingSettings | None = None, quiet: bool = False) -> None:
    """Pin the run; a fifth replaces the oldest (first one made on other data, if any)."""
    tr = page.tr
    settings = settings or page.settings
    pins = list(_stored())
    fingerprint, key = page.data.fingerprint, repr(settings)
    if any(p.fingerprint == fingerprint and p.settings_key == key for p in pins):
        return
    label = pin_label(settings, settings.standardize, _words(page))
    if len(pins) >= MAX_PINS:
        stale = [p for p in pins if p.fingerprint != fingerprint]
        gone = stale[0] if stale else pins[0]
        pins.remove(gone)
        st.toast(tr("compare.replaced", max=MAX_PINS, label=gone.label), icon="📌")
    elif not quiet:
        st.toast(tr("compare.pinned", label=label), icon="📌")
    taken = {p.style for p in pins if p.fingerprint == fingerprint}
    style = next(s for s in range(len(PIN_STYLES) + MAX_PINS) if s not in taken)
    number = int(st.session_state.get("compare_pin_counter", 0)) + 1
    st.session_state["compare_pin_counter"] = number
    pins.append(make_pin(trajectory, fingerprint, settings, number=number, style=style, label=label))
    st.session_state["pins"] = tuple(pins)


def _write_to_url(pins: Sequence[Pin]) -> None:
    query = pins_query([pin.settings for pin in pins])
    if not query:
        st.query_params.pop("pins", None)
    elif st.query_params.get("pins") != query:
        st.query_params["pins"] = query


def _remove(number: int) -> None:
    st.session_state["pins"] = tuple(p for p in _stored() if p.number != number)


def _clear(only_other_data: str | None = None) -> None:
    """Remove every pin, or only those not made on the data with this fingerprint."""
    if only_other_data is None:
        st.session_state["pins"] = ()
    else:
        st.session_state["pins"] = tuple(p for p in _stored() if p.fingerprint == only_other_data)


_DASH_ARRAYS = {"solid": "", "dash": "6,4", "dot": "2,3", "dashdot": "7,3,2,3", "longdash": "11,4"}


def _swatch(color: str, dash: str) -> str:
    """A short line in a run's colour and dash pattern, as in the charts' legends."""
    pattern = _DASH_ARRAYS.get(dash, "")
    dashes = f' stroke-dasharray="{pattern}"' if pattern else ""
    return (f'<svg width="34" height="10" aria-hidden="true" style="vertical-align:middle">'
            f'<line x1="1" y1="5" x2="33" y2="5" stroke="{color}" stroke-width="3"{dashes}/></svg>')


def compare_ui(page: Page, trajectory: Trajectory, k: int) -> None:
    """Pin / Remove / Clear, and the pinned runs of these data overlaid with the current one."""
    tr, dataset = page.tr, page.data.dataset
    fingerprint = page.data.fingerprint
    _restore_from_url(page)
    pins = _stored()
    mine = [p for p in pins if p.fingerprint == fingerprint]
    _write_to_url(mine)
    others = len(pins) - len(mine)
    already = any(p.settings_key == repr(page.settings) for p in mine)
    st.caption(tr("compare.intro", max=MAX_PINS))
    bar = st.container(horizontal=True, vertical_alignment="center")
    bar.button(tr("compare.pin"), key="compare_pin", type="primary", on_click=_pin, args=(page, trajectory),
               disabled=already, help=tr("compare.pinned_already") if already else tr("compare.pin.help"))
    bar.button(tr("compare.clear"), key="compare_clear", on_click=_clear, disabled=not pins)
    log_x = bar.checkbox(tr("compare.log_iterations"), key="compare_log_iterations")
    log_y = bar.checkbox(tr("compare.log_loss"), key="compare_log_loss")
    if others:
        note = st.container(horizontal=True, vertical_alignment="center")
        note.warning(tr("compare.other_data", n=others), icon="🔀")
        note.button(tr("compare.clear_other"), key="compare_clear_other", on_click=_clear, args=(fingerprint,))
    words = _words(page)
    for pin in mine:
        color, dash, _, _ = _styles(pin)
        row = st.container(horizontal=True, vertical_alignment="center", gap="small")
        label = pin_label(pin.settings, pin.settings.standardize, words)
        row.markdown(f"{_swatch(color, dash)} 📌{pin.number} · {label}", unsafe_allow_html=True, width="content")
        row.button("✕", key=f"compare_remove_{pin.number}", on_click=_remove, args=(pin.number,),
                   help=tr("compare.remove"))
    if not mine:
        st.info(tr("compare.empty"), icon="📌")
        return
    current = make_pin(trajectory, fingerprint, page.settings, extra=(k,), label="")
    text = CompareText(
        loss_title=tr("compare.loss_title"), path_title=tr("compare.path_title"),
        lines_title=tr("compare.lines_title"), iteration=tr("compare.iteration"), loss="J",
        current=tr("compare.current"), pinned=tr("compare.pinned_name"), start=tr("compare.start"),
        end=tr("compare.end"), no_line=tr("compare.no_line"),
        x1_title=dataset.feature_names[0], x2_title=dataset.feature_names[1],
        class_names=(f"{dataset.classes[0]} (y=0)", f"{dataset.classes[1]} (y=1)"), words=words,
    )
    loss_fig, path_fig, lines_fig = comparison_figures(mine, current, dataset, text, current_iteration=k,
                                                       log_iterations=log_x, log_loss=log_y)
    config = tr.chart_config()
    left, right = st.columns(2)
    left.plotly_chart(loss_fig, key="compare_loss_chart", config=config, alt=tr("compare.loss_alt"))
    right.plotly_chart(lines_fig, key="compare_lines_chart", config=config, alt=tr("compare.lines_alt"))
    st.plotly_chart(path_fig, key="compare_path_chart", config=config, alt=tr("compare.path_alt"))
    st.caption(tr("compare.path_caption"))
