"""Issue #13 fault injection: files are never lost, the environment's faults are Chinese exit-2 messages.

Every case asserts the exit code, the Chinese message, and the sha256 of every file that must not
change (usually: every file of the folder, before and after).  The faults are real: files made
read-only with chmod, a process without the file-permission override for the permission cases
(the suite runs as root in CI, and root ignores permissions), a small tmpfs for a full disk where
the runner may mount one and ``RLIMIT_FSIZE`` (a real EFBIG from the kernel) everywhere, real pipes,
FIFOs, symbolic links and two real ``jixiao`` processes racing for one workbook.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Callable

import pytest
from openpyxl import load_workbook

from jixiao import cli
from jixiao.workbook import safe_write
from jixiao.workbook.errors import WorkbookInputError
from jixiao.workbook.refresh import backup_path, default_output

from test_selfeval_support import write_clean
from test_workbook_support import write_sample

PYTHON = sys.executable
TRACEBACK = "Traceback"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return write_sample(tmp_path_factory.mktemp("fault-sample") / "样例.xlsx").read_bytes()


@pytest.fixture
def sample(tmp_path: Path, sample_bytes: bytes) -> Path:
    """A fresh copy of the unscored sample workbook, alone in its folder."""
    folder = tmp_path / "work"
    folder.mkdir()
    path = folder / "评价.xlsx"
    path.write_bytes(sample_bytes)
    return path


def digests(folder: Path) -> dict[str, str]:
    """sha256 of every entry of the folder (recursively; a symbolic link by its target's name)."""
    out: dict[str, str] = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = "link→" + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        elif p.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = "special"
    return out


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_process(*args: str, cwd: Path | None = None, prefix: list[str] | None = None,
                preexec: Callable[[], None] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([*(prefix or []), PYTHON, "-m", "jixiao.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout, preexec_fn=preexec)


def run_many(cases: list[list[str]], prefix: list[str] | None = None, timeout: float = 120) -> list[tuple[int, str]]:
    """Independent command lines as concurrent processes (each killed after ``timeout``: a hang fails)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    procs = [subprocess.Popen([*(prefix or []), PYTHON, "-m", "jixiao.cli", *argv], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8") for argv in cases]
    results = []
    for argv, proc in zip(cases, procs):
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            for other in procs:
                other.kill()
            pytest.fail(f"jixiao {' '.join(argv)} did not finish within {timeout} s")
        results.append((proc.returncode, err))
    return results


def refused(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert TRACEBACK not in err and "程序内部错误" not in err, err
    for word in words:
        assert word in err, (word, err)


def edit_in_a_spreadsheet_program(path: Path) -> None:
    """What Excel/WPS do on save: the package is rewritten (our marker does not survive)."""
    wb = load_workbook(path)
    wb.active["A1"] = "手工修改"
    wb.save(path)


_DROP_DAC = ["--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search"]


def _denied(prefix: list[str], probe: Path) -> bool:
    try:
        proc = subprocess.run([*prefix, PYTHON, "-c", f"import jixiao; open({str(probe)!r}, 'rb')"],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode != 0 and "PermissionError" in proc.stderr


@pytest.fixture(scope="module")
def unprivileged(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A command prefix under which file permissions apply.  Not root: nothing.  Root (CI): root
    without the capabilities that override permissions (``setpriv`` drops CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH), else the user nobody; else the permission cases are skipped."""
    probe = tmp_path_factory.mktemp("perm") / "probe"
    probe.write_bytes(b"x")
    probe.chmod(0)
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    candidates = [[setpriv, *_DROP_DAC], [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]] if setpriv else []
    for prefix in candidates:
        if _denied(prefix, probe):
            return prefix
    pytest.skip("running as root and cannot drop the permission override (no setpriv, or it may not drop "
                "capabilities here): permission faults cannot be produced for real")


def _limit_file_size(limit: int) -> Callable[[], None]:
    import resource  # POSIX

    def preexec() -> None:  # in the child: a write past `limit` bytes fails with EFBIG (SIGXFSZ ignored)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


# --------------------------------------------------------------------------------------------
# A. refusing to replace, backups, suffixes
# --------------------------------------------------------------------------------------------
def test_new_refuses_an_existing_file_and_a_wrong_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "评价.xlsx"
    assert run(["new", str(path)], capsys)[0] == 0
    edit_in_a_spreadsheet_program(path)
    before = digests(tmp_path)
    code, _out, err = run(["new", str(path), "--kind", "单位自评"], capsys)
    refused(code, err, "评价.xlsx", "已存在", "--force")
    assert digests(tmp_path) == before
    edited = path.read_bytes()
    code, out, err = run(["new", str(path), "--kind", "单位自评", "--force"], capsys)
    assert code == 0, err
    assert (tmp_path / "评价.bak.xlsx").read_bytes() == edited and "评价.bak.xlsx" in out
    for name in ("x.xlsm", "x", "x.xls"):
        before = digests(tmp_path)
        code, _out, err = run(["new", str(tmp_path / name)], capsys)
        refused(code, err, "扩展名应为 .xlsx")
        assert digests(tmp_path) == before  # neither x.xlsm nor a silently renamed x.xlsx


def test_refresh_default_output_is_replaced_only_while_unedited(sample: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = sample.parent
    out = default_output(sample)
    assert run(["refresh", str(sample)], capsys)[0] == 0
    assert safe_write.is_own_product(out)
    # jixiao's own, unedited product: refreshed again without --force, no backup
    code, _o, err = run(["refresh", str(sample)], capsys)
    assert code == 0, err
    assert sorted(digests(folder)) == ["评价.xlsx", "评价_已评分.xlsx"]
    # edited by a person: refused, untouched
    edit_in_a_spreadsheet_program(out)
    assert not safe_write.is_own_product(out)
    before = digests(folder)
    code, _o, err = run(["refresh", str(sample)], capsys)
    refused(code, err, "评价_已评分.xlsx", "已存在", "可能已手工修改", "--force")
    assert digests(folder) == before
    edited = out.read_bytes()
    code, stdout, err = run(["refresh", str(sample), "--force"], capsys)
    assert code == 0, err
    assert (folder / "评价_已评分.bak.xlsx").read_bytes() == edited and "评价_已评分.bak.xlsx" in stdout
    assert sha(sample) == before["评价.xlsx"]


def test_refresh_o_refuses_a_foreign_file(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = sample.parent
    other = folder / "另一个项目.xlsx"
    shutil.copy(sample, other)
    before = digests(folder)
    code, _o, err = run(["refresh", str(sample), "-o", str(other)], capsys)
    refused(code, err, "另一个项目.xlsx", "--force")
    assert digests(folder) == before
    code, _o, err = run(["refresh", str(sample), "-o", str(other), "--force"], capsys)
    assert code == 0, err
    assert sha(folder / "另一个项目.bak.xlsx") == before["另一个项目.xlsx"]


def test_report_never_overwrites_a_hand_edited_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from docx import Document

    folder = tmp_path / "demo"
    assert run(["demo", str(folder)], capsys)[0] == 0
    workbook = next(folder.glob("示例*.xlsx"))
    report = tmp_path / "报告.docx"
    assert run(["report", str(workbook), "-o", str(report)], capsys)[0] == 0
    assert run(["report", str(workbook), "-o", str(report)], capsys)[0] == 0  # our own, unedited: replaced
    doc = Document(str(report))
    doc.add_paragraph("评价组补充的意见。")
    doc.save(str(report))  # Word/WPS rewrite the package the same way
    before = digests(tmp_path)
    code, _o, err = run(["report", str(workbook), "-o", str(report)], capsys)
    refused(code, err, "报告.docx", "可能已手工修改", "--force")
    assert digests(tmp_path) == before
    code, out, err = run(["report", str(workbook), "-o", str(report), "--force"], capsys)
    assert code == 0, err
    assert sha(tmp_path / "报告.bak.docx") == before["报告.docx"] and "报告.bak.docx" in out


def test_import_and_batch_o_refuse_a_foreign_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tables = tmp_path / "自评表"
    tables.mkdir()
    table = write_clean(tables / "表1.xlsx")
    foreign = tmp_path / "手工汇总.xlsx"
    shutil.copy(table, foreign)
    for argv in (["import", str(table), "-o", str(foreign)], ["batch", str(tables), "-o", str(foreign)]):
        before = digests(tmp_path)
        code, _o, err = run(argv, capsys)
        refused(code, err, "手工汇总.xlsx", "--force")
        assert digests(tmp_path) == before, argv
    # our own products are regenerated freely; a forced replacement keeps the foreign file
    assert run(["import", str(table), "-o", str(tmp_path / "导入.xlsx")], capsys)[0] == 0
    assert run(["import", str(table), "-o", str(tmp_path / "导入.xlsx")], capsys)[0] == 0
    assert run(["batch", str(tables), "-o", str(tmp_path / "汇总.xlsx")], capsys)[0] == 0
    assert run(["batch", str(tables), "-o", str(tmp_path / "汇总.xlsx")], capsys)[0] == 0
    original = foreign.read_bytes()
    code, out, err = run(["batch", str(tables), "-o", str(foreign), "--force"], capsys)
    assert code == 0, err
    assert (tmp_path / "手工汇总.bak.xlsx").read_bytes() == original and "手工汇总.bak.xlsx" in out
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.startswith(("~$", ".~"))]
    assert leftovers == []


def test_demo_keeps_an_edited_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "示例"
    assert run(["demo", str(folder)], capsys)[0] == 0
    assert run(["demo", str(folder)], capsys)[0] == 0  # the same files again: nothing to replace
    sample = next(folder.glob("示例*.xlsx"))
    edit_in_a_spreadsheet_program(sample)
    before = digests(folder)
    code, _o, err = run(["demo", str(folder)], capsys)
    refused(code, err, sample.name, "--force")
    assert digests(folder) == before
    code, _o, err = run(["demo", str(folder), "--force"], capsys)
    assert code == 0, err
    assert sha(backup_path(sample)) == before[sample.name]


def test_in_place_backups_are_numbered_and_keep_the_original(sample: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    original = sample.read_bytes()
    outputs = []
    for n in range(3):
        code, out, err = run(["refresh", str(sample), "--in-place"], capsys)
        assert code == 0, err
        outputs.append(sample.read_bytes())
    folder = sample.parent
    assert (folder / "评价.bak.xlsx").read_bytes() == original  # never overwritten by a later run's output
    assert (folder / "评价.bak2.xlsx").read_bytes() == outputs[0]
    assert (folder / "评价.bak3.xlsx").read_bytes() == outputs[1]
    assert "评价.bak3.xlsx" in out


def test_in_place_on_a_symlink_updates_the_real_file(sample: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "链接.xlsx"
    link.symlink_to(sample)
    original = sample.read_bytes()
    code, out, err = run(["refresh", str(link), "--in-place"], capsys)
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(sample)  # the link stays a link
    assert sample.read_bytes() != original  # … and the real workbook was refreshed
    assert load_workbook(sample, data_only=True)["汇总"]["B4"].value == pytest.approx(98.4)
    assert backup_path(sample).read_bytes() == original and backup_path(sample).name in out
    # a link as the output of refresh -o: the real file is written, the link kept
    out_real = tmp_path / "结果.xlsx"
    out_link = tmp_path / "结果链接.xlsx"
    out_link.symlink_to(out_real)
    assert run(["refresh", str(sample), "-o", str(out_link), "--force"], capsys)[0] == 0
    assert out_link.is_symlink() and out_real.is_file()


def test_read_only_workbook_is_refused(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """chmod 444 is refused by its mode bits, so also when the runner is root."""
    folder = sample.parent
    sample.chmod(0o444)
    try:
        before = digests(folder)
        code, _o, err = run(["refresh", str(sample), "--in-place"], capsys)
        refused(code, err, "评价.xlsx", "只读")
        assert digests(folder) == before and stat.S_IMODE(sample.stat().st_mode) == 0o444
        # a read-only existing output is not replaced either, --force or not
        out = folder / "只读输出.xlsx"
        shutil.copy(sample, out)
        out.chmod(0o444)
        before = digests(folder)
        code, _o, err = run(["refresh", str(sample), "-o", str(out), "--force"], capsys)
        refused(code, err, "只读输出.xlsx", "只读")
        assert digests(folder) == before
    finally:
        for p in folder.iterdir():
            p.chmod(0o644)


def test_missing_folder_folder_as_file_and_long_names(sample: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = sample.parent
    table = write_clean(tmp_path / "自评表.xlsx")
    (folder / "是文件夹.xlsx").mkdir()
    (folder / "是文件夹.docx").mkdir()
    long_name = "长" * 90 + ".xlsx"  # 275 bytes: longer than a file name may be
    cases = [
        (["refresh", str(sample), "-o", str(folder / "没有的文件夹" / "x.xlsx")], ("没有的文件夹", "不存在")),
        (["report", str(sample), "-o", str(folder / "没有的文件夹" / "x.docx")], ("没有的文件夹", "不存在")),
        (["import", str(table), "-o", str(folder / "没有的文件夹" / "x.xlsx")], ("没有的文件夹", "不存在")),
        (["batch", str(folder), "-o", str(folder / "没有的文件夹" / "x.xlsx")], ("没有的文件夹", "不存在")),
        (["new", str(folder / "没有的文件夹" / "x.xlsx")], ("没有的文件夹", "不存在")),
        (["refresh", str(sample), "-o", str(folder / "是文件夹.xlsx")], ("是文件夹.xlsx", "是文件夹")),
        (["report", str(sample), "-o", str(folder / "是文件夹.docx")], ("是文件夹.docx", "是文件夹")),
        (["import", str(table), "-o", str(folder / "是文件夹.xlsx")], ("是文件夹.xlsx", "是文件夹")),
        (["new", str(folder / "是文件夹.xlsx")], ("是文件夹.xlsx", "是文件夹")),
        (["refresh", str(sample), "-o", str(folder / long_name)], ("过长",)),
        (["new", str(folder / long_name)], ("过长",)),
        (["score", str(folder / "是文件夹.xlsx")], ("是文件夹.xlsx", "是文件夹")),
        (["audit", str(folder / "是文件夹.xlsx")], ("是文件夹.xlsx", "是文件夹")),
    ]
    before = digests(tmp_path)
    for argv, words in cases:
        code, _o, err = run(argv, capsys)
        refused(code, err, *words)
        assert "Excel/WPS 中打开" not in err, (argv, err)  # not the misleading "file is open" guess
        assert digests(tmp_path) == before, argv


def test_corrupt_workbook_xml_is_damaged_for_every_command(sample: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    broken = sample.with_name("损坏.xlsx")
    with zipfile.ZipFile(sample) as zin, zipfile.ZipFile(broken, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data[: len(data) // 2] if info.filename == "xl/workbook.xml" else data)
    sample.unlink()
    before = digests(tmp_path)
    for argv in (["score", str(broken)], ["refresh", str(broken)], ["refresh", str(broken), "--in-place"],
                 ["report", str(broken)], ["import", str(broken)], ["audit", str(broken)]):
        code, _o, err = run(argv, capsys)
        refused(code, err, "损坏.xlsx", "已损坏")
        assert digests(tmp_path) == before, argv


# --------------------------------------------------------------------------------------------
# A. the lock: concurrent runs
# --------------------------------------------------------------------------------------------
HOLD_LOCK = """
import sys
from pathlib import Path
from jixiao.workbook import safe_write
from jixiao.workbook.errors import WorkbookInputError
lock = safe_write.Lock(safe_write.real_path(sys.argv[1]), sys.argv[1])
lock.acquire()
print("locked", flush=True)
sys.stdin.read()
lock.release()
"""


def test_a_run_holding_the_workbook_makes_the_second_exit_2(sample: Path) -> None:
    folder = sample.parent
    holder = subprocess.Popen([PYTHON, "-c", HOLD_LOCK, str(sample)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        before = digests(folder)
        proc = run_process("refresh", str(sample), "--in-place")
        refused(proc.returncode, proc.stderr, "评价.xlsx", "正由另一个 jixiao 进程处理", f"进程号 {holder.pid}",
                "锁文件")
        assert digests(folder) == before  # no backup, no output, the lock still the holder's
    finally:
        holder.communicate("", timeout=60)
    assert not list(folder.glob("~$*"))  # released by its holder


def test_two_concurrent_in_place_runs(sample: Path) -> None:
    """Two real processes on one workbook: they never interleave; the backup holds the ORIGINAL."""
    folder = sample.parent
    original = sample.read_bytes()
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    argv = [PYTHON, "-m", "jixiao.cli", "refresh", str(sample), "--in-place"]
    procs = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              encoding="utf-8") for _ in range(2)]
    outputs = [p.communicate(timeout=180) for p in procs]
    results = [(p.returncode, out, err) for p, (out, err) in zip(procs, outputs)]
    codes = sorted(code for code, _o, _e in results)
    assert codes in ([0, 2], [0, 0]), results
    for code, _out, err in results:
        if code == 2:
            refused(code, err, "评价.xlsx", "正由另一个 jixiao 进程处理")
        else:
            assert TRACEBACK not in err
    assert backup_path(sample).read_bytes() == original
    if codes == [0, 0]:  # they ran one after the other: the second backed up the first's output
        assert (folder / "评价.bak2.xlsx").read_bytes() != original
    assert load_workbook(sample, data_only=True)["汇总"]["B4"].value == pytest.approx(98.4)
    assert not [p.name for p in folder.iterdir() if p.name.startswith(("~$", ".~"))]


def test_a_lock_left_by_a_crashed_run_is_taken_over(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dead = subprocess.Popen([PYTHON, "-c", "pass"])
    dead.wait()
    lock = safe_write.lock_path(sample)
    lock.write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(), "time": time.time(),
                                "token": "crashed", "program": "jixiao"}), encoding="utf-8")
    code, _o, err = run(["refresh", str(sample), "--in-place"], capsys)
    assert code == 0, err
    assert not lock.exists()
    # a live holder (this test process) is respected
    lock.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "time": time.time(),
                                "token": "alive", "program": "jixiao"}), encoding="utf-8")
    before = digests(sample.parent)
    code, _o, err = run(["refresh", str(sample), "--in-place"], capsys)
    refused(code, err, "正由另一个 jixiao 进程处理", f"进程号 {os.getpid()}")
    assert digests(sample.parent) == before
    lock.unlink()


def test_kill_9_mid_run_loses_nothing_and_the_next_run_takes_over(sample: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    original = sample.read_bytes()
    lock = safe_write.lock_path(sample)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen([PYTHON, "-m", "jixiao.cli", "refresh", str(sample), "--in-place"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not lock.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert sample.read_bytes() == original or load_workbook(sample)  # the old file or a whole new one
    if lock.exists():  # killed while holding it: the lock of a dead process is taken over
        code, _o, err = run(["refresh", str(sample), "--in-place"], capsys)
        assert code == 0, err
        assert not lock.exists()
    assert backup_path(sample).read_bytes() == original or sample.read_bytes() == original


def test_a_workbook_saved_meanwhile_is_not_overwritten(sample: Path) -> None:
    """Excel saving the workbook while jixiao works on it: the later save wins, jixiao refuses."""
    with pytest.raises(WorkbookInputError, match="被其他程序修改"):
        with safe_write.target(sample, in_place=True) as t:
            with sample.open("ab") as fh:  # another program saves the workbook (in place, as Excel may)
                fh.write(b"\0")
            saved_by_excel = sample.read_bytes()
            safe_write.atomic_write(lambda tmp: tmp.write_bytes(b"jixiao"), t.path)
    assert sample.read_bytes() == saved_by_excel
    assert not backup_path(sample).exists() and not list(sample.parent.glob("~$*"))


def test_a_source_saved_during_refresh_is_not_turned_into_a_stale_output(
        sample: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The user saves the workbook in Excel while ``refresh`` (default output) works on it."""
    from jixiao.workbook import report_sheet

    draw = report_sheet.draw

    def draw_then_excel_saves(*args: object, **kwargs: object) -> None:
        draw(*args, **kwargs)
        with sample.open("ab") as fh:
            fh.write(b"\0")

    monkeypatch.setattr(report_sheet, "draw", draw_then_excel_saves)
    code, _o, err = run(["refresh", str(sample)], capsys)
    refused(code, err, "评价.xlsx", "被其他程序保存过")
    assert not default_output(sample).exists()
    assert sorted(p.name for p in sample.parent.iterdir()) == ["评价.xlsx"]


# --------------------------------------------------------------------------------------------
# B. the environment: permissions, full disk, pipes, special files
# --------------------------------------------------------------------------------------------
def test_permission_denied(sample: Path, tmp_path: Path, unprivileged: list[str]) -> None:
    folder = sample.parent
    table = write_clean(tmp_path / "自评表.xlsx")
    secret = tmp_path / "无权读取.xlsx"
    shutil.copy(sample, secret)
    secret.chmod(0)
    locked_folder = tmp_path / "只读文件夹"
    locked_folder.mkdir()
    shutil.copy(sample, locked_folder / "评价.xlsx")
    shutil.copy(table, locked_folder / "自评表.xlsx")
    locked_folder.chmod(0o555)
    try:
        before = digests(tmp_path)
        reads = [["score", str(secret)], ["refresh", str(secret)], ["audit", str(secret)], ["import", str(secret)],
                 ["report", str(secret)], ["check-report", str(sample), str(secret)]]
        for argv, (code, err) in zip(reads, run_many(reads, unprivileged)):
            refused(code, err, "无权读取.xlsx", "没有读取")
        inside = locked_folder / "评价.xlsx"
        writes = [["refresh", str(inside)], ["refresh", str(inside), "--in-place"], ["report", str(inside)],
                  ["import", str(locked_folder / "自评表.xlsx")], ["new", str(locked_folder / "新.xlsx")],
                  ["batch", str(locked_folder)], ["demo", str(locked_folder / "示例")],
                  ["refresh", str(sample), "-o", str(locked_folder / "输出.xlsx")]]
        for argv, (code, err) in zip(writes, run_many(writes, unprivileged)):
            refused(code, err, "没有写入权限")
        assert digests(tmp_path) == before
    finally:
        locked_folder.chmod(0o755)
        secret.chmod(0o644)


def test_file_size_limit_efbig(sample: Path, tmp_path: Path) -> None:
    """RLIMIT_FSIZE: the kernel fails every write past 20 KB with EFBIG, in the middle of a save."""
    folder = sample.parent
    refreshed = folder / "已评分.xlsx"
    assert run_process("refresh", str(sample), "-o", str(refreshed)).returncode == 0
    before = digests(tmp_path)
    limit = _limit_file_size(20_000)
    for argv in (["refresh", str(sample), "--in-place"], ["refresh", str(sample)],
                 ["report", str(refreshed)], ["new", str(folder / "新.xlsx")],
                 ["import", str(write_clean(tmp_path / "自评表.xlsx")), "-o", str(folder / "导入.xlsx")]):
        before = digests(tmp_path)
        proc = run_process(*argv, preexec=limit)
        refused(proc.returncode, proc.stderr, "超过系统允许的文件大小", "未作任何改动")
        assert proc.stderr.count("\n") == 1, proc.stderr  # one line, no "Exception ignored …"
        assert digests(tmp_path) == before, argv  # nothing replaced, no temporary file left behind


PAGE = 4096


def _pages(size: int) -> int:
    return -(-size // PAGE) * PAGE


@pytest.fixture
def small_disk(tmp_path: Path, sample_bytes: bytes) -> Path:
    """A tmpfs with room for the workbook, one backup and the lock file, not for more (the refreshed
    workbook is larger than the unscored one), where the runner may mount one; skipped otherwise."""
    mount = tmp_path / "小磁盘"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root: the full disk is covered by the RLIMIT_FSIZE case")
    size = 2 * _pages(len(sample_bytes)) + 2 * PAGE
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip("this runner may not mount a tmpfs: the full disk is covered by the RLIMIT_FSIZE case")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_disk_full_keeps_workbook_and_earlier_backup(small_disk: Path, sample_bytes: bytes,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = small_disk / "评价.xlsx"
    path.write_bytes(sample_bytes)
    # 1. room for the backup, not for the refreshed workbook: ENOSPC while saving it
    before = digests(small_disk)
    code, _o, err = run(["refresh", str(path), "--in-place"], capsys)
    refused(code, err, "评价.xlsx", "磁盘空间不足", "未作任何改动")
    assert digests(small_disk) == before  # the backup of this failed run is gone again, no temp file
    # 2. an earlier backup fills the disk: the next one cannot be written, the earlier one is intact
    earlier = backup_path(path)
    earlier.write_bytes(sample_bytes)
    before = digests(small_disk)
    code, _o, err = run(["refresh", str(path), "--in-place"], capsys)
    refused(code, err, "评价.xlsx", "备份", "磁盘空间不足")
    assert digests(small_disk) == before
    # 3. the default output
    earlier.unlink()
    before = digests(small_disk)
    code, _o, err = run(["refresh", str(path)], capsys)
    refused(code, err, "评价_已评分.xlsx", "磁盘空间不足")
    assert digests(small_disk) == before


def _large_workbook(tmp_path: Path) -> Path:
    import importlib.util

    from jixiao.workbook.template import save_workbook

    spec = importlib.util.spec_from_file_location("bench_refresh", Path(__file__).parents[1] / "benchmarks" / "refresh.py")
    bench = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    return save_workbook(bench.large_workbook(600), tmp_path / "大.xlsx")


def test_broken_pipe_is_exit_2_without_a_traceback(sample: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    big = _large_workbook(tmp_path)  # its JSON is larger than a pipe's buffer
    before = digests(tmp_path)
    command = f"'{PYTHON}' -m jixiao.cli score --json '{big}' | head -c 10; echo \" ${{PIPESTATUS[0]}}\""
    proc = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=180)
    assert proc.stdout.startswith("{") and proc.stdout.split()[-1] == "2", proc.stdout
    assert proc.stderr.strip() == "输出未写完：接收输出的程序已先关闭（如 | head），显示的结果不完整", proc.stderr
    # a reader that is gone before we write a word
    child = subprocess.Popen([PYTHON, "-m", "jixiao.cli", "score", str(sample)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    child.stdout.close()  # type: ignore[union-attr]
    stderr = child.stderr.read()  # type: ignore[union-attr]
    assert child.wait(timeout=120) == 2 and "输出未写完".encode() in stderr and b"Traceback" not in stderr, stderr
    assert digests(tmp_path) == before


def test_pipes_and_devices_are_not_files(sample: Path, tmp_path: Path) -> None:
    """A FIFO must not block a command (nobody writes to it); /dev/null is a device, not a workbook."""
    fifo_xlsx, fifo_docx = tmp_path / "管道.xlsx", tmp_path / "管道.docx"
    os.mkfifo(fifo_xlsx)
    os.mkfifo(fifo_docx)
    before = digests(tmp_path)
    cases = [(argv, "管道") for argv in (["score", str(fifo_xlsx)], ["refresh", str(fifo_xlsx)],
                                          ["refresh", str(fifo_xlsx), "--in-place"], ["report", str(fifo_xlsx)],
                                          ["import", str(fifo_xlsx)], ["audit", str(fifo_xlsx)],
                                          ["check-report", str(sample), str(fifo_docx)],
                                          ["refresh", str(sample), "-o", str(fifo_xlsx)],
                                          ["report", str(sample), "-o", str(fifo_docx)],
                                          ["new", str(fifo_xlsx)])]
    cases += [(argv, "设备文件") for argv in (["score", os.devnull], ["refresh", os.devnull], ["audit", os.devnull],
                                              ["import", os.devnull], ["report", os.devnull],
                                              ["refresh", str(sample), "-o", os.devnull])]
    for (argv, word), (code, err) in zip(cases, run_many([argv for argv, _ in cases], timeout=60)):
        refused(code, err, word, "不是普通文件")
        assert "找不到文件" not in err, (argv, err)
    assert digests(tmp_path) == before
