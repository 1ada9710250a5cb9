"""Plotly figures of a run: pure functions from arrays to ``go.Figure``.

Nothing here knows about Streamlit; every text shown on a chart is passed in by
the caller, so the same builders serve every language.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from logit.geometry import Box, probability_grid, separating_line

# Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
CLASS_COLORS = ("#E69F00", "#0072B2")  # class 0 orange, class 1 blue
CLASS_SYMBOLS = ("circle", "diamond")
SERIES_COLORS = ("#0072B2", "#D55E00", "#009E73")  # w1, w2, b (and their gradients)
LINE_COLOR = "#222222"
MISCLASSIFIED_COLOR = "#CC0066"
# Above this many points Plotly's WebGL scatter draws much faster than SVG.
WEBGL_FROM = 2_000
FONT = dict(family="Inter, 'Noto Sans SC', 'Source Han Sans SC', sans-serif", size=13)


@dataclass(frozen=True)
class DataChartText:
    """Words on the data chart, in the page's language."""

    x1_title: str
    x2_title: str
    class_names: tuple[str, str]
    misclassified: str
    boundary: str
    probability: str
    selected: str


def compact(values: np.ndarray) -> np.ndarray:
    """float32 halves what the browser receives; values beyond its range stay float64."""
    values = np.asarray(values, dtype=float)
    if values.size and np.max(np.abs(values)) < 1e37 and np.min(np.abs(values[values != 0]), initial=1.0) > 1e-37:
        return values.astype(np.float32)
    return values


def base_layout(fig: go.Figure, *, height: int, title: str = "", scale: float = 1.0) -> go.Figure:
    """The look shared by every chart: white, quiet grid, legend on top."""
    fig.update_layout(
        template="plotly_white",
        height=int(height * scale),
        title=dict(text=title, x=0.0, xanchor="left", font=dict(size=int(15 * scale))) if title else None,
        margin=dict(l=10, r=10, t=60 if title else 30, b=10),
        font=dict(FONT, size=int(FONT["size"] * scale)),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0),
        hovermode="closest",
    )
    return fig


def data_figure(
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    box: Box,
    text: DataChartText,
    *,
    drawn: np.ndarray | None = None,
    selected: int | None = None,
    heatmap_resolution: int = 60,
    scale: float = 1.0,
    clickable_grid: int = 0,
    webgl: bool | None = None,
) -> go.Figure:
    """The data with the model's σ(z) as a background, its boundary line and its mistakes.

    Parameters
    ----------
    X : ndarray, shape (n, 2), original units
    y : ndarray, shape (n,), labels 0/1
    params : ndarray, shape (3,), (w1, w2, b) in original units
    box : axis ranges (x1_min, x1_max, x2_min, x2_max); fixed so the view does not jump
    text : DataChartText
    drawn : ndarray of row indices to draw, or None for all (large data is sampled)
    selected : row index of the point the chain-rule panel explains, or None
    clickable_grid : if > 0, a near-invisible grid of that many points a side, so a click on
        empty space selects a grid point (Plotly reports no click on empty space)
    webgl : draw the points with WebGL; None: from WEBGL_FROM points on
    """
    fig = go.Figure()
    g1, g2, probability = probability_grid(params, box, heatmap_resolution)
    fig.add_trace(
        go.Heatmap(
            x=g1, y=g2, z=probability, zmin=0.0, zmax=1.0, zsmooth="best", opacity=0.35,
            colorscale=[[0.0, CLASS_COLORS[0]], [0.5, "#FFFFFF"], [1.0, CLASS_COLORS[1]]],
            colorbar=dict(title=dict(text=text.probability, side="right"), thickness=10, len=0.6, x=1.02),
            hovertemplate=f"{text.x1_title}=%{{x:.3g}}<br>{text.x2_title}=%{{y:.3g}}<br>ŷ=%{{z:.3f}}<extra></extra>",
            name=text.probability, meta="heatmap",
        )
    )
    if clickable_grid:
        g1, g2 = np.meshgrid(np.linspace(box[0], box[1], clickable_grid), np.linspace(box[2], box[3], clickable_grid))
        fig.add_trace(
            go.Scatter(x=g1.ravel(), y=g2.ravel(), mode="markers", name="grid", showlegend=False, hoverinfo="none",
                       marker=dict(size=14, color="#000000", opacity=0.01), unselected=dict(marker=dict(opacity=0.01)),
                       selected=dict(marker=dict(opacity=0.01)))
        )
    rows = np.arange(len(y)) if drawn is None else np.asarray(drawn)
    Scatter = go.Scattergl if (len(rows) >= WEBGL_FROM if webgl is None else webgl) else go.Scatter
    z = params[0] * X[rows, 0] + params[1] * X[rows, 1] + params[2]
    wrong = (z >= 0) != (y[rows] == 1)
    for label in (0, 1):
        mine = rows[y[rows] == label]
        fig.add_trace(
            Scatter(
                x=compact(X[mine, 0]), y=compact(X[mine, 1]), mode="markers",
                name=text.class_names[label], customdata=mine,
                marker=dict(color=CLASS_COLORS[label], symbol=CLASS_SYMBOLS[label], size=9,
                            line=dict(color="white", width=1)),
                hovertemplate=f"#%{{customdata}} · {text.class_names[label]}<br>"
                f"{text.x1_title}=%{{x:.4g}}<br>{text.x2_title}=%{{y:.4g}}<extra></extra>",
                # A click selects a point; keep the others fully visible instead of Plotly's dimming.
                unselected=dict(marker=dict(opacity=1.0)),
            )
        )
    mistakes = rows[wrong]
    fig.add_trace(
        Scatter(
            x=compact(X[mistakes, 0]), y=compact(X[mistakes, 1]), mode="markers",
            name=text.misclassified, customdata=mistakes, hoverinfo="skip", meta="mistakes",
            marker=dict(symbol="circle-open", size=16, color=MISCLASSIFIED_COLOR, line=dict(width=2)),
        )
    )
    line = separating_line(params, box)
    fig.add_trace(
        go.Scatter(
            x=[line[0][0], line[1][0]] if line else [], y=[line[0][1], line[1][1]] if line else [],
            mode="lines", name=text.boundary, line=dict(color=LINE_COLOR, width=3), hoverinfo="skip", meta="boundary",
        )
    )
    if selected is not None and 0 <= selected < len(y):
        fig.add_trace(
            go.Scatter(
                x=[X[selected, 0]], y=[X[selected, 1]], mode="markers", name=text.selected, hoverinfo="skip",
                marker=dict(symbol="star", size=20, color="#F0E442", line=dict(color="black", width=1.5)),
            )
        )
    base_layout(fig, height=520, scale=scale)
    fig.update_xaxes(title_text=text.x1_title, range=[box[0], box[1]], zeroline=False)
    fig.update_yaxes(title_text=text.x2_title, range=[box[2], box[3]], zeroline=False)
    fig.update_layout(uirevision="data", clickmode="event+select", dragmode="pan")
    return fig


