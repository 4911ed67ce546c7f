"""How fast `newsingest add` stops on Ctrl-C, and what it prints.

Starts `add` over a corpus folder (with two workers, in a new process group, as a terminal
runs it), sends SIGINT to the whole group after a delay (while Python starts, while the models
load, while articles are processed), and measures the time from the signal to the exit of the
command, with its exit status and the number of lines it printed on stderr. Prints the median
and the slowest of the runs at each delay.

    python benchmarks/bench_interrupt.py                          # ../shared/corpus, 5 runs
    python benchmarks/bench_interrupt.py --corpus DIR --runs 9 --delays 0.2,1,2,4
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def interrupt_once(corpus: Path, delay: float, scratch: Path) -> tuple[float, int, list[str]]:
    """Seconds from SIGINT to exit, exit status, stderr lines of one interrupted import."""
    db = scratch / f"interrupt-{time.monotonic_ns()}.db"
    script = shutil.which("newsingest", path=os.path.dirname(sys.executable)) or "newsingest"
    process = subprocess.Popen(
        [script, "add", str(corpus), "--db", str(db), "--workers", "2", "--commit-every", "100"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # As a terminal starts it: a background shell job would inherit SIGINT ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(delay)
    if process.poll() is not None:
        raise SystemExit(f"the import ended within {delay} s: use a larger corpus")
    sent = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    return time.monotonic() - sent, process.returncode, err.splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--delays", default="0.2,1,2,3,5,8", help="seconds after the start")
    args = parser.parse_args()
    delays = [float(d) for d in args.delays.split(",")]
    print(f"corpus {args.corpus}, {args.runs} runs per delay, SIGINT to the process group")
    print(f"{'delay s':>8} {'median s':>9} {'slowest s':>10}  statuses  stderr lines")
    with tempfile.TemporaryDirectory() as scratch:
        for delay in delays:
            results = [interrupt_once(args.corpus, delay, Path(scratch)) for _ in range(args.runs)]
            seconds = [r[0] for r in results]
            statuses = sorted({r[1] for r in results})
            lines = sorted({len(r[2]) for r in results})
            print(
                f"{delay:>8.2f} {statistics.median(seconds):>9.3f} {max(seconds):>10.3f}  "
                f"{statuses}  {lines}"
            )
            for _, _, err in results:
                if len(err) != 1:
                    print("    " + "\n    ".join(err))


if __name__ == "__main__":
    main()
