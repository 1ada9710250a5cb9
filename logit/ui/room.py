"""The class: a teacher leads a room, students follow it (the rules: :mod:`logit.rooms`).

A page is solo, a room's **teacher** (its session holds the room's teacher key) or a
**student** (its URL names a room: ``?room=K7P2QX``). Through a run of the page:

- :func:`start`, before the sidebar: a teacher link's key is taken (and gone from the URL); a
  following student's page takes the room's state (every broadcast field, and the data the
  teacher shared), so the sidebar and the view show the teacher's choices;
- :func:`room_ui` beside presenter mode: open, join, the teacher's card (code, link, QR);
  :func:`room_bar` under the title: who is here, following or exploring, what went wrong;
- the training view's fragment calls :func:`follow_view` after a report (a room event from the
  browser, or the student's own Step, which means they explore) and :func:`share_state`;
- :func:`share`, at the end of the whole page's run: a teacher's page publishes its state and,
  where the fields cannot say where the data come from (an upload, edited points), the data.

Messages are shown in the page's language; a room that fails never stops the page.
"""

from __future__ import annotations

import io
from typing import Any

import segno
import streamlit as st

from logit.errors import LogitError
from logit.export import dataset_bytes, dataset_from_bytes
from logit.rooms import KEEP, MAX_MEMBERS, PLAYING, Room, RoomError, normalise_code
from logit.ui import cached, state
from logit.ui.cached import LoadedData
from logit.ui.i18n import Translator
from logit.ui.room_server import POLL_SECONDS, events_mounted, events_url, store

COUNTS_SECONDS = 5.0  # the teacher's counts (and the teacher's "I am here") refresh this often
SHOWN_FIELDS = ("iteration", "point")  # a change of only these moves the view, not the whole page


# --- who this page is -------------------------------------------------------------------------

def code() -> str:
    """The room this page is in ("" when solo)."""
    return str(state.get("room") or "")


def is_teacher() -> bool:
    held = state.session("room_key")
    return bool(code()) and held is not None and held[0] == code()


def is_student() -> bool:
    return bool(code()) and not is_teacher()


def following() -> bool:
    return is_student() and bool(state.session("room_following"))


def _notice(key: str, **details: Any) -> None:
    state.keep(room_notice=(key, details))


def _error(error: RoomError) -> None:
    state.keep(room_notice=("error", {"code": error.code, "details": error.details}))


def _forget_room() -> None:
    state.set(room="")
    state.forget("room_key", "room_applied", "room_data", "room_shared_data", "room_following")


# --- the start of a run ---------------------------------------------------------------------

def start() -> None:
    """Before the sidebar: check the room's code, take a teacher link, and a following student's
    page takes the room's state."""
    text = code()
    key = state.take_from_url("teacher")
    if not text:
        return
    try:
        room_code = normalise_code(text)
    except RoomError as error:
        _error(error)
        state.set(room="")
        return
    if room_code != text:
        state.set(room=room_code)
    try:
        if key is not None and not is_teacher():
            room = store().room(room_code)
            if room.is_teacher(key) and not room.ended:
                state.keep(room_key=(room_code, key))
                _notice("room.teacher_link_taken", code=spaced(room_code))
                return
            _error(RoomError("room_ended" if room.is_teacher(key) else "room_not_teacher", room=spaced(room_code)))
        if following():
            _take(store().room(room_code))
    except RoomError as error:
        _lost(error)


def _lost(error: RoomError) -> None:
    """A room that cannot be used: say why. A room that is gone leaves the page solo, a full one
    leaves the student exploring (they can try again), each with what the page shows."""
    _error(error)
    if error.code == "room_not_found":
        _forget_room()
    elif error.code == "room_full":
        state.keep(room_following=False)


# What a room's event stream may report as wrong (anything else from a browser is ignored).
STREAM_ERRORS = ("room_full", "room_not_found", "rooms_unavailable", "room_ended")


def _stream_error(news: Any) -> RoomError | None:
    if isinstance(news, dict) and news.get("error") in STREAM_ERRORS:
        return RoomError(news["error"], room=spaced(code()), limit=MAX_MEMBERS, reason=news["error"])
    return None


