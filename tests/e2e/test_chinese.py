"""No English left on a 简体中文 page: every place a user goes, read as they would see it.

Each test opens ``?lang=zh`` (in a browser whose locale is zh-CN), goes where a user would
(the sidebar with each data source, each panel below the charts, presenter mode, the charts'
toolbars) and reads, at every stop, in Streamlit's page and in the training view's iframe:

* the text drawn on screen (text nodes that are rendered: HTML and the charts' SVG);
* what a pointer or a screen reader gets: ``title``, ``aria-label``, ``data-title`` (Plotly's
  toolbar tooltips), ``placeholder``, ``alt``, ``aria-valuetext``, the values shown in text
  fields (a selectbox shows its choice as its input's value), the options of drop-down lists;
* the tooltips that appear on hover (Streamlit's help icons, Plotly's toolbar buttons) and the
  hover labels the charts are set up to show (their traces' ``hovertemplate``);
* the browser tab's title.

A word is English when it is a run of three or more ASCII letters that is not on the
allow-list below (the things that are rightly Latin in a Chinese interface). Each test fails
listing every leftover: the words, the text they were in, where it was (page or view, the
element, the attribute) and at which stop.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

try:
    import playwright.sync_api  # noqa: F401
except ImportError as missing:  # pragma: no cover - depends on the machine
    if os.environ.get("LOGIT_REQUIRE_BROWSER"):
        pytest.fail(f"LOGIT_REQUIRE_BROWSER is set but {missing.name} is not installed", pytrace=False)
    pytest.skip(f"{missing.name} is not installed (pip install playwright pytest-playwright)", allow_module_level=True)

from logit.bundled import VIEWS
from logit.generators import GENERATORS
from logit.ui.locales.zh import TEXTS as ZH
from logit.ui.state import PANELS

from .conftest import App, poll
from .test_browser import assert_four_charts_drawn

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "data" / "real"
UPLOAD = REAL / "penguins_zh_excel_gbk.csv"  # a Chinese Excel export (GBK)
WORKBOOK = REAL / "penguins_two_sheets_libreoffice.xlsx"  # two sheets: the sheet picker shows
BROKEN = REAL / "penguins_formulas_without_values.xlsx"  # formulas without stored results: refused
# The workbooks' sheet names are their own words (data), like their column names.
SHEET_NAMES = ("Adelie and Gentoo", "Chinstrap and Gentoo", "penguins", "raw")
SIDEBAR = '[data-testid="stSidebar"]'
PLACES_SHOWN = 8  # places listed per leftover text in a failure message

# --- the allow-list ----------------------------------------------------------------------------
# Words (compared without regard to case) that are rightly Latin on a Chinese page.
ALLOWED_WORDS = {
    # the brand
    "logit",
    # the language picker names each language in that language
    "English",
    # mathematical names and functions, written in Latin in Chinese textbooks too
    # (w₁, x1, ŷ, α, σ, ln, e … are shorter than three letters or not ASCII)
    "log", "exp", "sigmoid", "max", "min", "argmin",
    # file formats, programs and libraries a teacher meets by these names
    "CSV", "TSV", "TXT", "Excel", "LibreOffice", "xlsx", "xls", "ods", "Plotly", "PNG", "SVG", "JSON",
    # text encodings by their standard names (the hyphenated ones are in ALLOWED_PHRASES)
    "GBK", "Big5", "GB18030", "GB2312", "Latin", "ASCII", "BOM",
    # methods known by their abbreviations: stochastic gradient descent, L2 (ridge) penalty
    "SGD",
    # the floating-point value "not a number", named so in Chinese texts too
    "NaN",
    # units
    "KB", "MB", "GB",
    # --- the data's own words (not the interface's) ---
    # the default generated data: columns x1, x2, y (short, listed for the record)
    "x1", "x2",
    # the bundled data sets: their column names and class names (logit/bundled.py)
    *(word for view in VIEWS.values() for word in (view.label, view.x1, view.x2, view.negative, view.positive)),
    "island", "sex", "year", "Torgersen", "Biscoe", "Dream", "male", "female",  # other penguin columns and values
    "setosa", "sepal_length_cm", "sepal_width_cm",  # the other iris class and columns
    # the bundled data's citations: the authors' and places' names (the rest of the citation is checked)
    "Palmer", "Horst", "Hill", "Gorman", "Williams", "Fraser", "Fisher",
}
# Phrases removed from the text before it is split into words: names with hyphens or digits.
ALLOWED_PHRASES = (
    "UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "Shift-JIS", "Shift_JIS", "Windows-1252", "ISO-8859-1",
    "Latin-1", "EUC-JP", "EUC-KR", "L2",
)
# Patterns removed before splitting: numbers in e-notation (1e-4, 2.5E+03); the names of the
# files the Downloads panel saves (file names stay ASCII, to travel between systems).
ALLOWED_PATTERNS = (
    re.compile(r"(?<![A-Za-z])\d+(?:\.\d+)?[eE][+-]?\d+"),
    re.compile(r"logit-[\w.\-]+\.(?:csv|png)"),
)
# Streamlit's own words: the built-in labels of its widgets and page (screen-reader labels, the
# uploader's button, table and chart toolbars, toasts). Streamlit 1.67 has no locale and no
# parameter for them, so the app cannot put them in Chinese; they are allowed only where
# Streamlit puts them (a part of the element's place, and the whole text), so that a new one,
# or one of the app's own words in such a place, still shows up.
STREAMLIT_OWN = (
    ("stNumberInputStep", r"Increment|Decrement"),
    ("stTooltipHoverTarget", r"Help for .+"),
    ("stHeaderActionElements", r"Link to heading"),
    ("stSkipToContent", r"Skip to main content"),
    ("stSidebar", r"Sidebar|Collapse sidebar|Expand sidebar"),
    ("stFileUploaderDropzone", r"Upload|Add files|add icon|file upload"),
    ("stFileChipDeleteBtn", r"Remove .+"),
    ("stSelectbox", r"Open"),
    ("announcement to screen readers", r"\d+ options? available\."),
    ("stBaseButton-elementToolbar", r"Add row|Show/hide columns|Download as CSV|Search|Fullscreen"),
    ("stPlotlyChart", r"Fullscreen"),  # the button Streamlit adds to Plotly's toolbar,
    ("first chart › .modebar-btn tooltip", r"Fullscreen"),  # and its tooltip
    ("stToast", r"Close|Notifications"),
    ("stProgress", r"progress"),
    # The language picker's name is in both languages on purpose: who reads either finds it.
    ("stButtonGroup", r"Language / 语言"),
)
# Words allowed in one text only: the column names of the run the Downloads panel saves (data
# the file holds, named as in the file), in the captions that explain them.
ALLOWED_IN = {
    ZH["download.run.columns"]: {"iteration", "loss", "accuracy", "dw1", "dw2", "db"},
    ZH["download.run.columns_standardized"]: {"iteration", "loss", "accuracy", "w1_original", "w1_standardized"},
}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")  # a word: letters, then letters, digits or underscores
ENGLISH = re.compile(r"[A-Za-z]{3,}")  # a word is English when it holds three ASCII letters in a row
_ALLOWED = {word.lower() for word in ALLOWED_WORDS}


SHORTENED = re.compile(r"([\w.\-]*?[\w\-])(?:…|\.\.\.)([\w\-][\w.\-]*)")  # a name shortened in its middle


def english_words(text: str, file_names: tuple[str, ...] = (), data: tuple[str, ...] = ()) -> list[str]:
    """The words of ``text`` that are English and not allowed. ``file_names``: names of files the
    user uploaded, data whole or shortened as the uploader shows them ("penguin...el_gbk.csv").
    ``data``: other phrases from the user's files (sheet names)."""
    here = ALLOWED_IN.get(" ".join(text.split()), set())
    text = SHORTENED.sub(lambda m: " " if any(n.startswith(m[1]) and n.endswith(m[2]) for n in file_names)
                         else m[0], text)
    for phrase in sorted((*ALLOWED_PHRASES, *file_names, *data), key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(phrase)}(?![A-Za-z0-9_])", " ", text)
    for pattern in ALLOWED_PATTERNS:
        text = pattern.sub(" ", text)
    return [w for w in WORD.findall(text) if ENGLISH.search(w) and w.lower() not in _ALLOWED and w not in here]


