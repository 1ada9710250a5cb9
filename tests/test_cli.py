"""The command line: ``python -m logit train | generate | datasets``.

Most tests call :func:`logit.cli.main` in-process (fast, and pytest turns every warning
into an error there); a few run the real ``python -m logit`` in a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from logit import cli
from logit.cli import TRAJECTORY_COLUMNS, main
from logit.training import TrainingSettings, train

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(__file__).resolve().parent / "data"
# Files in tests/data/ that describe the corpus rather than being part of it.
NOT_DATA = {"manifest.csv"}  # also README* and dot files such as .gitattributes

REQUIRED_JSON_KEYS = {"w1", "w2", "b", "loss", "accuracy", "iterations", "status", "positive"}


# --- helpers -------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """main(argv) in-process: (exit code, stdout, stderr)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*argv: str, stdin: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real ``python -m logit`` in a subprocess, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "logit", *map(str, argv)],
        cwd=ROOT, input=stdin if stdin is not None else b"", capture_output=True, timeout=timeout,
    )


def strict_json(text: str) -> dict:
    """json.loads that refuses NaN / Infinity (which are not JSON)."""

    def refuse(constant):
        raise AssertionError(f"non-strict JSON constant {constant}")

    value = json.loads(text, parse_constant=refuse)
    assert isinstance(value, dict)
    return value


def assert_usage_error(code: int, out: str, err: str) -> str:
    """Exit 2, exactly one line on stderr starting with 'error: ', nothing on stdout."""
    assert code == 2, (code, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and len(lines[0]) > len("error: "), err
    assert "unexpected" not in lines[0], err
    assert out == ""
    return lines[0]


def petal_csv(path: Path) -> Path:
    """Iris versicolor vs virginica, petal length and width (a fixed copy of the data)."""
    X, species = _versicolor_virginica()
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["petal_length", "petal_width", "species"])
        for (a, b), s in zip(X, species):
            writer.writerow([a, b, s])
    return path


def _versicolor_virginica():
    # Petal length and width of Iris versicolor (first 50) and virginica (last 50),
    # from Fisher's iris data (public domain).
    length = [
        4.7, 4.5, 4.9, 4.0, 4.6, 4.5, 4.7, 3.3, 4.6, 3.9, 3.5, 4.2, 4.0, 4.7, 3.6, 4.4, 4.5, 4.1, 4.5, 3.9,
        4.8, 4.0, 4.9, 4.7, 4.3, 4.4, 4.8, 5.0, 4.5, 3.5, 3.8, 3.7, 3.9, 5.1, 4.5, 4.5, 4.7, 4.4, 4.1, 4.0,
        4.4, 4.6, 4.0, 3.3, 4.2, 4.2, 4.2, 4.3, 3.0, 4.1,
        6.0, 5.1, 5.9, 5.6, 5.8, 6.6, 4.5, 6.3, 5.8, 6.1, 5.1, 5.3, 5.5, 5.0, 5.1, 5.3, 5.5, 6.7, 6.9, 5.0,
        5.7, 4.9, 6.7, 4.9, 5.7, 6.0, 4.8, 4.9, 5.6, 5.8, 6.1, 6.4, 5.6, 5.1, 5.6, 6.1, 5.6, 5.5, 4.8, 5.4,
        5.6, 5.1, 5.1, 5.9, 5.7, 5.2, 5.0, 5.2, 5.4, 5.1,
    ]
    width = [
        1.4, 1.5, 1.5, 1.3, 1.5, 1.3, 1.6, 1.0, 1.3, 1.4, 1.0, 1.5, 1.0, 1.4, 1.3, 1.4, 1.5, 1.0, 1.5, 1.1,
        1.8, 1.3, 1.5, 1.2, 1.3, 1.4, 1.4, 1.7, 1.5, 1.0, 1.1, 1.0, 1.2, 1.6, 1.5, 1.6, 1.5, 1.3, 1.3, 1.3,
        1.2, 1.4, 1.2, 1.0, 1.3, 1.2, 1.3, 1.3, 1.1, 1.3,
        2.5, 1.9, 2.1, 1.8, 2.2, 2.1, 1.7, 1.8, 1.8, 2.5, 2.0, 1.9, 2.1, 2.0, 2.4, 2.3, 1.8, 2.2, 2.3, 1.5,
        2.3, 2.0, 2.0, 1.8, 2.1, 1.8, 1.8, 1.8, 2.1, 1.6, 1.9, 2.0, 2.2, 1.5, 1.4, 2.3, 2.4, 1.8, 1.8, 2.1,
        2.4, 2.3, 1.9, 2.3, 2.5, 2.3, 1.9, 2.0, 2.3, 1.8,
    ]
    X = np.column_stack([length, width])
    species = ["versicolor"] * 50 + ["virginica"] * 50
    return X, species