def _take(room: Room, view_at: int | None = None) -> dict[str, Any]:
    """A following student's page takes the room's state (once per version); returns what changed.
    ``view_at``: the iteration the training view already shows (it moves by itself when only the
    iteration changed), which then needs no new seek, so the view's arguments stay the same."""
    applied = state.session("room_applied")
    flags = (room.teacher_present(store().clock()), room.ended)
    if applied is not None and applied[0] == room.version:
        if applied[1:3] != flags:  # the teacher came or went: the bar says so
            state.keep(room_applied=(room.version, *flags, applied[3]))
        return {}
    changed = state.take_room_state(dict(room.state))
    if room.data_id:
        held = state.session("room_data")
        if held is None or held[0] != room.data_id:
            try:
                dataset = dataset_from_bytes(store().data(room.code, room.data_id))
            except LogitError as error:
                state.keep(room_notice=("error", {"code": error.code, "details": error.details}))
            else:
                state.keep(room_data=(room.data_id, cached.loaded(dataset, ("room",))))
                changed["data"] = room.data_id
    elif state.session("room_data") is not None:
        state.forget("room_data")
        changed["data"] = None
    state.keep(room_applied=(room.version, *flags, room.rest_digest()), room_acted=False)
    if applied is None or ("iteration" in changed and view_at != state.get("iteration")):
        state.move_to(state.get("iteration"))
    return changed


def shared_data(own: LoadedData | None) -> LoadedData | None:
    """The data a student's page shows: the teacher's shared data while following (or while
    exploring with no file of their own); else ``own``."""
    held = state.session("room_data") if is_student() else None
    if held is None:
        return own
    if following() or (own is None and state.get("source") == "upload"):
        return held[1]
    return own


# --- the training view's fragment -----------------------------------------------------------

def follow_view(report: dict | None) -> None:
    """After a report of the training view: a student's own Step, scrub or α means they explore;
    a room event means the teacher moved (the view moves with it, or the whole page runs when
    more than the iteration changed)."""
    if is_teacher() and report is not None:  # Play: its speed while it plays (0: paused)
        playing = report.get("playing")
        state.keep(room_playing=int(playing) if isinstance(playing, (int, float)) and 0 < playing <= 1000 else 0)
    if not is_student() or report is None:
        return  # (a whole page's run: start() took the room before the sidebar)
    if isinstance(report.get("room_claim"), str):
        _claim(report["room_claim"])
    if report.get("acted") and following():
        explore()
        st.rerun()  # the bar says so
    if not following() or "room" not in report:
        return
    wrong = _stream_error(report.get("room"))
    if wrong is not None:
        _lost(wrong)
        st.rerun()
    try:
        room = store().room(code())
    except RoomError as error:
        _lost(error)
        st.rerun()
    applied = state.session("room_applied")
    teacher_changed = applied is not None and applied[1] != room.teacher_present(store().clock())
    view_at = report.get("k")
    changed = _take(room, view_at if isinstance(view_at, int) else None)
    if teacher_changed or set(changed) - set(SHOWN_FIELDS):
        st.rerun()  # the sidebar, the data or the bar change too: the whole page runs


def _claim(key: str) -> None:
    """The teacher's own browser, reloaded: its training view kept the teacher key (in the
    browser's storage for this site) and hands it back. A key that no longer drives is ignored."""
    try:
        room = store().room(code())
    except RoomError:
        return
    if room.is_teacher(key) and not room.ended:
        state.keep(room_key=(room.code, key))
        state.forget("room_applied", "room_data")
        _notice("room.teacher_link_taken", code=spaced(room.code))
        st.rerun()


def share_state() -> None:
    """End of the training view's run: a teacher's page publishes its state (its data as they are)."""
    if is_teacher():
        _publish(KEEP)


def share(data: LoadedData) -> None:
    """End of the whole page's run: a teacher's page publishes its state and data; a student who
    changed a broadcast choice now explores."""
    if is_student():
        if state.session("room_acted") and following():
            explore()
        state.keep(room_acted=False)
        return
    if not is_teacher():
        return
    origin = data.origin[0] if data.origin else "upload"
    if origin in ("generated", "bundled"):  # the fields say where these come from
        state.keep(room_shared_data=None)
        _publish(None)
    elif state.session("room_shared_data") != data.fingerprint:
        try:
            _publish(dataset_bytes(data.dataset))
            state.keep(room_shared_data=data.fingerprint)
        except RoomError as error:  # e.g. too large: the room keeps its data, the teacher is told
            _error(error)
            _publish(KEEP)
    else:
        _publish(KEEP)