# --- reading a document ------------------------------------------------------------------------

# Everything a user can read or hear in one document (or in the element ``root`` selects), as
# [where, text] pairs. ``where`` names the element by its data-testid ancestors (Streamlit's page)
# or its nearest id (the view), its tag and, for an attribute, the attribute.
READ_JS = r"""
([side, root]) => {
  const top = root ? document.querySelector(root) : document.body;
  if (!top) return [];
  const ATTRIBUTES = ['title', 'aria-label', 'data-title', 'placeholder', 'alt', 'aria-valuetext',
                      'aria-description', 'aria-roledescription'];
  const out = [];
  const shown = (el) => el.checkVisibility({checkVisibilityCSS: true});
  const place = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 3; e = e.parentElement) {
      if (e.dataset && e.dataset.testid && e.dataset.testid !== parts[0]) parts.unshift(e.dataset.testid);
      // an id the app gave names the element (in the view); not the ids made at random per page
      // load (Plotly's toolbars, React's)
      else if (e.id && !parts.length && /^[A-Za-z][\w-]*$/.test(e.id) && !/^modebar-[0-9a-f]+$/.test(e.id)) {
        parts.unshift('#' + e.id);
      }
    }
    const tag = el.tagName.toLowerCase();
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\s+/).filter((c) => !c.startsWith('st-emotion') && !/^e[0-9a-z]+$/.test(c))
                                                  .slice(0, 2).join('.')
      : '';
    return side + ': ' + (parts.length ? parts.join(' › ') + ' ' : '') + '<' + tag + (cls === '.' ? '' : cls) + '>';
  };
  // Text drawn on screen (HTML and SVG). Not the names of Streamlit's Material icons: the icon
  // font draws those words ("keyboard_arrow_right") as a glyph, and they are hidden from screen readers.
  const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    const el = node.parentElement;
    if (!text || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) continue;
    if (el.closest('[data-testid="stIconMaterial"]')) continue;
    // What a drop-down list announces to screen readers when it opens ("6 options available."),
    // for a few seconds: read when a list is opened (see open_selectbox), not by chance here.
    if (el.closest('[role="log"][aria-live]')) continue;
    if (el.tagName === 'OPTION') {  // a <select>'s options: listed when it opens
      const select = el.closest('select');
      if (select && shown(select)) out.push([place(select) + ' option', text]);
      continue;
    }
    if (el.namespaceURI === 'http://www.w3.org/2000/svg' && el.tagName.toLowerCase() === 'title') {
      const owner = el.parentElement;  // an SVG <title> is the tooltip of its parent
      if (owner && shown(owner)) out.push([place(owner) + ' <title>', text]);
      continue;
    }
    if (shown(el)) out.push([place(el), text]);
  }
  // Attributes a pointer or a screen reader gets; the values shown in text fields.
  for (const el of [top, ...top.querySelectorAll('*')]) {
    if (!shown(el)) continue;
    for (const name of ATTRIBUTES) {
      const value = el.getAttribute(name);
      if (value && value.trim()) out.push([place(el) + ' @' + name, value.trim()]);
    }
    if ((el.tagName === 'INPUT' && ['text', 'search', ''].includes(el.getAttribute('type') || '')) ||
        el.tagName === 'TEXTAREA') {
      if (el.value && el.value.trim()) out.push([place(el) + ' value', el.value.trim()]);
    }
  }
  // The hover labels each Plotly chart is set up to show (a trace's hovertemplate, without its
  // %{…} fields; the text it shows through %{text}).
  for (const chart of top.querySelectorAll('.js-plotly-plot')) {
    for (const trace of chart._fullData || []) {
      if (!trace.visible || trace.hoverinfo === 'skip' || trace.hoverinfo === 'none') continue;
      const template = Array.isArray(trace.hovertemplate) ? trace.hovertemplate.join(' ') : trace.hovertemplate;
      if (template) {
        const words = template.replace(/<extra>.*?<\/extra>/g, ' ').replace(/%\{[^}]*\}/g, ' ').replace(/<[^>]+>/g, ' ');
        if (words.trim()) out.push([place(chart) + ' hover label (trace ' + JSON.stringify(trace.name || '') + ')', words.trim()]);
        if (template.includes('%{text}') && trace.text) {
          const texts = Array.isArray(trace.text) ? trace.text.flat(2) : [trace.text];
          for (const t of [...new Set(texts.map(String))].slice(0, 20)) {
            out.push([place(chart) + ' hover label text', t.replace(/<[^>]+>/g, ' ')]);
          }
        }
      }
    }
  }
  if (!root && document.title.trim()) out.push([side + ': <title> (the browser tab)', document.title.trim()]);
  return out;
}
"""


