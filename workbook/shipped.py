"""The workbooks jixiao ships as files: two blank templates and the scored sample, in ``workbook/templates``.

A finance officer who opens the repository finds them there; ``jixiao new`` and ``jixiao demo`` copy
them instead of building them again.  They are built from the code by::

    python -m jixiao.workbook.shipped            # rebuild workbook/templates/ in a source checkout
    python -m jixiao.workbook.shipped --check    # exit 1 (and say what differs) when they are stale

Same bytes on every build: openpyxl stamps the save time into ``docProps/core.xml`` and into every
zip entry, so :func:`reproducible` rewrites the package with fixed dates (entries, data and order
unchanged).  Whether a packaged file is *current* is decided without building it: the manifest
(``templates/manifest.json``) records a digest of the code and data that built the files
(:func:`inputs_digest`); when the installed code gives another digest (an edited checkout), the
commands build afresh with the same functions, so a copy and a rebuild are the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
import zipfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Callable, Iterator

from . import layout as L

TEMPLATE_FILES: dict[str, str] = {L.KIND_DEPARTMENT: "空白模板-部门评价.xlsx", L.KIND_SELF: "空白模板-单位自评.xlsx"}
SAMPLE = "sample"
SAMPLE_WORKBOOK = "示例-2021年全市来穗人员服务项目-部门评价.xlsx"
#: key (a kind, or "sample") → file name in ``templates/``; the order is the build order.
FILES: dict[str, str] = {**TEMPLATE_FILES, SAMPLE: SAMPLE_WORKBOOK}
FOLDER = "templates"
MANIFEST = "manifest.json"
REBUILD_COMMAND = "python -m jixiao.workbook.shipped"

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
FIXED_DOC_TIME = "2021-01-01T00:00:00Z"  # docProps created/modified: the sample's evaluation year
_DOC_DATES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")

#: Packages whose code and data make the files (selfeval and the shipped files themselves do not).
_SOURCE_PACKAGES = ("jixiao", "jixiao.scoring", "jixiao.workbook")
_SOURCE_SUFFIXES = (".py", ".yaml")
_NOT_SOURCES = {"jixiao": ("cli",), "jixiao.workbook": ("selfeval", FOLDER)}


# --------------------------------------------------------------------------------------------
# Deterministic packages
# --------------------------------------------------------------------------------------------
def reproducible(data: bytes) -> bytes:
    """The same .xlsx with fixed dates: docProps created/modified and every zip entry's time.

    Entries keep their names, order and contents; each is deflated at zlib's default level with
    DOS attributes, so the bytes depend only on the contents (and on zlib's deflate, identical
    across the zlib releases Python ships; zlib-ng deflates differently).
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "docProps/core.xml":
                body = _DOC_DATES.sub(lambda mo: mo.group(1) + FIXED_DOC_TIME.encode() + mo.group(3), body)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # MS-DOS, as Excel writes; ZipInfo would say Unix or Windows by platform
            entry.external_attr = 0
            out.writestr(entry, body)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# What built them
# --------------------------------------------------------------------------------------------
def _sources() -> Iterator[tuple[str, Traversable]]:
    for package in _SOURCE_PACKAGES:
        root = resources.files(package)
        skip = _NOT_SOURCES.get(package, ())
        stack: list[tuple[str, Traversable]] = [("", root)]
        while stack:
            prefix, folder = stack.pop()
            for item in folder.iterdir():
                name = f"{prefix}{item.name}"
                if item.is_dir():
                    if name not in skip and item.name != "__pycache__":
                        stack.append((f"{name}/", item))
                elif item.name.endswith(_SOURCE_SUFFIXES):
                    yield f"{package}/{name}", item


def inputs_digest() -> str:
    """SHA-256 over the code and data that build the files (line endings normalised).

    Any edit to the engine, the workbook side or the sample changes it, whether or not the files
    would change: the staleness test then asks for a rebuild, which also confirms the bytes.
    """
    digest = hashlib.sha256()
    for name, item in sorted(_sources(), key=lambda pair: pair[0]):
        digest.update(name.encode() + b"\0" + item.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def _folder() -> Traversable:
    return resources.files("jixiao.workbook").joinpath(FOLDER)


def read_manifest() -> dict:
    try:
        return json.loads(_folder().joinpath(MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def current(key: str) -> bytes | None:
    """The packaged file's bytes when it is current (same build inputs, intact), else None."""
    manifest = read_manifest()
    name = FILES[key]
    expected = manifest.get("files", {}).get(name)
    if not expected or manifest.get("inputs") != inputs_digest():
        return None
    try:
        data = _folder().joinpath(name).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == expected else None


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------
def builders() -> dict[str, Callable[[], bytes]]:
    from .template import sample_bytes, template_bytes

    out: dict[str, Callable[[], bytes]] = {kind: (lambda kind=kind: template_bytes(kind)) for kind in TEMPLATE_FILES}
    out[SAMPLE] = sample_bytes
    return out


def build(key: str) -> bytes:
    return builders()[key]()


def build_all() -> dict[str, bytes]:
    """File name → bytes of every shipped workbook, built from the code now."""
    return {FILES[key]: make() for key, make in builders().items()}


def manifest_for(files: dict[str, bytes]) -> dict:
    return {
        "about": f"Built by `{REBUILD_COMMAND}`; do not edit. inputs = digest of the code and data that built them.",
        "inputs": inputs_digest(),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }


def _manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def stale(folder: Path) -> list[str]:
    """What differs between ``folder`` and a build from the code now (empty: current)."""
    built = build_all()
    problems: list[str] = []
    for name, data in built.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif path.read_bytes() != data:
            problems.append(f"{name}: {describe_difference(path.read_bytes(), data)}")
    manifest = folder / MANIFEST
    if not manifest.is_file() or manifest.read_bytes() != _manifest_bytes(manifest_for(built)):
        problems.append(f"{MANIFEST}: does not match the code (inputs digest or file hashes)")
    return problems


def describe_difference(old: bytes, new: bytes) -> str:
    """Which zip entries differ, so a stale file can be told from a different zlib."""
    try:
        a, b = zipfile.ZipFile(io.BytesIO(old)), zipfile.ZipFile(io.BytesIO(new))
    except zipfile.BadZipFile:
        return "not a zip package"
    if a.namelist() != b.namelist():
        return f"entries differ: {sorted(set(a.namelist()) ^ set(b.namelist()))} or their order"
    changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
    if changed:
        return "content differs in " + ", ".join(changed)
    return "same contents, different compressed bytes (zlib differs from the build machine's?)"


def write(folder: Path) -> list[Path]:
    """Build every file into ``folder`` and write the manifest; unchanged files are not rewritten."""
    built = build_all()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in {**built, MANIFEST: _manifest_bytes(manifest_for(built))}.items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            written.append(path)
    return written


def source_folder() -> Path:
    """``workbook/templates`` of the checkout this module runs from."""
    return Path(__file__).resolve().with_name(FOLDER)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = source_folder()
    if args == ["--check"]:
        problems = stale(folder)
        for line in problems:
            print(f"stale: {line}", file=sys.stderr)
        if problems:
            print(f"Run `{REBUILD_COMMAND}` and commit {folder}.", file=sys.stderr)
        return 1 if problems else 0
    if args:
        print(f"usage: {REBUILD_COMMAND} [--check]", file=sys.stderr)
        return 2
    written = write(folder)
    for path in written:
        print(f"written: {path}")
    if not written:
        print(f"up to date: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
