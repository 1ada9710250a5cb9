"""What a visitor can send the app, in a real Chromium: HTML in an upload, an upload over the
size cap, and a second visitor at the same time.

* Column names, labels and the file name carrying HTML/JavaScript payloads are shown as text:
  no dialog opens and no ``window.__pwned`` sentinel gets set, in the page or in any frame
  (the training view is an iframe component), while we walk the page: every panel, the click
  modes, the table editor and the other language.
* A file just over ``server.maxUploadSize`` is refused with Streamlit's size message and the
  data in use stay the same.
* Two browser contexts are two sessions: an upload and a setting in one never show in the other.

The pages are driven through the sidebar and read through visible text only (the data summary
caption, the sidebar's messages), not through the training view's controls.
"""

from __future__ import annotations

import csv
import io
import os
import re
import time
import tomllib

import pytest

try:
    import playwright.sync_api  # noqa: F401
    import pytest_playwright  # noqa: F401  (its fixtures: page, context, launch_browser)
except ImportError as missing:  # pragma: no cover - depends on the machine
    if os.environ.get("LOGIT_REQUIRE_BROWSER"):
        pytest.fail(f"LOGIT_REQUIRE_BROWSER is set but {missing.name} is not installed", pytrace=False)
    pytest.skip(f"{missing.name} is not installed (pip install playwright pytest-playwright)", allow_module_level=True)

from logit.ui.locales import en

from .conftest import EXCEPTION, ROOT, App, wait_idle, write_temp
from .conftest import poll as wait_for

SUMMARY = re.compile(r"points from|个点")  # the data summary caption, English or Chinese


# --- helpers ----------------------------------------------------------------------------------

def poll(condition, message: str):
    """Wait up to 30 s (pages here load payload files in two languages)."""
    return wait_for(condition, timeout=30.0, interval=0.2, message=message)


def open_page(page, url: str) -> App:
    """Load the app and wait until the data summary is there and the script is idle."""
    page.set_default_timeout(30_000)
    app = App(page, url)  # installs the run counter that wait_idle(since=...) reads
    page.goto(url + "/", wait_until="domcontentloaded")
    summary_caption(page).wait_for(timeout=60_000)
    wait_idle(page)
    assert_no_exception(page)
    return app


def summary_caption(page):
    return page.locator('[data-testid="stCaptionContainer"]').filter(has_text=SUMMARY).first


def summary(page) -> str:
    return summary_caption(page).inner_text().strip()


def assert_no_exception(page) -> None:
    found = [e.inner_text() for e in page.locator(EXCEPTION).all()]
    assert not found, "the page shows an exception:\n" + "\n---\n".join(found)


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def choose_upload(app: App) -> None:
    with app.rerun():
        sidebar(app.page).get_by_text(en.TEXTS["data.source.upload"], exact=True).click()
    file_input(app.page).wait_for(state="attached")


def file_input(page):
    return page.locator('[data-testid="stSidebar"] input[type=file]')


def upload(app: App, path) -> None:
    with app.rerun(start_timeout=5):
        file_input(app.page).set_input_files(str(path))
    wait_idle(app.page)


def frame_texts(page) -> dict[str, str]:
    """The visible text of the page and of every frame in it (frames that went away are skipped)."""
    texts = {}
    for frame in page.frames:
        try:
            texts[frame.url] = frame.evaluate("() => document.body ? document.body.innerText : ''")
        except Exception:  # a frame detached while we read: Streamlit redrew it
            continue
    return texts


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def two_clouds(n: int, names: tuple[str, str, str], labels: tuple[str, str]) -> str:
    rows = [list(names)]
    for i in range(n):
        rows.append([f"{(i % 7) + 1.5 * (i % 2):.2f}", f"{(i * 3) % 5 + 0.1 * i:.2f}", labels[i % 2]])
    return csv_text(rows)


# --- HTML and JavaScript in an upload ---------------------------------------------------------

