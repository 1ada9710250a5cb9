"""Take the lesson home: the data and the run as CSV, the charts as PNG.

The files are made only when a button is clicked (``st.download_button`` with a
callable), so showing the buttons costs nothing while the run plays. Charts are saved
by Plotly's own camera button; :func:`png_config` names the file.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from logit.dataset import Dataset
from logit.export import data_file_name, run_file_name, run_slug, slugify, trajectory_csv
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


def downloads_ui(page, trajectory: Trajectory, dataset: Dataset | None = None) -> dict[str, str]:
    """Buttons that download the data set and the whole run as CSV.

    Parameters
    ----------
    page : logit.ui.page.Page
    trajectory : the run shown on the page
    dataset : the data to offer, when not ``page.data.dataset`` (e.g. all the points
        when the page trains on the training part of a split)

    Returns
    -------
    dict
        The file names offered: ``{"data": ..., "run": ...}``.
    """
    tr = page.tr
    dataset = dataset if dataset is not None else page.data.dataset
    data_name = data_file_name(dataset)
    run_name = run_file_name(trajectory)
    st.markdown(tr("download.intro"))
    bar = st.container(horizontal=True, vertical_alignment="bottom")
    bar.download_button(
        tr("download.data"), data=dataset.to_csv_bytes, file_name=data_name, mime="text/csv",
        key="download_data", on_click="ignore", icon=":material/table:",
        help=tr("download.data.help", name=data_name, n=dataset.n),
    )
    bar.download_button(
        tr("download.run"), data=lambda: trajectory_csv(trajectory).encode("utf-8"), file_name=run_name,
        mime="text/csv", key="download_run", on_click="ignore", icon=":material/timeline:",
        help=tr("download.run.help", name=run_name, rows=trajectory.iterations + 1),
    )
    if trajectory.scaler.is_identity:
        st.caption(tr("download.run.columns"))
    else:
        st.caption(tr("download.run.columns_standardized"))
    st.caption(tr("download.png"))
    return {"data": data_name, "run": run_name}
