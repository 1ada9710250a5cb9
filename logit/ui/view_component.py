"""The training view as one browser component: Step, Play and scrubbing without a round trip.

The server computes the whole run once and sends it with the four figures; the component
(``view_frontend/view.js``) moves through the iterations in the browser, so a Step redraws
every chart at once and Play shows each iteration without reloading a chart (the user's zoom
stays). It reports back what the server needs: the iteration on show (for the panels below),
a request for more iterations when Play reaches the end of what was computed, and clicks on
the data chart.

The contract between the two sides is defined here once and sent with the arguments: the
run's columns (:data:`RUN_COLUMNS`), the charts' colours, the trends' names and every word
(:class:`PlayerText`).

Streamlit serves the component's folder as it is (nothing is copied). Plotly's JavaScript is
the cartesian bundle fetched into ``view_frontend/vendor/`` (:mod:`logit.ui.plotly_bundle`);
where it was not fetched, the plotly package's own bundle, served from the package's folder
by a second component that is declared only to be served (never drawn).

Why a v1 component (an iframe) and not ``st.components.v2`` (in the page, no iframe), read from
Streamlit 1.67's sources: v2 passes its ``data`` as JSON with dataframes as Arrow tables, while
the view's runs travel as raw float64 bytes (no JSON limits on infinities, a tenth of the size of
JSON, no table to build per run); v2 serves files from a
folder only for a component installed with a manifest in its package's ``pyproject.toml``,
which Streamlit Community Cloud (no install) lacks, so Plotly would travel inline with every
page; and in the page, Plotly's 1.5 MB global and the view's styles would share Streamlit's
document. The iframe costs its title (the view sets it) and a message per size change.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import streamlit.components.v1 as components

from logit.diagnosis import TRENDS
from logit.geometry import Box
from logit.training import Trajectory
from logit.ui import plotly_bundle
from logit.ui.figures import CLASS_COLORS, SERIES_COLORS
from logit.ui.run_key import RunKey

FRONTEND = Path(__file__).parent / "view_frontend"
# Columns of the run as the component receives it: one float64 row per iteration.
RUN_COLUMNS = ("w1", "w2", "b", "w1_original", "w2_original", "b_original", "dw1", "dw2", "db", "loss", "accuracy")

_component = components.declare_component("logit_player", path=str(FRONTEND))
# Declared to be served, never drawn: the folder of plotly's own full bundle.
_PLOTLY_PACKAGE = components.declare_component("logit_plotly", path=str(plotly_bundle.full_bundle().parent))


@functools.lru_cache(maxsize=1)
def plotly_url() -> str:
    """Where the view loads Plotly from, relative to its own page."""
    if plotly_bundle.script_path() == plotly_bundle.BUNDLE:
        return f"vendor/{plotly_bundle.BUNDLE.name}"
    return f"../{_PLOTLY_PACKAGE.name}/{plotly_bundle.full_bundle().name}"


@dataclass(frozen=True)
class PlayerText:
    """Every word the component shows, in the page's language (``{k}``-style fields are filled in the browser)."""

    step: str
    step_help: str
    step10: str
    play: str
    pause: str
    play_help: str
    reset: str
    reset_help: str
    speed: str
    speed_value: str
    scrub: str
    scrub_help: str
    alpha: str
    alpha_help: str
    alpha_down: str
    alpha_down_help: str
    alpha_up: str
    alpha_up_help: str
    computing: str
    header: str
    start: str
    running: str
    playing: str
    converged: str  # followed by the run's reason
    rising: str  # fields {k}, {start}, {loss}, {alpha}, {remedy}
    oscillating: str  # fields {k}, {alpha}, {remedy}
    loss: str
    accuracy: str
    original: str
    sampled: str
    view_title: str


@dataclass(frozen=True)
class PlayerRun:
    """A run as the training view shows it.

    Attributes
    ----------
    trajectory : the run, K+1 iterations
    key : its data and settings; a longer run with the same key continues Play
    reason : why the run stopped, in the page's language
    files : chart name → the PNG file name for this run, with ``{k}`` for the iteration
    trend : shape (K+1,), what the loss so far shows at each iteration (:func:`logit.diagnosis.loss_trend`)
    remedy : what to do if the loss rises or bounces (a smaller α that can be chosen, …), in the page's language
    """

    trajectory: Trajectory
    key: RunKey
    reason: str
    files: dict[str, str]
    trend: np.ndarray
    remedy: str


def run_bytes(trajectory: Trajectory) -> bytes:
    """The run as one float64 array of shape (K+1, 11), columns :data:`RUN_COLUMNS` (binary: no JSON limits on inf)."""
    table = np.column_stack([trajectory.params, trajectory.params_original, trajectory.gradients,
                             trajectory.loss, trajectory.accuracy])
    return np.ascontiguousarray(table, dtype="<f8").tobytes()


def figure_json(figure: go.Figure) -> dict[str, Any]:
    """A figure as plain JSON (numpy arrays become lists; non-finite numbers become null)."""
    return json.loads(pio.to_json(figure, validate=False, remove_uids=True))


@dataclass(frozen=True)
class FigureSpecs:
    """The training view's figures as JSON, with a revision that changes when any of them does.

    The component builds its charts anew only for a new revision; a new run (e.g. another α)
    only replaces the lines' values, and a new iteration only moves the layout.
    """

    figures: dict[str, dict]
    revision: str


