"""The benchmarks are modules of one package, and importing them hides no installed
package: `benchmarks/helpdesk.py`, run as a script, once hid django-helpdesk and
`make bench` failed at start-up."""

import json
import pkgutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import benchmarks

ROOT = Path(__file__).resolve().parent.parent
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"]).resolve()


def benchmark_modules() -> list[str]:
    return sorted(module.name for module in pkgutil.iter_modules(benchmarks.__path__))


def test_every_benchmark_is_a_module_of_the_benchmarks_package():
    names = benchmark_modules()
    assert {
        "accreditation",
        "assistance",
        "cockpit",
        "common",
        "imports",
        "matching",
        "residents",
        "seed_national",
    } <= set(names)
    assert "helpdesk" not in names


def test_importing_every_benchmark_leaves_the_installed_packages_found():
    # A fresh interpreter started from the project root, as `python -m benchmarks.x`
    # is: nothing is imported yet, so a benchmark that put its folder on sys.path
    # would hand back its own file for `import helpdesk` or `import matching`.
    code = "\n".join(
        [
            "import importlib, json, sys",
            f"for name in {benchmark_modules()!r}:",
            "    importlib.import_module('benchmarks.' + name)",
            "import helpdesk, matching",
            "print(json.dumps({'helpdesk': helpdesk.__file__,",
            "    'matching': matching.__file__, 'path': sys.path}))",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    for package in ("helpdesk", "matching"):
        assert Path(found[package]).resolve().is_relative_to(SITE_PACKAGES), found
    benchmarks_dir = ROOT / "benchmarks"
    assert all((ROOT / entry).resolve() != benchmarks_dir for entry in found["path"])
