"""Cockpit lists and export at national scale, side by side with the Django admin.

Run from the project root with the project's venv: `python benchmarks/cockpit.py`.
Seeds `seed_demo --scale national` into a throw-away SQLite database (or reuses the one
named by BENCH_DB), then, in one process, times each of the five cockpit lists,
unfiltered and with a typical filter + sort, against the Django admin changelist of the
same model with the same filter (the anchor). Then exports every training site of France
to XLSX in a separate process, to read its time and peak memory.

Goals (issue "The cockpit"): each median < 300 ms and ≤ the admin's (ratio ≤ 1.0);
the export under 15 s and 300 MB.
"""

import json
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
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
LIST_GOAL_MS = 300.0
EXPORT_GOAL_S = 15.0
EXPORT_GOAL_MB = 300.0


def prepare_database() -> Path:
    if os.environ.get("BENCH_DB"):
        return Path(os.environ["BENCH_DB"])
    database = Path(tempfile.mkdtemp(prefix="siimop-bench-")) / "national.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    for command in (["migrate", "--noinput"], ["seed_demo", "--scale", "national"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    return database


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log: measure what production would run


def median_ms(client, url: str) -> float:
    response = client.get(url)  # warm-up, and a check that the page works
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(RUNS):
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


def cases() -> list[tuple[str, str, str]]:
    """(case, cockpit URL, admin URL with the same filter and sort)."""
    from domains.referential.models import Phase, Subdivision
    from domains.referential.selectors import current_semester

    lyon = Subdivision.objects.get(code="LYON").pk
    semester = current_semester().pk
    socle = Phase.objects.get(code="socle").pk
    a = "/django-admin"
    return [
        (
            "Établissements",
            "/cockpit/etablissements/",
            f"{a}/referential/establishment/",
        ),
        (
            "Établissements à corriger, par nom",
            "/cockpit/etablissements/?data_quality=to_fix&sort=name",
            f"{a}/referential/establishment/?data_quality__exact=to_fix&o=1",
        ),
        (
            "Terrains de stage",
            "/cockpit/terrains-de-stage/",
            f"{a}/referential/trainingsite/",
        ),
        (
            "Terrains de Lyon, par nom",
            f"/cockpit/terrains-de-stage/?subdivision={lyon}&sort=name",
            f"{a}/referential/trainingsite/?subdivision__id__exact={lyon}&o=1",
        ),
        ("Agréments", "/cockpit/agrements/", f"{a}/referential/accreditation/"),
        (
            "Agréments accordés, par fin",
            "/cockpit/agrements/?state=granted&sort=-end_date",
            f"{a}/referential/accreditation/?state__exact=granted&o=-6",
        ),
        (
            "Postes (semestre en cours)",
            f"/cockpit/postes/?semester={semester}",
            f"{a}/referential/post/?semester__id__exact={semester}",
        ),
        (
            "Postes socle, par spécialité",
            f"/cockpit/postes/?semester={semester}&phase={socle}&sort=specialty",
            f"{a}/referential/post/?semester__id__exact={semester}&phase__id__exact={socle}&o=2",
        ),
        ("Personnes", "/cockpit/personnes/", f"{a}/people/person/"),
        (
            "Personnes « martin », par nom",
            "/cockpit/personnes/?q=martin&sort=last_name",
            f"{a}/people/person/?q=martin&o=1",
        ),
    ]


def signed_in(username: str):
    """A client signed in with her second factor passed (national roles require one)."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from domains.people.models import User

    user = User.objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Banc d'essai", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["siimop_totp_enabled"] = True
    session.save()
    return client


def measure_lists() -> list[dict]:
    national = signed_in("dgos@demo.siimop.fr")
    admin = signed_in("admin@demo.siimop.fr")
    results = []
    for label, ours, anchor in cases():
        mine, theirs = median_ms(national, ours), median_ms(admin, anchor)
        results.append({"case": label, "ms": mine, "admin_ms": theirs})
    return results


def export_child(database: str) -> None:
    """Runs in its own process: export every training site to XLSX, print time and RSS."""
    setup_django(Path(database))
    from domains.referential.models import TrainingSite

    client = signed_in("dgos@demo.siimop.fr")
    started = time.perf_counter()
    response = client.get("/cockpit/terrains-de-stage/export/xlsx/")
    size = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "peak_mb": peak_mb,
                "bytes": size,
                "rows": TrainingSite.objects.count(),
            }
        )
    )


def measure_export(database: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--export-child", str(database)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    database = prepare_database()
    try:
        setup_django(database)
        lists = measure_lists()
        export = measure_export(database)
    finally:
        if not os.environ.get("BENCH_DB"):
            shutil.rmtree(database.parent, ignore_errors=True)

    print(
        f"Cockpit at national scale (SQLite), median of {RUNS} requests, national user;"
    )
    print(
        "anchor: the Django admin changelist of the same model, same filter, same run.\n"
    )
    print(f"{'list':<38}{'cockpit ms':>11}{'admin ms':>10}{'ratio':>7}{'goal':>14}")
    misses = []
    for row in lists:
        ratio = row["ms"] / row["admin_ms"]
        ok = row["ms"] < LIST_GOAL_MS and ratio <= 1.0
        if not ok:
            misses.append(f"{row['case']} ({row['ms']:.0f} ms, ratio {ratio:.2f})")
        print(
            f"{row['case']:<38}{row['ms']:>11.1f}{row['admin_ms']:>10.1f}{ratio:>7.2f}"
            f"{'<300, ≤1.0':>14}{'' if ok else '  MISS'}"
        )
    print()
    print(
        f"XLSX export of {export['rows']} training sites: {export['seconds']:.1f} s "
        f"(goal < {EXPORT_GOAL_S:.0f} s, ratio {export['seconds'] / EXPORT_GOAL_S:.2f}), "
        f"peak RSS {export['peak_mb']:.0f} MB (goal < {EXPORT_GOAL_MB:.0f} MB, ratio "
        f"{export['peak_mb'] / EXPORT_GOAL_MB:.2f}), file {export['bytes'] / 1e6:.1f} MB"
    )
    if export["seconds"] >= EXPORT_GOAL_S:
        misses.append(f"export {export['seconds']:.1f} s")
    if export["peak_mb"] >= EXPORT_GOAL_MB:
        misses.append(f"export {export['peak_mb']:.0f} MB")
    if misses:
        print("RESULT: FAIL " + "; ".join(misses))
        return 1
    slowest = max(lists, key=lambda r: r["ms"])
    print(
        f"RESULT: PASS 10 lists ≤ admin and < 300 ms (slowest {slowest['ms']:.0f} ms, "
        f"{slowest['case']}); export {export['seconds']:.1f} s, {export['peak_mb']:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--export-child":
        export_child(sys.argv[2])
        sys.exit(0)
    sys.exit(main())
