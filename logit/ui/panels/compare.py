"""Compare runs: pin the current run, change a setting, and see the runs side by side.

The pins are a session slot (at most :data:`~logit.ui.compare_figures.MAX_PINS`), each tied to
the fingerprint of the data it was trained on: pins of other data are kept but hidden, and the
panel says so. The URL carries the settings of the pins of the data on show (the state's
``pins``), so that a link rebuilds them on the data it opens.
"""

from __future__ import annotations

import streamlit as st

from logit.errors import LogitError
from logit.training import Trajectory, TrainingSettings
from logit.ui import state
from logit.ui.compare_figures import (
    MAX_PINS, PIN_STYLES, CompareText, LabelWords, Pin, pin_style, comparison_figures, make_pin, pin_label, pins_query,
    settings_from_query,
)
from logit.ui.context import Page
from logit.ui.runs import trained


def _words(page: Page) -> LabelWords:
    tr = page.tr
    return LabelWords(full=tr("compare.word.full"), sgd=tr("compare.word.sgd"), standardized=tr("compare.word.std"),
                      raw=tr("compare.word.raw"), init=tr("compare.word.init"), seed=tr("compare.word.seed"),
                      diverged=tr("compare.word.diverged"))


def _stored() -> tuple[Pin, ...]:
    return tuple(state.session("pins"))


def _restore_from_link(page: Page) -> None:
    """A link's pins, trained on the data on show, once per session (a session's own pins win)."""
    if state.session("pins_restored") or _stored():
        return
    state.keep(pins_restored=True)
    for settings in settings_from_query(state.get("pins")):
        try:
            run = trained(page, settings)
        except LogitError:
            continue
        _pin(page, run, settings, quiet=True)


def _pin(page: Page, trajectory: Trajectory, settings: TrainingSettings | None = None, quiet: bool = False) -> None:
    """Pin the run; a fifth replaces the oldest (first one made on other data, if any)."""
    tr = page.tr
    settings = settings or page.settings
    pins = list(_stored())
    fingerprint = page.data.fingerprint
    if any(p.key == page.run_key(settings) for p in pins):
        return
    label = pin_label(settings, settings.standardize, _words(page))
    if len(pins) >= MAX_PINS:
        stale = [p for p in pins if p.fingerprint != fingerprint]
        gone = stale[0] if stale else pins[0]
        pins.remove(gone)
        st.toast(tr("compare.replaced", max=MAX_PINS, label=gone.label), icon="📌")
    elif not quiet:
        st.toast(tr("compare.pinned", label=label), icon="📌")
    taken = {p.style for p in pins if p.fingerprint == fingerprint}
    style = next(s for s in range(len(PIN_STYLES) + MAX_PINS) if s not in taken)
    number = state.session("pin_counter") + 1
    pins.append(make_pin(trajectory, fingerprint, settings, number=number, style=style, label=label))
    state.keep(pins=tuple(pins), pin_counter=number)


def _remove(number: int) -> None:
    state.keep(pins=tuple(p for p in _stored() if p.number != number))


def _clear(only_other_data: str | None = None) -> None:
    """Remove every pin, or only those not made on the data with this fingerprint."""
    state.keep(pins=() if only_other_data is None else tuple(p for p in _stored() if p.fingerprint == only_other_data))


_DASH_ARRAYS = {"solid": "", "dash": "6,4", "dot": "2,3", "dashdot": "7,3,2,3", "longdash": "11,4"}


def _swatch(color: str, dash: str) -> str:
    """A short line in a run's colour and dash pattern, as in the charts' legends."""
    pattern = _DASH_ARRAYS.get(dash, "")
    dashes = f' stroke-dasharray="{pattern}"' if pattern else ""
    return (f'<svg width="34" height="10" aria-hidden="true" style="vertical-align:middle">'
            f'<line x1="1" y1="5" x2="33" y2="5" stroke="{color}" stroke-width="3"{dashes}/></svg>')


def show(page: Page, trajectory: Trajectory, k: int) -> None:
    """Pin / Remove / Clear, and the pinned runs of these data overlaid with the current one."""
    tr, dataset = page.tr, page.data.dataset
    fingerprint = page.data.fingerprint
    _restore_from_link(page)
    pins = _stored()
    mine = [p for p in pins if p.fingerprint == fingerprint]
    state.set(pins=pins_query([pin.settings for pin in mine]))  # a link rebuilds them
    others = len(pins) - len(mine)
    already = any(p.key == page.run_key() for p in mine)
    st.caption(tr("compare.intro", max=MAX_PINS))
    bar = st.container(horizontal=True, vertical_alignment="center")
    bar.button(tr("compare.pin"), key="compare_pin", type="primary", on_click=_pin, args=(page, trajectory),
               disabled=already, help=tr("compare.pinned_already") if already else tr("compare.pin.help"))
    bar.button(tr("compare.clear"), key="compare_clear", on_click=_clear, disabled=not pins)
    log_x = bar.checkbox(tr("compare.log_iterations"), key="compare_log_iterations")
    log_y = bar.checkbox(tr("compare.log_loss"), key="compare_log_loss")
    if others:
        note = st.container(horizontal=True, vertical_alignment="center")
        note.warning(tr("compare.other_data", n=others), icon="🔀")
        note.button(tr("compare.clear_other"), key="compare_clear_other", on_click=_clear, args=(fingerprint,))
    words = _words(page)
    for pin in mine:
        color, dash, _, _ = pin_style(pin)
        row = st.container(horizontal=True, vertical_alignment="center", gap="small")
        label = pin_label(pin.settings, pin.settings.standardize, words)
        row.markdown(f"{_swatch(color, dash)} 📌{pin.number} · {label}", unsafe_allow_html=True, width="content")
        row.button("✕", key=f"compare_remove_{pin.number}", on_click=_remove, args=(pin.number,),
                   help=tr("compare.remove"))
    if not mine:
        st.info(tr("compare.empty"), icon="📌")
        return
    current = make_pin(trajectory, fingerprint, page.settings, extra=(k,), label="")
    text = CompareText(
        loss_title=tr("compare.loss_title"), path_title=tr("compare.path_title"),
        lines_title=tr("compare.lines_title"), iteration=tr("compare.iteration"), loss="J",
        current=tr("compare.current"), pinned=tr("compare.pinned_name"), start=tr("compare.start"),
        end=tr("compare.end"), no_line=tr("compare.no_line"),
        x1_title=dataset.feature_names[0], x2_title=dataset.feature_names[1],
        class_names=(f"{dataset.classes[0]} (y=0)", f"{dataset.classes[1]} (y=1)"), words=words,
    )
    loss_fig, path_fig, lines_fig = comparison_figures(mine, current, dataset, text, current_iteration=k,
                                                       log_iterations=log_x, log_loss=log_y)
    config = tr.chart_config()
    left, right = st.columns(2)
    left.plotly_chart(loss_fig, key="compare_loss_chart", config=config, alt=tr("compare.loss_alt"))
    right.plotly_chart(lines_fig, key="compare_lines_chart", config=config, alt=tr("compare.lines_alt"))
    st.plotly_chart(path_fig, key="compare_path_chart", config=config, alt=tr("compare.path_alt"))
    st.caption(tr("compare.path_caption"))
