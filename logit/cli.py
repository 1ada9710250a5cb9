"""Command line: train on a CSV file, generate a data set, list the data sets.

::

    python -m logit train FILE [--x1 COL] [--x2 COL] [--label COL] [--positive VALUE]
                               [--learning-rate A] [--iterations K] [--batch-size B] [--l2 L]
                               [--seed S] [--init W1 W2 B] [--standardize] [--json]
                               [--trajectory OUT.csv]
    python -m logit generate KIND [--n N] [--noise X] [--seed S] [-o OUT]
    python -m logit datasets

Exit codes: 0 success (a diverged run is a result, not an error), 2 bad input or usage
(one line ``error: ...`` on stderr), 1 an unexpected internal error (a bug), 130
interrupted (Ctrl-C), 141 standard output closed early (e.g. ``| head``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from typing import Any, Sequence

import numpy as np

from logit.errors import LogitError
from logit.export import TRAJECTORY_COLUMNS, trajectory_csv
from logit.training import Trajectory, TrainingSettings, train

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE

PROG = "python -m logit"


class CliError(Exception):
    """Bad input or usage, reported as one ``error: ...`` line and exit code 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors raise instead of printing usage and exiting."""

    def error(self, message: str):  # type: ignore[override]
        raise CliError(f"{message} (see '{self.prog} --help')")


# --- argument types ------------------------------------------------------------------


def _whole_number(text: str) -> int:
    """An integer; also accepts '1e3' and '1_000' for whole numbers."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not math.isfinite(value) or value != int(value):
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(value)


def _seed(text: str) -> int:
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a seed of 0 or more, got {text!r}")
    return value


