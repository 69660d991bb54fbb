"""What the benchmarks share: throw-away databases, Django set-up, timings, the table
and the RESULT line.

Environment (every benchmark):
- BENCH_SMOKE=1 (or `--smoke`): tiny data (`seed_demo --scale small`, small counts), one
  repetition, goals not judged: the table is printed and the last line is
  `RESULT: SMOKE ok`; an exception still exits non-zero.
- BENCH_RUNS: repetitions of each timing (medians); BENCH_DB=path: reuse a database
  seeded with `seed_demo --scale national` (full runs only; a smoke run never does).
- BENCH_CACHE=folder: the migrated and the seeded databases are made once in it and
  copied by every benchmark of the run (`make bench` and `make bench-smoke` create it
  and remove it afterwards); without it each benchmark makes its own.
Each process works in its own temporary folder (database copy, media, progress cache),
removed when it exits: nothing is written into the tree's db.sqlite3 or media/.
"""

import atexit
import functools
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMOKE = os.environ.get("BENCH_SMOKE", "") not in ("", "0") or "--smoke" in sys.argv
SCALE = "small" if SMOKE else "national"


def sized(full, smoke):
    """The full run's count, or the smoke run's."""
    return smoke if SMOKE else full


def runs(default: int) -> int:
    """Repetitions of a timing: BENCH_RUNS, or `default`; once in a smoke run."""
    return 1 if SMOKE else int(os.environ.get("BENCH_RUNS", str(default)))


@functools.cache
def workdir() -> Path:
    """This process's temporary folder, removed when it exits."""
    folder = Path(tempfile.mkdtemp(prefix="siimop-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def django_env(database: Path) -> dict[str, str]:
    """Variables pointing Django at `database` and this process's temporary folder."""
    return {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_MEDIA_ROOT": str(workdir() / "media"),
        "SIIMOP_PROGRESS_CACHE": str(workdir() / "progress"),
    }


def child_env(database: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, **django_env(database), **extra}


def manage(*args: str, database: Path) -> subprocess.CompletedProcess:
    """`manage.py <args>` on `database` in a child process; its output if it fails."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=child_env(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        )
    return done


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database, its write-ahead log included."""
    with (
        closing(sqlite3.connect(source)) as origin,
        closing(sqlite3.connect(target)) as copy,
    ):
        origin.backup(copy)


def _cache() -> Path:
    cache = os.environ.get("BENCH_CACHE")
    return Path(cache) if cache else workdir()


def _publish(database: Path, path: Path) -> None:
    """Copy `database` to `path` in one step: a half-written template is never seen."""
    partial = Path(tempfile.mkdtemp(prefix="partial-", dir=path.parent))
    try:
        copy_database(database, partial / path.name)
        os.replace(partial / path.name, path)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def template(kind: str) -> Path:
    """A database made once per BENCH_CACHE folder (or per process without one), to be
    copied, never used: "migrated", or seeded at a `seed_demo` scale ("small",
    "national")."""
    path = _cache() / f"{kind}.sqlite3"
    if path.exists():
        return path
    building = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=path.parent))
    try:
        database = building / "db.sqlite3"
        if kind == "migrated":
            manage("migrate", "--noinput", database=database)
        else:
            copy_database(template("migrated"), database)
            manage("seed_demo", "--scale", kind, database=database)
        _publish(database, path)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return path


def offer_template(kind: str, database: Path) -> None:
    """Keep `database`, just seeded at scale `kind` with the default seed, as that
    template for the next benchmarks of the run, if it has none yet."""
    path = _cache() / f"{kind}.sqlite3"
    if os.environ.get("BENCH_CACHE") and not path.exists():
        _publish(database, path)


def prepare_database() -> Path:
    """A throw-away copy of the seeded database (national, or small in a smoke run);
    BENCH_DB as it is in a full run."""
    if os.environ.get("BENCH_DB") and not SMOKE:
        return Path(os.environ["BENCH_DB"])
    database = workdir() / "db.sqlite3"
    copy_database(template(SCALE), database)
    return database


def setup_django(database: Path) -> None:
    os.environ.update(django_env(database))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log: measure what production would run


def median_ms(client, url: str, repeat: int | None = None) -> float:
    """Median time of GET `url` in ms, after a warm-up that checks the page works."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs(7) if repeat is None else repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def query_count(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def client_for(user):
    """A client signed in as `user` (no second factor: for roles that need none)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@functools.cache
def signed_in(username: str):
    """A client signed in with her second factor passed (national roles require one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from domains.people.models import User

    user = User.objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Banc d'essai", defaults={"confirmed": True}
    )
    client = client_for(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["siimop_totp_enabled"] = True
    session.save()
    return client


class Table:
    """Prints a table row by row; `miss` marks a row that misses its goal and keeps
    the reason for the RESULT line (not in a smoke run: tiny data judge nothing)."""

    def __init__(self, *columns: tuple[str, int, str]) -> None:
        """Columns: (title, width, format of its numbers); the first is left-aligned."""
        self.columns = columns
        self.misses: list[str] = []
        print(self._line([title for title, _width, _format in columns]))

    def _line(self, cells) -> str:
        text = ""
        for index, (cell, (_title, width, number)) in enumerate(
            zip(cells, self.columns, strict=True)
        ):
            if isinstance(cell, str):
                value = cell
            else:
                value = format(cell, number)
            text += f"{value:<{width}}" if index == 0 else f"{value:>{width}}"
        return text

    def row(self, *cells, miss: str = "") -> None:
        print(self._line(cells) + ("  MISS" if miss and not SMOKE else ""))
        if miss:
            self.misses.append(miss)


def finish(misses: list[str], passed: str) -> int:
    """The RESULT line and the exit code; a smoke run judges no goal."""
    if SMOKE:
        print("RESULT: SMOKE ok, ran to the end on tiny data, goals not judged")
        return 0
    if misses:
        print("RESULT: FAIL " + "; ".join(misses))
        return 1
    print("RESULT: PASS " + passed)
    return 0
