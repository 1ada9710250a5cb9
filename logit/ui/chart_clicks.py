"""A click on the data chart: explain the point clicked, add a point where the click was, or remove
the point clicked. Edits make new data, kept until the data they were made from change."""

from __future__ import annotations

import dataclasses

import numpy as np
import streamlit as st

from logit.dataset import Dataset
from logit.ui import cached, state
from logit.ui.cached import LoadedData
from logit.ui.context import Page


def on_click(page: Page, click: dict) -> None:
    """Act on a click the training view reported: ``{mode, x, y, index}``."""
    mode, index, x, y = click.get("mode"), click.get("index"), click.get("x"), click.get("y")
    dataset = page.data.dataset
    if isinstance(index, int) and not 0 <= index < dataset.n:
        return
    if mode == "explain" and isinstance(index, int):
        state.set(point=index)
    elif mode in ("add0", "add1") and isinstance(x, (int, float)) and isinstance(y, (int, float)) \
            and np.isfinite([x, y]).all():
        label = 1.0 if mode == "add1" else 0.0
        X = np.vstack([dataset.X, [[float(x), float(y)]]])
        use_edited(page.data, dataset.with_rows(X, np.append(dataset.y, label)))
    elif mode == "remove" and isinstance(index, int) and dataset.n > 2:
        keep = np.arange(dataset.n) != index
        if len(set(dataset.y[keep].tolist())) == 2:
            use_edited(page.data, dataset.with_rows(dataset.X[keep], dataset.y[keep]))
        else:
            st.toast(page.tr("click.keep_both"))


def use_edited(data: LoadedData, dataset: Dataset) -> None:
    """Switch to ``dataset``, an edit of ``data`` (kept until the source data change); the whole page
    must run again."""
    base = state.session("last_good_data") or data
    edited = dataclasses.replace(dataset, source=base.dataset.source)  # the origin says it was edited
    state.keep(edited=(base.fingerprint, cached.loaded(edited, ("edited", *base.origin))), data_changed=True)
