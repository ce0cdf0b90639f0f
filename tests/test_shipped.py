"""The workbooks committed under workbook/templates: current, reproducible, shipped, and what new/demo copy."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jixiao import cli
from jixiao.workbook import layout as L
from jixiao.workbook import shipped

from test_workbook_support import REPO

COMMITTED = REPO / "workbook" / "templates"


def test_committed_workbooks_are_what_the_code_builds() -> None:
    problems = shipped.stale(COMMITTED)
    assert not problems, (f"workbook/templates is stale: {problems}. "
                          f"Run `{shipped.REBUILD_COMMAND}` and commit workbook/templates.")


def test_rebuild_in_another_process_gives_the_same_bytes() -> None:
    """The build script itself, with another string-hash seed than this process: same bytes."""
    env = dict(os.environ, PYTHONHASHSEED="12345", PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "jixiao.workbook.shipped", "--check"], cwd=REPO, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_manifest_names_every_file_with_its_hash() -> None:
    manifest = json.loads((COMMITTED / shipped.MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == set(shipped.FILES.values())
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((COMMITTED / name).read_bytes()).hexdigest() == digest
    assert manifest["inputs"] == shipped.inputs_digest()


def test_reproducible_fixes_every_date_and_keeps_the_contents(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active["A1"] = "绩效"
    raw = io.BytesIO()
    wb.save(raw)
    fixed = shipped.reproducible(raw.getvalue())
    path = tmp_path / "fixed.xlsx"
    path.write_bytes(fixed)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as before, zipfile.ZipFile(path) as after:
        assert before.namelist() == after.namelist()
        assert all(info.date_time == shipped.FIXED_ZIP_TIME for info in after.infolist())
        for name in before.namelist():
            if name != "docProps/core.xml":
                assert before.read(name) == after.read(name)
    reread = load_workbook(path)
    assert reread.active["A1"].value == "绩效"
    assert reread.properties.created.isoformat() == reread.properties.modified.isoformat() == "2021-01-01T00:00:00"
    assert shipped.reproducible(fixed) == fixed


def test_new_and_demo_copy_the_committed_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for kind, name in shipped.TEMPLATE_FILES.items():
        out = tmp_path / f"{kind}.xlsx"
        assert cli.main(["new", str(out), "--kind", kind]) == 0
        assert out.read_bytes() == (COMMITTED / name).read_bytes()
    assert cli.main(["demo", str(tmp_path / "demo")]) == 0
    assert "总分 98.4（满分 100），等级 优" in capsys.readouterr().out
    for name in shipped.FILES.values():
        assert (tmp_path / "demo" / name).read_bytes() == (COMMITTED / name).read_bytes()


def test_when_the_code_changed_new_and_demo_build_the_same_bytes(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """An edited checkout (inputs digest differs) builds afresh; the result equals a copy."""
    monkeypatch.setattr(shipped, "inputs_digest", lambda: "edited")
    assert all(shipped.current(key) is None for key in shipped.FILES)
    assert cli.main(["new", str(tmp_path / "t.xlsx")]) == 0
    assert cli.main(["demo", str(tmp_path / "demo")]) == 0
    assert (tmp_path / "t.xlsx").read_bytes() == (COMMITTED / shipped.TEMPLATE_FILES[L.KIND_DEPARTMENT]).read_bytes()
    for name in shipped.FILES.values():
        assert (tmp_path / "demo" / name).read_bytes() == (COMMITTED / name).read_bytes()


def test_a_damaged_packaged_file_is_not_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    for item in COMMITTED.iterdir():
        (folder / item.name).write_bytes(item.read_bytes())
    name = shipped.TEMPLATE_FILES[L.KIND_SELF]
    (folder / name).write_bytes((folder / name).read_bytes()[:-100])
    monkeypatch.setattr(shipped, "_folder", lambda: folder)
    assert shipped.current(L.KIND_SELF) is None
    assert shipped.current(L.KIND_DEPARTMENT) == (COMMITTED / shipped.TEMPLATE_FILES[L.KIND_DEPARTMENT]).read_bytes()


def test_check_names_the_stale_part_and_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    for item in COMMITTED.iterdir():
        (folder / item.name).write_bytes(item.read_bytes())
    name = shipped.TEMPLATE_FILES[L.KIND_DEPARTMENT]
    wb = load_workbook(folder / name)
    wb[L.SHEET_GUIDE]["A1"] = "改过的标题"
    wb.save(folder / name)
    (problem,) = shipped.stale(folder)
    assert problem.startswith(f"{name}: content differs in ") and "xl/worksheets/sheet1.xml" in problem
    monkeypatch.setattr(shipped, "source_folder", lambda: folder)
    assert shipped.main(["--check"]) == 1
    assert shipped.REBUILD_COMMAND in capsys.readouterr().err
    (folder / shipped.MANIFEST).unlink()
    assert shipped.stale(folder)[-1].startswith(shipped.MANIFEST)
    assert shipped.main([]) == 0  # rebuilds the folder ...
    assert shipped.stale(folder) == []  # ... to the committed bytes
    assert (folder / name).read_bytes() == (COMMITTED / name).read_bytes()


def _installed_files() -> set[str] | None:
    """Files the jixiao wheel installed into site-packages (its RECORD), or None for an editable install.

    Looked up in site-packages only: building from the checkout leaves a jixiao.egg-info beside the
    sources, which lists source paths, not what was installed.
    """
    purelib = sysconfig.get_paths()["purelib"]
    dists = list(metadata.distributions(name="jixiao", path=[purelib]))
    if not dists:
        return None
    direct = dists[0].read_text("direct_url.json")
    if direct and json.loads(direct).get("dir_info", {}).get("editable"):
        return None
    return {str(f).replace("\\", "/") for f in dists[0].files or ()}


def test_the_installed_package_carries_the_workbooks_and_the_addin() -> None:
    files = _installed_files()
    if files is None:
        pytest.skip("jixiao is installed in editable mode (or not installed): no file list to check; CI installs a wheel")
    wanted = {f"jixiao/workbook/templates/{name}" for name in [*shipped.FILES.values(), shipped.MANIFEST]}
    wanted |= {"jixiao/addin/jixiao.xlam", "jixiao/addin/ribbon.xml", "jixiao/workbook/sample-2021-laisui.yaml",
               "jixiao/scoring/findings.yaml", "jixiao/scoring/packs/national.yaml", "jixiao/cli/__main__.py"}
    assert wanted <= files, sorted(wanted - files)
    assert not {f for f in files if f.split("/")[0] in ("scoring", "workbook", "addin", "tests")}
