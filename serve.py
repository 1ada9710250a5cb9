"""The app with its extra route: what scripts/run.sh and deploy/run.sh start (``streamlit run serve.py``).

Streamlit's ``st.App`` serves app.py as ``streamlit run app.py`` would, plus the route through
which a room pushes its changes to the students' pages (logit/ui/room_server.py). Without it
(``streamlit run app.py``, e.g. on Streamlit Community Cloud) everything works and a student's
page looks for the room's changes every few seconds instead.
"""

import streamlit as st

from logit.ui import room_server

app = st.App("app.py", routes=room_server.routes())
