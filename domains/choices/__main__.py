"""`python -m domains.choices call-list INSTANCE.json`: the call-list ordering, without
Django. Prints {"order": [...], "why": {...}}; bad input exits with code 2 and a
message naming the resident."""

import argparse
import json
import sys

from .call_list import CallListError, load, order


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m domains.choices")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("call-list", help="ordonne une liste d'appel (JSON)")
    run.add_argument("instance", help="fichier INSTANCE.json (« - » : entrée standard)")
    args = parser.parse_args(argv)
    try:
        if args.instance == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.instance, encoding="utf-8") as handle:
                data = json.load(handle)
        result = order(*load(data))
    except (OSError, ValueError) as error:  # JSONDecodeError, CallListError
        kind = "Instance invalide" if isinstance(error, CallListError) else "Lecture"
        print(f"{kind} : {error}", file=sys.stderr)
        return 2
    sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
