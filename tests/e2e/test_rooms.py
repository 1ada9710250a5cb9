"""A class in real browsers: a teacher and three students (an English laptop, a Chinese laptop, a
Chinese phone with touch) on the app as scripts/run.sh starts it (serve.py: the rooms' route).

The teacher opens a room; the students open its join link; the teacher's Steps, α and uploaded
file reach every student's training view, pushed by the server; a student who steps explores
alone and comes back with one click; a reloaded teacher's page leads the room again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import PLAYER, App, poll

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

WAIT = 30.0  # seconds for a change to reach a student (the goal is 1 s; the machine may be busy)
STUDENTS = (
    ("laptop-en", {"viewport": {"width": 1400, "height": 1000}, "locale": "en-US"}),
    ("laptop-zh", {"viewport": {"width": 1280, "height": 800}, "locale": "zh-CN"}),
    ("phone-zh", {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "is_mobile": True,
                  "has_touch": True, "device_scale_factor": 2}),
)


def shown_iteration(app: App) -> str | None:
    return app.page.evaluate(
        "(sel) => { const f = document.querySelector(sel); return f && f.contentDocument && "
        "f.contentDocument.body ? f.contentDocument.body.dataset.iteration : null; }", PLAYER)


def wait_for_iteration(app: App, k: int) -> None:
    poll(lambda: shown_iteration(app) == str(k), timeout=WAIT, message=f"iteration {k} in a student's view")


@pytest.fixture
def classroom(browser, server, tmp_path):
    contexts = []

    def new(options: dict) -> App:
        context = browser.new_context(**options)
        contexts.append(context)
        return App(context.new_page(), server.url)

    teacher = new({"viewport": {"width": 1280, "height": 720}, "locale": "en-US"}).open()
    teacher.page.get_by_role("button", name="Open a room").click()
    code_text = teacher.page.locator(".st-key-room-code p")
    code_text.wait_for(timeout=30_000)
    code = code_text.inner_text().replace(" ", "")
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{6}", code)
    teacher.page.keyboard.press("Escape")
    students = {name: new(options).open(f"room={code}") for name, options in STUDENTS}
    yield teacher, code, students
    for context in contexts:
        context.close()


def test_a_class_follows_steps_alpha_and_data_then_explores_and_returns(classroom, tmp_path):
    teacher, code, students = classroom
    for name, student in students.items():
        expect(student.page.get_by_text(re.compile(f"{code[:3]} {code[3:]}")).first).to_be_visible(timeout=30_000)
    teacher.page.screenshot(path=str(tmp_path / "teacher.png"))

    for k in (1, 2, 3):
        teacher.click("Step ▸")
        for student in students.values():
            wait_for_iteration(student, k)

    # α × 10 in the teacher's view: every student's view shows the new run.
    teacher.player().locator("#alpha-up").click()
    for student in students.values():
        student.player().locator('body[data-alpha="1"]').wait_for(state="attached", timeout=WAIT * 1000)

    # One student steps alone: they explore; the class moves on without them; one click brings them back.
    explorer = students["laptop-en"]
    explorer.click("Step ▸")
    expect(explorer.page.get_by_text("Exploring on your own")).to_be_visible(timeout=WAIT * 1000)
    teacher.click("Step ×10")
    k = int(teacher.page.evaluate(
        "(sel) => document.querySelector(sel).contentDocument.body.dataset.iteration", PLAYER))
    for name in ("laptop-zh", "phone-zh"):
        wait_for_iteration(students[name], k)
    assert shown_iteration(explorer) != str(k)
    explorer.page.get_by_role("button", name="Back to the class").click()
    wait_for_iteration(explorer, k)

    # The teacher's own file reaches everyone.
    csv = tmp_path / "class.csv"
    csv.write_text("height,weight,sex\n" + "\n".join(
        f"{150 + i},{45 + (i * 7) % 30},{'M' if i % 3 else 'F'}" for i in range(40)), encoding="utf-8")
    teacher.page.get_by_text("Upload a file").click()
    teacher.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(csv))
    for student in students.values():
        student.page.get_by_text(re.compile(r"(The teacher's data|老师的数据)")).first.wait_for(timeout=WAIT * 1000)
        student.assert_no_exception()
    for name, student in students.items():
        student.page.screenshot(path=str(tmp_path / f"{name}.png"))


def test_a_reloaded_teacher_leads_again(classroom):
    teacher, code, students = classroom
    teacher.open(f"room={code}")  # a reload: a new session, the key still in the browser
    expect(teacher.page.get_by_role("button", name=re.compile(f"Room {code[:3]} {code[3:]}"))).to_be_visible(
        timeout=WAIT * 1000)
    teacher.click("Step ▸")
    for student in students.values():
        wait_for_iteration(student, 1)


def test_students_play_along_with_the_teacher_and_stop_where_the_teacher_pauses(classroom):
    teacher, code, students = classroom
    teacher.player().locator("#play").click()
    for student in students.values():
        poll(lambda: int(shown_iteration(student) or 0) >= 5, timeout=WAIT, message="a student's view playing along")
        assert student.player().locator("#play").get_attribute("aria-pressed") == "true"
    teacher.player().locator("#play").click()  # pause
    teacher.page.wait_for_timeout(300)
    k = int(shown_iteration(teacher))
    for student in students.values():
        wait_for_iteration(student, k)
        assert "Following the class" in student.page.inner_text("body") or "正在跟随" in student.page.inner_text("body")