@pytest.fixture
def petals(tmp_path) -> Path:
    return petal_csv(tmp_path / "petals.csv")


# --- train ---------------------------------------------------------------------------


def test_train_prints_a_readable_summary(capsys, petals):
    code, out, err = run(capsys, "train", petals)
    assert code == 0, err
    assert err == ""
    for text in ("w1 =", "w2 =", "b  =", "Loss:", "Accuracy:", "Status:", "n = 100", "petal_length",
                 "petal_width", "species", "virginica", "versicolor", "original feature units"):
        assert text in out, (text, out)
    assert "max_iterations after 1000 iteration(s)" in out  # the default K, unstandardised: not converged


def test_train_json_matches_the_core(capsys, petals):
    code, out, err = run(capsys, "train", petals, "--json", "--learning-rate", "0.5", "--iterations", "300",
                         "--standardize", "--l2", "0.01")
    assert code == 0, err
    assert out.count("\n") == 1  # exactly one JSON object on one line
    report = strict_json(out)
    assert REQUIRED_JSON_KEYS <= set(report)
    assert {"reason", "negative", "n", "columns", "standardized", "warnings"} <= set(report)

    from logit.csv_loader import load_csv

    data = load_csv(str(petals))
    expected = train(data.X, data.y, TrainingSettings(learning_rate=0.5, max_iterations=300, l2=0.01,
                                                      standardize=True))
    np.testing.assert_allclose([report["w1"], report["w2"], report["b"]], expected.final_params_original,
                               rtol=1e-12)
    assert report["loss"] == pytest.approx(expected.loss[-1], rel=1e-12)
    assert report["accuracy"] == pytest.approx(expected.accuracy[-1])
    assert report["iterations"] == expected.iterations
    assert report["status"] == expected.status
    assert report["reason"] == expected.reason.message
    assert {report["positive"], report["negative"]} == {"versicolor", "virginica"}
    assert report["n"] == 100
    assert report["columns"] == {"x1": "petal_length", "x2": "petal_width", "label": "species"}
    assert report["standardized"] is True
    assert report["warnings"] == []


def test_train_picks_columns_and_positive_class(capsys, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("id,a,b,c,kind\n" + "".join(
        f"{i},{i % 7},{(i * 3) % 5},{i % 2},{'yes' if (i % 7) + (i * 3) % 5 > 5 else 'no'}\n" for i in range(40)))
    code, out, err = run(capsys, "train", path, "--x1", "a", "--x2", "b", "--label", "kind", "--positive", "no",
                         "--json", "--iterations", "5")
    assert code == 0, err
    report = strict_json(out)
    assert report["columns"] == {"x1": "a", "x2": "b", "label": "kind"}
    assert (report["positive"], report["negative"]) == ("no", "yes")
    assert report["iterations"] == 5


def test_train_reports_loader_notices(capsys, tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("x1,x2,y\n1,2,0\n2,,1\n3,1,1\n0,0,0\n4,1,1\n")
    code, out, err = run(capsys, "train", path, "--json", "--iterations", "3")
    assert code == 0, err
    report = strict_json(out)
    assert report["n"] == 4
    assert report["warnings"], report  # the dropped row is reported
    code, out, err = run(capsys, "train", path, "--iterations", "3")
    assert code == 0, err
    assert "Note:" in out
    assert report["warnings"][0].split()[0] in out


def test_trajectory_file_has_every_iteration(capsys, petals, tmp_path):
    out_path = tmp_path / "run.csv"
    code, out, err = run(capsys, "train", petals, "--standardize", "--iterations", "25", "--learning-rate", "0.3",
                         "--trajectory", out_path)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out_path.read_text())))
    assert tuple(rows[0]) == TRAJECTORY_COLUMNS == (
        "iteration", "w1", "w2", "b", "dw1", "dw2", "db", "loss", "accuracy")
    table = np.array(rows[1:], dtype=float)
    assert table.shape == (26, 9)  # K + 1 rows
    np.testing.assert_array_equal(table[:, 0], np.arange(26))

    from logit.csv_loader import load_csv

    data = load_csv(str(petals))
    expected = train(data.X, data.y, TrainingSettings(learning_rate=0.3, max_iterations=25, standardize=True))
    # weights in original units, gradients as used in training (standardised units), exactly
    np.testing.assert_array_equal(table[:, 1:4], expected.params_original)
    np.testing.assert_array_equal(table[:, 4:7], expected.gradients)
    np.testing.assert_array_equal(table[:, 7], expected.loss)
    np.testing.assert_array_equal(table[:, 8], expected.accuracy)