def figure_specs(figures: dict[str, go.Figure], scale: float) -> FigureSpecs:
    """JSON and revision of "data", "weights", "gradients", "loss", computed once (worth caching)."""
    specs = {name: figure_json(figure) for name, figure in figures.items()}
    return FigureSpecs(specs, _digest([specs, scale]))


def player_args(
    *,
    run: PlayerRun,
    ahead: list[PlayerRun],
    ahead_pending: bool,
    rates: tuple[float, ...],
    data_key: str,
    figure_specs: FigureSpecs,
    configs: dict[str, dict],
    alt: dict[str, str],
    drawn_X: np.ndarray,
    drawn_y: np.ndarray,
    drawn_rows: np.ndarray,
    box: Box,
    grid: tuple[np.ndarray, np.ndarray],
    text: PlayerText,
    seek: tuple[int, str],
    click_mode: str,
    language: str,
    speeds: tuple[int, ...],
    speed: int,
    scale: float,
    layout: str = "page",
    room: dict | None = None,
) -> dict[str, Any]:
    """Everything the component draws, as its keyword arguments.

    Parameters
    ----------
    run : the run on show (its learning rate is the one selected)
    ahead : the same data and settings at other learning rates, computed ahead so that
        choosing one of those rates redraws at once; each has the same form as ``run``
    ahead_pending : more runs ahead are to come: the component sends a report once it has rested
    rates : the learning rates offered
    data_key : identifies the data; the data chart keeps the user's zoom while it is unchanged
    figure_specs : "data", "weights", "gradients", "loss" built by :mod:`logit.ui.figures` at any
        iteration (the component draws the iteration on show), from :func:`figure_specs`
    configs : Plotly configs of the four charts
    drawn_X : ndarray, shape (m, 2), the drawn points in original units (m ≤ the draw limit)
    drawn_y : ndarray, shape (m,), their labels 0/1
    drawn_rows : ndarray, shape (m,), their row numbers in the data
    grid : the heatmap's x1 and x2 coordinates, shapes (r,) and (r,)
    seek : (iteration, token): the component moves there on its first drawing and once per new token
    layout : "page", or "presenter" (the charts sized to the screen, the numbers beside them); the
        component uses its phone layout on a narrow screen either way
    room : for a student's page, where to listen for the room's changes (``{events, after, member,
        following}``, from :func:`logit.ui.room.view_args`); None otherwise
    """
    meta = _run_meta(run)
    return dict(
        run=meta,
        run_values=run_bytes(run.trajectory),
        ahead=[_run_meta(other) for other in ahead],
        ahead_values=b"".join(run_bytes(other.trajectory) for other in ahead),
        ahead_pending=bool(ahead_pending),
        rates=[float(rate) for rate in rates],
        alpha=float(run.trajectory.settings.learning_rate),
        revision=meta["revision"],
        figures_revision=figure_specs.revision,
        figures=figure_specs.figures,
        configs=configs,
        alt=alt,
        uirevision={"data": data_key, "weights": "weights", "gradients": "gradients", "loss": "loss"},
        points=dict(x1=_finite_list(drawn_X[:, 0]), x2=_finite_list(drawn_X[:, 1]),
                    y=[int(v) for v in drawn_y], index=[int(v) for v in drawn_rows]),
        box=[float(v) for v in box],
        grid=dict(x1=_finite_list(grid[0]), x2=_finite_list(grid[1])),
        texts=text.__dict__,
        seek=dict(k=int(seek[0]), token=seek[1]),
        click_mode=click_mode,
        language=language,
        speeds=list(speeds),
        speed=speed,
        scale=scale,
        layout=layout,
        room=room,
        plotly=plotly_url(),
        # The contract: what the columns of the runs' bytes are, the charts' colours, the trends' names.
        run_columns=list(RUN_COLUMNS),
        colors=dict(classes=list(CLASS_COLORS), series=list(SERIES_COLORS)),
        trends=list(TRENDS),
    )


def _run_meta(run: PlayerRun) -> dict[str, Any]:
    """A run's description beside its values (K+1 rows of :data:`RUN_COLUMNS`)."""
    trajectory = run.trajectory
    K = trajectory.iterations
    return dict(
        K=K, base=run.key.text, status=trajectory.status, canContinue=bool(trajectory.can_continue),
        alpha=float(trajectory.settings.learning_rate), revision=run.key.revision(K),
        # One digit per iteration, an index into the args' "trends" (a few bytes, not a list of words).
        reason=run.reason, trend="".join(map(str, run.trend)), remedy=run.remedy, files=run.files,
    )


def _digest(value: Any) -> str:
    return hashlib.blake2b(json.dumps(value, sort_keys=True).encode(), digest_size=8).hexdigest()


def _finite_list(values: np.ndarray) -> list[float | None]:
    values = np.asarray(values, dtype=float)
    if np.isfinite(values).all():  # the usual case, at C speed
        return values.tolist()
    return [float(v) if np.isfinite(v) else None for v in values]


def player(args: dict[str, Any], *, key: str) -> dict | None:
    """Draw the component; returns its last report ``{k, nonce, more?, click?, alpha?}`` or None.

    The report is also ``st.session_state[key]``, which the page reads at the start of a run.
    """
    return _component(**args, key=key, default=None)
