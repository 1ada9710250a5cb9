"""axe-core audits of the app: three screens, two languages, the page and the training view.

Screens: a projector (presenter mode, 1280×720), a laptop (1400×1000) and a phone (390×844,
touch). Languages: English and 简体中文. Each combination audits Streamlit's page and, apart,
the training view's own document (a component drawn in an iframe), once the page is idle and
the view's four charts are drawn. A violation of impact "serious" or "critical" fails the
test; lesser ones are printed (``pytest -s`` or ``-rP`` shows them).

axe-playwright-python's ``Axe.run(target)`` evaluates axe's script in ``target`` and then
``axe.run(...)`` there; ``target`` may be a Page or a Frame, so the view's frame is audited
in its own document. The page's audit is told not to descend into frames (``iframes: false``):
the view is audited apart (axe in the page would otherwise wait for an axe in the frame and
report the frame untested).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Iterator

import pytest

try:
    from axe_playwright_python.sync_playwright import Axe
    import playwright.sync_api  # noqa: F401
except ImportError as missing:  # pragma: no cover - depends on the machine
    if os.environ.get("LOGIT_REQUIRE_BROWSER"):
        pytest.fail(f"LOGIT_REQUIRE_BROWSER is set but {missing.name} is not installed", pytrace=False)
    pytest.skip(f"{missing.name} is not installed (pip install -r requirements-test.txt)", allow_module_level=True)

from .conftest import App
from .test_browser import assert_four_charts_drawn

FAILING_IMPACTS = ("critical", "serious")
NODES_SHOWN = 5  # nodes listed per violation in a failure message
HTML_SHOWN = 300  # characters of each node's HTML


@dataclass(frozen=True)
class Screen:
    name: str
    query: str  # added to the URL (presenter mode is a URL switch)
    context: dict  # browser context options


SCREENS = (
    Screen("projector", "presenter=true", {"viewport": {"width": 1280, "height": 720}}),
    Screen("laptop", "", {"viewport": {"width": 1400, "height": 1000}}),
    Screen("phone", "", {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}),
)
LANGUAGES = {"en": "en-US", "zh": "zh-CN"}  # ?lang= and the browser's locale that goes with it
TARGETS = ("page", "view")  # Streamlit's document; the training view's iframe document

# Options for axe.run: violations only (passes and the rest make the answer large). The page's
# audit stays out of iframes; the view's document has no frames of its own.
AXE_OPTIONS = {"resultTypes": ["violations"], "iframes": False}


@pytest.fixture()
def open_app(browser, browser_context_args: dict, server) -> Iterator[Callable[[Screen, str], App]]:
    """Opens the app on a screen in a language, in a browser context of its own (closed afterwards)."""
    contexts = []

    def opener(screen: Screen, language: str) -> App:
        """The app on ``screen`` in ``language``, idle, with the training view's four charts drawn."""
        context = browser.new_context(**{**browser_context_args, "locale": LANGUAGES[language], **screen.context})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        query = "&".join(part for part in (f"lang={language}", screen.query) if part)
        app = App(page, server.url).open(query)
        assert_four_charts_drawn(app)
        app.idle()
        # Fonts settle the layout axe measures (colour contrast looks at what is drawn).
        page.evaluate("() => document.fonts.ready.then(() => true)")
        app.player_frame().evaluate("() => document.fonts.ready.then(() => true)")
        return app

    yield opener
    for context in contexts:
        context.close()


# Where a node sits, in words that outlast Streamlit's generated class names: its data-testid
# ancestors (innermost last) and, in the view, its nearest id.
PLACE_JS = """(selector) => {
  let el;
  try { el = document.querySelector(selector); } catch (e) { return ''; }
  const parts = [];
  for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
    if (e.dataset && e.dataset.testid) parts.unshift(e.dataset.testid);
    else if (e.id && !parts.length) parts.unshift('#' + e.id);
  }
  return parts.join(' › ');
}"""


def audit(app: App, target: str) -> list[dict]:
    """axe's violations in the page's document or in the training view's; each node gains a
    ``place`` (see :data:`PLACE_JS`)."""
    where = app.page if target == "page" else app.player_frame()
    violations = Axe().run(where, options=AXE_OPTIONS).response["violations"]
    for violation in violations:
        for node in violation["nodes"][:NODES_SHOWN]:
            selector = node.get("target", [""])[-1]
            node["place"] = where.evaluate(PLACE_JS, selector) if isinstance(selector, str) else ""
    return violations


def describe(violation: dict) -> str:
    nodes = violation["nodes"]
    lines = [f"{violation['id']} ({violation['impact']}): {violation['help']} — {len(nodes)} node(s)"
             f" [{violation.get('helpUrl', '')}]"]
    for node in nodes[:NODES_SHOWN]:
        html = " ".join(node.get("html", "").split())
        if len(html) > HTML_SHOWN:
            html = html[:HTML_SHOWN] + "…"
        target = " ".join(" >> ".join(t) if isinstance(t, list) else str(t) for t in node.get("target", []))
        place = f"  [{node['place']}]" if node.get("place") else ""
        lines.append(f"    {target}{place}\n        {html}")
        summary = " ".join(node.get("failureSummary", "").split())
        if summary:
            lines.append(f"        {summary[:HTML_SHOWN]}")
    if len(nodes) > NODES_SHOWN:
        lines.append(f"    … and {len(nodes) - NODES_SHOWN} more")
    return "\n".join(lines)


@pytest.mark.timeout(180)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_no_serious_accessibility_violations(open_app, screen: Screen, language: str, target: str) -> None:
    app = open_app(screen, language)
    violations = audit(app, target)
    app.assert_no_exception()
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    lesser = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
    where = f"{target} ({'the Streamlit page' if target == 'page' else 'the training view iframe'}), " \
            f"{screen.name}, lang={language}"
    if lesser:
        print(f"axe, {where}: lesser violations\n" + "\n".join(describe(v) for v in lesser))
    assert not failing, f"axe found {len(failing)} serious/critical violation(s) in {where}:\n" + \
        "\n".join(describe(v) for v in failing)
