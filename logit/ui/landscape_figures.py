"""The loss landscape: the cost J over a (w₁, w₂) window at the current b, with the descent path on it.

Pure builders (:func:`landscape_window`, :func:`landscape_grid`, :func:`landscape_figure`),
tested without Streamlit; the panel that shows them is :mod:`logit.ui.panels.landscape`.

The window is square in weight units and drawn with equal axes, so the shape of the
surface is true: features on very different scales give a long thin valley, and
standardising them turns it into a round bowl.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go

from logit.dataset import fixed_sample
from logit.landscape import loss_landscape
from logit.training import Trajectory
from logit.ui.figures import base_layout, compact

Window = tuple[float, float, float, float]  # (w1_min, w1_max, w2_min, w2_max)

# Above this many points the landscape is computed on a fixed random sample of this size.
SAMPLE_LIMIT = 5_000
# Grid points × data points per landscape (~20 ns each per core): 80 × 80 over 2,000 points.
WORK_BUDGET = 80 * 80 * 2_000
MIN_RESOLUTION = 40
MAX_RESOLUTION = 100
# The window is at least ± this many logits of the feature with the smallest spread.
MIN_LOGITS = 3.0
# The path's extent fills at most 1/MARGIN of the half-width.
MARGIN = 1.25
# Weights beyond this size (a diverging run) are left out of the window.
WEIGHT_LIMIT = 1e150
# b is rounded to this many logits for the landscape (changes J by at most half of it),
# so that nearby iterations reuse one computed grid.
B_QUANTUM = 0.01
# Renard's R10 steps: the half-width is rounded up to one of these × a power of ten.
_STEPS = (1.0, 1.25, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0, 10.0)
LEVELS = 18
PATH_DRAW_LIMIT = 2_000

PATH_COLOR = "#222222"
PATH_HALO = "#FFFFFF"
CURRENT_COLOR = "#D55E00"  # Okabe–Ito vermillion: stands out on every part of Viridis
COLORSCALE = "Viridis"



@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    """Two threads for the two halves of a grid (numpy lets go of the GIL), made when first needed."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="landscape")


@dataclass(frozen=True)
class LandscapeText:
    """Words on the landscape chart, in the page's language."""

    title: str
    path: str
    start: str
    current: str
    note: str = ""  # e.g. that a sample of the points was used; "" for none
    w1_title: str = "w₁"
    w2_title: str = "w₂"
    loss: str = "J"
    iteration: str = "iteration"


# --- the grid -----------------------------------------------------------------------------------

