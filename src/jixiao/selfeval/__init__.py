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
``samples`` (write tables as units make them: tests and benchmark), ``commands`` (CLI),
``messages`` (every Chinese word).
"""

from .audit import Audit, audit_table, audit_tables
from .files import audit_file, read_tables
from .layout import SelfEvalTable, parse_sheet

__all__ = ["Audit", "SelfEvalTable", "audit_file", "audit_table", "audit_tables", "parse_sheet", "read_tables",
           "import_table", "run_batch"]


def import_table(*args, **kwargs):  # noqa: ANN002, ANN003 - thin lazy re-export (openpyxl/template import cost)
    from .convert import import_table as _impl

    return _impl(*args, **kwargs)


def run_batch(*args, **kwargs):  # noqa: ANN002, ANN003
    from .batch import run_batch as _impl

    return _impl(*args, **kwargs)
