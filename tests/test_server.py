"""``jixiao.addin.server``: the xlwings-Server-style endpoint, through FastAPI's TestClient (real HTTP
handling in-process: request parsing, the route, the exception handlers, JSON encoding)."""

from __future__ import annotations

import json
import os
from typing import Any

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest  # noqa: E402

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

import warnings  # noqa: E402

with warnings.catch_warnings():  # starlette's note about its httpx backend, irrelevant here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from jixiao.addin import server  # noqa: E402
from jixiao.workbook import layout as L  # noqa: E402

from test_xlwings_refresh import apply_actions, assert_same_as_file, book_json, jixiao_refresh, write_sample  # noqa: E402


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("server")
    path = write_sample(folder / "sample.xlsx")
    return {"path": path, "out": jixiao_refresh(path, folder / "cli.xlsx")}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(server.app, raise_server_exceptions=False)


def test_post_refresh_returns_the_actions(files: dict[str, Any], client: TestClient) -> None:
    payload = book_json(files["path"])
    open_books = len(server.xw.engines["remote"].apps.active.books)
    response = client.post("/refresh", content=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    actions = response.json()["actions"]
    assert_same_as_file(apply_actions(payload, actions), files["out"], payload)
    assert len(server.xw.engines["remote"].apps.active.books) == open_books  # the route closes its book


def test_input_error_is_a_400_with_the_chinese_message(files: dict[str, Any], client: TestClient) -> None:
    payload = book_json(files["path"])
    payload["sheets"] = [s for s in payload["sheets"] if s["name"] != L.SHEET_INDICATORS]
    response = client.post("/refresh", json=payload)
    assert response.status_code == 400
    assert f"“{L.SHEET_INDICATORS}”" in response.text and "Traceback" not in response.text


def test_unusable_body_is_a_500_without_details(client: TestClient) -> None:
    response = client.post("/refresh", json={"client": "Office.js"})
    assert response.status_code == 500
    assert response.text == server.M_SERVER_ERROR
