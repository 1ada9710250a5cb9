"""The page's state, declared once.

As TensorFlow Playground's ``state.ts`` keeps one ``State`` with a table of its properties,
this module keeps the two tables of everything the page remembers:

- :data:`FIELDS`, what a link carries: each :class:`Field` has its name (the URL parameter,
  the widget's key and the state's name at once), its default, how its text in the URL is
  read and written, and the values it may take. :func:`seed_from_url` reads them once per
  session, :func:`write_url` is the one writer of the URL, and :func:`snapshot` /
  :func:`restore` turn the whole shareable state into a small dict of texts and back (what a
  room will send its students).
- :data:`SESSION`, what only this browser's session holds (the run on show, the exchange with
  the training view, edits, pins): each :class:`Slot` has its name and what an empty session
  starts with.

Widgets show fields through :func:`widget`: the widget's key is the field's name, its value is
set from the state before it is drawn, and a change the user makes goes into the state
(:func:`take`, its ``on_change``) before the page runs again; so a value changed elsewhere (a
click on a chart, a link) shows in its widget, and a value outlives its widget while the widget
is not drawn. Nothing outside this module reads or writes ``st.session_state`` or
``st.query_params``.
"""

from __future__ import annotations

import dataclasses
import math
import secrets
from dataclasses import dataclass, field
from typing import Any, Callable

import streamlit as st

from logit.bundled import BUNDLED
from logit.generators import GENERATORS
from logit.ui.i18n import LANGUAGES

# --- the values the choices may take ------------------------------------------------------------------

SOURCES = ("generate", "bundled", "upload")
SAMPLE_SIZES = (20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 100_000)
BATCH_MODES = ("full", "mini", "sgd")
L2_STRENGTHS = (0.0, 1e-4, 1e-3, 1e-2, 0.1, 1.0)
# 1, 2 and 5 × 10⁻⁸ … 10³: wide enough for every rate the advice names (features in grams or in
# thousands need 10⁻⁷), and for divergence on the default data (α = 1000).
LEARNING_RATES = tuple(float(f"{m}e{e}") for e in range(-8, 3) for m in (1, 2, 5)) + (1000.0,)
TEST_FRACTIONS = (0.1, 0.2, 0.25, 0.3, 0.4, 0.5)
# What can be shown below the charts, and what a click on the data chart does.
PANELS = ("chain", "points", "landscape", "compare", "lesson", "threshold", "split", "downloads")
CLICK_MODES = ("explain", "add0", "add1", "remove")
MAX_WEIGHT = 1e6  # the starting weights a user can type
MAX_SEED = 1_000_000
MAX_ITERATIONS = 100_000


# --- reading and writing a field's text ---------------------------------------------------------------

def _boolean(text: str) -> bool:
    if text.lower() in ("true", "1"):
        return True
    if text.lower() in ("false", "0"):
        return False
    raise ValueError(text)


