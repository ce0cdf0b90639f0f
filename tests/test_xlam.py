"""The ribbon add-in ``addin/jixiao.xlam``: reproducible build, ribbon, VBA wiring.

Needs ``oletools`` (test dependency) to read the VBA project.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlwings

import jixiao.addin
from jixiao.addin import build_xlam
from jixiao.addin.xlam_info import (
    find_procedure,
    module_name_from_workbook_name,
    read_ribbon,
    runpython_imports,
    vba_procedures,
    vba_source,
)

COMMITTED = Path(jixiao.addin.__file__).resolve().with_name("jixiao.xlam")
TEMPLATE = build_xlam.xlwings_template()
TAB, BUTTON = "绩效评价", "刷新评分"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A fresh build through ``build()`` (runs ``xlwings quickstart`` in a temp dir)."""
    return build_xlam.build(tmp_path_factory.mktemp("build") / "jixiao.xlam")


@pytest.fixture(scope="module")
def built_cli(tmp_path_factory) -> Path:
    """A fresh build through the script's command line."""
    out = tmp_path_factory.mktemp("cli") / "jixiao.xlam"
    subprocess.run([sys.executable, "-m", "jixiao.addin.build_xlam", str(out)], check=True, capture_output=True)
    return out


# --------------------------------------------------------------------------- reproducibility


def test_build_is_reproducible_and_matches_committed_file(built, built_cli):
    assert COMMITTED.is_file(), "run: python -m jixiao.addin.build_xlam"
    assert _sha(built) == _sha(built_cli)
    assert built.read_bytes() == COMMITTED.read_bytes(), (
        f"committed jixiao.xlam is stale for xlwings {xlwings.__version__}; "
        "rebuild with: python -m jixiao.addin.build_xlam"
    )


def test_quickstart_output_is_the_xlwings_template(tmp_path):
    produced = build_xlam.run_quickstart(tmp_path)
    assert produced.name == "jixiao.xlam"
    assert produced.read_bytes() == TEMPLATE.read_bytes()


def test_zip_opens_with_fixed_timestamps(built):
    with zipfile.ZipFile(built) as zf:
        assert zf.testzip() is None
        assert {info.date_time for info in zf.infolist()} == {build_xlam.FIXED_DATE_TIME}


def test_non_ribbon_members_identical_to_template(built):
    with zipfile.ZipFile(TEMPLATE) as tz, zipfile.ZipFile(built) as bz:
        t_infos, b_infos = tz.infolist(), bz.infolist()
        assert [i.filename for i in b_infos] == [i.filename for i in t_infos]  # same order
        ribbon = read_ribbon(built).part
        assert ribbon == "customUI/customUI.xml"
        for t, b in zip(t_infos, b_infos):
            if t.filename == ribbon:
                assert bz.read(ribbon) != tz.read(ribbon)
                continue
            assert bz.read(b.filename) == tz.read(t.filename), b.filename
            assert (b.compress_type, b.compress_size, b.CRC) == (t.compress_type, t.compress_size, t.CRC)
        assert bz.read("xl/vbaProject.bin") == tz.read("xl/vbaProject.bin")


# --------------------------------------------------------------------------- ribbon


def test_ribbon_xml_is_utf8_with_chinese_labels(built):
    with zipfile.ZipFile(built) as zf:
        data = zf.read(read_ribbon(built).part)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    assert TAB.encode("utf-8") in data and BUTTON.encode("utf-8") in data


def test_ribbon_has_tab_and_button(built):
    info = read_ribbon(built)
    assert info.tabs == [TAB]
    assert [label for label, _ in info.buttons] == [BUTTON]


def test_button_calls_a_procedure_of_the_vba_project(built):
    (on_action,) = [action for label, action in read_ribbon(built).buttons if label == BUTTON]
    assert on_action == "RibbonMyAddin.RunMain"
    assert find_procedure(vba_procedures(built), on_action) == ("RibbonMyAddin", "RunMain")
    # A ribbon onAction callback must take the IRibbonControl argument.
    assert re.search(r"^Sub RunMain\(control As IRibbonControl\)$", vba_source(built), re.MULTILINE)


def test_every_button_callback_exists(built):
    procs = vba_procedures(built)
    for label, action in read_ribbon(built).buttons:
        assert find_procedure(procs, action), (label, action)


# --------------------------------------------------------------------------- VBA -> Python


def test_vba_imports_jixiao_and_jixiao_main_is_callable(built):
    assert runpython_imports(built) == ["jixiao"]
    assert runpython_imports(COMMITTED) == ["jixiao"]
    module = importlib.import_module("jixiao")
    assert callable(getattr(module, "main", None))


def test_vba_matches_installed_xlwings_version(built):
    match = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', vba_source(built))
    assert match and match.group(1) == xlwings.__version__


def test_module_name_derivation_matches_vba():
    assert module_name_from_workbook_name("jixiao.xlam") == "jixiao"
    assert module_name_from_workbook_name(r"C:\x\jixiao.xlam") == "jixiao"
    assert module_name_from_workbook_name("jixiao (1).xlam") == "jixiao (1)"  # would break the button
    assert module_name_from_workbook_name("a.b.xlam") == "a.b"
    with pytest.raises(ValueError):
        module_name_from_workbook_name("jixiao")
    assert runpython_imports(COMMITTED, workbook_name="Jixiao.xlam") == ["Jixiao"]


def test_build_refuses_other_file_names(tmp_path):
    with pytest.raises(ValueError):
        build_xlam.build(tmp_path / "jixiao-v2.xlam")
