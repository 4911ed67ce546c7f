"""Start-up cost of the everyday commands: `newsingest --help`, `status` and `query`, against a
bare `python -c pass`, as medians of repeated runs (wall time and CPU time of the process; on a
busy machine CPU time is the steadier figure).

    python benchmarks/bench_startup.py corpus.db --runs 15
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def measure(command: list[str], env: dict, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``runs`` runs of a command."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="a corpus database made by `newsingest add`")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    script = shutil.which("newsingest") or "newsingest"
    env = {**os.environ, "NEWSINGEST_DB": str(args.db)}
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "newsingest --help": [script, "--help"],
        "newsingest status": [script, "status"],
        "newsingest query serang": [script, "query", "serang"],
        "newsingest query serang --format json": [script, "query", "serang", "--format", "json"],
    }
    results = {name: measure(command, env, args.runs) for name, command in commands.items()}
    base_wall, base_cpu = results["python -c pass"]
    print(f"{'command':<40} {'wall ms':>8} {'+ bare':>7} {'CPU ms':>7} {'+ bare':>7}")
    for name, (wall, cpu) in results.items():
        print(
            f"{name:<40} {wall * 1000:>8.0f} {(wall - base_wall) * 1000:>+7.0f} "
            f"{cpu * 1000:>7.0f} {(cpu - base_cpu) * 1000:>+7.0f}"
        )


if __name__ == "__main__":
    main()
