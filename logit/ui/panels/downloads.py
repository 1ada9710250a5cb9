"""Downloads: take the lesson home, the data and the whole run as CSV (charts save themselves as PNG
from their toolbars).

The files are made only when a button is clicked (``st.download_button`` with a callable), so
showing the buttons costs nothing while the run plays.
"""

from __future__ import annotations

import streamlit as st

from logit.export import data_file_name, run_file_name, trajectory_csv
from logit.training import Trajectory
from logit.ui.context import Page


def show(page: Page, trajectory: Trajectory, k: int) -> dict[str, str]:
    """Buttons that download the data set and the whole run as CSV.

    Parameters
    ----------
    page : logit.ui.context.Page
        The data offered are all the points (``page.everything``), the training part and the
        test set together when a split is on.
    trajectory : the run shown on the page
    k : the iteration shown (the files hold the whole run)

    Returns
    -------
    dict
        The file names offered: ``{"data": ..., "run": ...}``.
    """
    tr = page.tr
    dataset = page.everything if page.everything is not None else page.data.dataset
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