def _number(text: str) -> float:
    """A float; 'nan' and 'inf' parse and are then rejected by the setting's own check."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None


def _finite_number(text: str) -> float:
    value = _number(text)
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


# --- the parser ----------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Gradient descent for a two-feature sigmoid classifier, from the command line.",
        epilog="Exit codes: 0 success (a diverged run too), 2 bad input or usage, 1 unexpected error, "
        "130 interrupted.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    t = commands.add_parser(
        "train",
        help="train on a CSV file or a workbook and print the result",
        description="Train w1·x1 + w2·x2 + b by gradient descent on the mean log loss and print the "
        "final parameters (in the original feature units), loss, accuracy and status.",
        epilog="The trajectory CSV has the columns " + ",".join(TRAJECTORY_COLUMNS) + ", one row per "
        "iteration 0..K: w1, w2, b in ORIGINAL feature units; dw1, dw2, db the gradient used for the "
        "step from that row (the batch's, + λ·w) in the units training runs in (standardised units "
        "with --standardize); loss and accuracy on the full data. A diverged run exits 0.",
    )
    t.add_argument("file", nargs="?", metavar="FILE",
                   help="CSV or tab-separated text, an .xlsx, .xls or .ods workbook, or - for standard input")
    t.add_argument("--dataset", metavar="NAME",
                   help="train on a bundled data set or a generator (with its defaults) instead of FILE; "
                   "see 'datasets'")
    t.add_argument("--x1", metavar="COL", help="column of the first feature (default: chosen by the loader)")
    t.add_argument("--x2", metavar="COL", help="column of the second feature")
    t.add_argument("--label", metavar="COL", help="column of the class label")
    t.add_argument("--positive", metavar="VALUE", help="label value that counts as class 1")
    t.add_argument("--encoding", metavar="NAME",
                   help="the text file's encoding, e.g. utf-8, gbk, big5, shift_jis, cp1252 (default: found "
                   "automatically; a warning says when it was not certain)")
    t.add_argument("--sheet", metavar="NAME",
                   help="a workbook's sheet, by name or 1-based number (default: the first)")
    t.add_argument("--learning-rate", "--alpha", dest="learning_rate", type=_number, default=0.1,
                   metavar="A", help="learning rate α > 0 (default 0.1)")
    t.add_argument("--iterations", type=_whole_number, default=1000, metavar="K",
                   help="maximum number of updates (default 1000)")
    t.add_argument("--batch-size", type=_whole_number, default=None, metavar="B",
                   help="mini-batch size (1 = stochastic; default: the full batch)")
    t.add_argument("--l2", type=_number, default=0.0, metavar="L", help="L2 strength λ ≥ 0 (default 0)")
    t.add_argument("--tolerance", type=_number, default=1e-6, metavar="T",
                   help="converged when the gradient's length falls below T (default 1e-6)")
    t.add_argument("--seed", type=_seed, default=0, metavar="S", help="seed of the mini-batch order (default 0)")
    t.add_argument("--init", type=_number, nargs=3, default=(0.0, 0.0, 0.0), metavar=("W1", "W2", "B"),
                   help="initial w1 w2 b in the units training runs in (standardised units with "
                   "--standardize; default 0 0 0)")
    t.add_argument("--standardize", "--standardise", action="store_true",
                   help="train on z-scored features (results are still reported in original units)")
    t.add_argument("--json", action="store_true", help="print one JSON object instead of the summary")
    t.add_argument("--trajectory", metavar="OUT.csv",
                   help="write every iteration (original-unit w1,w2,b; gradients as used in training)")
    t.set_defaults(run=_cmd_train)

    g = commands.add_parser(
        "generate",
        help="write a generated data set as CSV (columns x1,x2,y)",
        description="Write a generated data set as CSV with the columns x1,x2,y.",
    )
    g.add_argument("kind", metavar="KIND", help="generator name (see 'datasets')")
    g.add_argument("--n", type=_whole_number, default=200, metavar="N", help="number of points (default 200)")
    g.add_argument("--noise", type=_finite_number, default=0.3, metavar="X", help="noise level (default 0.3)")
    g.add_argument("--seed", type=_seed, default=0, metavar="S", help="random seed (default 0)")
    g.add_argument("-o", "--output", metavar="OUT", help="output file (default: standard output)")
    g.set_defaults(run=_cmd_generate)

    d = commands.add_parser("datasets", help="list the generators and bundled data sets",
                            description="List the generators and bundled data sets.")
    d.set_defaults(run=_cmd_datasets)
    return parser


# --- entry point ---------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    try:
        try:
            args = build_parser().parse_args(argv)
            code = args.run(args)
        finally:
            _flush_stdout()
        return code
    except SystemExit as stop:  # --help and --version
        return stop.code if isinstance(stop.code, int) else EXIT_OK if stop.code is None else EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except (CliError, LogitError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(_describe_os_error(error))
    except MemoryError:
        return _fail("not enough memory for this input; use a smaller file or fewer iterations")
    except Exception as error:  # last resort: never a traceback
        return _fail(f"unexpected {type(error).__name__}: {error} (this is a bug in logit; please report it)",
                     EXIT_BUG)


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    line = " ".join(str(message).split()) or "unknown error"
    try:
        print(f"error: {line}", file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return code


def _flush_stdout() -> None:
    stdout = sys.stdout
    if stdout is not None:
        stdout.flush()


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout without a file descriptor (e.g. in tests)
        pass


def _describe_os_error(error: OSError, action: str = "") -> str:
    what = error.strerror or str(error) or type(error).__name__
    name = error.filename
    if name is None:
        return f"cannot {action}: {what}" if action else what
    return f"cannot {action} '{name}': {what}" if action else f"'{name}': {what}"


# --- train ---------------------------------------------------------------------------


def _cmd_train(args: argparse.Namespace) -> int:
    if args.file is None and args.dataset is None:
        raise CliError("give a CSV FILE (or - for standard input) or --dataset NAME to train on")
    if args.file is not None and args.dataset is not None:
        raise CliError("give either FILE or --dataset NAME, not both")
    file_options = (args.x1, args.x2, args.label, args.positive, args.encoding, args.sheet)
    if args.dataset is not None and any(v is not None for v in file_options):
        raise CliError("--x1, --x2, --label, --positive, --encoding and --sheet apply to a FILE, not to --dataset")
    if args.trajectory == "-":
        raise CliError("--trajectory needs a file name (standard output holds the summary)")
    # Settings first: a bad α fails at once, before a large file is read.
    settings = TrainingSettings(
        learning_rate=args.learning_rate,
        max_iterations=args.iterations,
        batch_size=args.batch_size,
        l2=args.l2,
        seed=args.seed,
        init=tuple(args.init),
        tolerance=args.tolerance,
        standardize=args.standardize,
    )
    dataset = _load_named(args.dataset) if args.dataset is not None else _load_file(args)
    trajectory = train(dataset.X, dataset.y, settings)
    if args.trajectory is not None:
        write_trajectory(trajectory, args.trajectory)
    report = train_report(dataset, trajectory)
    if args.json:
        sys.stdout.write(to_json(report) + "\n")
    else:
        sys.stdout.write(format_summary(report))
    return EXIT_OK


def _load_file(args: argparse.Namespace):
    from logit.csv_loader import load_csv

    columns = dict(x1=args.x1, x2=args.x2, label=args.label, positive=args.positive, encoding=args.encoding,
                   sheet=args.sheet)
    if args.file == "-":
        return load_csv(_read_stdin(), **columns)
    path = args.file
    if os.path.isdir(path):
        raise CliError(f"'{path}' is a directory, not a CSV file")
    try:
        # Open it here first, so a missing or unreadable file is named in full (the
        # loader's messages shorten long paths).
        with open(path, "rb"):
            pass
        return load_csv(path, **columns)
    except OSError as error:
        raise CliError(_describe_os_error(error, "read")) from None


def _read_stdin() -> bytes:
    from logit.csv_loader import MAX_LINE_BYTES, load_csv

    stdin = sys.stdin
    if stdin is None:
        raise CliError("no standard input to read the CSV from")
    if not hasattr(stdin, "buffer"):
        return stdin.read().encode("utf-8")
    head = stdin.buffer.read(MAX_LINE_BYTES + 1)
    if len(head) > MAX_LINE_BYTES and b"\n" not in head and b"\r" not in head:
        load_csv(head)  # refuses the endless first line without reading the rest of the stream
    return head + stdin.buffer.read()


def _load_named(name: str):
    from logit.bundled import BUNDLED, load_bundled
    from logit.generators import GENERATORS, generate

    if name in BUNDLED:
        return load_bundled(name)
    if name in GENERATORS:
        return generate(name)
    known = ", ".join(sorted(set(BUNDLED) | set(GENERATORS)))
    raise CliError(f"unknown data set {name!r}; choose one of: {known}")


def train_report(dataset, trajectory: Trajectory) -> dict[str, Any]:
    """Everything the summary and the JSON show, as plain Python values."""
    w1, w2, b = (float(v) for v in trajectory.final_params_original)
    trained = [float(v) for v in trajectory.params[-1]]
    s = trajectory.settings
    names = list(dataset.feature_names)
    negative, positive = (str(c) for c in dataset.classes)
    n = int(len(dataset.y))
    accuracy = float(trajectory.accuracy[-1])
    return {
        "w1": w1,
        "w2": w2,
        "b": b,
        "loss": float(trajectory.loss[-1]),
        "accuracy": accuracy,
        "correct": int(round(accuracy * n)) if math.isfinite(accuracy) else None,
        "initial_loss": float(trajectory.loss[0]),
        "gradient_norm": float(trajectory.gradient_norm[-1]),
        "iterations": int(trajectory.iterations),
        "status": trajectory.status,
        "reason": trajectory.reason.message,
        "reason_code": trajectory.reason.code,
        "positive": positive,
        "negative": negative,
        "label_mapping": str(dataset.label_mapping),
        "n": n,
        "columns": {"x1": str(names[0]), "x2": str(names[1]), "label": str(dataset.label_name)},
        "source": str(dataset.source) or "standard input",
        "standardized": bool(s.standardize),
        "trained_params": {"w1": trained[0], "w2": trained[1], "b": trained[2]},
        "settings": {
            "learning_rate": float(s.learning_rate),
            "max_iterations": int(s.max_iterations),
            "batch_size": s.batch_size,
            "l2": float(s.l2),
            "seed": int(s.seed),
            "init": [float(v) for v in s.init],
            "tolerance": float(s.tolerance),
        },
        "warnings": [notice.message for notice in dataset.notices],
    }


def to_json(value: Any) -> str:
    """Strict JSON: NaN and ±infinity become null, numpy values plain numbers."""
    return json.dumps(_json_safe(value), allow_nan=False, ensure_ascii=False)


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_json_safe(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    return str(value)


def _num(value: float | None, spec: str = ".6g") -> str:
    if value is None:
        return "undefined"
    return format(value, spec) if math.isfinite(value) else str(value)


def format_summary(report: dict[str, Any]) -> str:
    """The readable summary of :func:`train_report`."""
    r, s, c = report, report["settings"], report["columns"]
    batch = "full batch" if s["batch_size"] is None else f"batch size {s['batch_size']}"
    accuracy = r["accuracy"]
    accuracy_text = f"{accuracy:.2%}" if math.isfinite(accuracy) else "undefined"
    if r["correct"] is not None:
        accuracy_text += f" ({r['correct']} of {r['n']} correct)"
    lines = [
        f"Data:        {_printable(r['source'])} (n = {r['n']} rows)",
        f"Columns:     x1 = {_printable(c['x1'])}, x2 = {_printable(c['x2'])}, label = {_printable(c['label'])}",
        f"Labels:      {r['label_mapping']}",
    ]
    for warning in r["warnings"]:
        lines.append(f"Note:        {warning}")
    lines += [
        f"Settings:    α = {s['learning_rate']:g}, at most {s['max_iterations']} iterations, {batch}, "
        f"λ = {s['l2']:g}, seed {s['seed']}, init ({', '.join(format(v, 'g') for v in s['init'])}), "
        f"{'standardised features' if r['standardized'] else 'original features'}",
        f"Status:      {r['status']} after {r['iterations']} iteration(s)",
        f"             {r['reason']}",
        "Parameters (original feature units):",
        f"  w1 = {_num(r['w1'], '.8g')}",
        f"  w2 = {_num(r['w2'], '.8g')}",
        f"  b  = {_num(r['b'], '.8g')}",
        f"Loss:        {_num(r['loss'])} (mean log loss; {_num(r['initial_loss'])} at the start)",
        f"Accuracy:    {accuracy_text}",
    ]
    return "\n".join(lines) + "\n"


def _printable(text: str) -> str:
    """``text`` on one line: line breaks and other control characters shown escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(text))


