"""The training view as one browser component: Step, Play and scrubbing without a round trip.

The server computes the whole run once and sends it with the four figures; the
component (``player/player.js``) moves through the iterations in the browser, so a
Step redraws every chart at once and Play shows each iteration without reloading a
chart (the user's zoom stays). It reports back what the server needs: the iteration
on show (for the panels below), a request for more iterations when Play reaches the
end of what was computed, and clicks on the data chart.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import streamlit.components.v1 as components

from logit.diagnosis import TRENDS
from logit.geometry import Box
from logit.ui import plotly_bundle
from logit.training import Trajectory

SOURCE = Path(__file__).parent / "player"
FILES = ("index.html", "player.js", "player.css")
PLOTLY_JS = plotly_bundle.script_path()  # the cartesian partial bundle when fetched, else plotly's full one
# Columns of the run as the component receives it: one float64 row per iteration.
RUN_COLUMNS = ("w1", "w2", "b", "w1_original", "w2_original", "b_original", "dw1", "dw2", "db", "loss", "accuracy")


def served_directory() -> Path:
    """A directory with the component's files and Plotly's JavaScript, which Streamlit serves.

    Plotly's bundle comes from the installed plotly package rather than the repository;
    the directory is named after the files' contents, so processes share it and an
    edit or an upgrade gets a new one.
    """
    digest = hashlib.blake2b(digest_size=8)
    for name in FILES:
        digest.update((SOURCE / name).read_bytes())
    digest.update(PLOTLY_JS.read_bytes())  # which bundle, not only plotly's version
    target = Path(tempfile.gettempdir()) / f"logit-player-{digest.hexdigest()}"
    if not (target / "plotly.min.js").exists():
        staging = Path(tempfile.mkdtemp(prefix="logit-player-staging-"))
        for name in FILES:
            shutil.copyfile(SOURCE / name, staging / name)
        shutil.copyfile(PLOTLY_JS, staging / "plotly.min.js")
        try:
            staging.rename(target)
        except OSError:  # another process finished first; its copy is the same
            shutil.rmtree(staging, ignore_errors=True)
    return target


_component = components.declare_component("logit_player", path=str(served_directory()))


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
    base : identifies the data and settings; a longer run with the same base continues Play
    reason : why the run stopped, in the page's language
    files : chart name → the PNG file name for this run, with ``{k}`` for the iteration
    trend : shape (K+1,), what the loss so far shows at each iteration (:func:`logit.diagnosis.loss_trend`)
    remedy : what to do if the loss rises or bounces (a smaller α that can be chosen, …), in the page's language
    """

    trajectory: Trajectory
    base: str
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
        trends=list(TRENDS),
        scale=scale,
        layout=layout,
    )


def _run_meta(run: PlayerRun) -> dict[str, Any]:
    """A run's description beside its values (K+1 rows of :data:`RUN_COLUMNS`)."""
    trajectory = run.trajectory
    K = trajectory.iterations
    return dict(
        K=K, base=run.base, status=trajectory.status, canContinue=bool(trajectory.can_continue),
        alpha=float(trajectory.settings.learning_rate), revision=run_revision(run.base, K),
        # One digit per iteration, an index into the args' "trends" (a few bytes, not a list of words).
        reason=run.reason, trend="".join(map(str, run.trend)), remedy=run.remedy, files=run.files,
    )


def run_revision(base: str, iterations: int) -> str:
    """What identifies a run in the component: its data and settings (``base``) and its length."""
    return _digest([base, iterations])


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
