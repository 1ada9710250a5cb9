"""Time of one full-batch training iteration, against a hand-written step and memory bandwidth.

Not a test. Run it as

    python benchmarks/core.py [--repeats 5] [--quick]

For N = 1e3, 1e4, 1e5, 1e6 points it times, in the same run and interleaved repeat by repeat:

* logit: ``logit.train`` with the full batch for K iterations (the tolerance is set so low
  that it never stops early); per iteration = total / K, so the per-run set-up (validation,
  copying the data into the evaluator) is included, spread over K;
* the evaluator alone: ``FullDataEvaluator(X, y)(params)`` (built once, outside the timer);
* the hand-written step (:func:`hand_step`): what a person writes to train and record loss
  and accuracy every iteration, K iterations per repeat.

Each time is the median over the repeats. The bandwidth limit is the time to stream the
bytes one iteration must read, 24 bytes per point (x1, x2 and y as float64), at the
machine's sustained read bandwidth, measured here on a 1 GiB array (see
:func:`read_bandwidth`). It prints a description of the machine and a Markdown table.
Goals: logit ≤ 1.1× the hand step at every N, and ≤ 4× the bandwidth limit at N = 1e6.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from logit import TrainingSettings, train  # noqa: E402
from logit.evaluation import FullDataEvaluator  # noqa: E402

SIZES = (1_000, 10_000, 100_000, 1_000_000)
# Iterations per repeat: enough that one repeat of the hand step takes ~0.1–2 s and that
# train()'s per-run set-up is a small share of logit's per-iteration time.
ITERATIONS = {1_000: 4_000, 10_000: 1_500, 100_000: 300, 1_000_000: 100}
BYTES_PER_POINT = 24  # x1, x2 and y, float64 each: what a step must read at least once
LEARNING_RATE = 0.1
RATIO_GOAL = 1.1
BANDWIDTH_GOAL = 4.0


def hand_step(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, a: float) -> tuple[float, float, float]:
    """One plain gradient-descent step that records the loss and accuracy first.

    Updates ``w`` in place and returns (loss, accuracy, new b).
    """
    n = len(y)
    with np.errstate(over="ignore"):
        z = X @ w + b
        p = 1 / (1 + np.exp(-z))
        loss = np.mean(np.logaddexp(0, z) - y * z)
        acc = np.mean((z >= 0) == y)
        r = p - y
        gw = X.T @ r / n
        gb = r.mean()
        w -= a * gw
        b -= a * gb
    return float(loss), float(acc), b


def time_hand(X: np.ndarray, y: np.ndarray, iterations: int) -> float:
    """Seconds per iteration of :func:`hand_step`, recording loss and accuracy each time."""
    w, b = np.zeros(2), 0.0
    losses, accuracies = [], []
    start = time.perf_counter()
    for _ in range(iterations):
        loss, acc, b = hand_step(X, y, w, b, LEARNING_RATE)
        losses.append(loss)
        accuracies.append(acc)
    return (time.perf_counter() - start) / iterations


def time_logit(X: np.ndarray, y: np.ndarray, iterations: int) -> float:
    """Seconds per iteration of ``logit.train`` (full batch, never converging early)."""
    settings = TrainingSettings(learning_rate=LEARNING_RATE, max_iterations=iterations, tolerance=1e-300)
    start = time.perf_counter()
    run = train(X, y, settings)
    elapsed = time.perf_counter() - start
    if run.iterations != iterations:
        raise RuntimeError(f"training stopped after {run.iterations} of {iterations} iterations")
    return elapsed / iterations


def time_evaluator(evaluate: FullDataEvaluator, iterations: int) -> float:
    """Seconds per call of the evaluator at a fixed, typical parameter vector."""
    params = np.array([1.0, 0.5, -0.2])
    start = time.perf_counter()
    for _ in range(iterations):
        evaluate(params)
    return (time.perf_counter() - start) / iterations


def read_bandwidth(repeats: int = 5) -> tuple[float, dict[str, float]]:
    """Sustained read bandwidth in bytes/s: the best of several memory-bound reductions.

    A 1 GiB float64 array (far larger than any cache) is reduced with ``ndarray.sum`` and
    with ``np.dot(block, block)`` over 2 MiB blocks (BLAS ddot, which reads each block once
    and may run on OpenBLAS's own threads), from 1 Python thread and from 2 taking half
    the array each; best of ``repeats``. Returns the highest figure and all of them.
    """
    data = np.ones(1 << 27)
    block = 1 << 18

    def summed(part: np.ndarray) -> None:
        part.sum()

    def dotted(part: np.ndarray) -> None:
        for start in range(0, len(part), block):
            piece = part[start : start + block]
            np.dot(piece, piece)

    def run(kernel, threads: int) -> float:
        parts = np.array_split(data, threads)
        best = float("inf")
        for _ in range(repeats):
            workers = [threading.Thread(target=kernel, args=(part,)) for part in parts]
            start = time.perf_counter()
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            best = min(best, time.perf_counter() - start)
        return data.nbytes / best

    threads = [1, 2] if (os.cpu_count() or 1) > 1 else [1]
    figures = {
        f"{name}, {t} thread{'s' if t > 1 else ''}": run(kernel, t)
        for name, kernel in (("sum", summed), ("dot of 2 MiB blocks", dotted))
        for t in threads
    }
    return max(figures.values()), figures


def machine() -> str:
    """Cores, CPU model (from /proc/cpuinfo), numpy and Python versions."""
    info = {}
    try:
        with open("/proc/cpuinfo") as lines:
            for line in lines:
                key, _, value = line.partition(":")
                if not line.strip():
                    break  # the first processor is enough
                info[key.strip()] = value.strip()
    except OSError:
        pass
    model = info.get("model name") or platform.processor() or "unknown CPU"
    details = [f"{k} {info[k]}" for k in ("cpu family", "model", "cpu MHz", "cache size") if k in info]
    if details:
        model += f" ({', '.join(details)})"
    return (
        f"{os.cpu_count()} cores, {model}; numpy {np.__version__}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}"
    )


def dataset(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two overlapping classes: y = 1 where x1 + 0.5·x2 + noise > 0."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(size=n) > 0).astype(float)
    return X, y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats per size (median taken)")
    parser.add_argument("--quick", action="store_true", help="a tenth of the iterations, 3 repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else args.repeats
    scale = 10 if args.quick else 1

    print(f"Machine: {machine()}")
    print(f"Load average (1 min) at the start: {os.getloadavg()[0]:.2f}")
    bandwidth, figures = read_bandwidth()
    for name, value in figures.items():
        print(f"  read bandwidth, {name}: {value / 1e9:.1f} GB/s")
    print(f"Bandwidth used for the limit: {bandwidth / 1e9:.1f} GB/s (the highest)\n")

    rows = []
    for n in SIZES:
        X, y = dataset(n)
        iterations = max(10, ITERATIONS[n] // scale)
        evaluate = FullDataEvaluator(X, y)
        time_logit(X, y, min(iterations, 20))  # warm-up
        time_hand(X, y, min(iterations, 20))
        time_evaluator(evaluate, min(iterations, 20))
        logit_times, eval_times, hand_times = [], [], []
        for _ in range(repeats):
            logit_times.append(time_logit(X, y, iterations))
            eval_times.append(time_evaluator(evaluate, iterations))
            hand_times.append(time_hand(X, y, iterations))
        evaluate.close()
        logit_t, eval_t, hand_t = (statistics.median(t) for t in (logit_times, eval_times, hand_times))
        limit = BYTES_PER_POINT * n / bandwidth
        rows.append((n, iterations, logit_t, eval_t, hand_t, limit))
        print(f"N = {n:>9,}: logit {logit_t * 1e3:.3f} ms, evaluator {eval_t * 1e3:.3f} ms, "
              f"hand step {hand_t * 1e3:.3f} ms", flush=True)

    print()
    print("| N | iterations × repeats | logit.train per iteration | evaluator alone | hand-written step "
          "| logit / hand | bandwidth limit | logit / limit |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, iterations, logit_t, eval_t, hand_t, limit in rows:
        print(f"| {n:,} | {iterations} × {repeats} | {ms(logit_t)} | {ms(eval_t)} | {ms(hand_t)} "
              f"| {logit_t / hand_t:.2f}× | {ms(limit)} | {logit_t / limit:.1f}× |")
    print(f"\nLoad average (1 min) at the end: {os.getloadavg()[0]:.2f}")
    worst = max(logit_t / hand_t for _, _, logit_t, _, hand_t, _ in rows)
    n, _, logit_t, _, _, limit = rows[-1]
    print(f"Goal 1, logit ≤ {RATIO_GOAL}× the hand step at every N: "
          f"{'met' if worst <= RATIO_GOAL else 'NOT met'} (worst {worst:.2f}×)")
    print(f"Goal 2, logit ≤ {BANDWIDTH_GOAL:g}× the bandwidth limit at N = {n:,}: "
          f"{'met' if logit_t <= BANDWIDTH_GOAL * limit else 'NOT met'} ({logit_t / limit:.1f}×)")


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms"


if __name__ == "__main__":
    main()
