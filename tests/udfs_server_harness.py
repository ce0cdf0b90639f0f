"""Run ``jixiao.addin.udfs`` through xlwings Server's own call path, in a fresh interpreter.

Used by ``tests/test_udfs.py`` (not collected by pytest: the name does not start with ``test_``).

xlwings reads ``XLWINGS_ON_SERVER`` once, when ``import xlwings`` runs, and only then do
``@xw.func``/``@xw.arg`` record the ``__xlfunc__`` metadata that ``custom_functions_call`` needs
(on Linux without it they are no-op decorators).  Other test modules import xlwings in the pytest
process first, so these checks run here, in a subprocess whose environment is set before the
import, and the result does not depend on test order.

stdin:  {"cases": {name: {"func_name": ..., "args": [...], "runtime": "1.4",
                          "raise_call_errors": null|true|false}}}
stdout: {"on_server": bool, "results": {name: {"result": ...} | {"error": cls, "message": str}},
         "meta": custom_functions_meta(udfs), "code": custom_functions_code(udfs),
         "code_template_missing": bool}
"""

from __future__ import annotations

import os

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import asyncio  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import xlwings as xw  # noqa: E402
from xlwings import server  # noqa: E402

from jixiao.addin import udfs  # noqa: E402


def call(case: dict) -> dict:
    data = {
        "func_name": case["func_name"],
        "args": case["args"],
        "version": xw.__version__,
        "client": "Office.js",
        "runtime": case.get("runtime", "1.4"),
        "culture_info_name": "zh-CN",
        "date_format": None,
    }
    udfs.RAISE_CALL_ERRORS = case.get("raise_call_errors")
    try:
        return {"result": asyncio.run(server.custom_functions_call(data, udfs))}
    except Exception as exc:  # noqa: BLE001 - the test inspects what the server would answer
        return {"error": type(exc).__name__, "message": str(exc)}
    finally:
        udfs.RAISE_CALL_ERRORS = None


def functions_code() -> tuple[str, bool]:
    """``custom_functions_code``; the 0.37.8 wheel lacks its JS template, so supply an empty one."""
    template = Path(server.custom_functions_code.__code__.co_filename).with_name("custom_functions_code.js")
    if template.exists():
        return server.custom_functions_code(udfs), False
    original = Path.read_text

    def read_text(self: Path, *args, **kwargs) -> str:
        if self == template:
            return "// template missing from the installed wheel\n"
        return original(self, *args, **kwargs)

    Path.read_text = read_text  # type: ignore[method-assign]
    try:
        return server.custom_functions_code(udfs), True
    finally:
        Path.read_text = original  # type: ignore[method-assign]


def main() -> None:
    request = json.load(sys.stdin)
    results = {name: call(case) for name, case in request.get("cases", {}).items()}
    code, missing = functions_code()
    out = {
        "on_server": bool(xw.on_server),
        "results": results,
        "meta": server.custom_functions_meta(udfs),
        "code": code,
        "code_template_missing": missing,
    }

    def default(obj):
        if isinstance(obj, (dt.date, dt.datetime)):
            return obj.isoformat()
        return repr(obj)

    json.dump(out, sys.stdout, ensure_ascii=False, default=default)


if __name__ == "__main__":
    main()