@dataclass(frozen=True)
class Leftover:
    stop: str  # where the user was (what they had done)
    where: str  # page or view, the element, the attribute
    text: str
    words: tuple[str, ...]


@dataclass
class Reader:
    """Reads the app at each stop of a visit and keeps the English it finds."""

    app: App
    file_names: tuple[str, ...] = ()  # files the user uploaded: their names are data
    data: tuple[str, ...] = ()  # other words of the user's files (sheet names)
    found: dict[tuple[str, str], Leftover] = field(default_factory=dict)  # by (where, text): first stop only
    stops: list[str] = field(default_factory=list)
    hovered: set[str] = field(default_factory=set)  # help icons whose tooltip was read (by their aria-label)

    def note(self, stop: str, where: str, text: str) -> None:
        text = " ".join(text.split())
        if any(place in where and re.fullmatch(words, text) for place, words in STREAMLIT_OWN):
            return
        words = english_words(text, self.file_names, self.data)
        if words and (where, text) not in self.found:
            self.found[(where, text)] = Leftover(stop, where, text[:300], tuple(dict.fromkeys(words)))

    def read(self, stop: str, rest: bool = True) -> None:
        """Everything on screen now, in the page and in the training view. ``rest``: the pointer
        rests first (see :func:`rest_pointer`); False to read what a hover shows."""
        self.stops.append(stop)
        if rest:
            rest_pointer(self.app)
        for where, text in self.app.page.evaluate(READ_JS, ["page", None]):
            self.note(stop, where, text)
        for where, text in self.app.player_frame().evaluate(READ_JS, ["view", None]):
            self.note(stop, where, text)

    def read_part(self, stop: str, root: str) -> None:
        """What the page shows in one part (``root``: its selector), as it is now."""
        self.stops.append(stop)
        for where, text in self.app.page.evaluate(READ_JS, ["page", root]):
            self.note(stop, where, text)

    def report(self) -> str:
        """The leftovers grouped by text: each with its English words, where it was and at which stop."""
        by_text: dict[str, list[Leftover]] = {}
        for leftover in self.found.values():
            by_text.setdefault(leftover.text, []).append(leftover)
        lines = [f"{len(by_text)} text(s) with English on the 简体中文 page, in {len(self.found)} place(s)",
                 f"(stops: {' → '.join(self.stops)}):"]
        for text, places in sorted(by_text.items(), key=lambda item: (item[1][0].where.split(":")[0], item[0])):
            lines.append(f"  [{', '.join(places[0].words)}] {text!r}")
            for leftover in sorted(places, key=lambda f: f.where)[:PLACES_SHOWN]:
                lines.append(f"      at {leftover.where}   (stop: {leftover.stop})")
            if len(places) > PLACES_SHOWN:
                lines.append(f"      … and {len(places) - PLACES_SHOWN} more place(s)")
        return "\n".join(lines)

    def assert_none(self) -> None:
        if self.found:
            pytest.fail(self.report(), pytrace=False)


