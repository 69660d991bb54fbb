"""Performance benchmarks, each run from the project root as `python -m benchmarks.<name>`.

As modules of this package, never as scripts: a script puts its own folder first on
sys.path, where a file's name can hide an installed package (helpdesk, matching).
"""
