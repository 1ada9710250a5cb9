"""The page's looks for the screen it is on: its own CSS (phones), and presenter mode for a projector."""

from __future__ import annotations

import streamlit as st

from logit.ui import state
from logit.ui.i18n import Translator

PRESENTER_SCALE = 1.35
# The page's own CSS, always (phones) and in presenter mode (a projector's one screen).
PAGE_CSS = """<style>
.logit-formulas { overflow-x: auto; max-width: 100%; }
/* The uploader's own size note is English only; the label says it in the page's language. */
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
/* A room's code, large enough to read from the back of a room. */
.st-key-room-code p { font: 700 4.5rem/1.1 ui-monospace, "DejaVu Sans Mono", monospace !important; letter-spacing: 0.12em; margin: 0.2rem 0 0.6rem !important; }
/* Captions dark enough to read (4.5 : 1 on white and on the sidebar's grey). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #545b63 !important; opacity: 1 !important; }
@media (max-width: 640px) {
  .stMainBlockContainer { padding-top: 3.5rem; padding-left: 0.75rem; padding-right: 0.75rem; }
  .stMainBlockContainer h1 { font-size: 1.6rem; padding-top: 0; }
  .st-key-subtitle p { font-size: 0.9rem; }
  .st-key-presenter { display: none; }  /* a phone is not a projector */
  .st-key-room-controls { display: none; }  /* nor a teacher's screen: it joins by the link */
}
</style>"""
PRESENTER_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
header[data-testid="stHeader"] { display: none !important; }
.st-key-subtitle, .st-key-click_mode [data-testid="stWidgetLabel"] { display: none !important; }
.stMainBlockContainer h1 { font-size: 2.2rem !important; padding: 0 !important; }
.stMainBlockContainer { max-width: 100% !important; padding: 0.75rem 2rem 1rem !important; }
.stMainBlockContainer p, .stMainBlockContainer li, .stMainBlockContainer label { font-size: 1.3rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p, [data-testid="stMetricValue"] div { font-size: 3rem !important; }
.stMainBlockContainer h3 { font-size: 2.4rem !important; }
.logit-formulas math { font-size: 1.5em !important; }
</style>"""


def presenter_mode() -> bool:
    return bool(state.get("presenter"))


def presenter_ui(tr: Translator) -> bool:
    """One switch for a projector: hides the sidebar, enlarges type and charts; the URL carries it."""
    on = st.toggle(tr("presenter.toggle"), key=state.widget("presenter"), help=tr("presenter.help"),
                   on_change=state.take, args=("presenter",))
    # Our own fixed CSS (no user data), in one element either way: the elements after it keep
    # their place, so switching does not build the training view anew.
    st.markdown(PAGE_CSS + (PRESENTER_CSS if on else ""), unsafe_allow_html=True)
    return on
