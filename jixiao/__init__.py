"""jixiao (绩效): project-expenditure performance evaluation for Chinese government finance staff.

The product has three rooms, each a top-level folder of the repository and a sub-package here:

- ``jixiao.scoring``  (``scoring/``)  the pure engine: values, rules, tree, grades, rates, findings, report text;
- ``jixiao.workbook`` (``workbook/``) the spreadsheet side: layout, template, book adapters, refresh, the
  committed workbooks (``workbook/templates``), Word report, and the national 自评表 (``selfeval``);
- ``jixiao.addin``    (``addin/``)    what an Excel administrator installs: ``jixiao.xlam``, its ribbon
  entry points and worksheet functions.

This package keeps only what belongs to no room: the version, :func:`main` for the ribbon button
(``import jixiao; jixiao.main()``) and the command line (``jixiao.cli``).  Importing it is cheap:
nothing here imports pandas, openpyxl, xlwings or python-docx.
"""

from __future__ import annotations

import os as _os

__version__ = "0.1.0"


def _rooms_beside_source() -> None:
    """Let ``jixiao.scoring`` & co. resolve when this ``__init__`` is the repository's own ``jixiao/``.

    setuptools maps the rooms into the package (``[tool.setuptools.package-dir]``) for installed and
    editable copies alike.  But ``python -m …`` run from the repository root puts the working folder
    first on ``sys.path``, so this folder is imported instead of the installed package, and its
    ``__path__`` holds no ``scoring/``.  Adding the repository root to ``__path__`` then finds the same
    rooms the installed copy has.  The markers make sure this never happens inside site-packages.
    """
    root = _os.path.dirname(_os.path.dirname(_os.path.realpath(__file__)))  # os.path: pathlib costs start-up
    markers = ("pyproject.toml", "scoring/__init__.py", "workbook/__init__.py", "addin/__init__.py")
    if all(_os.path.isfile(_os.path.join(root, marker)) for marker in markers) and root not in __path__:
        __path__.append(root)


_rooms_beside_source()


def main() -> object:
    """The ribbon button's entry point: refresh the workbook that called us (see ``jixiao.addin.ribbon``)."""
    from jixiao.addin.ribbon import main as _main

    return _main()