def history_figure(
    values: np.ndarray,
    names: tuple[str, ...],
    current: int,
    *,
    title: str,
    y_title: str,
    x_title: str,
    zero_line: bool = False,
    scale: float = 1.0,
) -> go.Figure:
    """Several quantities against iteration, up to and marking the current iteration.

    Parameters
    ----------
    values : ndarray, shape (K+1, m)
        Row k holds the m quantities at iteration k.
    names : m series names (legend)
    current : the iteration shown; history after it is not drawn
    """
    fig = go.Figure()
    upto = values[: current + 1]
    iterations = np.arange(len(upto))
    for j, name in enumerate(names):
        color = SERIES_COLORS[j % len(SERIES_COLORS)]
        fig.add_trace(
            go.Scatter(x=iterations, y=upto[:, j], mode="lines", name=name, line=dict(color=color, width=2.5),
                       meta=f"line:{j}",
                       hovertemplate=f"{name}: %{{y:.4g}}<br>{x_title} %{{x}}<extra></extra>")
        )
        fig.add_trace(
            go.Scatter(x=[current], y=[upto[-1, j]], mode="markers", showlegend=False, hoverinfo="skip",
                       meta=f"marker:{j}", marker=dict(color=color, size=9, line=dict(color="white", width=1.5)))
        )
    _mark_current(fig, current)
    if zero_line:
        fig.add_hline(y=0, line=dict(color="#888", width=1, dash="dot"))
    base_layout(fig, height=300, title=title, scale=scale)
    fig.update_xaxes(title_text=x_title, range=[0, max(current, 10) * 1.02], rangemode="tozero")
    fig.update_yaxes(title_text=y_title)
    return fig


def loss_accuracy_figure(
    loss: np.ndarray,
    accuracy: np.ndarray,
    current: int,
    *,
    title: str,
    loss_name: str,
    accuracy_name: str,
    x_title: str,
    scale: float = 1.0,
) -> go.Figure:
    """Mean loss (left axis) and accuracy (right axis, 0–1) against iteration."""
    fig = go.Figure()
    iterations = np.arange(current + 1)
    fig.add_trace(go.Scatter(x=iterations, y=loss[: current + 1], name=loss_name, mode="lines", meta="loss",
                             line=dict(color=SERIES_COLORS[1], width=2.5),
                             hovertemplate=f"{loss_name}: %{{y:.5g}}<extra></extra>"))
    fig.add_trace(go.Scatter(x=iterations, y=accuracy[: current + 1], name=accuracy_name, mode="lines", yaxis="y2",
                             meta="accuracy",
                             line=dict(color=SERIES_COLORS[2], width=2.5, dash="dash"),
                             hovertemplate=f"{accuracy_name}: %{{y:.1%}}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[current], y=[loss[current]], mode="markers", showlegend=False, hoverinfo="skip",
                             meta="marker", marker=dict(color=SERIES_COLORS[1], size=9)))
    _mark_current(fig, current)
    base_layout(fig, height=300, title=title, scale=scale)
    fig.update_layout(
        yaxis=dict(title=dict(text=loss_name), rangemode="tozero"),
        yaxis2=dict(title=dict(text=accuracy_name), overlaying="y", side="right", range=[0, 1.02],
                    tickformat=".0%", tickvals=[0, 0.25, 0.5, 0.75, 1.0], showgrid=False),
    )
    fig.update_xaxes(title_text=x_title, range=[0, max(current, 10) * 1.02])
    return fig


def _mark_current(fig: go.Figure, current: int) -> None:
    fig.add_vline(x=current, line=dict(color="#999", width=1, dash="dash"))
