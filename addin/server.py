"""A minimal xlwings-Server-style web service: POST the workbook JSON, get the actions back.

The pattern of xlwings' remote interpreter / xlwings Server: the Excel client (the xlwings
Office.js add-in, ``RunRemotePython`` in VBA, or Office Scripts) sends the workbook as JSON; the
endpoint opens it with ``xw.Book(json=...)``, runs the same refresh as the ribbon button
(``ribbon.refresh_workbook``) and answers ``book.json()`` - the actions the client then applies.

Errors: ``xw.XlwingsError`` (every problem the user can fix, in Chinese, naming sheet!cell) → 400
with the text, which the xlwings clients show as is; anything else → 500 with a short Chinese text
(the traceback goes to the server log, never to the user).

Run (FastAPI/uvicorn are not dependencies of jixiao; the remote engine needs an xlwings licence
key - ``noncommercial`` under the PolyForm Noncommercial licence, e.g. for government
institutions)::

    pip install fastapi uvicorn
    XLWINGS_LICENSE_KEY=noncommercial uvicorn jixiao.addin.server:app --port 8000

and point the client at ``http://<host>:8000/refresh`` (VBA: ``RunRemotePython "http://…/refresh"``).
"""

from __future__ import annotations

import logging
from typing import Any

import xlwings as xw
from fastapi import Body, FastAPI, Request
from fastapi.responses import PlainTextResponse

from . import ribbon

log = logging.getLogger(__name__)

M_SERVER_ERROR = "服务器内部错误：刷新评分未完成，请联系管理员查看服务器日志。"

app = FastAPI(title="jixiao 绩效评价 · 刷新评分")


@app.post("/refresh")
def refresh(data: dict[str, Any] = Body(...)) -> dict[str, Any]:
    """The workbook JSON in, ``{"actions": [...]}`` out."""
    book = xw.Book(json=data)
    try:
        ribbon.refresh_workbook(book)
        return book.json()
    finally:
        book.close()


@app.exception_handler(xw.XlwingsError)
async def xlwings_error(request: Request, exc: xw.XlwingsError) -> PlainTextResponse:
    return PlainTextResponse(str(exc), status_code=400)


@app.exception_handler(Exception)
async def unexpected_error(request: Request, exc: Exception) -> PlainTextResponse:
    log.exception("refresh failed")
    return PlainTextResponse(M_SERVER_ERROR, status_code=500)