def test_zero_iterations_writes_one_row(capsys, petals, tmp_path):
    out_path = tmp_path / "run.csv"
    code, out, err = run(capsys, "train", petals, "--iterations", "0", "--json", "--trajectory", out_path)
    assert code == 0, err
    report = strict_json(out)
    assert report["iterations"] == 0
    assert report["loss"] == pytest.approx(np.log(2))
    assert len(out_path.read_text().splitlines()) == 2


def test_diverged_run_is_a_result_not_an_error(capsys, tmp_path):
    path = tmp_path / "big.csv"
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 2)) * 1000
    y = (X[:, 0] + X[:, 1] + rng.normal(size=60) * 300 > 0).astype(int)
    path.write_text("x1,x2,y\n" + "".join(f"{a},{b},{c}\n" for (a, b), c in zip(X, y)))
    code, out, err = run(capsys, "train", path, "--learning-rate", "10", "--json")
    assert code == 0, err
    report = strict_json(out)
    assert report["status"] == "diverged"
    assert "learning rate" in report["reason"]
    for key in ("w1", "w2", "b", "loss", "accuracy"):
        value = report[key]
        assert value is None or np.isfinite(value)
    code, out, err = run(capsys, "train", path, "--learning-rate", "10")
    assert code == 0 and err == ""
    assert "diverged" in out
    # a penalty so strong that the gradient's length overflows: still strict JSON (null where not finite)
    code, out, err = run(capsys, "train", "--dataset", "iris", "--l2", "1e308", "--json")
    assert code == 0, err
    report = strict_json(out)
    assert report["status"] == "diverged"
    for key in ("w1", "w2", "b", "loss", "accuracy", "gradient_norm"):
        assert report[key] is None or np.isfinite(report[key])


def test_init_and_mini_batches(capsys, petals):
    code, out, err = run(capsys, "train", petals, "--init", "-1", "0.5", "2", "--iterations", "0", "--json")
    assert code == 0, err
    assert [strict_json(out)[k] for k in ("w1", "w2", "b")] == [-1.0, 0.5, 2.0]
    code, out, err = run(capsys, "train", petals, "--batch-size", "10", "--seed", "3", "--iterations", "1e2",
                         "--standardize", "--json")
    assert code == 0, err
    report = strict_json(out)
    assert report["iterations"] == 100
    assert report["settings"]["batch_size"] == 10


