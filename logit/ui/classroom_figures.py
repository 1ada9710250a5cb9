"""Plotly figures of the classroom panels: confusion matrix, accuracy by threshold, train vs test.

Pure functions from arrays to ``go.Figure``, in the look of :mod:`logit.ui.figures`;
every text on a chart is passed in by the caller.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from logit.ui.figures import SERIES_COLORS, base_layout, compact

# Single-hue scale (white → the blue of class 1): reads in grey and for every colour vision.
COUNT_SCALE = [[0.0, "#F4F8FB"], [1.0, "#0072B2"]]
TRAIN_COLOR, TEST_COLOR = SERIES_COLORS[0], SERIES_COLORS[1]
THRESHOLD_COLOR = "#CC0066"


def confusion_figure(
    matrix: np.ndarray,
    class_names: tuple[str, str],
    cell_names: tuple[tuple[str, str], tuple[str, str]],
    *,
    title: str,
    x_title: str,
    y_title: str,
    scale: float = 1.0,
) -> go.Figure:
    """The 2×2 confusion matrix as a heatmap with each cell's name and count written in it.

    Parameters
    ----------
    matrix : ndarray, shape (2, 2)
        Counts; rows actual class 0/1 (top to bottom), columns predicted class 0/1.
    class_names : the two classes' names, for both axes
    cell_names : ((TN, FP), (FN, TP)) in the page's language
    """
    matrix = np.asarray(matrix)
    labels = [str(name) for name in class_names]
    text = [[f"{cell_names[i][j]}<br><b>{int(matrix[i, j]):,}</b>" for j in range(2)] for i in range(2)]
    share = matrix / max(int(matrix.sum()), 1)
    fig = go.Figure(
        go.Heatmap(
            z=matrix, x=labels, y=labels, text=text, texttemplate="%{text}", customdata=share,
            colorscale=COUNT_SCALE, zmin=0, zmax=max(int(matrix.max()), 1), showscale=False,
            xgap=3, ygap=3, textfont=dict(size=int(15 * scale)),
            hovertemplate="%{text}<br>%{customdata:.1%}<extra></extra>",
        )
    )
    base_layout(fig, height=300, title=title, scale=scale)
    fig.update_xaxes(title_text=x_title, type="category", side="bottom", showgrid=False)
    fig.update_yaxes(title_text=y_title, type="category", autorange="reversed", showgrid=False)
    return fig


def threshold_figure(
    thresholds: np.ndarray,
    curves: Sequence[tuple[str, np.ndarray]],
    current: float,
    *,
    title: str,
    x_title: str,
    y_title: str,
    scale: float = 1.0,
) -> go.Figure:
    """Accuracy against the decision threshold, one line per data set, the chosen threshold marked.

    Parameters
    ----------
    thresholds : ndarray, shape (m,)
    curves : (name, accuracy of shape (m,)) for each data set, e.g. training and test
    current : the threshold chosen; marked with a vertical line and a dot on each curve
    """
    fig = go.Figure()
    thresholds = np.asarray(thresholds, dtype=float)
    for j, (name, accuracy) in enumerate(curves):
        color = (TRAIN_COLOR, TEST_COLOR)[j % 2]
        accuracy = np.asarray(accuracy, dtype=float)
        fig.add_trace(go.Scatter(
            x=compact(thresholds), y=compact(accuracy), mode="lines", name=name,
            line=dict(color=color, width=2.5, dash="solid" if j == 0 else "dash"),
            hovertemplate=f"t = %{{x:.2f}}<br>{name}: %{{y:.1%}}<extra></extra>",
        ))
        at = int(np.argmin(np.abs(thresholds - current)))
        fig.add_trace(go.Scatter(x=[thresholds[at]], y=[accuracy[at]], mode="markers", showlegend=False,
                                 hoverinfo="skip", marker=dict(color=color, size=10, line=dict(color="white", width=1.5))))
    fig.add_vline(x=current, line=dict(color=THRESHOLD_COLOR, width=2, dash="dot"))
    fig.add_vline(x=0.5, line=dict(color="#999", width=1, dash="dash"))
    base_layout(fig, height=300, title=title, scale=scale)
    fig.update_xaxes(title_text=x_title, range=[0, 1])
    fig.update_yaxes(title_text=y_title, range=[0, 1.02], tickformat=".0%")
    return fig


def train_test_figure(
    train: np.ndarray,
    test: np.ndarray,
    current: int,
    *,
    names: tuple[str, str],
    title: str,
    y_title: str,
    x_title: str,
    percent: bool = False,
    scale: float = 1.0,
) -> go.Figure:
    """One quantity (loss or accuracy) on the training and on the test points against iteration.

    Parameters
    ----------
    train, test : ndarray, shape (≥ current+1,)
        The quantity at iterations 0, 1, …; drawn up to ``current``.
    names : legend names of the two lines
    percent : show the y axis as 0–100 % (for accuracy)
    """
    fig = go.Figure()
    iterations = np.arange(current + 1)
    value_format = ".1%" if percent else ".5g"
    for values, name, color, dash in ((train, names[0], TRAIN_COLOR, "solid"), (test, names[1], TEST_COLOR, "dash")):
        upto = np.asarray(values, dtype=float)[: current + 1]
        fig.add_trace(go.Scatter(
            x=iterations, y=compact(upto), mode="lines", name=name, line=dict(color=color, width=2.5, dash=dash),
            hovertemplate=f"{name}: %{{y:{value_format}}}<br>{x_title} %{{x}}<extra></extra>",
        ))
        fig.add_trace(go.Scatter(x=[current], y=[upto[-1]], mode="markers", showlegend=False, hoverinfo="skip",
                                 marker=dict(color=color, size=9, line=dict(color="white", width=1.5))))
    fig.add_vline(x=current, line=dict(color="#999", width=1, dash="dash"))
    base_layout(fig, height=300, title=title, scale=scale)
    fig.update_xaxes(title_text=x_title, range=[0, max(current, 10) * 1.02])
    if percent:
        fig.update_yaxes(title_text=y_title, range=[0, 1.02], tickformat=".0%")
    else:
        fig.update_yaxes(title_text=y_title, rangemode="tozero")
    return fig
