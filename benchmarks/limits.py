"""Peak memory and time of every command on hostile files and on growing real tables (issue #13).

    python benchmarks/limits.py              # hostile files × commands, then 200 / 2,000 / 20,000 rows
    python benchmarks/limits.py --rows 200 2000

Every figure is a whole `jixiao` process: wall time, and its peak resident memory from the kernel
(``os.wait4``'s rusage of that one child).  A hostile file must be refused or handled within the
goal (≤ 300 MB, ≤ 10 s) with exit 2 and a Chinese message; no command may exit 1 or die from a
signal.  For real tables the point is the growth: memory and time should grow with the rows, not
faster, and ``report`` should take less time than ``refresh`` of the same file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import hostile_files as H  # noqa: E402

GOAL_MB, GOAL_S = 300, 10.0
COMMANDS = {
    "score": lambda f, out: ["score", str(f)],
    "refresh": lambda f, out: ["refresh", str(f), "-o", str(out / f"{f.stem}_out.xlsx")],
    "report": lambda f, out: ["report", str(f), "-o", str(out / f"{f.stem}.docx")],
    "audit": lambda f, out: ["audit", str(f)],
    "import": lambda f, out: ["import", str(f), "-o", str(out / f"{f.stem}_import.xlsx")],
}


def run(args: list[str], timeout: float = 120) -> tuple[int, float, float, str]:
    """(exit code or -signal, seconds, peak RSS in MB, first line of stderr) of one jixiao process."""
    script = shutil.which("jixiao")
    cmd = [script, *args] if script else [sys.executable, "-m", "jixiao", *args]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        err.seek(0)
        text = err.read().decode("utf-8", "replace").strip().splitlines()
    code = os.waitstatus_to_exitcode(status)
    return code, seconds, usage.ru_maxrss / 1024, (text[0] if text else "")


def hostile(folder: Path) -> bool:
    print(f"{'file':26} {'command':8} {'exit':>4} {'s':>6} {'MB':>6}  message")
    ok = True
    for name, make in H.HOSTILE.items():
        path = make(folder / "hostile.xlsx")
        for command, argv in COMMANDS.items():
            code, seconds, mb, line = run(argv(path, folder))
            bad = code not in (0, 2) or seconds > GOAL_S or mb > GOAL_MB
            ok &= not bad
            print(f"{name[:26]:26} {command:8} {code:4d} {seconds:6.2f} {mb:6.0f}  {'!! ' if bad else ''}{line[:90]}")
        path.unlink()
    return ok


def growth(folder: Path, sizes: list[int]) -> None:
    print(f"\n{'rows':>7} {'command':8} {'exit':>4} {'s':>7} {'MB':>6}")
    for rows in sizes:
        path = H.big_table(rows)(folder / f"rows{rows}.xlsx")
        times = {}
        for command in ("score", "refresh", "report"):
            code, seconds, mb, line = run(COMMANDS[command](path, folder), timeout=600)
            times[command] = seconds
            print(f"{rows:7d} {command:8} {code:4d} {seconds:7.2f} {mb:6.0f}  {line[:60] if code else ''}")
        print(f"{'':7} report/refresh = {times['report'] / times['refresh']:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[200, 2000, 20000])
    parser.add_argument("--skip-hostile", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jixiao-limits-") as tmp:
        folder = Path(tmp)
        ok = True if args.skip_hostile else hostile(folder)
        if args.rows:
            growth(folder, args.rows)
    print(f"\ngoal: every hostile file refused or handled within {GOAL_MB} MB and {GOAL_S:.0f} s, exit 0 or 2:"
          f" {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
