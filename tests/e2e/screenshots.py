"""Screenshots of the app's key states, for people to look at (not a test).

    python tests/e2e/screenshots.py OUT_DIR [--readme docs] [--url http://127.0.0.1:8501]

Starts its own server (unless --url is given) and saves, in OUT_DIR:
01-initial, 02-after-10-steps, 03-playing, 04-panel-N-* (each panel below the charts: chain rule,
every point's gradient, ...), 06-bad-upload, 07-chinese, 08-phone, and the README's three screens:
screen-laptop (the page after 30 steps, 1400×1000, full page), screen-projector (presenter mode,
1280×720, what the room sees) and screen-phone (390×844, scrolled to Step: what a student sees).
With --readme DIR, those three are also written to DIR.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from e2e.conftest import PLAYER, App, launch_args, start_server  # noqa: E402

DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1280, "height": 720}


def steps(app: App, n: int) -> None:
    """n iterations with Step ×10 and Step."""
    for _ in range(n // 10):
        app.click("Step ×10")
    for _ in range(n % 10):
        app.click("Step ▸")
    app.wait_iteration(n)


def settle(app: App) -> None:
    """Idle, mouse out of the way (no tooltips), charts drawn, Plotly's transitions over."""
    app.idle()
    app.page.mouse.move(5, 995)
    charts = app.charts()
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for(state="attached")
    app.page.wait_for_timeout(500)


def shoot(app: App, path: Path, *, full_page: bool = True) -> None:
    """Streamlit scrolls inside <main>, so Playwright's full_page sees one screen: for a full
    page, grow the viewport to the content's height for the shot, then put it back."""
    settle(app)
    page = app.page
    viewport = page.viewport_size
    if full_page:
        height = page.evaluate("""() => Math.max(...['stMain', 'stSidebarContent'].map(
            (id) => { const e = document.querySelector(`[data-testid="${id}"]`); return e ? e.scrollHeight : 0; }))""")
        if height > viewport["height"]:
            page.set_viewport_size({"width": viewport["width"], "height": int(height)})
            settle(app)
    page.screenshot(path=str(path))
    page.set_viewport_size(viewport)
    print(f"saved {path}")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def show_panel(app: App, name: str, path: Path) -> None:
    """Choose one of the panels below the charts and shoot the screen from its selector down."""
    choice = app.page.locator('[data-testid="stMain"]').get_by_role("radio", name=name)
    if choice.get_attribute("aria-checked") != "true":
        with app.rerun():
            choice.click()
    settle(app)
    choice.evaluate("(e) => e.scrollIntoView({block: 'start'})")
    app.page.wait_for_timeout(300)
    app.page.screenshot(path=str(path))
    print(f"saved {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--readme", type=Path, help="also save the README's three screens in this folder")
    parser.add_argument("--url", help="use this running app instead of starting one")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    server = None
    if args.url:
        url = args.url.rstrip("/")
    else:
        log = Path(tempfile.mkdtemp(prefix="logit-shots-")) / "server.log"
        server = start_server(log)
        url = server.url
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_args())
            try:
                def new_app(viewport=DESKTOP, locale="en-US", query="", touch=False) -> App:
                    context = browser.new_context(viewport=viewport, locale=locale, is_mobile=touch, has_touch=touch)
                    return App(context.new_page(), url).open(query)

                app = new_app()
                shoot(app, args.out / "01-initial.png")
                steps(app, 10)
                shoot(app, args.out / "02-after-10-steps.png")

                app.set_playing(True)
                time.sleep(1.5)
                app.page.mouse.move(5, 995)
                app.page.screenshot(path=str(args.out / "03-playing.png"))
                print(f"saved {args.out / '03-playing.png'}")
                app.page.context.close()

                app = new_app()
                steps(app, 20)
                panels = app.page.locator('[data-testid="stMain"]').get_by_role("radiogroup").filter(
                    has=app.page.get_by_role("radio", name="Chain rule, with numbers"))
                for number, panel in enumerate(panels.first.get_by_role("radio").all_inner_texts(), start=1):
                    show_panel(app, panel.strip(), args.out / f"04-panel-{number}-{slug(panel)}.png")
                app.page.context.close()

                app = new_app()
                sidebar = app.page.locator('[data-testid="stSidebar"]')
                with app.rerun():
                    sidebar.get_by_text("Upload a file", exact=True).click()
                bad = Path(tempfile.mkdtemp(prefix="logit-bad-")) / "not-a-table.csv"
                bad.write_bytes(bytes(range(256)) * 8)
                with app.rerun(start_timeout=5):
                    app.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
                app.page.locator('[data-testid="stAlertContentError"]').first.wait_for()
                shoot(app, args.out / "06-bad-upload.png", full_page=False)
                app.page.context.close()

                app = new_app()
                with app.rerun():
                    app.page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="简体中文").click()
                app.button("单步 ▸").wait_for()
                with app.rerun():
                    app.button("走 10 步").click()
                app.wait_iteration(10)
                shoot(app, args.out / "07-chinese.png")
                app.page.context.close()

                app = new_app(PHONE)
                steps(app, 10)
                shoot(app, args.out / "08-phone.png")
                app.page.context.close()

                screens = []
                app = new_app()
                steps(app, 30)
                screens.append(args.out / "screen-laptop.png")
                shoot(app, screens[-1])
                app.page.context.close()

                app = new_app(PROJECTOR, query="presenter=true")
                steps(app, 10)
                screens.append(args.out / "screen-projector.png")
                shoot(app, screens[-1], full_page=False)
                app.page.context.close()

                app = new_app(PHONE, touch=True)
                steps(app, 10)
                settle(app)
                # Step at the top, below Streamlit's header bar
                app.page.locator(PLAYER).evaluate("""(frame) => { const main = document.querySelector('[data-testid="stMain"]');
                    main.scrollTop += frame.getBoundingClientRect().top - 64; }""")
                app.page.wait_for_timeout(300)
                screens.append(args.out / "screen-phone.png")
                app.page.screenshot(path=str(screens[-1]))
                print(f"saved {screens[-1]}")
                app.page.context.close()
                if args.readme:
                    args.readme.mkdir(parents=True, exist_ok=True)
                    for screen in screens:
                        shutil.copyfile(screen, args.readme / screen.name)
                        print(f"saved {args.readme / screen.name}")
            finally:
                browser.close()
    finally:
        if server is not None:
            server.stop()
            if "Traceback" in server.log():
                print("warning: the server log has a traceback:\n" + server.log()[-4000:], file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