# --- going where a user goes -------------------------------------------------------------------

@pytest.fixture()
def open_zh(browser, browser_context_args: dict, server):
    """Opens the app in Chinese (``?lang=zh`` plus ``query``), in a zh-CN browser of its own."""
    contexts = []

    def opener(query: str = "") -> App:
        context = browser.new_context(**{**browser_context_args, "locale": "zh-CN"})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        app = App(page, server.url).open("&".join(part for part in ("lang=zh", query) if part))
        settle(app)
        rest_pointer(app)
        return app

    yield opener
    for context in contexts:
        context.close()


def settle(app: App) -> None:
    """Idle, the view's four charts and the panel's charts drawn."""
    app.idle()
    assert_four_charts_drawn(app)
    charts = app.panel_charts()
    poll(lambda: charts.locator(".js-plotly-plot .main-svg").count() >= charts.count(), timeout=20,
         message="the panel's charts drawn")
    app.assert_no_exception()


def rest_pointer(app: App) -> None:
    """The pointer rests at the window's top left corner (over the sidebar when it is shown, which
    then shows its collapse button) between hovers and before each read, so that every read sees
    the same page."""
    app.page.mouse.move(0, 0)
    if app.page.locator(SIDEBAR).is_visible():
        app.page.locator('[data-testid="stSidebarCollapseButton"]').wait_for(state="visible", timeout=5_000)


