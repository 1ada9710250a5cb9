"""Every benchmark, one after the other, with their tables (not a test; under 10 minutes on 2 cores).

    python benchmarks/run_all.py [--full]

1. the core: one full-batch iteration against a hand-written numpy step (``core.py --quick``);
2. the browser: Step, a what-if α, Play, and 100,000 / 1,000,000-row uploads (``browser.py``);
3. the server under a room: 30 sessions stepping once a second (``load.py``, 30 s; 60 s with --full).

Each script starts what it needs (its own app server, a headless Chromium) and stops it.
The machine should be otherwise idle: the numbers are medians, but two cores are easily shared.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(title: str, script: str, *args: str) -> int:
    print(f"\n## {title}\n\n$ python benchmarks/{script} {' '.join(args)}".rstrip(), flush=True)
    start = time.monotonic()
    result = subprocess.run([sys.executable, str(HERE / script), *args], cwd=HERE.parent)
    print(f"({script}: {time.monotonic() - start:.0f} s, exit {result.returncode})", flush=True)
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="the longer runs (core with 5 repeats, load for 60 s)")
    args = parser.parse_args(argv)
    print(f"# logit benchmarks · {time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} CPUs · "
          f"load average {os.getloadavg()[0]:.1f}")
    failures = 0
    failures += run("Core", "core.py", *([] if args.full else ["--quick"])) != 0
    failures += run("Browser", "browser.py", "--repeat", "20" if args.full else "12") != 0
    failures += run("Server under a room", "load.py", "--seconds", "60" if args.full else "30") != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
