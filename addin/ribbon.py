"""Entry points of the ``jixiao.xlam`` ribbon (绩效评价 › 刷新评分) and of xlwings Server / Lite.

* ``main()`` - what the button runs: ``RunPython "import jixiao;jixiao.main()"`` →
  ``jixiao.main()`` → here, on ``xw.Book.caller()`` (the workbook that was active).
* ``refresh(book)`` - the same refresh on any ``xw.Book``: desktop Excel, or the remote engine
  (``xw.Book(json=...)``).  Registered as an xlwings ``@script`` ("刷新评分") for xlwings Server and
  xlwings Lite.  It is ``refresh_book(XlwingsBook(book))`` - the very pipeline of ``jixiao refresh``
  - plus the live-Excel extras (``XlwingsBook.finish``: chart, column widths, names).

What the user sees when something is wrong - always Chinese, never a traceback:

============================  =============================  ==================================
problem                       desktop (ribbon button)        remote (xlwings Server / Lite)
============================  =============================  ==================================
structure (sheet or headers   message box, nothing written   ``xw.XlwingsError`` (the client
missing)                                                     shows its text), nothing written
input errors in cells         values written (评分说明 and    ``xw.XlwingsError`` listing the
(target, 分值 …)              汇总 show them), then a         cells (指标体系!G7：…); the
                              message box listing the cells  workbook is left unchanged
a bug                         message box "内部错误" with the traceback written to a log file
                              (its path is in the message), not into the dialog
============================  =============================  ==================================

On the desktop, if even the message box cannot be shown, ``main`` ends the process with the
message as its exit text: RunPython then shows it in its error popup (exit code 1, stderr only
holds the message).  The workbook is not saved: the user saves as usual (``XlwingsBook.save``
exists for callers who want it).

``@xw.script`` and direct calls: on desktop Excel and for in-process use of the remote engine
(tests, ``jixiao.addin.server``) the decorator returns the function itself (Windows: plus
``__xlfunc__`` metadata), so ``refresh(book)`` works.  Only in a process started with
``XLWINGS_ON_SERVER=true`` does xlwings swap in its async script runner (first argument: the
current user) for ``xlwings.server.custom_scripts_call``; there, call ``refresh_workbook(book)``.
"""

from __future__ import annotations

import logging
import tempfile
import traceback
from pathlib import Path
from typing import Any

import xlwings as xw

from ..workbook.errors import WorkbookInputError
from ..workbook.refresh import RefreshResult, refresh_book
from .books_xlwings import XlwingsBook

log = logging.getLogger(__name__)

SCRIPT_NAME = "刷新评分"
TITLE = "绩效评价 · 刷新评分"
MAX_LINES = 15
LOG_FILE = "jixiao-addin-error.log"

M_STRUCTURE = "未能刷新评分，工作簿未作任何修改：\n{lines}"
M_INPUT_REMOTE = "发现 {count} 处输入错误，总分未计算，工作簿未作修改：\n{lines}\n请修正后再次点击“刷新评分”。"
M_INPUT_DESKTOP = ("发现 {count} 处输入错误，总分未计算：\n{lines}\n"
                   "错误已写入“指标体系”的“评分说明”列和“汇总”工作表，请修正后再次点击“刷新评分”。")
M_MORE = "……另有 {count} 处，详见“汇总”工作表"
M_MORE_REMOTE = "……另有 {count} 处"
M_INTERNAL = ("内部错误：刷新评分时出现意外问题（{kind}），工作簿可能只更新了一部分。"
              "详细信息已写入 {log}，请把该文件和工作簿一并发给技术支持。")
M_NO_CALLER = ("请在 Excel 中通过“绩效评价”选项卡的“刷新评分”按钮运行；"
               "若在 Python 中调用，请使用 jixiao.addin.ribbon.refresh(book) 或命令行 jixiao refresh。")