def resolution_for(n: int) -> int:
    """Grid points per axis for n data points: 100 for small data, 80 at 2,000, 50 from 5,000 on."""
    used = max(1, min(int(n), SAMPLE_LIMIT))
    return int(min(MAX_RESOLUTION, max(MIN_RESOLUTION, math.isqrt(WORK_BUDGET // used))))


def sample_rows(n: int) -> np.ndarray | None:
    """Rows the landscape uses when there are more than :data:`SAMPLE_LIMIT`, or None for all.

    Fixed (seeded, sorted), so the surface does not flicker from one iteration to the next.
    """
    if n <= SAMPLE_LIMIT:
        return None
    return _sample_rows(int(n))


@lru_cache(maxsize=8)
def _sample_rows(n: int) -> np.ndarray:
    rows = fixed_sample(n, SAMPLE_LIMIT)
    rows.setflags(write=False)
    return rows


def landscape_window(X_trained: np.ndarray, trajectory: Trajectory, k: int) -> Window:
    """A square (w₁, w₂) window holding the path up to iteration k and where the run ends.

    The run's last iteration stands in for the optimum (unless the run diverged), so the
    window stays put while stepping through a run. The half-width is at least
    :data:`MIN_LOGITS` over the feature with the smallest spread (so the surface shows
    its shape even around a single point), the path fills at most 80 % of it, and it is
    rounded up to an R10 step with the centre on a tenth of that step: nearby iterations
    share one window.

    Parameters
    ----------
    X_trained : ndarray, shape (n, 2), features in the units training runs in
    trajectory : Trajectory
    k : iteration shown

    Returns
    -------
    (w1_min, w1_max, w2_min, w2_max)
    """
    params = np.asarray(trajectory.params, dtype=float)
    k = int(min(max(k, 0), len(params) - 1))
    points = params[: k + 1, :2]
    if trajectory.status != "diverged":
        points = np.vstack([points, params[-1:, :2]])
    with np.errstate(invalid="ignore"):
        usable = np.all(np.isfinite(points) & (np.abs(points) < WEIGHT_LIMIT), axis=1)
    points = points[usable] if np.any(usable) else np.zeros((1, 2))
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2
    with np.errstate(over="ignore"):
        spread = np.sqrt(np.mean(np.square(np.asarray(X_trained, dtype=float)), axis=0))
    spread = spread[np.isfinite(spread) & (spread > 0)]
    smallest = MIN_LOGITS / float(spread.min()) if spread.size else 1.0
    half = max(MARGIN * float(np.max(high - low)) / 2, smallest, 1e-300)
    half = _round_up_r10(half)
    quantum = half / 10
    centre = np.round(centre / quantum) * quantum
    return (float(centre[0] - half), float(centre[0] + half), float(centre[1] - half), float(centre[1] + half))


def _round_up_r10(value: float) -> float:
    power = 10.0 ** math.floor(math.log10(value))
    for step in _STEPS:
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power


def evaluate_window(
    X_trained: np.ndarray, y: np.ndarray, window: Window, b: float, l2: float, resolution: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`logit.landscape.loss_landscape` over ``window``, on all points or the fixed sample.

    The grid's rows are split between two threads (numpy releases the GIL); every grid
    point is computed exactly as in one call.

    Returns
    -------
    w1_values : ndarray, shape (resolution,)
    w2_values : ndarray, shape (resolution,)
    J : ndarray, shape (resolution, resolution), row i at w2_values[i]
    """
    X_trained = np.asarray(X_trained, dtype=float)
    y = np.asarray(y, dtype=float)
    rows = sample_rows(len(y))
    if rows is not None:
        X_trained, y = X_trained[rows], y[rows]
    w1_values = np.linspace(window[0], window[1], resolution)
    w2_values = np.linspace(window[2], window[3], resolution)
    halves = np.array_split(w2_values, 2) if resolution >= 8 else [w2_values]
    parts = list(_pool().map(lambda w2: loss_landscape(X_trained, y, w1_values, w2, b, l2), halves))
    return w1_values, w2_values, np.vstack(parts)


def landscape_grid(
    X_trained: np.ndarray, y: np.ndarray, trajectory: Trajectory, k: int, resolution: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The mean loss over the window of :func:`landscape_window`, at b = params[k, 2] and the run's λ.

    Parameters
    ----------
    X_trained : ndarray, shape (n, 2), features in the units training runs in
        (``trajectory.scaler.transform(X)``)
    y : ndarray, shape (n,)
    trajectory : Trajectory
    k : iteration shown
    resolution : grid points per axis; by default :func:`resolution_for` (n)

    Returns
    -------
    w1_values (m,), w2_values (m,), J (m, m) with rows along w₂
    """
    k = int(min(max(k, 0), trajectory.iterations))
    window = landscape_window(X_trained, trajectory, k)
    resolution = resolution or resolution_for(len(y))
    return evaluate_window(X_trained, y, window, float(trajectory.params[k, 2]), trajectory.settings.l2, resolution)


# --- the figure ---------------------------------------------------------------------------------

def contour_levels(J: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Log-spaced levels: the surface drawn as log₁₀(J − min J + δ).

    A round bowl and a valley with walls a thousand times higher than its floor both
    get rings near the bottom and on the walls. δ is a thousandth of J's range.

    Returns
    -------
    z : ndarray like J, the transformed surface (NaN where J is not finite)
    floor : min J
    delta : δ
    """
    J = np.asarray(J, dtype=float)
    finite = np.isfinite(J)
    if not np.any(finite):
        return np.full(J.shape, np.nan), 0.0, 1.0
    floor, top = float(J[finite].min()), float(J[finite].max())
    extent = top - floor
    delta = extent * 1e-3 if extent > 0 and math.isfinite(extent) else 1.0
    with np.errstate(over="ignore", invalid="ignore"):
        excess = np.where(finite, J - floor, np.nan) + delta
        z = np.log10(excess)
    return z, floor, delta


def landscape_figure(
    w1_values: np.ndarray,
    w2_values: np.ndarray,
    J: np.ndarray,
    path: np.ndarray,
    current: np.ndarray,
    text: LandscapeText,
    scale: float = 1.0,
    *,
    current_loss: float | None = None,
) -> go.Figure:
    """Filled contours of J, the descent path so far and the current point, on equal axes.

    Parameters
    ----------
    w1_values, w2_values : ndarray, shape (m,) and (p,), the grid's axes
    J : ndarray, shape (p, m), row i at w2_values[i]
    path : ndarray, shape (k+1, 2), (w₁, w₂) at iterations 0..k (drawn through at most 2,000 of them)
    current : ndarray, shape (2,), (w₁, w₂) at iteration k
    text : LandscapeText
    current_loss : J at the current point (with its own b), shown on hover
    """
    z, floor, delta = contour_levels(J)
    fig = go.Figure()
    finite_z = z[np.isfinite(z)]
    low, high = (float(finite_z.min()), float(finite_z.max())) if finite_z.size else (0.0, 1.0)
    if high <= low:
        high = low + 1.0
    size = (high - low) / LEVELS
    ticks = np.linspace(low, high, 6)
    tick_text = [f"{floor + 10.0 ** t - delta:.3g}" for t in ticks]
    fig.add_trace(
        go.Contour(
            x=compact(w1_values), y=compact(w2_values), z=compact(z), customdata=compact(J),
            colorscale=COLORSCALE,
            contours=dict(coloring="fill", start=low + size / 2, end=high, size=size, showlines=True),
            line=dict(width=0.5, color="rgba(255,255,255,0.45)"),
            colorbar=dict(title=dict(text=text.loss, side="right"), thickness=12, len=0.8, x=1.02,
                          tickvals=ticks, ticktext=tick_text),
            hovertemplate=f"{text.w1_title}=%{{x:.4g}}<br>{text.w2_title}=%{{y:.4g}}<br>"
            f"{text.loss}=%{{customdata:.4g}}<extra></extra>",
            name=text.loss, showlegend=False,
        )
    )
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    shown = _thin(len(path))
    x, y = compact(path[shown, 0]), compact(path[shown, 1])
    many = len(shown) > 100
    # A dark line on a white halo reads on both ends of the colour scale.
    fig.add_trace(
        go.Scatter(x=x, y=y, mode="lines", showlegend=False, hoverinfo="skip",
                   line=dict(color=PATH_HALO, width=3 if many else 5))
    )
    fig.add_trace(
        go.Scatter(
            x=x, y=y, customdata=shown, mode="lines" if many else "lines+markers", name=text.path,
            line=dict(color=PATH_COLOR, width=1 if many else 2),
            marker=dict(color=PATH_HALO, size=6, line=dict(color=PATH_COLOR, width=1.5)),
            hovertemplate=f"{text.iteration} %{{customdata}}<br>{text.w1_title}=%{{x:.4g}}<br>"
            f"{text.w2_title}=%{{y:.4g}}<extra></extra>",
        )
    )
    if len(path):
        fig.add_trace(
            go.Scatter(
                x=[path[0, 0]], y=[path[0, 1]], mode="markers", name=text.start, hoverinfo="skip",
                marker=dict(symbol="circle", size=13, color=PATH_HALO, line=dict(color=PATH_COLOR, width=2.5)),
            )
        )
    current = np.asarray(current, dtype=float).reshape(2)
    loss_line = f"<br>{text.loss}=%{{customdata:.4g}}" if current_loss is not None else ""
    fig.add_trace(
        go.Scatter(
            x=[current[0]], y=[current[1]], mode="markers", name=text.current,
            customdata=[current_loss] if current_loss is not None else None,
            marker=dict(symbol="circle", size=15, color=CURRENT_COLOR, line=dict(color="white", width=2)),
            hovertemplate=f"{text.current}<br>{text.w1_title}=%{{x:.4g}}<br>{text.w2_title}=%{{y:.4g}}"
            f"{loss_line}<extra></extra>",
        )
    )
    base_layout(fig, height=560, title=text.title, scale=scale)
    # Drawn at this width (not stretched to the column) the plot area is about square, so
    # the colour bar and the legend stay next to the map.
    fig.update_layout(width=int(560 * scale),
                      legend=dict(orientation="h", yanchor="top", y=-0.14, xanchor="left", x=0.0))
    if text.note:
        fig.add_annotation(text=text.note, xref="x domain", yref="y domain", x=0.0, y=0.0, xanchor="left",
                           yanchor="bottom", showarrow=False, bgcolor="rgba(255,255,255,0.8)",
                           font=dict(size=int(11 * scale)))
    fig.update_xaxes(title_text=text.w1_title, range=[float(w1_values[0]), float(w1_values[-1])],
                     constrain="domain", constraintoward="left", showgrid=False, zeroline=False)
    fig.update_yaxes(title_text=text.w2_title, range=[float(w2_values[0]), float(w2_values[-1])],
                     scaleanchor="x", scaleratio=1, constrain="domain", constraintoward="top", showgrid=False,
                     zeroline=False)
    fig.update_layout(uirevision="landscape")
    return fig


def _thin(count: int, limit: int = PATH_DRAW_LIMIT) -> np.ndarray:
    """At most ``limit`` indices of 0..count−1, always the first and the last."""
    if count <= limit:
        return np.arange(count)
    return np.unique(np.round(np.linspace(0, count - 1, limit)).astype(int))
