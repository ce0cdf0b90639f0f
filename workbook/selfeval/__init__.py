"""Self-evaluation tables (项目支出绩效自评表) in the national layout: import, audit, batch.

Public API
----------
``read_tables(path, sheet=None) -> list[SelfEvalTable]``   find and parse every 自评表 in a file
``audit_file(path, params=None, sheet=None) -> list[Audit]`` read and audit (``Audit.to_dict()``
    is the JSON of ``jixiao audit --json``; its shape is documented in ``audit``)
``audit_tables(tables, params=None) -> list[Audit]``        audit parsed tables (one engine call)
``import_table(audit, output, params=None)``                our 单位自评 workbook, refreshed
``run_batch(folder, output=None, jobs=None, params=None, progress=None) -> BatchResult``

Modules: ``reader`` (calamine grids), ``layout`` (find the table by its header texts), ``audit``
(recompute and compare), ``convert`` (import), ``batch`` + ``portfolio`` (folder → 汇总.xlsx),
``samples`` (write tables as units make them: tests and benchmark), ``messages`` (every Chinese
word).  The commands ``jixiao import | audit | batch`` are in ``jixiao.cli.selfeval``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao._lazy import lazy_exports

if TYPE_CHECKING:
    from .audit import Audit, audit_table, audit_tables
    from .batch import run_batch
    from .convert import import_table
    from .files import audit_file, read_tables
    from .layout import SelfEvalTable, parse_sheet

# Resolved on first use (PEP 562): the command line imports ``selfeval.messages`` at start-up and
# must not pay for pandas, openpyxl and calamine until a command runs.
_EXPORTS = {
    "Audit": "audit", "audit_table": "audit", "audit_tables": "audit",
    "audit_file": "files", "read_tables": "files",
    "SelfEvalTable": "layout", "parse_sheet": "layout",
    "import_table": "convert", "run_batch": "batch",
}
__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
