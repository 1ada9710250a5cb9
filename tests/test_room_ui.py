"""Rooms on the page, through AppTest: a teacher's page and students' pages in one process share
its rooms (logit.ui.room_server's memory store), as the single-process app does."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from logit.rooms import MemoryRooms
from logit.ui import room_server
from logit.ui.locales import en, zh
from player_state import args as player_args
from player_state import click, iteration, page_state, report, step

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


class Clock:
    """The rooms' time, moved by hand."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def rooms():
    store = MemoryRooms(Clock())
    room_server.use_store(store)
    yield store
    room_server.use_store(None)


def page(language: str = "en", **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = language
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [e.value for e in at.error] + [i.value for i in at.info]
                     + [w.value for w in at.warning] + [c.value for c in at.caption])


def room_event(at: AppTest) -> AppTest:
    """What a student's training view does when the room's stream says the teacher moved."""
    return report(at, then_rest=False, k=iteration(at), room={"version": 0})


def open_room(language: str = "en") -> tuple[AppTest, str, str]:
    teacher = page(language)
    click(teacher, "room_open")
    code = page_state(teacher)["room"]
    return teacher, code, teacher.session_state["room_key"][1]


def test_a_teacher_opens_a_room_with_a_code_to_read_aloud(rooms):
    teacher, code, key = open_room()
    assert len(code) == 6 and not set(code) & set("0O1I")
    shown = texts(teacher)
    assert f"{code[:3]} {code[3:]}" in shown  # the card and the bar show it spaced
    assert f"?room={code}" in shown  # the join link
    assert key not in str(teacher.query_params)  # the teacher key is never in the URL
    assert teacher.query_params["room"] in (code, [code])
    assert teacher.get("image"), "the QR code"


def test_students_follow_the_teacher_s_settings_and_steps(rooms):
    teacher, code, _ = open_room()
    student = page(room=code)
    assert page_state(student)["room"] == code and "Following the class" in texts(student)
    teacher.session_state["page_state"]["alpha"] = 5.0  # as the sidebar's α would
    teacher.run()
    step(teacher, 7)
    assert rooms.room(code).state["iteration"] == "7" and rooms.room(code).state["alpha"] == "5"
    room_event(student)
    assert iteration(student) == 7 and page_state(student)["alpha"] == 5.0
    assert player_args(student)["seek"]["k"] == 7 and player_args(student)["alpha"] == 5.0


def test_each_student_keeps_their_own_language_and_screen(rooms):
    teacher, code, _ = open_room("zh")
    teacher.session_state["page_state"]["presenter"] = True
    teacher.run()
    student = page("en", room=code)
    assert page_state(student)["lang"] == "en" and page_state(student)["presenter"] is False
    assert en.TEXTS["app.title"] in [t.value for t in student.title]


def test_a_student_who_steps_explores_and_comes_back(rooms):
    teacher, code, _ = open_room()
    student = page(room=code)
    report(student, then_rest=False, k=3, acted=True)  # the student's own Step
    assert student.session_state["room_following"] is False and "Exploring on your own" in texts(student)
    step(teacher, 12)
    room_event(student)  # the class goes on without them
    assert iteration(student) == 3
    click(student, "room_back")
    assert iteration(student) == 12 and "Following the class" in texts(student)


def test_a_student_changing_a_setting_explores(rooms):
    teacher, code, _ = open_room()
    student = page(room=code)
    student.sidebar.radio(key="source").set_value("bundled").run()
    assert student.session_state["room_following"] is False
    assert rooms.room(code).state.get("source") is None  # the room did not move


def test_uploaded_data_reach_the_students(rooms):
    teacher, code, _ = open_room()
    csv = "height,weight,sex\n" + "\n".join(f"{150 + i},{45 + (i * 7) % 30},{'M' if i % 3 else 'F'}" for i in range(40))
    teacher.sidebar.radio(key="source").set_value("upload").run()
    teacher.sidebar.file_uploader(key="upload").set_value(("class.csv", csv.encode(), "text/csv")).run()
    assert not teacher.exception
    assert rooms.room(code).data_id is not None
    student = page(room=code)
    sent = player_args(student)
    assert sent["points"]["x1"][:3] == [150.0, 151.0, 152.0]
    assert "The teacher's data" in texts(student)


