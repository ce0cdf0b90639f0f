"""Start-up time of the command line: ``jixiao --help`` as a whole process, beside ``python -c pass``.

    python benchmarks/startup.py                     # the jixiao next to this interpreter
    python benchmarks/startup.py --venv /tmp/jx-venv # a fresh venv with `pip install .` (what users get)

Every figure is a whole process started from here (fork/exec, interpreter start-up, site, our imports,
printing the help), timed in turns with the floor so that drift of a shared machine hits both alike.
Printed: median, min and max of each, the median of the difference per turn, and the modules the help
imports that a start-up should not need (pandas, openpyxl, xlwings, docx ...).  The goal of issue #11:
median ≤ 0.15 s on the 2-core build machine.

An editable install of a checkout and PYTHONDONTWRITEBYTECODE (set on the build machine) mean our own
modules are compiled on every run; ``--venv`` measures the installed wheel, whose .pyc pip writes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOAL = 0.15
HEAVY = ("pandas", "numpy", "openpyxl", "xlwings", "docx", "lxml", "yaml", "rich", "python_calamine", "PIL")


def _venv(folder: Path) -> Path:
    """A venv at ``folder`` with jixiao installed from this checkout (not editable); its python."""
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", str(REPO)], check=True)
    return python


def _script(python: Path) -> Path:
    folder = python.parent
    for name in ("jixiao", "jixiao.exe"):
        if (folder / name).exists():
            return folder / name
    found = shutil.which("jixiao")
    if found is None:
        raise SystemExit("no `jixiao` script beside this interpreter: pip install . first")
    return Path(found)


def _time(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
    return elapsed


def _imported(python: Path, script: Path, cwd: Path) -> list[str]:
    """Top-level packages ``jixiao --help`` imports, read from ``-X importtime``."""
    proc = subprocess.run([str(python), "-X", "importtime", str(script), "--help"], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", errors="replace")
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return sorted(names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="turns (each runs the floor and the help once)")
    parser.add_argument("--venv", type=Path, default=None, help="measure a venv with `pip install .` (made if missing)")
    args = parser.parse_args(argv)

    python = _venv(args.venv) if args.venv else Path(sys.executable)
    script = _script(python)
    cwd = Path.home() if Path.home().is_dir() else Path("/")  # not the checkout: the installed package is measured
    floor_cmd = [str(python), "-c", "pass"]
    help_cmd = [str(script), "--help"]
    for cmd in (floor_cmd, help_cmd):  # warm the file cache (and write .pyc where allowed)
        _time(cmd, cwd)

    floors, helps = [], []
    for _ in range(args.runs):
        floors.append(_time(floor_cmd, cwd))
        helps.append(_time(help_cmd, cwd))
    extra = [h - f for f, h in zip(floors, helps)]

    imported = _imported(python, script, cwd)
    heavy = [name for name in HEAVY if name in imported]
    print(f"interpreter      {python}  (PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')})")
    print(f"script           {script}")
    print(f"runs             {args.runs} turns, whole processes, cwd {cwd}")
    print(f"{'':16} {'median':>8} {'min':>8} {'max':>8}")
    for label, values in (("python -c pass", floors), ("jixiao --help", helps)):
        print(f"{label:16} {statistics.median(values):8.3f} {min(values):8.3f} {max(values):8.3f}  s")
    print(f"help − floor     {statistics.median(extra):8.3f} s (median of the per-turn difference)")
    print(f"imports          {len(imported)} top-level packages; heavy: {', '.join(heavy) or 'none'}")
    median = statistics.median(helps)
    print(f"goal             median ≤ {GOAL:.2f} s: {'met' if median <= GOAL else 'NOT met'} ({median:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