def sidebar(app: App):
    return app.page.locator(SIDEBAR)


def act(app: App, action, start_timeout: float = 3) -> None:
    """Do something that reruns the page; wait until it is drawn again."""
    with app.rerun(start_timeout=start_timeout):
        action()
    settle(app)


def choose_in_sidebar(app: App, label: str) -> None:
    """A radio option or a switch of the sidebar, by its words."""
    act(app, lambda: sidebar(app).get_by_text(label, exact=True).click())


# A help icon's name: its aria-label (Streamlit's "Help for <label>"), else the words of its widget.
HELP_LABEL_JS = """(el) => {
  const named = el.matches('[aria-label]') ? el : el.querySelector('[aria-label]');
  if (named) return named.getAttribute('aria-label');
  const widget = el.closest('[data-testid="stElementContainer"]');
  const words = widget && widget.querySelector('[data-testid="stMarkdownContainer"]');
  return 'of ' + JSON.stringify(((words || widget) ? (words || widget).innerText.trim().slice(0, 60) : ''));
}"""


def read_help_tooltips(reader: Reader, scope: str, stop: str) -> None:
    """Hover each help icon (ⓘ) in ``scope`` not hovered yet and read the tooltip that appears."""
    page = reader.app.page
    icons = page.locator(f'{scope} [data-testid="stTooltipIcon"] [data-testid="stTooltipHoverTarget"]')
    for i in range(icons.count()):
        icon = icons.nth(i)
        if not icon.is_visible():
            continue
        label = icon.evaluate(HELP_LABEL_JS)
        if label in reader.hovered:
            continue
        reader.hovered.add(label)
        icon.scroll_into_view_if_needed()
        icon.hover()
        tip = page.locator('[data-testid="stTooltipContent"]').last
        try:
            tip.wait_for(state="visible", timeout=5_000)
        except Exception as error:  # Playwright's TimeoutError
            raise AssertionError(f"no tooltip appeared on hovering help icon {i} in {scope}") from error
        reader.note(stop, f"page: tooltip of help icon {label!r}", tip.inner_text())
        rest_pointer(reader.app)
        tip.wait_for(state="hidden", timeout=5_000)


ANNOUNCEMENT = '[role="log"][aria-live]'  # where react-aria puts what it announces


def open_selectbox(app: App, box) -> None:
    """Open a drop-down list. In the middle of the window: at its bottom edge a click focuses the
    field without opening the list."""
    box.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    box.locator("input").click()
    app.page.get_by_role("listbox").first.wait_for(state="visible", timeout=5_000)


