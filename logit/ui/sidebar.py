"""The sidebar: the language, where the data come from, the settings of the run and a held-out test set.

Each ``*_ui`` function draws its widgets and returns what was chosen. The widgets show fields of
:mod:`logit.ui.state` (their keys are the fields' names); uploads are read by
:mod:`logit.ui.upload`.
"""

from __future__ import annotations

import streamlit as st

from logit.bundled import BUNDLED, VIEWS
from logit.dataset import Dataset
from logit.errors import LogitError
from logit.generators import GENERATORS
from logit.split import train_test_split
from logit.training import TrainingSettings
from logit.ui import cached, room, state, upload
from logit.ui.cached import LoadedData
from logit.ui.i18n import LANGUAGES, Translator, language_from_locale
from logit.ui.runs import iterations_up_front
from logit.ui.state import BATCH_MODES, L2_STRENGTHS, MAX_ITERATIONS, MAX_SEED, MAX_WEIGHT, SAMPLE_SIZES, SOURCES
from logit.ui.state import TEST_FRACTIONS

DEFAULT_DATA = ("overlap", 200, 0.3, 0)  # what the page shows before any data can be read
LARGEST_BATCH = 1024


def language_ui() -> Translator:
    """Language picker; defaults to the browser's language. Names the browser's tab in it.

    The page's first part: it reads the state from the URL on a session's first run.
    """
    state.seed_from_url(defaults={"lang": language_from_locale(getattr(st.context, "locale", None))})
    key = state.widget("lang")
    language = st.sidebar.segmented_control(
        "Language / 语言", list(LANGUAGES), format_func=LANGUAGES.get, key=key, required=True,
        label_visibility="collapsed", on_change=state.take, args=("lang",),
    )
    tr = Translator(language)
    st.set_page_config(page_title=tr("app.page_title"))
    return tr


def _translated_selectbox(tr: Translator, label: str, name: str, options, **kwargs) -> str:
    """A selectbox for field ``name`` (one of its ``options``) whose option labels are translated.

    The widget's key carries the language: a keyed selectbox keeps showing the old language's
    label of its choice when only ``format_func`` changes.
    """
    key = state.widget(name, suffix=f"_{tr.language}")
    return st.sidebar.selectbox(label, options, key=key, on_change=state.take, args=(name, key),
                                placeholder=tr("select.placeholder"), **kwargs)


# --- the data ---------------------------------------------------------------------------------

def data_ui(tr: Translator) -> LoadedData:
    """Where the data come from: generated, bundled or uploaded; keeps the last good data on errors."""
    st.sidebar.header(tr("data.header"))
    source = st.sidebar.radio(tr("data.source"), SOURCES, format_func=lambda s: tr(f"data.source.{s}"),
                              horizontal=True, key=state.widget("source"), on_change=state.take, args=("source",))
    try:
        if source == "generate":
            data = _generated_ui(tr)
        elif source == "bundled":
            data = _bundled_ui(tr)
        elif room.following() and room.shared_data(None) is not None:
            data = None  # the teacher's file, below (a student explores to upload their own)
        else:
            data = upload.upload_ui(tr)
    except LogitError as error:
        st.sidebar.error(tr.error(error))
        data = None
    data = room.shared_data(data)  # a student's page: the data the teacher shared
    if data is not None and data.origin == ("room",):
        st.sidebar.caption(tr("room.data_shared", source=data.dataset.source or "—", n=data.dataset.n))
    kept = state.session("last_good_data")
    if data is None:
        data = kept or cached.generated(*DEFAULT_DATA)
        if source == "upload" and kept is not None:
            st.sidebar.caption(tr("data.kept_previous"))
    state.keep(last_good_data=data)
    return _edited(data)


def _generated_ui(tr: Translator) -> LoadedData:
    kind = _translated_selectbox(tr, tr("data.kind"), "kind", list(GENERATORS), format_func=lambda k: tr(f"gen.{k}"))
    n = st.sidebar.select_slider(tr("data.n"), SAMPLE_SIZES, key=state.widget("n"), on_change=state.take, args=("n",))
    noise = st.sidebar.slider(tr("data.noise"), 0.0, 1.0, step=0.05, key=state.widget("noise"),
                              on_change=state.take, args=("noise",))
    seed_column, button_column = st.sidebar.columns([3, 2], vertical_alignment="bottom")
    seed = seed_column.number_input(tr("data.seed"), 0, MAX_SEED, step=1, key=state.widget("seed"),
                                    on_change=state.take, args=("seed",))
    button_column.button(tr("data.new_sample"), on_click=_new_sample, help=tr("data.new_sample.help"))
    with st.spinner(tr("busy.generating")):
        return cached.generated(kind, int(n), float(noise), int(seed))


def _new_sample() -> None:
    state.set(seed=min(int(state.get("seed")) + 1, MAX_SEED))