X1 = "<script>alert(1)</script>"
X2 = '<img src=x onerror="window.__pwned=1">'
LABEL = '"><svg onload=alert(3)>'
CLASSES = ("javascript:alert(4)", "[click me](javascript:window.__pwned=6)")
FILE_NAME = "<img src=x onerror=alert(2)>.csv"

# In every frame: the sentinel, elements with an inline handler from the payloads, and links to javascript:.
INJECTED_JS = """
() => ({
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  handlers: Array.from(document.querySelectorAll('*')).filter((e) =>
      Array.from(e.attributes).some((a) => a.name.startsWith('on') && /alert|pwned/.test(a.value))
    ).map((e) => e.outerHTML.slice(0, 200)),
  links: Array.from(document.querySelectorAll('a[href]')).map((a) => a.getAttribute('href'))
    .filter((h) => /^\\s*javascript:/i.test(h)),
})
"""


def injected(page) -> list[str]:
    found = []
    for frame in page.frames:
        try:
            state = frame.evaluate(INJECTED_JS)
        except Exception:  # detached while we read
            continue
        if state["pwned"] is not None:
            found.append(f"{frame.url}: window.__pwned = {state['pwned']}")
        found += [f"{frame.url}: element with a payload handler {h}" for h in state["handlers"]]
        found += [f"{frame.url}: link to {h}" for h in state["links"]]
    return found


def click_radio(app: App, name: str) -> bool:
    """Click an option of a segmented control or radio by its visible name; False if there is none."""
    option = app.page.get_by_role("radio", name=name, exact=True)
    if option.count() == 0:
        return False
    with app.rerun(start_timeout=3):
        option.first.click()
    wait_idle(app.page)
    return True


def test_html_in_an_upload_is_shown_as_text_and_never_runs(page, server, tmp_path) -> None:
    dialogs: list[str] = []
    popups: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
    page.context.on("page", lambda other: popups.append(other.url))
    app = open_page(page, server.url)

    choose_upload(app)
    upload(app, write_temp(tmp_path, FILE_NAME, two_clouds(40, (X1, X2, LABEL), CLASSES)))
    text = poll(lambda: (s := summary(page)).startswith("40 points") and s, message="the payload file to load")
    # Shown literally (Streamlit escapes it): the file name and the classes, in the data summary.
    assert FILE_NAME in text, text
    assert CLASSES[0] in text, text
    assert not [e.text_content() for e in sidebar(page).locator('[data-testid="stAlertContentError"]').all()]

    visited = []
    for panel in ("chain", "points", "landscape", "compare", "lesson", "threshold", "split", "downloads"):
        if click_radio(app, en.TEXTS[f"tab.{panel}"]):
            visited.append(panel)
        assert_no_exception(page)
    # The click modes name the classes: "add <class>".
    for name in [f"add {c}" for c in CLASSES] + [en.TEXTS["click.remove"], en.TEXTS["click.explain"]]:
        click_radio(app, name)
    # The table editor shows the column names as its headers.
    editor = page.get_by_text(en.TEXTS["editor.header"], exact=True)
    if editor.count():
        editor.first.click()
        page.wait_for_timeout(500)
    wait_idle(page)

    # The feature names reach the charts' axis titles (in the page or in the training view's frame).
    everything = "\n".join(frame_texts(page).values())
    assert X1 in everything, "the first column's name should be visible as text"
    assert X2 in everything, "the second column's name should be visible as text"

    # The other language, then back.
    assert click_radio(app, "简体中文"), "no language switch in the sidebar"
    poll(lambda: "个点" in summary(page), message="the Chinese summary")
    assert_no_exception(page)
    assert FILE_NAME in summary(page)
    click_radio(app, "English")

    page.wait_for_timeout(1500)  # an <img src=x> fails asynchronously: give its onerror the time to run
    assert not dialogs, f"a payload opened a dialog: {dialogs}"
    assert not popups, f"a payload opened a window: {popups}"
    problems = injected(page)
    assert not problems, "\n".join(problems)
    assert visited, "no panel could be opened: the panel switch was not found"
    assert_no_exception(page)


# --- an upload over the size cap --------------------------------------------------------------

