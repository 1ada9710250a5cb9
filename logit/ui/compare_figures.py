"""Compare runs: pinned runs kept small (:class:`Pin`) and drawn side by side with the current one.

Pure builders (:func:`pin_label`, :func:`make_pin`, :func:`comparison_figures`, and
:func:`pins_query` / :func:`settings_from_query`, the pins' settings as a URL value), tested
without Streamlit; the panel that pins runs and shows them is :mod:`logit.ui.panels.compare`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from logit.dataset import Dataset, fixed_sample
from logit.geometry import padded_box, separating_line
from logit.training import Trajectory, TrainingSettings
from logit.ui.run_key import RunKey
from logit.ui.figures import CLASS_COLORS, CLASS_SYMBOLS, base_layout, compact


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
    label: str
    iterations: np.ndarray
    loss: np.ndarray
    params: np.ndarray
    final: np.ndarray
    status: str

    @property
    def key(self) -> RunKey:
        """The run pinned: the same run is pinned once."""
        return RunKey(self.fingerprint, self.settings)

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
        label=label if label is not None else pin_label(settings, not trajectory.scaler.is_identity),
        iterations=kept, loss=np.array(trajectory.loss[kept], dtype=float), params=params,
        final=trajectory.final_params_original, status=str(trajectory.status),
    )


def pin_style(pin: Pin | None) -> tuple[str, str, float, str]:
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
        color, dash, width, symbol = pin_style(pin)
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
    sample = fixed_sample(n, DRAW_POINTS)
    rows = np.arange(n) if sample is None else sample
    for label in (0, 1):
        mine = rows[dataset.y[rows] == label]
        fig.add_trace(go.Scattergl(
            x=compact(dataset.X[mine, 0]), y=compact(dataset.X[mine, 1]), mode="markers",
            name=text.class_names[label], legendgroup="data", hoverinfo="skip", opacity=0.45,
            marker=dict(color=CLASS_COLORS[label], symbol=CLASS_SYMBOLS[label], size=6),
        ))


# --- the panel ----------------------------------------------------------------------------------