def test_a_teacher_link_moves_the_teacher_and_a_forged_one_does_not(rooms):
    teacher, code, key = open_room()
    forged = page(room=code, teacher="not-the-key")
    assert forged.session_state["room_key"] is None
    assert "Only the teacher's browser can drive" in texts(forged)
    laptop = page(room=code, teacher=key)
    assert laptop.session_state["room_key"] == (code, key) and "teacher" not in laptop.query_params
    step(laptop, 4)
    assert rooms.room(code).state["iteration"] == "4"


def test_a_replayed_teacher_link_is_refused_after_a_new_one(rooms):
    teacher, code, key = open_room()
    click(teacher, "room_show")
    click(teacher, "room_new_key")
    stolen = page(room=code, teacher=key)
    assert stolen.session_state["room_key"] is None and "Only the teacher's browser" in texts(stolen)


@pytest.mark.parametrize("language, table", [("en", en), ("zh", zh)])
def test_a_wrong_code_says_what_was_expected(language, table):
    student = page(language, room="K0P2QX")
    assert table.CORE_MESSAGES["room_code_letters"].split("{")[0][:6] in texts(student) if language == "zh" \
        else "without 0, O, 1 or I" in texts(student)
    assert page_state(student)["room"] == ""  # the page goes on alone
    unknown = page(language, room="K7P2QX")
    assert "K7P2QX" in texts(unknown) and page_state(unknown)["room"] == ""


def test_joining_by_typing_the_code(rooms):
    teacher, code, _ = open_room()
    student = page()
    student.text_input(key="room_code_input").set_value(f"{code[:3].lower()} {code[3:]}")
    click(student, "room_join")
    assert page_state(student)["room"] == code and "Following the class" in texts(student)


def test_an_ended_room_says_so_and_keeps_the_students_view(rooms):
    teacher, code, _ = open_room()
    step(teacher, 9)
    student = page(room=code)
    click(teacher, "room_show")
    click(teacher, "room_end")
    assert page_state(teacher)["room"] == ""
    room_event(student)
    assert iteration(student) == 9 and "has ended" in texts(student)


def test_rooms_unavailable_leave_the_page_working(rooms, monkeypatch):
    from logit.rooms import RoomError

    def broken(*args, **kwargs):
        raise RoomError("rooms_unavailable", reason="ConnectionError")

    monkeypatch.setattr(rooms, "open", broken)
    teacher = page()
    click(teacher, "room_open")
    assert "Rooms are unavailable" in texts(teacher) and page_state(teacher)["room"] == ""
    step(teacher, 2)
    assert iteration(teacher) == 2


def test_students_are_told_when_the_teacher_has_left_and_when_they_are_back(rooms):
    from logit.rooms import TEACHER_AWAY_SECONDS

    teacher, code, _ = open_room()
    step(teacher, 5)
    student = page(room=code)
    rooms.clock.now += TEACHER_AWAY_SECONDS + 1  # the teacher closed the tab: no word from it since
    room_event(student)
    assert "the teacher has left" in texts(student) and iteration(student) == 5  # the last state kept
    teacher.run()  # the teacher is back (its page tells the room it is there)
    rooms.teacher_heard(code, teacher.session_state["room_key"][1])
    room_event(student)
    assert "Following the class" in texts(student)


def test_a_full_room_says_so_in_the_page_s_language(rooms, monkeypatch):
    from logit import rooms as rules

    monkeypatch.setattr(rules, "MAX_MEMBERS", 1)
    teacher, code, _ = open_room()
    rooms.here(code, "first-student", True)
    for language, words in (("en", "is full"), ("zh", "已满")):
        late = page(language, room=code)
        assert words in texts(late)
        assert late.session_state["room_following"] is False  # they can press Back to try again


def test_the_teacher_s_play_reaches_the_room_and_pause_stops_it(rooms):
    teacher, code, _ = open_room()
    report(teacher, then_rest=False, k=3, playing=10)  # what the teacher's view sends while it plays
    room = rooms.room(code)
    assert room.playing() == 10 and room.iteration() == 3
    paused = rooms.room(code).rest_digest()
    report(teacher, then_rest=False, k=9)  # Pause: the iteration, without "playing"
    room = rooms.room(code)
    assert room.playing() == 0 and room.iteration() == 9
    assert room.rest_digest() == paused  # students play along and stop by themselves
    student = page(room=code)
    assert iteration(student) == 9 and student.session_state["room_following"] is True