# The messages react-aria's live regions hold (one element each; they stay a few seconds).
ANNOUNCED_JS = """(sel) => Array.from(document.querySelectorAll(sel)).flatMap(
    (log) => Array.from(log.children, (m) => m.textContent.trim())).filter((t) => t)"""


def read_announcement(reader: Reader, before: list[str], stop: str) -> None:
    """What a drop-down list announced to screen readers as it opened: the messages added since
    ``before`` (the messages held before it opened)."""
    page = reader.app.page
    added = poll(lambda: page.evaluate(ANNOUNCED_JS, ANNOUNCEMENT)[len(before):], timeout=5,
                 message="the drop-down list's announcement to screen readers")
    for text in added:
        reader.note(stop, "page: a drop-down list's announcement to screen readers (live region)", text)


def read_selectboxes(reader: Reader, stop: str) -> None:
    """Open each drop-down list of the sidebar and read all its options (the list draws only the
    options in its window: it is scrolled to the end)."""
    page = reader.app.page
    boxes = sidebar(reader.app).locator('[data-testid="stSelectbox"]')
    for i in range(boxes.count()):
        box = boxes.nth(i)
        label = " ".join(box.locator('[data-testid="stWidgetLabel"]').inner_text().split()) or f"#{i}"
        before = page.evaluate(ANNOUNCED_JS, ANNOUNCEMENT)
        open_selectbox(reader.app, box)
        read_announcement(reader, before, stop)
        listbox = page.get_by_role("listbox").first
        seen: list[str] = []
        for _ in range(50):
            new = [t for t in page.get_by_role("option").all_inner_texts() if t not in seen]
            if not new:
                break
            seen += new
            listbox.evaluate("(el) => { el.scrollTop += el.clientHeight; }")
            page.wait_for_timeout(100)
        for text in seen:
            reader.note(stop, f"page: stSidebar › stSelectbox {label!r} option", text)
        page.keyboard.press("Escape")
        listbox.wait_for(state="hidden", timeout=5_000)


def choose_option(reader: Reader, box_index: int, option: str) -> None:
    """Pick ``option`` in the sidebar's ``box_index``-th drop-down list."""
    app = reader.app
    open_selectbox(app, sidebar(app).locator('[data-testid="stSelectbox"]').nth(box_index))
    act(app, lambda: app.page.get_by_role("option", name=option, exact=True).click())


def read_modebar(reader: Reader, chart, side: str, name: str, stop: str) -> None:
    """Hover a Plotly chart, then each button of its toolbar, and read the tooltip shown."""
    chart.scroll_into_view_if_needed()
    chart.hover()
    buttons = chart.locator(".modebar-btn")
    poll(lambda: buttons.count() > 0, message=f"the toolbar of {name}")
    for i in range(buttons.count()):
        button = buttons.nth(i)
        button.hover()
        shown = button.evaluate("(b) => getComputedStyle(b, '::after').content")
        title = button.get_attribute("data-title") or ""
        # Plotly draws the tooltip as the button's ::after, from data-title.
        text = shown.strip('"') if shown not in ("none", "normal", "") else title
        reader.note(stop, f"{side}: {name} › .modebar-btn tooltip (hovered)", text or title)
    rest_pointer(reader.app)


def show_panel(app: App, panel: str) -> None:
    act(app, lambda: app.page.get_by_role("radio", name=ZH[f"tab.{panel}"], exact=True).click())


def click_button(app: App, label: str) -> None:
    act(app, lambda: app.page.get_by_role("button", name=label, exact=True).click())


# --- the tests ---------------------------------------------------------------------------------

