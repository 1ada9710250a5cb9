"""A teacher's own file, in the sidebar: the uploader, how the file is read (its encoding, a
workbook's sheet), and which columns are the features and the label.

The choices about a file live only in the session (a link cannot carry a file); their widgets'
keys carry the file's hash, so another file starts from its own suggestions.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from logit.csv_loader import choose_columns, distinct_labels, suggest_columns
from logit.encodings import CHOICES as ENCODINGS, encoding_name
from logit.errors import LogitError
from logit.ui import cached, state
from logit.ui.cached import LoadedData
from logit.ui.i18n import Translator

UPLOAD_LIMIT_MB = 50
AUTOMATIC = "auto"  # the encoding choice that lets it be found


def upload_ui(tr: Translator) -> LoadedData | None:
    """The uploaded file's data, or None until there is one."""
    # Any file type: the loader tells a table from anything else and says so in the page's
    # language (the uploader's own refusal would be a tooltip in English).
    upload = st.sidebar.file_uploader(tr("data.upload", mb=UPLOAD_LIMIT_MB), key="upload",
                                      help=tr("data.upload.help", mb=UPLOAD_LIMIT_MB))
    st.sidebar.caption(tr("data.upload.not_in_url"))
    if upload is None:
        st.sidebar.info(tr("data.upload.prompt"))
        return None
    content = upload.getvalue()
    digest = cached.content_hash(content)
    encoding, sheet = _reading_ui(tr, content, digest)  # drawn before reading, so a wrong choice can be undone
    with st.spinner(tr("busy.reading")):
        frame = cached.uploaded_table(content, UPLOAD_LIMIT_MB * 2**20, encoding, sheet)
    _reading_caption(tr, frame, encoding)
    columns = [str(c) for c in frame.columns]
    try:
        guess = choose_columns(frame)
    except LogitError:
        st.sidebar.info(tr("data.columns.choose", columns=", ".join(columns)))
        guess = suggest_columns(frame) if len(columns) >= 3 else (columns[0], columns[-1], columns[-1])
    table = f"{digest}_{sheet}" if sheet else digest  # a workbook's sheets have columns of their own
    # One under another: column names are often long ("Schnabellänge (mm)", "喙长(毫米)").
    x1 = _choice_box("x1", columns, guess[0], f"x1_{table}", tr)
    x2 = _choice_box("x2", columns, guess[1], f"x2_{table}", tr)
    label = _choice_box(tr("data.label"), columns, guess[2], f"label_{table}", tr)
    labels = distinct_labels(frame, label)
    positive = None
    if len(labels) == 2:
        positive = _choice_box(tr("data.positive"), labels, labels[1], f"positive_{table}_{label}", tr)
    with st.spinner(tr("busy.reading")):
        # Keyed by how the bytes were read too: another sheet or encoding is another table.
        return cached.uploaded_dataset(f"{table}_{encoding}", x1, x2, label, positive, upload.name, frame)


def _choice_box(label: str, options: list, first, key: str, tr: Translator, **kwargs):
    """A selectbox for a choice about the file, starting at ``first``."""
    key = state.choice(key, first if first in options else options[0])
    return st.sidebar.selectbox(label, options, key=key, on_change=state.take_choice, args=(key,),
                                placeholder=tr("select.placeholder"), **kwargs)


def _reading_ui(tr: Translator, content: bytes, digest: str) -> tuple[str | None, str | None]:
    """How to read the upload: a text file's encoding (None: found automatically), a workbook's sheet."""
    sheets = cached.uploaded_sheets(content)
    if sheets is None:
        choice = _choice_box(tr("data.encoding"), [AUTOMATIC, *ENCODINGS], AUTOMATIC, f"encoding_{digest}", tr,
                             help=tr("data.encoding.help"),
                             format_func=lambda codec: tr("data.encoding.auto") if codec == AUTOMATIC
                             else encoding_name(codec))
        return (None if choice == AUTOMATIC else choice), None
    if len(sheets) > 1:
        return None, _choice_box(tr("data.sheet"), list(sheets), sheets[0], f"sheet_{digest}", tr,
                                 help=tr("data.sheet.help"))
    return None, None


def _reading_caption(tr: Translator, frame: pd.DataFrame, chosen_encoding: str | None) -> None:
    """Which encoding a text file was read in, and whether it was certain."""
    if not frame.attrs.get("sheets"):  # a workbook's sheet is shown by its picker
        how = "chosen" if chosen_encoding else "found" if frame.attrs.get("encoding_certain", True) else "guessed"
        st.sidebar.caption(tr("data.encoding.used", encoding=encoding_name(frame.attrs["encoding"]),
                              how=tr(f"data.encoding.{how}")))
