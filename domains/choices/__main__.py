"""The choices' pure algorithms from the command line, without Django:

- `python -m domains.choices call-list INSTANCE.json`: the call-list ordering; prints
  {"order": [...], "why": {...}};
- `python -m domains.choices simulate INSTANCE.json`: the choice session's rule over
  ranked wishes; prints {"assignments": {...}, "unassigned": [...]}.

INSTANCE.json may be « - » (standard input). Bad input exits with code 2 and a message
naming the resident or the post, nothing on stdout."""

import argparse
import gc
import json
import sys


def _call_list(data) -> dict:
    from .call_list import load, order

    return order(*load(data)).as_dict()


def _simulate(data) -> dict:
    from .amphi import load, simulate

    return simulate(*load(data)).as_dict()


COMMANDS = {
    "call-list": (_call_list, "ordonne une liste d'appel (JSON)"),
    "simulate": (_simulate, "simule un amphi de choix sur les vœux classés (JSON)"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m domains.choices")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (_run, help_text) in COMMANDS.items():
        command = commands.add_parser(name, help=help_text)
        command.add_argument(
            "instance", help="fichier INSTANCE.json (« - » : entrée standard)"
        )
    args = parser.parse_args(argv)
    run = COMMANDS[args.command][0]
    # A short-lived process building no cycles: the collector would only walk the
    # instance's hundreds of thousands of objects again and again (a third of the
    # run on 20,000 residents × 30 wishes).
    gc.disable()
    try:
        if args.instance == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.instance, encoding="utf-8") as handle:
                data = json.load(handle)
        result = run(data)
    except json.JSONDecodeError as error:
        print(f"Lecture : JSON mal formé ({error})", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"Lecture : {error}", file=sys.stderr)
        return 2
    except ValueError as error:  # CallListError, InstanceError
        print(f"Instance invalide : {error}", file=sys.stderr)
        return 2
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