@pytest.mark.timeout(240)
def test_chinese_page_as_it_opens(open_zh) -> None:
    """The page as it opens (the data caption under the title, the view), the help tooltips,
    the training view's chart toolbars, ten steps taken, the table editor opened and hovered."""
    app = open_zh()
    reader = Reader(app)
    reader.read("opened")
    read_help_tooltips(reader, '[data-testid="stMain"]', "hovering the page's help icons")
    charts = app.charts()
    for i in range(charts.count()):
        chart_id = charts.nth(i).get_attribute("id")
        read_modebar(reader, charts.nth(i), "view", f"#{chart_id}", "hovering the training view's chart toolbars")
    reader.read("after hovering the charts")
    app.click(ZH["control.step10"])
    app.wait_iteration(10)
    settle(app)
    reader.read(f"after {ZH['control.step10']}")
    editor = app.page.locator('[data-testid="stExpander"]').filter(has_text=ZH["editor.header"])
    editor.locator("summary").click()
    table = editor.locator('[data-testid="stDataFrame"]').first
    table.wait_for(state="visible")
    reader.read("the table editor opened")
    hover_table(reader, table, "hovering the table editor")
    reader.assert_none()


@pytest.mark.timeout(240)
def test_chinese_sidebar_generated_data_and_settings(open_zh) -> None:
    """生成: each shape of data, the batch modes, standardising, a held-out test set."""
    app = open_zh()
    reader = Reader(app)
    reader.read(f"{ZH['data.source.generate']}: {ZH['gen.overlap']}")
    read_help_tooltips(reader, SIDEBAR, "hovering the sidebar's help icons")
    read_selectboxes(reader, "the sidebar's drop-down lists opened")
    for kind in GENERATORS:
        if kind != "overlap":
            choose_option(reader, 0, ZH[f"gen.{kind}"])
            reader.read(f"{ZH['data.source.generate']}: {ZH[f'gen.{kind}']}")
    for mode in ("mini", "sgd"):
        choose_in_sidebar(app, ZH[f"batch.{mode}"])
        reader.read(f"{ZH['settings.batch']}: {ZH[f'batch.{mode}']}")
    read_help_tooltips(reader, SIDEBAR, "hovering the help icons of stochastic gradient descent")
    choose_in_sidebar(app, ZH["settings.standardize"])
    reader.read(f"{ZH['settings.standardize']} on")
    choose_in_sidebar(app, ZH["split.toggle"])
    reader.read(f"{ZH['split.toggle']} on")
    read_help_tooltips(reader, SIDEBAR, "hovering the help icons with a test set held out")
    reader.assert_none()


@pytest.mark.timeout(240)
def test_chinese_sidebar_bundled_data(open_zh) -> None:
    """真实数据: each bundled data set (its source caption, the data caption, the charts)."""
    app = open_zh()
    reader = Reader(app)
    choose_in_sidebar(app, ZH["data.source.bundled"])
    reader.read(f"{ZH['data.source.bundled']}: {ZH['bundled.penguins']}")
    read_selectboxes(reader, "the sidebar's drop-down lists opened")
    for name in VIEWS:
        if name != "penguins":
            choose_option(reader, 0, ZH[f"bundled.{name}"])
            reader.read(f"{ZH['data.source.bundled']}: {ZH[f'bundled.{name}']}")
    reader.assert_none()


@pytest.mark.timeout(240)
def test_chinese_sidebar_upload(open_zh) -> None:
    """上传文件: the uploader before a file; a Chinese Excel export in GBK (the encoding picker, the
    column pickers); a workbook of two sheets (the sheet picker); a workbook it refuses (the error).
    The files' names and sheet names are data."""
    app = open_zh()
    reader = Reader(app, file_names=(UPLOAD.name, WORKBOOK.name, BROKEN.name), data=SHEET_NAMES)
    choose_in_sidebar(app, ZH["data.source.upload"])
    app.page.locator('[data-testid="stFileUploaderDropzoneInput"]').wait_for(state="attached")
    reader.read(f"{ZH['data.source.upload']}: no file yet")
    read_help_tooltips(reader, SIDEBAR, "hovering the uploader's help icon")
    upload(app, UPLOAD)
    poll(lambda: sidebar(app).locator('[data-testid="stSelectbox"]').count() >= 4, timeout=20,
         message="the column pickers of the upload")
    reader.read(f"{ZH['data.source.upload']}: {UPLOAD.name}")
    read_help_tooltips(reader, SIDEBAR, "hovering the help icons of the upload")
    read_selectboxes(reader, "the upload's drop-down lists opened")
    upload(app, WORKBOOK)
    poll(lambda: sidebar(app).get_by_text(ZH["data.sheet"], exact=True).count() == 1, timeout=20,
         message="the sheet picker")
    reader.read(f"{ZH['data.source.upload']}: {WORKBOOK.name}")
    read_help_tooltips(reader, SIDEBAR, "hovering the help icons of a workbook")
    upload(app, BROKEN)
    poll(lambda: sidebar(app).locator('[data-testid="stAlertContentError"]').count() > 0, timeout=20,
         message="the error about the workbook's formulas")
    reader.read(f"{ZH['data.source.upload']}: {BROKEN.name} (refused)")
    reader.assert_none()