def write_trajectory(trajectory: Trajectory, path: str) -> None:
    """Write every iteration as CSV: original-unit w1, w2, b and the gradients as used in training."""
    if os.path.isdir(path):
        raise CliError(f"cannot write the trajectory to '{path}': it is a directory")
    text = trajectory_csv(trajectory, trained_units=False)
    try:
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    except OSError as error:
        raise CliError(_describe_os_error(error, "write the trajectory to")) from None


# --- generate and datasets -----------------------------------------------------------


def _cmd_generate(args: argparse.Namespace) -> int:
    from logit.generators import GENERATORS, generate

    if args.kind not in GENERATORS:
        raise CliError(f"unknown generator {args.kind!r}; choose one of: {', '.join(sorted(GENERATORS))}")
    dataset = generate(args.kind, n=args.n, noise=args.noise, seed=args.seed)
    data = dataset.to_csv_bytes()
    if args.output is None or args.output == "-":
        sys.stdout.write(data.decode("utf-8"))
        return EXIT_OK
    if os.path.isdir(args.output):
        raise CliError(f"cannot write to '{args.output}': it is a directory")
    try:
        with open(args.output, "wb") as out:
            out.write(data)
    except OSError as error:
        raise CliError(_describe_os_error(error, "write")) from None
    return EXIT_OK


def _cmd_datasets(args: argparse.Namespace) -> int:
    from logit.bundled import list_datasets
    from logit.generators import GENERATORS

    rows = [(str(name), str(kind), str(text)) for name, kind, text in list_datasets()]
    listed = {name for name, _, _ in rows}
    rows += [(name, "generator", text) for name, text in GENERATORS.items() if name not in listed]
    width_name = max((len(r[0]) for r in rows), default=4)
    width_kind = max((len(r[1]) for r in rows), default=4)
    out = [f"{'NAME':<{width_name}}  {'KIND':<{width_kind}}  DESCRIPTION"]
    out += [f"{name:<{width_name}}  {kind:<{width_kind}}  {text}" for name, kind, text in rows]
    out.append("")
    out.append("Train on one with: python -m logit train --dataset NAME")
    out.append("Write a generated one as CSV with: python -m logit generate KIND [-o OUT]")
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK
