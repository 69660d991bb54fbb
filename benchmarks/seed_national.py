"""Time `seed_demo --scale national` against the 5-minute goal of the foundation issue.

Run from the project root with the project's venv: `python benchmarks/seed_national.py`.
Migrates a throw-away SQLite database once, then seeds a fresh copy of it several times
and reports the median wall time and the peak memory of the seeding process.
"""

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 300.0  # the anchor: national scale in under 5 minutes
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def manage(*args: str, database: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="siimop-bench-"))
    try:
        template = workdir / "migrated.sqlite3"
        manage("migrate", "--noinput", database=template)
        timings, counts = [], ""
        for run in range(RUNS):
            database = workdir / f"run{run}.sqlite3"
            shutil.copy(template, database)
            started = time.perf_counter()
            result = manage(
                "seed_demo", "--scale", "national", "--seed", "2026", database=database
            )
            timings.append(time.perf_counter() - started)
            counts = result.stdout
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    median = statistics.median(timings)
    print("seed_demo --scale national (SQLite), what it wrote:")
    print("\n".join(line for line in counts.splitlines()[:8]))
    print()
    print(f"{'measure':<34}{'figure':>12}{'goal':>12}{'ratio':>10}")
    print(
        f"{'wall time, median of ' + str(RUNS) + ' (s)':<34}{median:>12.1f}"
        f"{GOAL_SECONDS:>12.0f}{median / GOAL_SECONDS:>10.2f}"
    )
    print(
        f"{'peak RSS of the seeding process (MB)':<34}{peak_mb:>12.0f}{'—':>12}{'—':>10}"
    )
    print(f"runs (s): {', '.join(f'{t:.1f}' for t in timings)}")
    if median <= GOAL_SECONDS:
        print(
            f"RESULT: PASS national seed in {median:.1f} s "
            f"({median / GOAL_SECONDS:.0%} of the 5-minute goal)"
        )
        return 0
    print(f"RESULT: FAIL national seed took {median:.1f} s, goal {GOAL_SECONDS:.0f} s")
    return 1


if __name__ == "__main__":
    sys.exit(main())
