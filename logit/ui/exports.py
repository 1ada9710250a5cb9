"""What the charts save: Plotly's camera button makes a PNG, :func:`png_config` names it and sets its
size; :func:`chart_file_name` names it after the chart, the run and the iteration. (The data and
the run as CSV: :mod:`logit.ui.panels.downloads`.)"""

from __future__ import annotations

from typing import Any

from logit.export import run_slug, slugify
from logit.training import Trajectory

PNG_SCALE = 2  # twice the on-screen size: sharp on a projector and in slides


def png_config(filename: str, scale: int = PNG_SCALE) -> dict[str, Any]:
    """``config`` for ``st.plotly_chart``: the camera button saves ``filename``.png.

    Parameters
    ----------
    filename : str
        Without the extension (a trailing ``.png`` is dropped).
    scale : int
        Pixels per chart pixel in the image.
    """
    stem = filename[:-4] if filename.lower().endswith(".png") else filename
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": stem, "scale": scale},
    }


def chart_file_name(chart: str, trajectory: Trajectory, k: int | str) -> str:
    """A PNG name (without extension) for a chart of this run at iteration k.

    E.g. ``chart_file_name("loss", run, 37)`` → ``logit-loss-alpha0.1-full-1000it-k37``; ``k`` may
    also be the placeholder ``"{k}"``, which the training view fills in the browser.
    """
    return f"logit-{slugify(chart) or 'chart'}-{run_slug(trajectory)}-k{k if k == '{k}' else int(k)}"
