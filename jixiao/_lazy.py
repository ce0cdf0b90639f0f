"""Package attributes resolved on first use (PEP 562), shared by the sub-packages that re-export names.

Why: ``jixiao.scoring`` re-exports ``evaluate`` (pandas, numpy) and ``jixiao.workbook.selfeval``
re-exports ``audit_file`` (openpyxl, calamine), yet the command line imports light modules of both
(``scoring.model``, ``selfeval.messages``) at start-up.  Importing the package must not pay for the
heavy modules until one of their names is used.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable, Mapping


def lazy_exports(package: str, namespace: dict[str, Any],
                 exports: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` whose public ``name`` lives in ``.exports[name]``.

    A resolved name is stored in the package's ``namespace`` so later lookups are plain attribute reads.
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *exports})

    return __getattr__, __dir__