class RefreshFailed(Exception):
    """A refresh problem already turned into the Chinese text the user is shown."""


def _is_remote(book: Any) -> bool:
    try:
        return book.app.engine.name == "remote"
    except Exception:  # not a usable book: report like the desktop does (message / exit text)
        return False


def _lines(messages: list[str], more: str) -> str:
    shown = [f"· {m}" for m in messages[:MAX_LINES]]
    if len(messages) > MAX_LINES:
        shown.append(more.format(count=len(messages) - MAX_LINES))
    return "\n".join(shown)


def _log_internal_error() -> str:
    """Write the current traceback to a log file; return the file's path (or a note)."""
    text = traceback.format_exc()
    log.error("jixiao refresh failed\n%s", text)
    try:
        path = Path(tempfile.gettempdir()) / LOG_FILE
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
        return str(path)
    except OSError:
        return "（无法写入日志文件）"


def _tell(book: xw.Book, message: str, remote: bool) -> None:
    """Show ``message``: remote → raise ``xw.XlwingsError``; desktop → a message box, or raise
    ``RefreshFailed`` when no message box can be shown."""
    if remote:
        raise xw.XlwingsError(message)
    try:
        book.app.alert(message, title=TITLE, buttons="ok", mode="critical")
    except Exception:  # no dialog possible (e.g. Excel busy): let main() report it instead
        raise RefreshFailed(message) from None


def refresh_workbook(book: xw.Book) -> RefreshResult | None:
    """Refresh scores, computed columns and 汇总 of an open workbook (any xlwings engine).

    Returns the ``RefreshResult`` (``None`` when nothing could be written).  Problems are reported
    as described in the module docstring.
    """
    remote = _is_remote(book)
    try:
        xl = XlwingsBook(book)
        if remote:
            # all or nothing: a client only applies the actions of a script that succeeded, so
            # with input errors there is no point in queueing them (see M_INPUT_REMOTE)
            result = refresh_book(_Dry(xl))
            if result.errors:
                raise xw.XlwingsError(M_INPUT_REMOTE.format(
                    count=len(result.errors), lines=_lines(result.errors, M_MORE_REMOTE)))
            xl.apply(result.plan.operations)
        else:
            result = refresh_book(xl)
        xl.finish(result.plan.summary)
    except WorkbookInputError as exc:
        _tell(book, M_STRUCTURE.format(lines=_lines(exc.messages, M_MORE_REMOTE)), remote)
        return None
    except (xw.XlwingsError, RefreshFailed):
        raise
    except Exception as exc:
        _tell(book, M_INTERNAL.format(kind=type(exc).__name__, log=_log_internal_error()), remote)
        return None
    if result.errors:  # desktop: written, now say where the problems are
        _tell(book, M_INPUT_DESKTOP.format(count=len(result.errors), lines=_lines(result.errors, M_MORE)),
              remote)
    return result


@xw.script(name=SCRIPT_NAME)
def refresh(book: xw.Book) -> RefreshResult | None:
    """刷新评分: ``refresh_workbook`` as an xlwings script (see the module docstring)."""
    return refresh_workbook(book)


def main() -> None:
    """The ribbon button (``jixiao.main()``): refresh the workbook that was active in Excel."""
    try:
        book = xw.Book.caller()
    except Exception:
        raise SystemExit(M_NO_CALLER) from None
    try:
        refresh(book)
    except (RefreshFailed, xw.XlwingsError) as exc:
        raise SystemExit(str(exc)) from None


class _Dry:
    """A ``Book`` that reads through ``XlwingsBook`` and ignores the plan (applied afterwards)."""

    def __init__(self, inner: XlwingsBook) -> None:
        self._inner = inner

    def sheet_names(self) -> list[str]:
        return self._inner.sheet_names()

    def read_values(self, sheet: str) -> list[list[Any]]:
        return self._inner.read_values(sheet)

    def apply(self, operations: Any) -> None:
        return None