def _publish(data: bytes | str | None) -> None:
    room_code, key = state.session("room_key")
    shown = state.room_snapshot()
    if state.session("room_playing"):
        shown[PLAYING] = str(state.session("room_playing"))
    try:
        store().publish(room_code, key, shown, data)
    except RoomError as error:
        if error.code == "room_data_too_large":
            raise
        _lost(error)


# --- what the buttons do --------------------------------------------------------------------

def open_room() -> None:
    try:
        room, key = store().open(state.room_snapshot())
    except RoomError as error:
        _error(error)
        return
    state.set(room=room.code)
    state.forget("room_applied", "room_data", "room_shared_data")
    state.keep(room_key=(room.code, key), room_card=True)


def join(text_key: str) -> None:
    try:
        room_code = normalise_code(state.widget_value(text_key))
        store().room(room_code)
    except RoomError as error:
        _error(error)
        return
    state.forget("room_key", "room_applied", "room_data", "room_following")
    state.set(room=room_code)


def explore() -> None:
    state.keep(room_following=False)


def back_to_class() -> None:
    state.keep(room_following=True)
    state.forget("room_applied")  # take everything again


def leave() -> None:
    _forget_room()


def new_teacher_link() -> None:
    room_code, key = state.session("room_key")
    try:
        state.keep(room_key=(room_code, store().new_teacher_key(room_code, key)))
        _notice("room.teacher_link_new")
    except RoomError as error:
        _lost(error)


def end_room() -> None:
    room_code, key = state.session("room_key")
    try:
        store().end(room_code, key)
    except RoomError as error:
        _error(error)
    _forget_room()
    _notice("room.ended_by_you", code=spaced(room_code))


# --- what the page shows --------------------------------------------------------------------

def spaced(room_code: str) -> str:
    """``K7P2QX`` → ``K7P 2QX``: easier to read aloud."""
    half = len(room_code) // 2
    return f"{room_code[:half]} {room_code[half:]}"


def join_link(room_code: str) -> str:
    return f"{state.page_url()}?room={room_code}"


def teacher_link(room_code: str, key: str) -> str:
    return f"{state.page_url()}?room={room_code}&teacher={key}"


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=2, dark="#111111")
    return buffer.getvalue()


def room_ui(tr: Translator) -> None:
    """Beside presenter mode: open or join a room; a teacher's button shows the room's card."""
    # (Not on a phone, see screen.PAGE_CSS: Step and the data chart come first there; a phone joins
    # by the link or the QR code.)
    controls = st.container(key="room-controls", horizontal=True, horizontal_alignment="right", width="content")
    if is_teacher():
        controls.button(tr("room.show", code=spaced(code())), key="room_show", on_click=state.keep,
                        kwargs={"room_card": True}, help=tr("room.show.help"))
        if state.session("room_card"):
            state.keep(room_card=False)
            _card_dialog(tr)
    elif not code():
        controls.button(tr("room.open"), key="room_open", on_click=open_room, help=tr("room.open.help"))
        with controls.popover(tr("room.join")):
            st.text_input(tr("room.code"), key="room_code_input", max_chars=12, placeholder="K7P 2QX",
                          help=tr("room.code.help"))
            st.button(tr("room.join.go"), key="room_join", on_click=join, args=("room_code_input",), type="primary")


def _card_dialog(tr: Translator) -> None:
    st.dialog(tr("room.card.title"), width="large")(_card)(tr)


def _card(tr: Translator) -> None:
    """The room's card, for the projector: the code large, the join link, a QR code; the teacher link."""
    room_code, key = state.session("room_key")
    link = join_link(room_code)
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        st.markdown(tr("room.card.say"))
        st.container(key="room-code").markdown(spaced(room_code))  # large: see screen.PAGE_CSS
        st.markdown(tr("room.card.or_open"))
        st.code(link, language=None)
    with right:
        st.image(qr_png(link), caption=tr("room.card.qr"), width=260)
    with st.expander(tr("room.teacher_link")):
        st.warning(tr("room.teacher_link.warning"), icon="🔑")
        st.code(teacher_link(room_code, key), language=None)
        st.button(tr("room.teacher_link.new"), key="room_new_key", on_click=new_teacher_link,
                  help=tr("room.teacher_link.new.help"))
    st.button(tr("room.end"), key="room_end", on_click=end_room, help=tr("room.end.help"))


