"""The data above the charts (their size, classes and the loader's notes) and the table editor
below them. Outside the training fragment: an edit changes the data, so the whole page runs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from logit.csv_loader import dataset_from_frame
from logit.errors import LogitError
from logit.ui import chart_clicks, state
from logit.ui.cached import LoadedData
from logit.ui.i18n import Translator

EDIT_LIMIT = 5_000  # rows editable in the table editor


def data_overview_ui(tr: Translator, data: LoadedData) -> None:
    """n, class balance, label mapping and loader warnings.

    In one container: however many warnings there are, the elements after it keep their place
    in the page, so the training view's frame is not built anew (and does not vanish for a
    moment) when new data bring a warning more or less.
    """
    dataset = data.dataset
    positives = dataset.n_positive
    with st.container():
        st.caption(tr("data.summary", n=dataset.n, source=source_text(tr, data.origin, dataset.source),
                      c0=dataset.classes[0], n0=dataset.n - positives, c1=dataset.classes[1], n1=positives,
                      mapping=dataset.label_mapping))
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
        edited = st.data_editor(
            frame, num_rows="dynamic", key=f"editor_{data.fingerprint}", width="stretch", height=300,
            column_config={dataset.label_name: st.column_config.SelectboxColumn(options=list(dataset.classes),
                                                                               required=True)},
        )
        if st.button(tr("editor.apply"), key="apply_edits", type="primary"):
            _apply_edits(tr, data, edited)
        if state.session("edited") is not None:
            st.button(tr("editor.revert"), key="revert_edits", on_click=_revert_edits)


def _revert_edits() -> None:
    """Back to the data as loaded (a callback: the whole page then runs with them)."""
    state.forget("edited")
    state.move_to(0)


def _apply_edits(tr: Translator, data: LoadedData, edited: pd.DataFrame) -> None:
    dataset = data.dataset
    frame = edited.astype(str).replace({"None": "", "nan": ""})
    try:
        new = dataset_from_frame(frame, dataset.feature_names[0], dataset.feature_names[1], dataset.label_name,
                                 positive=dataset.classes[1])
    except LogitError as error:
        st.error(tr.error(error))
        return
    state.move_to(0)
    chart_clicks.use_edited(data, new)
    state.keep(data_changed=False)  # this run is the whole page's: it goes on with the edited data
    st.rerun()
