"""The semester cycle: semester activity, post opening, call lists, choice sessions.

The pure parts (call-list ordering, the opening rule) are plain modules that import
nothing from Django, run from `python -m domains.choices`."""
