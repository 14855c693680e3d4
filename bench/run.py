"""Run the benchmarks: `python bench/run.py` runs them all, `python bench/run.py provision` one.

Each benchmark is a module bench/<name>.py with a `main()` that prints its figures as one JSON
object on its last line, with the unit in each key."""

import importlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Python puts this script's folder first on the path, where bench/http.py would shadow the
# standard library's http package: the benchmarks are imported as bench.<name> instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
BENCHMARKS = [
    "provision",
    "http",
    "scale",
    "workspace",
    "search",
    "public",
    "agreement_scope",
    "portal",
    "faults",
    "load",
    "reporting",
]


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    names = argv or BENCHMARKS
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(
            f"Unknown benchmark(s): {', '.join(unknown)}. Known: {', '.join(BENCHMARKS)}",
            file=sys.stderr,
        )
        return 2
    missing = [n for n in names if not (ROOT / "bench" / f"{n}.py").exists()]
    for name in names:
        if name in missing:
            print(f"== {name}: bench/{name}.py is missing, skipped", file=sys.stderr, flush=True)
            continue
        print(f"== {name}", flush=True)
        importlib.import_module(f"bench.{name}").main()
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
