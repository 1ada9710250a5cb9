"""logit: watch gradient descent train a two-feature sigmoid classifier, one iteration at a time.

The page: a sidebar to choose the language, the data and the settings; then the
training view (Step / Play controls, status, metrics and the four charts, drawn in the
browser), one panel (the chain rule with live numbers, …), and a table editor for the points.
The page's state is declared in logit/ui/state.py; docs/architecture.md shows how it flows.
"""

import streamlit as st

from logit.ui import room, screen, sidebar, state, table_editor
from logit.ui.context import Page
from logit.ui.training_view import training_view

st.set_page_config(page_title="logit", page_icon="📉", layout="wide")

tr = sidebar.language_ui()  # reads the link's state once per session, then the language
room.start()  # a student's page takes the teacher's choices before the sidebar shows them
data = sidebar.data_ui(tr)
settings = sidebar.settings_ui(tr, data)
split = sidebar.split_data_ui(tr, data)  # (training part, test part) when a test set is held out
page = Page(tr, split[0] if split else data, settings, test=split[1].dataset if split else None,
            everything=data.dataset)

title, switches = st.columns([3, 2], vertical_alignment="center")
title.title(tr("app.title"))
with switches.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center"):
    screen.presenter_ui(tr)
    room.room_ui(tr)  # open or join a room; the teacher's card with the code and a QR code
room.room_bar(tr)
st.container(key="subtitle").markdown(tr("app.subtitle"))
table_editor.data_overview_ui(tr, data)

training_view(page)  # Step, Play and scrubbing run in the browser; their reports rerun only this part

table_editor.editor_ui(tr, data)
room.share(data)  # a teacher's page tells the room
state.write_url()  # the one writer of the URL, after everything has had its say
