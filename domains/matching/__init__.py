"""Docteur Junior matching. Importing this package must not need Django settings:
`python -m domains.matching solve INSTANCE.json` runs the pure algorithm."""
