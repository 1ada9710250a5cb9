"""logit: watch gradient descent train a two-feature sigmoid classifier, one iteration at a time.

The page: a sidebar to choose the language, the data and the settings; then the
training view (Step / Play controls, status, metrics and the four charts, drawn in the
browser), one panel (the chain rule with live numbers, …), and a table editor for the points.
"""

import streamlit as st

from logit.ui import classroom
from logit.ui import page as ui

st.set_page_config(page_title="logit: gradient descent, step by step", page_icon="📉", layout="wide")

tr = ui.language_ui()
data = ui.data_ui(tr)
settings = ui.settings_ui(tr, data)
split = classroom.split_data_ui(tr, data)  # (training part, test part) when a test set is held out
current = ui.Page(tr, split[0] if split else data, settings, test=split[1].dataset if split else None,
                  everything=data.dataset)

title, switch = st.columns([4, 1], vertical_alignment="center")
title.title(tr("app.title"))
with switch:
    ui.presenter_ui(tr)
st.container(key="subtitle").markdown(tr("app.subtitle"))
ui.data_overview_ui(tr, data)

ui.training_view(current)  # Step, Play and scrubbing run in the browser; their reports rerun only this part

ui.editor_ui(tr, data)