def upload_cap_mb() -> int:
    with open(ROOT / ".streamlit" / "config.toml", "rb") as file:
        return int(tomllib.load(file)["server"]["maxUploadSize"])


def write_csv_of_size(path, size: int) -> None:
    """A well-formed CSV of exactly ``size`` bytes (the last line may be cut): loadable if it got through."""
    block = "".join(f"{i % 97},{(i * 7) % 13},{i % 2}\n" for i in range(10_000)).encode()
    with open(path, "wb") as file:
        file.write(b"x1,x2,y\n")
        while file.tell() < size:
            file.write(block)
        file.truncate(size)


def test_an_upload_over_the_cap_is_refused_and_the_data_stay(page, server, tmp_path) -> None:
    app = open_page(page, server.url)
    choose_upload(app)
    upload(app, write_temp(tmp_path, "small.csv", two_clouds(50, ("x1", "x2", "y"), ("0", "1"))))
    before = poll(lambda: (s := summary(page)).startswith("50 points from small.csv") and s,
                  message="the small file to load")

    limit = upload_cap_mb() * 2**20  # Streamlit counts the cap in MiB
    big = tmp_path / "too_big.csv"
    write_csv_of_size(big, limit + 1)
    started = time.monotonic()
    file_input(page).set_input_files(str(big))
    handed_over = time.monotonic() - started

    refusal = re.compile(r"must be [\d.]+ ?MB or smaller|too large|exceeds", re.IGNORECASE)
    message = poll(lambda: refusal.search(sidebar(page).inner_text()), message="the size error")
    wait_idle(page)
    assert message, f"no size error (set_input_files took {handed_over:.1f} s)"
    assert_no_exception(page)
    assert summary(page) == before, "the data in use changed after a refused upload"


# --- two visitors at once ---------------------------------------------------------------------

SECRETS = ("alpha_secret", "beta_secret", "gamma_secret", "delta_secret")


def test_two_sessions_see_only_their_own_data_and_settings(browser, browser_context_args, server, tmp_path) -> None:
    first = browser.new_context(**browser_context_args)
    second = browser.new_context(**browser_context_args)
    try:
        a = open_page(first.new_page(), server.url)
        default_summary = summary(a.page)
        default_rate = a.alpha()
        assert default_rate, "the learning rate was not found"

        choose_upload(a)
        upload(a, write_temp(tmp_path, "delta_secret.csv",
                             two_clouds(30, ("alpha_secret", "beta_secret", "label"), ("gamma_secret_no", "gamma_secret_yes"))))
        poll(lambda: summary(a.page).startswith("30 points from delta_secret.csv"), message="A's upload to load")
        a.choose_alpha(a.next_alpha())  # the next learning rate up
        changed_rate = a.alpha()
        assert changed_rate != default_rate
        a_text = "\n".join(frame_texts(a.page).values())
        assert "alpha_secret" in a_text, "A should show its own column names"

        b = open_page(second.new_page(), server.url)
        b.page.wait_for_timeout(2000)  # let the training view's frame draw too
        wait_idle(b.page)
        b_text = "\n".join(frame_texts(b.page).values())
        leaked = [s for s in SECRETS if s in b_text]
        assert not leaked, f"session B shows session A's data: {leaked}"
        assert summary(b.page) == default_summary, "session B should start on the default data"
        assert b.alpha() == default_rate, "session B should start with the default learning rate"
        assert "alpha=" not in b.page.url

        # B changes its own learning rate the other way; A keeps its data and its rate.
        b.choose_alpha(b.next_alpha(-1))
        # A runs again (up and back down) after B's change: its session still holds its data and its rate.
        for step in (1, -1):
            a.choose_alpha(a.next_alpha(step))
        assert a.alpha() == changed_rate, "A's learning rate should be back where A left it"
        assert summary(a.page).startswith("30 points from delta_secret.csv")
        assert b.alpha() not in (default_rate, changed_rate)
        for app in (a, b):
            assert_no_exception(app.page)
    finally:
        first.close()
        second.close()