# What a page is told once, by :func:`_notice`'s name.
_NOTICES = {
    "room.teacher_link_taken": lambda tr, details: tr("room.teacher_link_taken", **details),
    "room.teacher_link_new": lambda tr, details: tr("room.teacher_link_new", **details),
    "room.ended_by_you": lambda tr, details: tr("room.ended_by_you", **details),
}


def room_bar(tr: Translator) -> None:
    """Under the title: the room's state for this page, and what went wrong lately."""
    notice = state.session("room_notice")
    if notice is not None:
        state.forget("room_notice")
        kind, details = notice
        if kind == "error":
            st.error(tr.error(RoomError(details["code"], **details["details"])), icon="⚠️")
        else:
            st.info(_NOTICES[kind](tr, details), icon="ℹ️")
    if is_teacher():
        _teacher_bar(tr)
    elif is_student():
        _student_bar(tr)


@st.fragment(run_every=COUNTS_SECONDS)
def _teacher_bar(tr: Translator) -> None:
    if not is_teacher():
        return
    room_code, key = state.session("room_key")
    try:
        room = store().teacher_heard(room_code, key)
    except RoomError as error:
        if error.code != "rooms_unavailable":
            _lost(error)
            st.rerun()
        st.warning(tr.error(error), icon="⚠️")  # the room comes back with the store; the page goes on
        return
    here = room.presence(store().clock())
    st.markdown(tr("room.bar.teacher", code=spaced(room_code), link=join_link(room_code),
                   following=here.following, connected=here.connected))


def _student_bar(tr: Translator) -> None:
    room_code = code()
    applied = state.session("room_applied")
    bar = st.container(key="room-bar", horizontal=True, vertical_alignment="center")
    if applied is not None and applied[2]:
        bar.markdown(tr("room.bar.ended", code=spaced(room_code)))
    elif following():
        if applied is None or applied[1]:
            bar.markdown(tr("room.bar.following", code=spaced(room_code)))
        else:
            bar.markdown(tr("room.bar.teacher_away", code=spaced(room_code)))
        bar.button(tr("room.explore"), key="room_explore", on_click=explore, help=tr("room.explore.help"))
        if not events_mounted():
            _poll(room_code)
    else:
        bar.markdown(tr("room.bar.exploring", code=spaced(room_code)))
        bar.button(tr("room.back"), key="room_back", on_click=back_to_class, type="primary",
                   help=tr("room.back.help"))
    bar.button(tr("room.leave"), key="room_leave", on_click=leave, help=tr("room.leave.help"))


@st.fragment(run_every=POLL_SECONDS)
def _poll(room_code: str) -> None:
    """Without the events route (``streamlit run app.py``): look for the teacher's changes now and then."""
    applied = state.session("room_applied")
    try:
        room = store().here(room_code, state.session("room_member"), following())
    except RoomError as error:
        if error.code in ("room_full", "room_not_found"):  # said once: the page then stops looking
            _lost(error)
            st.rerun()
        return  # unavailable: look again later
    if applied is None or room.version != applied[0] or room.teacher_present(store().clock()) != applied[1]:
        st.rerun()


def view_args() -> dict | None:
    """What the training view needs of the room: a student's, where to listen to it; a teacher's,
    the key to keep in the browser (a reload of the teacher's page then hands it back); None solo."""
    if is_teacher():
        return {"code": code(), "teacher_key": state.session("room_key")[1], "events": None}
    if not is_student():
        return None
    applied = state.session("room_applied")
    # The same from one Step to the next (so Streamlit sends a reference, not the view again):
    # the stream starts from the room as the page took it last, and the view keeps count itself.
    return {"code": code(), "events": events_url(code()), "member": state.session("room_member"),
            "following": following(), "rest": applied[3] if applied else None}
