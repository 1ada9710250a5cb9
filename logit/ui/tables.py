"""Tables of numbers in the panels: a few as Markdown (they redraw at once on every Step), many as a
data grid formatted by the browser."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from logit.ui import explain


def small_table(frame: pd.DataFrame, number_format: str) -> None:
    """A few numbers as a Markdown table: on every Step it redraws at once (a data grid redraws
    its cells in stages for a few hundred milliseconds; a styled table costs ~10 ms more)."""
    st.markdown(explain.markdown_table(frame, number_format))


def numbers_table(frame: pd.DataFrame, number_format: str, skip: tuple[str, ...] = (), **kwargs) -> None:
    """A table of numbers in ``number_format`` (printf style), formatted by the browser.

    Not a pandas Styler: styling a table in Python took about half of each Step's run.
    """
    config = {str(c): st.column_config.NumberColumn(format=number_format) for c in frame.columns if c not in skip}
    st.dataframe(frame, column_config=config, **kwargs)
