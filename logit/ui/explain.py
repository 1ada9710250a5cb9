"""The lecture's chain rule written out with live numbers (pure: numbers → LaTeX and tables)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from logit.model import chain_rule, numerical_gradient

PARAMETERS = ("w_1", "w_2", "b")


def fmt(value: float, digits: int = 4) -> str:
    """A number for a formula: 4 significant digits, LaTeX powers of ten, ∞ for inf."""
    value = float(value)
    if np.isnan(value):
        return r"\text{NaN}"
    if np.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def paren(value: float) -> str:
    """Wrap negative numbers in parentheses so '−α·(−0.3)' reads right."""
    text = fmt(value)
    return f"({text})" if text.startswith("-") else text


@dataclass(frozen=True)
class PointExplanation:
    """The chain rule for one point, as LaTeX lines (the order of the lecture)."""

    forward: list[str]
    dL_dyhat: str
    dyhat: list[str]
    products: list[str]


def explain_point(x: np.ndarray, y: float, params: np.ndarray) -> PointExplanation:
    """LaTeX for one point: z and ŷ, then ∂L/∂ŷ, ∂ŷ/∂w, and their products.

    Parameters
    ----------
    x : ndarray, shape (2,), the point's features in the units training runs in
    y : float, its label 0 or 1
    params : ndarray, shape (3,), (w1, w2, b) at the current iteration
    """
    parts = chain_rule(np.asarray(x, dtype=float)[None, :], np.array([float(y)]), params)
    w1, w2, b = params
    x1, x2 = x
    z, yhat = parts.z[0], parts.yhat[0]
    forward = [
        rf"z = w_1 x_1 + w_2 x_2 + b = {paren(w1)}\cdot{paren(x1)} + {paren(w2)}\cdot{paren(x2)} + {paren(b)} = {fmt(z)}",
        rf"\hat y = \sigma(z) = \frac{{1}}{{1 + e^{{-z}}}} = {fmt(yhat)}",
        rf"L = -y\ln\hat y - (1-y)\ln(1-\hat y) = {fmt(parts.loss[0])}",
    ]
    dL_dyhat = (
        rf"\frac{{\partial L}}{{\partial \hat y}} = -\frac{{y - \hat y}}{{\hat y(1-\hat y)}}"
        rf" = -\frac{{{fmt(y, 1)} - {fmt(yhat)}}}{{{fmt(yhat)}\cdot{paren(1 - yhat)}}} = {fmt(parts.dL_dyhat[0])}"
    )
    s = rf"{fmt(yhat)}\cdot{paren(1 - yhat)}"
    dyhat = [
        rf"\frac{{\partial \hat y}}{{\partial w_1}} = \hat y(1-\hat y)\,x_1 = {s}\cdot{paren(x1)} = {fmt(parts.dyhat_dw1[0])}",
        rf"\frac{{\partial \hat y}}{{\partial w_2}} = \hat y(1-\hat y)\,x_2 = {s}\cdot{paren(x2)} = {fmt(parts.dyhat_dw2[0])}",
        rf"\frac{{\partial \hat y}}{{\partial b}} = \hat y(1-\hat y) = {fmt(parts.dyhat_db[0])}",
    ]
    error = y - yhat
    products = [
        rf"\frac{{\partial L}}{{\partial w_1}} = \frac{{\partial L}}{{\partial \hat y}}\cdot\frac{{\partial \hat y}}{{\partial w_1}}"
        rf" = -(y-\hat y)\,x_1 = -{paren(error)}\cdot{paren(x1)} = {fmt(parts.dL_dw1[0])}",
        rf"\frac{{\partial L}}{{\partial w_2}} = \frac{{\partial L}}{{\partial \hat y}}\cdot\frac{{\partial \hat y}}{{\partial w_2}}"
        rf" = -(y-\hat y)\,x_2 = -{paren(error)}\cdot{paren(x2)} = {fmt(parts.dL_dw2[0])}",
        rf"\frac{{\partial L}}{{\partial b}} = \frac{{\partial L}}{{\partial \hat y}}\cdot\frac{{\partial \hat y}}{{\partial b}}"
        rf" = -(y-\hat y) = -{paren(error)} = {fmt(parts.dL_db[0])}",
    ]
    return PointExplanation(forward, dL_dyhat, dyhat, products)


def update_lines(params: np.ndarray, step_gradient: np.ndarray, learning_rate: float, l2: float) -> list[str]:
    """LaTeX for the simultaneous update of all three parameters with the numbers."""
    lines = []
    for name, value, grad in zip(PARAMETERS, params, step_gradient):
        new = value - learning_rate * grad
        lines.append(
            rf"{name} \leftarrow {name} - \alpha\,\frac{{\partial J}}{{\partial {name}}}"
            rf" = {paren(value)} - {fmt(learning_rate)}\cdot{paren(grad)} = {fmt(new)}"
        )
    return lines


def per_point_table(X: np.ndarray, y: np.ndarray, params: np.ndarray, names: tuple[str, str], limit: int | None = None) -> pd.DataFrame:
    """One row per point: x1, x2, y, ŷ, y−ŷ and the three per-point gradients.

    Parameters
    ----------
    X : ndarray, shape (n, 2), in the units training runs in
    limit : show only the first ``limit`` rows (the mean is computed separately over all rows)
    """
    rows = slice(None) if limit is None else slice(0, limit)
    parts = chain_rule(X[rows], y[rows], params)
    return pd.DataFrame(
        {
            names[0]: X[rows, 0],
            names[1]: X[rows, 1],
            "y": y[rows].astype(int),
            "ŷ": parts.yhat,
            "y − ŷ": y[rows] - parts.yhat,
            "∂L/∂w1": parts.dL_dw1,
            "∂L/∂w2": parts.dL_dw2,
            "∂L/∂b": parts.dL_db,
        }
    )


def mean_gradient_row(X: np.ndarray, y: np.ndarray, params: np.ndarray) -> np.ndarray:
    """Mean of the per-point gradients over all rows, shape (3,) — the batch gradient (no L2)."""
    parts = chain_rule(X, y, params)
    return np.array([parts.dL_dw1.mean(), parts.dL_dw2.mean(), parts.dL_db.mean()])


def gradient_check(X: np.ndarray, y: np.ndarray, params: np.ndarray, analytic: np.ndarray, l2: float) -> pd.DataFrame:
    """Analytic vs central finite-difference gradient, with their relative difference."""
    numeric = numerical_gradient(X, y, params, l2)
    # Below ~1e-6 both are zero up to the finite difference's own rounding (h = 1e-6).
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), 1e-6)
    return pd.DataFrame(
        {"analytic": analytic, "numerical": numeric, "relative difference": np.abs(analytic - numeric) / scale},
        index=["∂J/∂w1", "∂J/∂w2", "∂J/∂b"],
    )


def markdown_table(frame: pd.DataFrame, number_format: str) -> str:
    """``frame`` as a Markdown table, its index as the first column (headed by the index's name),
    numbers in ``number_format``."""
    def cell(text) -> str:
        return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    corner = cell(frame.index.name) if frame.index.name else " "
    header = "|" + corner + "|" + "|".join(cell(c) for c in frame.columns) + "|"
    rule = "|---|" + "|".join("--:" for _ in frame.columns) + "|"
    rows = ["|" + cell(label) + "|" + "|".join(number_format % value for value in row) + "|"
            for label, row in zip(frame.index, frame.to_numpy())]
    return "\n".join([header, rule, *rows])