def test_train_reads_standard_input(capsys, monkeypatch, petals):
    stdin = io.TextIOWrapper(io.BytesIO(petals.read_bytes()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, err = run(capsys, "train", "-", "--json", "--iterations", "10")
    assert code == 0, err
    report = strict_json(out)
    assert report["n"] == 100
    assert report["source"] == "standard input"


def test_train_on_a_named_data_set(capsys):
    from logit.bundled import BUNDLED
    from logit.generators import GENERATORS

    for name in [*sorted(GENERATORS)[:1], *sorted(BUNDLED)[:1]]:
        code, out, err = run(capsys, "train", "--dataset", name, "--iterations", "5", "--json")
        assert code == 0, (name, err)
        assert strict_json(out)["iterations"] == 5


# --- generate and datasets -----------------------------------------------------------


def test_generate_writes_csv_to_stdout_and_to_a_file(capsys, tmp_path):
    from logit.generators import GENERATORS

    kind = sorted(GENERATORS)[0]
    code, out, err = run(capsys, "generate", kind, "--n", "50", "--seed", "4")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "x1,x2,y"
    assert len(lines) == 51
    assert {line.rsplit(",", 1)[1] for line in lines[1:]} <= {"0", "1", "0.0", "1.0"}

    path = tmp_path / "gen.csv"
    code, out, err = run(capsys, "generate", kind, "--n", "50", "--seed", "4", "-o", path)
    assert code == 0 and out == "" and err == ""
    assert path.read_text().splitlines() == lines

    # and a generated file trains
    code, out, err = run(capsys, "train", path, "--json", "--iterations", "5")
    assert code == 0, err
    assert strict_json(out)["n"] == 50


def test_every_generator_generates(capsys):
    from logit.generators import GENERATORS

    for kind in GENERATORS:
        code, out, err = run(capsys, "generate", kind, "--n", "20", "--noise", "0.1")
        assert code == 0, (kind, err)
        assert out.splitlines()[0] == "x1,x2,y"


def test_datasets_lists_generators_and_bundled_sets(capsys):
    from logit.bundled import BUNDLED
    from logit.generators import GENERATORS

    code, out, err = run(capsys, "datasets")
    assert code == 0 and err == ""
    names = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert set(GENERATORS) <= names
    assert set(BUNDLED) <= names


# --- errors --------------------------------------------------------------------------


@pytest.fixture
def bad_files(tmp_path, petals) -> dict[str, Path]:
    files = {
        "empty": tmp_path / "empty.csv",
        "binary": tmp_path / "binary.csv",
        "header_only": tmp_path / "header.csv",
        "text": tmp_path / "text.csv",
        "one_class": tmp_path / "one_class.csv",
        "one_column": tmp_path / "one_column.csv",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 40)
    files["header_only"].write_text("x1,x2,y\n")
    files["text"].write_text("x1,x2,y\nabc,def,ghi\njkl,mno,pqr\n")
    files["one_class"].write_text("x1,x2,y\n1,2,1\n3,4,1\n5,6,1\n")
    files["one_column"].write_text("x\n1\n2\n3\n")
    return files


USAGE_ERRORS = [
    [],
    ["frobnicate"],
    ["train"],
    ["train", "{petals}", "--init", "1", "2"],
    ["train", "{petals}", "--init", "1", "2", "3", "4"],
    ["train", "{petals}", "--init", "a", "b", "c"],
    ["train", "{petals}", "--init", "nan", "0", "0"],
    ["train", "{petals}", "--learning-rate", "0"],
    ["train", "{petals}", "--learning-rate", "-0.1"],
    ["train", "{petals}", "--learning-rate", "nan"],
    ["train", "{petals}", "--learning-rate", "inf"],
    ["train", "{petals}", "--learning-rate", "abc"],
    ["train", "{petals}", "--learning-rate"],
    ["train", "{petals}", "--iterations", "-1"],
    ["train", "{petals}", "--iterations", "1.5"],
    ["train", "{petals}", "--iterations", "many"],
    ["train", "{petals}", "--batch-size", "0"],
    ["train", "{petals}", "--l2", "-1"],
    ["train", "{petals}", "--l2", "nan"],
    ["train", "{petals}", "--tolerance", "0"],
    ["train", "{petals}", "--seed", "-1"],
    ["train", "{petals}", "--no-such-option"],
    ["train", "{petals}", "extra.csv"],
    ["train", "{petals}", "--x1", "nope"],
    ["train", "{petals}", "--label", "nope"],
    ["train", "{petals}", "--positive", "setosa"],
    ["train", "{petals}", "--dataset", "whatever"],
    ["train", "{petals}", "--trajectory", "-"],
    ["train", "{petals}", "--trajectory", "{tmp}"],
    ["train", "{petals}", "--trajectory", "{tmp}/no/such/dir/run.csv"],
    ["train", "--dataset", "no-such-data-set"],
    ["train", "--dataset", "{first_generator}", "--x1", "a"],
    ["train", "{tmp}/missing.csv"],
    ["train", "{tmp}"],
    ["train", "{empty}"],
    ["train", "{binary}"],
    ["train", "{header_only}"],
    ["train", "{text}"],
    ["train", "{one_class}"],
    ["train", "{one_column}"],
    ["generate"],
    ["generate", "no-such-generator"],
    ["generate", "{first_generator}", "--n", "abc"],
    ["generate", "{first_generator}", "--noise", "nan"],
    ["generate", "{first_generator}", "--seed", "-3"],
    ["generate", "{first_generator}", "-o", "{tmp}"],
    ["generate", "{first_generator}", "-o", "{tmp}/no/such/dir/out.csv"],
    ["datasets", "extra"],
]


@pytest.mark.parametrize("argv", USAGE_ERRORS, ids=lambda argv: " ".join(argv) or "(nothing)")
def test_bad_input_is_one_error_line_and_exit_2(capsys, argv, bad_files, petals, tmp_path):
    from logit.generators import GENERATORS

    names = {**{k: str(v) for k, v in bad_files.items()}, "petals": str(petals), "tmp": str(tmp_path),
             "first_generator": sorted(GENERATORS)[0]}
    assert_usage_error(*run(capsys, *(a.format(**names) for a in argv)))


def test_unreadable_file_is_named_in_full(capsys, monkeypatch, tmp_path):
    path = tmp_path / ("a-rather-long-folder-name-" * 4) / "data.csv"
    path.parent.mkdir()
    path.write_text("x1,x2,y\n1,2,0\n2,1,1\n")

    def refuse(name, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(name))

    monkeypatch.setattr(cli, "open", refuse, raising=False)  # root may read any file: simulate
    line = assert_usage_error(*run(capsys, "train", path))
    assert line == f"error: cannot read '{path}': Permission denied"


def test_endless_first_line_on_standard_input(capsys, monkeypatch):
    from logit.csv_loader import MAX_LINE_BYTES

    stdin = io.TextIOWrapper(io.BytesIO(b"1" * (3 * MAX_LINE_BYTES)), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert_usage_error(*run(capsys, "train", "-"))
    assert len(stdin.buffer.read()) == 2 * MAX_LINE_BYTES - 1  # the rest was never read


def test_json_is_strict_for_non_finite_numbers():
    text = cli.to_json({"w1": float("nan"), "w2": np.float64("inf"), "b": -np.inf, "n": np.int64(3),
                        "ok": np.bool_(True), "list": (1.5, float("nan"))})
    assert strict_json(text) == {"w1": None, "w2": None, "b": None, "n": 3, "ok": True, "list": [1.5, None]}


def test_interrupt_exits_130_quietly(capsys, monkeypatch, petals):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "train", interrupted)
    assert run(capsys, "train", petals) == (130, "", "")


def test_broken_pipe_is_quiet(capsys, monkeypatch, petals):
    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    code = main(["train", str(petals), "--iterations", "2"])
    assert code == cli.EXIT_BROKEN_PIPE
    assert capsys.readouterr().err == ""


def test_an_unexpected_failure_is_one_line_too(capsys, monkeypatch, petals):
    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(cli, "train", broken)
    code, out, err = run(capsys, "train", petals)
    assert code == cli.EXIT_BUG
    assert err == "error: unexpected RuntimeError: boom second line (this is a bug in logit; please report it)\n"


def test_help_exits_0(capsys):
    code, out, err = run(capsys, "train", "--help")
    assert code == 0 and err == ""
    assert "original" in out and "iteration,w1,w2,b,dw1,dw2,db,loss,accuracy" in out.replace("\n", "")


# --- the real command ----------------------------------------------------------------


def test_subprocess_train_summary_and_json(petals):
    result = run_process("train", petals)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert b"w1 =" in result.stdout and b"Status:" in result.stdout

    result = run_process("train", "-", "--json", "--iterations", "50", stdin=petals.read_bytes())
    assert result.returncode == 0, result.stderr
    assert REQUIRED_JSON_KEYS <= set(strict_json(result.stdout.decode()))


def test_subprocess_usage_error_has_no_traceback(tmp_path):
    result = run_process("train", tmp_path / "missing.csv", "--init", "1", "2")
    assert_usage_error(result.returncode, result.stdout.decode(), result.stderr.decode())
    result = run_process("train", tmp_path / "missing.csv")
    line = assert_usage_error(result.returncode, result.stdout.decode(), result.stderr.decode())
    assert "missing.csv" in line


def test_subprocess_broken_pipe_is_quiet(petals):
    """Standard output closed before anything is written (like `| head` that has already quit)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "logit", "train", str(petals), "--iterations", "5"],
                                cwd=ROOT, stdin=subprocess.DEVNULL, stdout=write_end, stderr=subprocess.PIPE,
                                timeout=120)
    finally:
        os.close(write_end)
    assert result.returncode == cli.EXIT_BROKEN_PIPE
    assert result.stderr == b""


def test_subprocess_agrees_with_scikit_learn(tmp_path, petals):
    """Long enough standardised descent reaches the unregularised optimum's mean loss."""
    from sklearn.linear_model import LogisticRegression
    result = run_process("train", petals, "--standardize", "--learning-rate", "1", "--iterations", "20000",
                         "--json")
    assert result.returncode == 0, result.stderr
    report = strict_json(result.stdout.decode())
    assert report["status"] == "converged"

    X, species = _versicolor_virginica()
    y = np.array([s == report["positive"] for s in species], dtype=float)
    model = LogisticRegression(C=np.inf, max_iter=10_000, tol=1e-12).fit(X, y)
    z = X @ model.coef_[0] + model.intercept_[0]
    optimum = float(np.mean(np.logaddexp(0.0, (1.0 - 2.0 * y) * z)))
    assert report["loss"] == pytest.approx(optimum, abs=1e-4)
    # and the parameters themselves are close (the optimum is flat, so loosely)
    np.testing.assert_allclose([report["w1"], report["w2"], report["b"]],
                               [*model.coef_[0], model.intercept_[0]], rtol=1e-3)


# --- the corpus of malformed files ---------------------------------------------------


def corpus_files() -> list[Path]:
    if not DATA_DIR.is_dir():
        return []
    return sorted(p for p in DATA_DIR.rglob("*")
                  if p.is_file() and p.name.lower() not in NOT_DATA and not p.name.startswith(".")
                  and not p.name.lower().startswith("readme"))


CORPUS = corpus_files()


@pytest.fixture(scope="module")
def corpus_results() -> dict[Path, subprocess.CompletedProcess]:
    """Every corpus file through the real command, a few processes at a time."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        results = pool.map(lambda p: run_process("train", p, "--iterations", "50", timeout=300), CORPUS)
        return dict(zip(CORPUS, results))


def _check_outcome(code: int, out: str, err: str, as_json: bool = False) -> None:
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err and "Traceback" not in out
    if code == 2:
        assert_usage_error(code, out, err)
    else:
        assert err == "", err
        if as_json:
            assert REQUIRED_JSON_KEYS <= set(strict_json(out))
        else:
            assert "Status:" in out


@pytest.mark.skipif(not CORPUS, reason="no corpus in tests/data/")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(DATA_DIR)))
def test_corpus_file_subprocess(path, corpus_results):
    result = corpus_results[path]
    _check_outcome(result.returncode, result.stdout.decode("utf-8", "replace"),
                   result.stderr.decode("utf-8", "replace"))


@pytest.mark.skipif(not CORPUS, reason="no corpus in tests/data/")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(DATA_DIR)))
def test_corpus_file_in_process(capsys, path):
    """Also in-process, where every warning is an error: a file must not make the core warn."""
    _check_outcome(*run(capsys, "train", path, "--iterations", "50", "--json"), as_json=True)
