"""`python -m domains.matching solve INSTANCE.json [--exact] [--time-limit S]`.

Prints the result JSON on stdout; what was checked and how long it took on stderr.
Runs without Django: the algorithm is pure.
"""

import argparse
import json
import sys
import time

from .algorithm import Compiled, InstanceError, check, gc_paused, load_instance, solve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m domains.matching")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("solve", help="calcule l'appariement d'une instance JSON")
    run.add_argument(
        "instance", help="fichier INSTANCE.json (« - » pour l'entrée standard)"
    )
    run.add_argument(
        "--exact",
        action="store_true",
        help="maximum prouvé par programme linéaire en nombres entiers (HiGHS)",
    )
    run.add_argument(
        "--time-limit", type=float, default=60.0, help="secondes (--exact)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with gc_paused():
        return _run(args, started)


def _run(args: argparse.Namespace, started: float) -> int:
    try:
        if args.instance == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.instance, encoding="utf-8") as handle:
                data = json.load(handle)
        instance = load_instance(data)
    except (OSError, ValueError) as error:  # JSONDecodeError and InstanceError too
        kind = "Instance invalide" if isinstance(error, InstanceError) else "Lecture"
        print(f"{kind} : {error}", file=sys.stderr)
        return 2
    if args.exact:
        from .exact import solve_exact

        result = solve_exact(instance, time_limit=args.time_limit)
    else:
        compiled = Compiled(instance)
        result = solve(instance, compiled=compiled)
    problems = check(instance, result, compiled=None if args.exact else compiled)
    # One write: json.dump would write each of the many small chunks.
    sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
    elapsed = time.perf_counter() - started
    print(
        f"{result.algorithm}: {result.matched} affectés, {len(result.unassigned)} non "
        f"affectés, optimal={result.optimal}, {elapsed:.3f} s; "
        + (
            "vérifié : stable, capacités et acceptabilité respectées"
            if not problems
            else f"ÉCHEC DE VÉRIFICATION : {problems[:5]}"
        ),
        file=sys.stderr,
    )
    for note in result.notes:
        print(note, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