def _bundled_ui(tr: Translator) -> LoadedData:
    name = _translated_selectbox(tr, tr("data.bundled"), "bundled", list(BUNDLED), format_func=lambda b: tr(f"bundled.{b}"))
    data = cached.bundled(name)
    view = VIEWS[name]
    st.sidebar.caption(tr("data.bundled.source", name=tr(f"bundled.{name}"), references=view.references,
                          c0=view.negative, c1=view.positive, n=data.dataset.n))
    return data


def _edited(data: LoadedData) -> LoadedData:
    """The table editor's version of the data, while it was made from this data."""
    edited = state.session("edited")
    if edited is not None and edited[0] == data.fingerprint:
        return edited[1]
    state.forget("edited")
    return data


# --- the settings ---------------------------------------------------------------------------------

def settings_ui(tr: Translator, data: LoadedData) -> TrainingSettings:
    """The run's settings; any change recomputes the run at once."""
    st.sidebar.toggle(tr("settings.standardize"), key=state.widget("standardize"), help=tr("settings.standardize.help"),
                      on_change=state.take, args=("standardize",))
    st.sidebar.header(tr("settings.header"))
    st.sidebar.caption(tr("settings.alpha.where"))  # not its value: the view changes it without this part
    mode = st.sidebar.radio(tr("settings.batch"), BATCH_MODES, format_func=lambda m: tr(f"batch.{m}"),
                            horizontal=True, key=state.widget("batch"), on_change=state.take, args=("batch",))
    batch_size, seed = None, 0
    n = data.dataset.n
    if mode == "mini":
        largest = max(2, min(n, LARGEST_BATCH))
        state.set(batch_size=min(max(int(state.get("batch_size")), 1), largest))
        batch_size = st.sidebar.slider(tr("settings.batch_size"), 1, largest, key=state.widget("batch_size"),
                                       on_change=state.take, args=("batch_size",))
    if mode in ("mini", "sgd"):
        seed = st.sidebar.number_input(tr("settings.shuffle_seed"), 0, MAX_SEED, key=state.widget("shuffle_seed"),
                                       on_change=state.take, args=("shuffle_seed",))
        batch_size = 1 if mode == "sgd" else batch_size
    l2 = st.sidebar.select_slider(tr("settings.l2"), L2_STRENGTHS, format_func=lambda v: f"{v:g}",
                                  key=state.widget("l2"), help=tr("settings.l2.help"),
                                  on_change=state.take, args=("l2",))
    st.sidebar.markdown(tr("settings.init"))
    init = []
    for column, name, label in zip(st.sidebar.columns(3), ("w1_0", "w2_0", "b_0"), ("w₁", "w₂", "b")):
        init.append(column.number_input(label, -MAX_WEIGHT, MAX_WEIGHT, step=0.1, key=state.widget(name),
                                        on_change=state.take, args=(name,)))
    max_iterations = st.sidebar.number_input(tr("settings.max_iterations"), 1, MAX_ITERATIONS, step=100,
                                             key=state.widget("max_iterations"),
                                             help=tr("settings.max_iterations.help"),
                                             on_change=state.take, args=("max_iterations",))
    up_front = iterations_up_front(int(max_iterations), n)
    if up_front < max_iterations:
        st.sidebar.caption(tr("settings.up_front", n=n, m=up_front))
    return TrainingSettings(
        learning_rate=float(state.get("alpha")), max_iterations=up_front, batch_size=batch_size,
        l2=float(l2), seed=int(seed), init=tuple(float(v) for v in init),
        standardize=bool(state.get("standardize")),
    )


# --- a held-out test set ----------------------------------------------------------------------------

def split_data_ui(tr: Translator, data: LoadedData) -> tuple[LoadedData, LoadedData] | None:
    """A switch to hold out a test set, its size and seed; the (training, test) parts, or None when off.

    The page then trains on the first part; the panels show the second.
    """
    box = st.sidebar
    if not box.toggle(tr("split.toggle"), key=state.widget("split_on"), help=tr("split.toggle.help"),
                      on_change=state.take, args=("split_on",)):
        return None
    fraction = box.select_slider(tr("split.fraction"), TEST_FRACTIONS, key=state.widget("test_fraction"),
                                 format_func=lambda v: f"{v:.0%}", on_change=state.take, args=("test_fraction",))
    seed = box.number_input(tr("split.seed"), 0, MAX_SEED, step=1, key=state.widget("split_seed"),
                            on_change=state.take, args=("split_seed",))
    try:
        return split_data(data, float(fraction), int(seed))
    except LogitError as error:
        box.error(tr.error(error))
        return None


def split_data(data: LoadedData, test_fraction: float, seed: int) -> tuple[LoadedData, LoadedData]:
    """:func:`logit.split.train_test_split` of the data, cached by the data's fingerprint."""
    return _split(data.fingerprint, float(test_fraction), int(seed), data.dataset)


@st.cache_data(max_entries=32, show_spinner=False)
def _split(fingerprint: str, test_fraction: float, seed: int, _dataset: Dataset) -> tuple[LoadedData, LoadedData]:
    train, test = train_test_split(_dataset, test_fraction, seed)
    return cached.loaded(train), cached.loaded(test)
