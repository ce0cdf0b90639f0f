"""Build ``jixiao.xlam`` reproducibly from the ribbon add-in template that xlwings ships.

    python -m jixiao.addin.build_xlam [OUT]      # default OUT: addin/jixiao.xlam

Steps
1. Run ``xlwings quickstart jixiao --addin --ribbon`` (as ``python -m xlwings.cli``) in a
   temporary directory and take the ``jixiao/jixiao.xlam`` it writes. In xlwings 0.37.8 this
   is a plain ``shutil.copyfile`` of ``xlwings/quickstart_addin_ribbon.xlam`` (cli.py,
   ``quickstart``): nothing inside the file is renamed, and it works on Linux without Excel.
   The ``jixiao.py`` stub quickstart writes next to it is discarded (it must never be shipped
   next to the add-in: that folder is put on ``sys.path`` and the stub would shadow the package).
2. Replace the ribbon part (the target of the ui/extensibility relationship in
   ``_rels/.rels``; for this template ``customUI/customUI.xml``) with ``addin/ribbon.xml``:
   tab 绩效评价 / group 评分 / large button 刷新评分 whose ``onAction`` is the template's own
   callback ``RibbonMyAddin.RunMain``. That VBA sub runs
   ``RunPython "import " & m & ";" & m & ".main()"`` with ``m`` = the add-in's file name
   without extension, hence the file must be called ``jixiao.xlam`` and ``jixiao.main()``
   must exist. The template has no other ribbon callback, so there is no second button.
3. Every other member (``xl/vbaProject.bin`` included) is copied verbatim: same order, same
   compression method and the same *compressed* bytes and CRC (raw copy, no re-deflate).

Determinism: all members get the DOS timestamp 1980-01-01 00:00:00 and the NTFS / extended
timestamp extra fields (0x000A / 0x5455) carried by the template are dropped. The new ribbon
part is *stored* (uncompressed; OPC allows stored and deflated items) so that the output does
not depend on the zlib implementation (zlib vs zlib-ng produce different deflate streams).
Two builds with the same xlwings version therefore give identical bytes.
"""

from __future__ import annotations

import argparse
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from jixiao.addin.xlam_info import (
    CUSTOMUI_NS_2006,
    module_name_from_workbook_name,
    parse_ribbon_xml,
    ribbon_part_name,
)

#: File stem of the add-in == importable top-level package the VBA will ``import``.
ADDIN_NAME = "jixiao"
DEFAULT_OUT = Path(__file__).resolve().with_name(f"{ADDIN_NAME}.xlam")

#: The only ribbon callback in xlwings' template VBA (module RibbonMyAddin, ``Sub RunMain(control As IRibbonControl)``).
TEMPLATE_CALLBACK = "RibbonMyAddin.RunMain"

#: DOS date/time written for every member.
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)

#: The ribbon part we ship (``addin/ribbon.xml``, kept as a file so an administrator can read it):
#: tab 绩效评价 / group 评分 / button 刷新评分, calling the template's one callback.
RIBBON_FILE = Path(__file__).resolve().with_name("ribbon.xml")
RIBBON_XML = RIBBON_FILE.read_bytes()

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_EOCD = struct.Struct("<4sHHHHIIH")
_TIME_EXTRAS = {0x000A, 0x5455}  # NTFS times, extended (Unix) timestamp