def upload(app: App, path: Path) -> None:
    """Put a file in the sidebar's uploader (in place of the one there) and wait for the page."""
    act(app, lambda: app.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path)),
        start_timeout=5)


def visit_panel(app: App, reader: Reader, panel: str) -> None:
    """What a user does in a panel: look, and where there is more to reach, reach it."""
    name = ZH[f"tab.{panel}"]
    if panel == "split":  # the panel asks for a test set first
        reader.read(f"{name} (no test set)")
        choose_in_sidebar(app, ZH["split.toggle"])
    if panel == "compare":  # empty until a run is pinned
        reader.read(f"{name} (nothing pinned)")
        # The toast that confirms it stays a few seconds: read as soon as it shows, then the page.
        with app.rerun(start_timeout=3):
            app.page.get_by_role("button", name=ZH["compare.pin"], exact=True).click()
            app.page.locator('[data-testid="stToast"]').first.wait_for(state="visible", timeout=10_000)
            reader.read_part(f"{name}: a run pinned, its toast", '[data-testid="stToastContainer"]')
        settle(app)
        # The log-scale switches redraw the charts; one of them, as a user would try.
        act(app, lambda: app.page.locator('[data-testid="stCheckbox"]').first.click())
    reader.read(name)
    read_help_tooltips(reader, '[data-testid="stMain"]', f"{name}: hovering the help icons")
    if panel == "lesson":
        for step in range(2, 7):
            click_button(app, ZH["lesson.next"])
            reader.read(f"{name}: step {step}")
    charts = app.panel_charts()
    if charts.count():
        read_modebar(reader, charts.first, "page", f"{name}'s first chart", f"{name}: hovering a chart's toolbar")
        reader.read(f"{name}: after hovering a chart")
    tables = app.page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').filter(visible=True)
    if tables.count():
        hover_table(reader, tables.first, f"{name}: hovering a table")


def hover_table(reader: Reader, table, stop: str) -> None:
    """Hover a table (its toolbar shows) and read the page while the pointer is on it."""
    table.scroll_into_view_if_needed()
    table.hover()
    container = table.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]")
    container.locator('[data-testid="stElementToolbar"]').first.wait_for(state="visible", timeout=5_000)
    reader.read(stop, rest=False)


@pytest.mark.timeout(240)
@pytest.mark.parametrize("panel", PANELS)
def test_chinese_panel(open_zh, panel: str) -> None:
    """Each panel below the charts (chosen by the control under the training view)."""
    app = open_zh()
    reader = Reader(app)
    if panel != PANELS[0]:
        show_panel(app, panel)
    visit_panel(app, reader, panel)
    reader.assert_none()


@pytest.mark.timeout(240)
def test_chinese_presenter_mode(open_zh) -> None:
    """Presenter mode (?presenter=true): the sidebar is hidden, the type is larger."""
    app = open_zh("presenter=true")
    reader = Reader(app)
    reader.read(ZH["presenter.toggle"])
    read_help_tooltips(reader, '[data-testid="stMain"]', f"{ZH['presenter.toggle']}: hovering the help icons")
    reader.assert_none()