def _whole(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(float(text)) if float(text).is_integer() else int(text)
        if not low <= value <= high:
            raise ValueError(text)
        return value
    return parse


def _number(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = float(text)
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError(text)
        return value
    return parse


def _text(value: Any) -> str:
    """A value as the URL shows it: ``true``, ``200``, ``0.3``, ``1e-05``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if float(f"{value:g}") == value else repr(value).replace("+", "")
    return str(value)


@dataclass(frozen=True)
class Field:
    """One piece of state a link carries.

    Attributes
    ----------
    name : str
        The URL parameter, the widget's key and the state's name.
    default : Any
        The value when the URL does not say (the URL leaves defaults out).
    parse : callable
        URL text → value; raises ValueError for a text that is no such value.
    options : tuple or None
        The values it may take, when it is a choice (a text naming another is ignored).
    broadcast : bool
        Whether a room sends it to its students (:func:`room_snapshot`); each keeps their own
        language, screen and room.
    """

    name: str
    default: Any
    parse: Callable[[str], Any] = str
    options: tuple | None = None
    broadcast: bool = True

    def read(self, text: str | None) -> Any:
        """The value a URL's text means, or the default for a missing or bad one."""
        if text is None:
            return self.default
        try:
            value = self.parse(text)
        except (ValueError, TypeError, OverflowError):
            return self.default
        if self.options is not None:
            return next((option for option in self.options if option == value or _close(option, value)), self.default)
        return value


def _close(option: Any, value: Any) -> bool:
    return isinstance(option, float) and isinstance(value, float) and math.isclose(option, value, rel_tol=1e-9)


def _choice(name: str, options: tuple, default: Any = None, parse: Callable[[str], Any] = str,
            broadcast: bool = True) -> Field:
    return Field(name, options[0] if default is None else default, parse, tuple(options), broadcast)


FIELDS: dict[str, Field] = {f.name: f for f in (
    _choice("lang", tuple(LANGUAGES), broadcast=False),  # the default follows the browser's language (seed_from_url)
    # the data
    _choice("source", SOURCES),
    _choice("kind", tuple(GENERATORS), "overlap"),
    _choice("n", SAMPLE_SIZES, 200, _whole(1, 10**9)),
    Field("noise", 0.3, _number(0.0, 1.0)),
    Field("seed", 0, _whole(0, MAX_SEED)),
    _choice("bundled", tuple(BUNDLED)),
    Field("standardize", False, _boolean),
    Field("split_on", False, _boolean),
    _choice("test_fraction", TEST_FRACTIONS, 0.25, float),
    Field("split_seed", 0, _whole(0, MAX_SEED)),
    # the run
    _choice("alpha", LEARNING_RATES, 0.1, float),
    _choice("batch", BATCH_MODES),
    Field("batch_size", 32, _whole(1, 10**9)),
    Field("shuffle_seed", 0, _whole(0, MAX_SEED)),
    _choice("l2", L2_STRENGTHS, 0.0, float),
    Field("w1_0", 0.0, _number(-MAX_WEIGHT, MAX_WEIGHT)),
    Field("w2_0", 0.0, _number(-MAX_WEIGHT, MAX_WEIGHT)),
    Field("b_0", 0.0, _number(-MAX_WEIGHT, MAX_WEIGHT)),
    Field("max_iterations", 1000, _whole(1, MAX_ITERATIONS)),
    # the view
    Field("iteration", 0, _whole(0, 10**9)),
    Field("presenter", False, _boolean, broadcast=False),
    _choice("panel", PANELS),
    Field("point", 0, _whole(0, 10**9)),
    _choice("click_mode", CLICK_MODES),
    Field("pins", ""),  # the pinned runs' settings (logit.ui.compare_figures.pins_query)
    # the class: the room this page follows or leads (a join link: ?room=K7P2QX); checked by logit.rooms
    Field("room", "", broadcast=False),
)}


@dataclass(frozen=True)
class Slot:
    """One piece of state only this session holds.

    Attributes
    ----------
    name : str
    start : callable
        Makes the value an empty session starts with.
    """

    name: str
    start: Callable[[], Any] = lambda: None


@dataclass
class ViewSync:
    """The exchange with the training view, which moves through the run in the browser.

    Attributes
    ----------
    seek_k, seek_count : where the server last moved the view, and how often it did: the view
        goes to ``seek_k`` when it first draws and whenever ``seek_count`` changes.
    report_nonce : the last report of the view acted on (each is acted on once).
    sent : the revisions of the runs the view was sent (the run on show and those ahead).
    """

    seek_k: int = 0
    seek_count: int = 0
    report_nonce: str | None = None
    sent: frozenset[str] = field(default_factory=frozenset)


SESSION: dict[str, Slot] = {s.name: s for s in (
    Slot("run"),  # (RunKey, Trajectory): the run on show, extended by Play
    Slot("view", ViewSync),  # the exchange with the training view
    Slot("last_good_data"),  # LoadedData: kept when a new upload fails
    Slot("edited"),  # (fingerprint of the data edited, LoadedData): points added, removed or edited
    Slot("data_changed", lambda: False),  # a click edited the points: the whole page must run
    Slot("chart_boxes", dict),  # data fingerprint → the data chart's axis ranges
    Slot("pins", tuple),  # the pinned runs (logit.ui.compare_figures.Pin)
    Slot("pins_restored", lambda: False),  # a link's pins were rebuilt (once a session)
    Slot("pin_counter", lambda: 0),  # numbers the pins
    Slot("lesson_step", lambda: 0),
    Slot("split_path_metrics", dict),  # cache of the test set's loss and accuracy per run
    Slot("upload_choices", dict),  # widget key → a choice about an uploaded file (columns, encoding, sheet)
    # the class (logit.ui.room)
    Slot("room_key"),  # the teacher key, in the teacher's session only (never in the URL it shows)
    Slot("room_member", lambda: secrets.token_urlsafe(9)),  # this browser's id in a room
    Slot("room_following", lambda: True),  # a student follows the teacher, or explores on their own
    Slot("room_applied"),  # (version, state texts) of the room this page last took
    Slot("room_data"),  # (data id, LoadedData): the data the room's teacher shared
    Slot("room_shared_data"),  # the fingerprint of the data this teacher last shared
    Slot("room_notice"),  # (message key, details) to show once, e.g. a refused teacher link
    Slot("room_card", lambda: False),
    Slot("room_playing", lambda: 0),  # a teacher's view plays at this speed (0: it does not)  # the teacher asked to see the room's card (code, link, QR)
    Slot("room_acted", lambda: False),  # the user changed what a room broadcasts (a student then explores)
)}
VALUES = "page_state"  # the session key under which the fields' values live (tests reach them there)
_SEEDED = "page_state_seeded"
# The training view's last report: the component's value, kept by Streamlit under its key.
VIEW_REPORT = "player"


# --- the fields -----------------------------------------------------------------------------------------

def _values() -> dict[str, Any]:
    if VALUES not in st.session_state:
        st.session_state[VALUES] = {name: f.default for name, f in FIELDS.items()}
    return st.session_state[VALUES]


def seed_from_url(defaults: dict[str, Any] | None = None) -> None:
    """On a session's first run: every field from the URL (``defaults`` overrides a field's own
    default, e.g. the browser's language), and what a widget already holds (a test may set it)."""
    if st.session_state.get(_SEEDED):
        return
    st.session_state[_SEEDED] = True
    values = _values()
    for name, f in FIELDS.items():
        default = (defaults or {}).get(name, f.default)
        text = st.query_params.get(name)
        values[name] = dataclasses.replace(f, default=default).read(text)
        if name in st.session_state:  # a widget's value set before the first run
            values[name] = st.session_state[name]


def get(name: str) -> Any:
    """A field's value (a session slot's: :func:`session`)."""
    return _values()[name]


def set(**changes: Any) -> None:  # noqa: A001 — the state's own verb
    """Change fields; the URL follows at :func:`write_url`."""
    values = _values()
    for name, value in changes.items():
        if name not in FIELDS:
            raise KeyError(name)
        values[name] = value


def widget(name: str, suffix: str = "") -> str:
    """The key of the widget that shows field ``name``, its value set from the state.

    Pass it with ``on_change=state.take, args=(name, key)``. ``suffix`` makes another widget
    for the same field (a selectbox whose options are translated keeps its label until its key
    changes, so its key carries the language).
    """
    key = name + suffix
    st.session_state[key] = get(name)
    return key


def take(name: str, key: str | None = None) -> None:
    """``on_change`` of a widget: its new value goes into the state before the page runs again."""
    set(**{name: st.session_state[key or name]})
    if FIELDS[name].broadcast:
        keep(room_acted=True)


def snapshot() -> dict[str, str]:
    """The whole shareable state as texts, without the defaults: a small value to send and to store."""
    values = _values()
    return {name: _text(values[name]) for name, f in FIELDS.items() if values[name] != f.default}


def room_snapshot() -> dict[str, str]:
    """What a room sends its students: the :func:`snapshot` of the fields it broadcasts."""
    return {name: text for name, text in snapshot().items() if FIELDS[name].broadcast}


def take_room_state(texts: dict[str, str]) -> dict[str, Any]:
    """The broadcast fields as a room's state says (each keeps its own language, screen, room);
    returns the fields whose values changed."""
    values = _values()
    wanted = {name: f.read(texts.get(name)) for name, f in FIELDS.items() if f.broadcast}
    changed = {name: value for name, value in wanted.items() if values[name] != value}
    set(**changed)
    return changed


def widget_value(key: str) -> Any:
    """The value of a widget that shows no field (e.g. a room code being typed)."""
    return st.session_state.get(key)


def take_from_url(name: str) -> str | None:
    """A one-time URL parameter that is no field (a teacher link's key): read, then gone from
    the URL, so that it is never on show."""
    text = st.query_params.get(name)
    if text is not None:
        del st.query_params[name]
    return text


def page_url() -> str:
    """This page's address without its query, ending in ``/`` (for a join link)."""
    url = str(st.context.url or "")
    return url.split("?", 1)[0].split("#", 1)[0].rstrip("/") + "/"


def restore(texts: dict[str, str]) -> None:
    """The state a :func:`snapshot` describes (a field it leaves out takes its default)."""
    set(**{name: f.read(texts.get(name)) for name, f in FIELDS.items()})


def write_url() -> None:
    """The URL says the shareable state: each field not at its default. Called at the end of every
    run, whole page or fragment: each run takes the URL the browser sent with its request, which
    may predate the last run's changes, so every field is written again when it differs."""
    wanted = snapshot()
    for name in FIELDS:
        if name in wanted and st.query_params.get(name) != wanted[name]:
            st.query_params[name] = wanted[name]
        elif name not in wanted and name in st.query_params:
            del st.query_params[name]


def move_to(k: int) -> None:
    """Show iteration ``k``: the panels at once, the training view when it next draws."""
    view = session("view")
    view.seek_k = max(0, int(k))
    view.seek_count += 1
    set(iteration=view.seek_k)


def explained_point(n: int) -> int:
    """The point the chain rule explains and the data chart stars: point 0 until another is chosen
    (a click, the chain rule's own input, a link: ?point=12), always one of the ``n`` points."""
    point = min(max(int(get("point")), 0), n - 1)
    set(point=point)
    return point


# --- the session's own --------------------------------------------------------------------------

def session(name: str) -> Any:
    """A session slot's value (made on first use)."""
    if name not in st.session_state:
        st.session_state[name] = SESSION[name].start()
    return st.session_state[name]


def keep(**values: Any) -> None:
    """Set session slots."""
    for name, value in values.items():
        if name not in SESSION:
            raise KeyError(name)
        st.session_state[name] = value


def forget(*names: str) -> None:
    """Session slots back to how an empty session starts."""
    for name in names:
        if name not in SESSION:
            raise KeyError(name)
        st.session_state.pop(name, None)


def view_report() -> dict | None:
    """The training view's last report (``{k, nonce, …}``), or None."""
    report = st.session_state.get(VIEW_REPORT)
    return report if isinstance(report, dict) else None


def choice(key: str, default: Any) -> str:
    """The key of a widget for a choice about an upload (its column, encoding, sheet), which only
    this session holds; ``default`` is its first value."""
    choices = session("upload_choices")
    choices.setdefault(key, default)
    st.session_state[key] = choices[key]
    return key


def take_choice(key: str) -> None:
    """``on_change`` of an upload choice's widget."""
    session("upload_choices")[key] = st.session_state[key]
    keep(room_acted=True)