def _dos_date_time(dt: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = dt
    return (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2


def _strip_time_extras(extra: bytes) -> bytes:
    out, i = bytearray(), 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        block = extra[i : i + 4 + size]
        if tag not in _TIME_EXTRAS:
            out += block
        i += 4 + size
    return bytes(out + extra[i:])


@dataclass
class _Member:
    info: zipfile.ZipInfo
    raw: bytes  # compressed bytes exactly as in the source archive
    local_extra: bytes
    compress_type: int
    crc: int
    file_size: int


def xlwings_template() -> Path:
    """The template ``xlwings quickstart NAME --addin --ribbon`` copies (xlwings/cli.py)."""
    import xlwings

    return Path(xlwings.__file__).resolve().parent / "quickstart_addin_ribbon.xlam"


def run_quickstart(workdir: Path, name: str = ADDIN_NAME) -> Path:
    """Run ``xlwings quickstart NAME --addin --ribbon`` in ``workdir``; return the .xlam it made."""
    cmd = [sys.executable, "-m", "xlwings.cli", "quickstart", name, "--addin", "--ribbon"]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
    xlam = workdir / name / f"{name}.xlam"
    if proc.returncode != 0 or not xlam.is_file():
        raise RuntimeError(
            f"{' '.join(cmd[2:])} failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
        )
    return xlam


def _read_members(path: Path) -> list[_Member]:
    data = path.read_bytes()
    members = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.flag_bits & 0x08:
                raise ValueError(f"{info.filename}: data descriptors are not supported")
            if info.file_size >= 0xFFFFFFFF or info.header_offset >= 0xFFFFFFFF:
                raise ValueError(f"{info.filename}: zip64 is not supported")
            fields = _LOCAL.unpack_from(data, info.header_offset)
            if fields[0] != b"PK\x03\x04":
                raise ValueError(f"{info.filename}: bad local header")
            name_len, extra_len = fields[9], fields[10]
            start = info.header_offset + _LOCAL.size + name_len
            local_extra = data[start : start + extra_len]
            raw = data[start + extra_len : start + extra_len + info.compress_size]
            members.append(_Member(info, raw, local_extra, info.compress_type, info.CRC, info.file_size))
    return members


def _write_zip(members: list[_Member], out: Path) -> None:
    date, time = _dos_date_time(FIXED_DATE_TIME)
    body, central = bytearray(), bytearray()
    for m in members:
        info = m.info
        name = info.filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
        local_extra = _strip_time_extras(m.local_extra)
        central_extra = _strip_time_extras(info.extra)
        offset = len(body)
        body += _LOCAL.pack(
            b"PK\x03\x04", info.extract_version, info.flag_bits, m.compress_type, time, date,
            m.crc, len(m.raw), m.file_size, len(name), len(local_extra),
        )
        body += name + local_extra + m.raw
        central += _CENTRAL.pack(
            b"PK\x01\x02", info.create_system << 8 | info.create_version, info.extract_version,
            info.flag_bits, m.compress_type, time, date, m.crc, len(m.raw), m.file_size,
            len(name), len(central_extra), len(info.comment), 0, info.internal_attr,
            info.external_attr, offset,
        )
        central += name + central_extra + info.comment
    eocd = _EOCD.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(body), 0)
    out.write_bytes(bytes(body + central + eocd))


def build_from_template(template: Path, out_path: Path) -> Path:
    """Write ``out_path``: ``template`` with its ribbon part replaced by ``ribbon.xml``."""
    with zipfile.ZipFile(template) as zf:
        part = ribbon_part_name(zf)
        original = parse_ribbon_xml(zf.read(part), part=part)
    # Fail loudly if a future xlwings template changes what we rely on.
    if original.namespace != CUSTOMUI_NS_2006:
        raise RuntimeError(f"template ribbon namespace changed: {original.namespace}")
    if TEMPLATE_CALLBACK not in {action for _label, action in original.buttons}:
        raise RuntimeError(f"template ribbon no longer calls {TEMPLATE_CALLBACK}: {original.buttons}")

    ours = parse_ribbon_xml(RIBBON_XML, part=RIBBON_FILE.name)
    if ours.namespace != CUSTOMUI_NS_2006 or {action for _label, action in ours.buttons} != {TEMPLATE_CALLBACK}:
        raise RuntimeError(f"{RIBBON_FILE.name}: every button must call {TEMPLATE_CALLBACK} ({ours.buttons})")

    members = _read_members(template)
    for m in members:
        if m.info.filename == part:
            m.raw = RIBBON_XML
            m.compress_type = zipfile.ZIP_STORED
            m.crc = zlib.crc32(RIBBON_XML)
            m.file_size = len(RIBBON_XML)
            break
    else:
        raise RuntimeError(f"ribbon part {part} not found in {template}")

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    _write_zip(members, out_path)
    return out_path


def build(out_path: Path = DEFAULT_OUT) -> Path:
    """Build the add-in to ``out_path`` the way ``xlwings quickstart jixiao --addin --ribbon`` would
    start it, with our ribbon. Returns ``out_path``."""
    out_path = Path(out_path)
    if module_name_from_workbook_name(out_path.name) != ADDIN_NAME:
        # The VBA imports the module named after the file: any other name breaks the button.
        raise ValueError(f"the add-in must be named {ADDIN_NAME}.xlam, got {out_path.name}")
    with tempfile.TemporaryDirectory(prefix="jixiao-xlam-") as tmp:
        template = run_quickstart(Path(tmp))
        return build_from_template(template, out_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jixiao.addin.build_xlam", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "out", nargs="?", type=Path, default=DEFAULT_OUT, help=f"output path (default: {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    out = build(args.out)
    import hashlib

    print(f"{out}  sha256={hashlib.sha256(out.read_bytes()).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
