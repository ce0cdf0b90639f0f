"""Read-only inspection of an Excel add-in (``.xlam``): ribbon XML, VBA procedures, RunPython imports.

Used by ``tests/test_xlam.py`` and meant for a future ``jixiao addin-check`` command.

* :func:`read_ribbon` parses the ribbon part (``customUI/customUI.xml`` or ``customUI14.xml``,
  whichever ``_rels/.rels`` points at) with :mod:`xml.etree.ElementTree`.
* :func:`vba_procedures`, :func:`vba_source` read the compiled VBA project with ``oletools.olevba``
  (a *test* dependency; it is imported lazily, so importing this module never needs it).
* :func:`runpython_imports` finds the Python modules the VBA imports through ``RunPython``.

How the module name is derived
------------------------------
xlwings' ribbon add-in template (``quickstart_addin_ribbon.xlam``) does not contain a literal
``RunPython "import X; X.main()"``. Its ribbon callback, module ``RibbonMyAddin``, is::

    Sub RunMain(control As IRibbonControl)
        mymodule = Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))
        RunPython "import " & mymodule & ";" & mymodule & ".main()"
    End Sub

i.e. the module is the add-in's *file name* up to its last dot, computed at run time
(``ThisWorkbook`` is the add-in itself, not the workbook the user is looking at).
:func:`module_name_from_workbook_name` implements exactly that derivation, and
:func:`runpython_imports` applies it to the ``.xlam``'s file name (or to ``workbook_name=``).
So ``jixiao.xlam`` runs ``import jixiao;jixiao.main()``; a copy renamed to ``jixiao (1).xlam``
would run ``import jixiao (1);...`` and fail with a SyntaxError.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Union
from xml.etree import ElementTree as ET

XlamSource = Union[str, Path, IO[bytes]]

#: Root namespaces of the ribbon part: Office 2007 (``customUI.xml``) and Office 2010+ (``customUI14.xml``).
CUSTOMUI_NS_2006 = "http://schemas.microsoft.com/office/2006/01/customui"
CUSTOMUI_NS_2009 = "http://schemas.microsoft.com/office/2009/07/customui"
CUSTOMUI_NAMESPACES = (CUSTOMUI_NS_2006, CUSTOMUI_NS_2009)

#: Package relationship types that point at a ribbon part ([MS-OI29500] 3.4.1.3 / 3.4.1.4).
#: When both exist, Office applies only the 2007 one (the "CustomUI2" part).
REL_UI_EXTENSIBILITY_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
REL_UI_EXTENSIBILITY_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

VBA_PROJECT_PART = "xl/vbaProject.bin"


@dataclass
class RibbonInfo:
    """What the ribbon part of an add-in declares.

    ``tabs`` are tab labels, ``buttons`` are ``(label, onAction)`` pairs in document order
    (``onAction`` is ``""`` when a button has none). ``part`` is the zip member that was read,
    ``namespace`` the customUI namespace of its root element.
    """

    tabs: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    part: str = ""
    namespace: str = ""


class UnresolvedRunPython(ValueError):
    """A ``RunPython`` call whose command cannot be resolved statically."""


# --------------------------------------------------------------------------- ribbon


def _open_zip(xlam: XlamSource) -> zipfile.ZipFile:
    return zipfile.ZipFile(xlam if not isinstance(xlam, Path) else str(xlam))


def ribbon_part_name(zf: zipfile.ZipFile) -> str:
    """The zip member holding the ribbon XML Office will apply, found via ``_rels/.rels``."""
    rels = ET.fromstring(zf.read("_rels/.rels"))
    targets: dict[str, str] = {}
    for rel in rels.iter(f"{{{_RELS_NS}}}Relationship"):
        rel_type = rel.get("Type", "")
        if rel_type in (REL_UI_EXTENSIBILITY_2006, REL_UI_EXTENSIBILITY_2007):
            # Package-relationship targets are relative to the package root; "/x" is absolute.
            target = str(PurePosixPath("/", rel.get("Target", ""))).lstrip("/")
            targets[rel_type] = target
    for rel_type in (REL_UI_EXTENSIBILITY_2007, REL_UI_EXTENSIBILITY_2006):
        if rel_type in targets:
            return targets[rel_type]
    raise ValueError("no ribbon (ui/extensibility) relationship in _rels/.rels")


def parse_ribbon_xml(data: bytes, part: str = "") -> RibbonInfo:
    """Parse ribbon XML bytes (either customUI namespace) into a :class:`RibbonInfo`."""
    root = ET.fromstring(data)
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if namespace not in CUSTOMUI_NAMESPACES or root.tag != f"{{{namespace}}}customUI":
        raise ValueError(f"not a customUI document: root element {root.tag!r}")
    ns = f"{{{namespace}}}"
    tabs = [tab.get("label", "") for tab in root.iter(f"{ns}tab")]
    buttons = [(btn.get("label", ""), btn.get("onAction", "")) for btn in root.iter(f"{ns}button")]
    return RibbonInfo(tabs=tabs, buttons=buttons, part=part, namespace=namespace)


def read_ribbon(xlam: XlamSource) -> RibbonInfo:
    """Tabs and buttons declared by the ribbon part of ``xlam``."""
    with _open_zip(xlam) as zf:
        part = ribbon_part_name(zf)
        return parse_ribbon_xml(zf.read(part), part=part)


# --------------------------------------------------------------------------- VBA

_VB_NAME = re.compile(r'^\s*Attribute\s+VB_Name\s*=\s*"([^"]+)"', re.IGNORECASE | re.MULTILINE)
_PROC = re.compile(
    r"^[ \t]*(?:(?:Public|Private|Friend)[ \t]+)?(?:Static[ \t]+)?"
    r"(?:Sub|Function|Property[ \t]+(?:Get|Let|Set))[ \t]+([A-Za-z_][A-Za-z0-9_]*)",
    re.IGNORECASE | re.MULTILINE,
)


def _vba_modules(xlam: XlamSource) -> list[tuple[str, str]]:
    """``[(module name, source code)]`` in project order, read with oletools.olevba."""
    with warnings.catch_warnings():
        # oletools 0.60 uses pyparsing names deprecated in pyparsing 3.3; not our concern.
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser  # test/dev dependency; imported lazily on purpose

    if isinstance(xlam, (str, Path)):
        parser = VBA_Parser(str(xlam))
    else:
        data = xlam.read()
        parser = VBA_Parser("<xlam>", data=data)
    try:
        modules = []
        for _filename, _stream_path, vba_filename, code in parser.extract_macros():
            if isinstance(code, bytes):
                code = code.decode("latin-1")
            code = code.replace("\r\n", "\n").replace("\r", "\n")
            match = _VB_NAME.search(code)
            name = match.group(1) if match else Path(vba_filename).stem
            modules.append((name, code))
        return modules
    finally:
        parser.close()


def strip_vba_comment(line: str) -> str:
    """``line`` without a trailing ``'`` comment or a ``Rem`` statement (string literals respected)."""
    if re.match(r"^\s*Rem(\s|$)", line, re.IGNORECASE):
        return ""
    in_string = False
    for i, ch in enumerate(line):
        if ch == '"':
            in_string = not in_string  # a doubled "" inside a string toggles twice: still correct
        elif ch == "'" and not in_string:
            return line[:i]
    return line


def _code_without_comments(code: str) -> str:
    return "\n".join(strip_vba_comment(line) for line in code.split("\n"))


def vba_procedures(xlam: XlamSource) -> dict[str, list[str]]:
    """``{module name: [Sub/Function/Property names]}`` of the add-in's VBA project.

    ``Declare ... Function`` (DLL imports) are not procedures and are not listed.
    """
    return {
        name: _PROC.findall(_code_without_comments(code)) for name, code in _vba_modules(xlam)
    }


def vba_source(xlam: XlamSource) -> str:
    """All VBA modules' source (LF line endings), each preceded by ``'=== <module> ===``."""
    return "".join(f"'=== {name} ===\n{code}" for name, code in _vba_modules(xlam))


def find_procedure(procedures: dict[str, list[str]], macro: str) -> tuple[str, str] | None:
    """Resolve a ribbon ``onAction`` name (``"Module.Proc"`` or ``"Proc"``) to ``(module, proc)``.

    VBA names are case-insensitive, and so is this lookup.
    """
    if "." in macro:
        module, proc = macro.rsplit(".", 1)
        candidates = [(m, p) for m, ps in procedures.items() if m.lower() == module.lower() for p in ps]
    else:
        proc = macro
        candidates = [(m, p) for m, ps in procedures.items() for p in ps]
    for m, p in candidates:
        if p.lower() == proc.lower():
            return m, p
    return None


# --------------------------------------------------------------------------- RunPython


def module_name_from_workbook_name(workbook_name: str) -> str:
    """The VBA expression ``Left(n, InStrRev(n, ".", -1, vbTextCompare) - 1)`` for ``n = ThisWorkbook.Name``.

    Everything before the *last* dot of the file name: ``"jixiao.xlam" -> "jixiao"``,
    ``"a.b.xlam" -> "a.b"``. Without a dot VBA would raise run-time error 5 (``Left(n, -1)``);
    here that is a ``ValueError``. No case folding: ``"Jixiao.xlam" -> "Jixiao"``, and Python
    imports are case-sensitive.
    """
    name = PurePosixPath(workbook_name.replace("\\", "/")).name
    if "." not in name:
        raise ValueError(f"workbook name without an extension: {workbook_name!r}")
    return name.rsplit(".", 1)[0]


_RUNPYTHON_LITERAL = re.compile(
    r'\bRunPython\b\s*\(?\s*"\s*import\s+([A-Za-z_][\w.]*)', re.IGNORECASE
)
_RUNPYTHON_VARIABLE = re.compile(
    r'\bRunPython\b\s*\(?\s*"\s*import\s*"\s*&\s*([A-Za-z_]\w*)', re.IGNORECASE
)
_THISWORKBOOK_STEM = re.compile(
    r'^Left\s*\(\s*ThisWorkbook\.Name\s*,\s*\(?\s*InStrRev\s*\(\s*ThisWorkbook\.Name\s*,\s*"\."'
    r"[^)]*\)\s*-\s*1\s*\)?\s*\)$",
    re.IGNORECASE,
)


def runpython_imports(xlam: XlamSource, workbook_name: str | None = None) -> list[str]:
    """Modules imported by the ``RunPython "import X; ..."`` calls of the VBA project, in order.

    Literal commands (``RunPython "import foo; foo.main()"``) give ``foo``. A command built
    from a variable assigned ``Left(ThisWorkbook.Name, InStrRev(ThisWorkbook.Name, ".") - 1)``
    (what xlwings' ribbon template does) gives :func:`module_name_from_workbook_name` of
    ``workbook_name``, defaulting to the file name of ``xlam``. Comments are ignored, so the
    example in xlwings' own ``RunPython`` docstring comment is not reported.

    Raises :class:`UnresolvedRunPython` for a ``RunPython "import " & x`` whose ``x`` is not
    derived that way.
    """
    if workbook_name is None and isinstance(xlam, (str, Path)):
        workbook_name = Path(xlam).name
    found: list[str] = []
    for module, code in _vba_modules(xlam):
        assignments: dict[str, str] = {}
        for line in _code_without_comments(code).split("\n"):
            stmt = line.strip()
            assign = re.match(r"^(?:Let\s+)?([A-Za-z_]\w*)\s*=\s*(.+)$", stmt, re.IGNORECASE)
            if assign and not re.match(r"^(?:If|ElseIf|Set|Const|Dim)\b", stmt, re.IGNORECASE):
                assignments[assign.group(1).lower()] = assign.group(2).strip()
            literal = _RUNPYTHON_LITERAL.search(stmt)
            if literal:
                found.append(literal.group(1))
                continue
            variable = _RUNPYTHON_VARIABLE.search(stmt)
            if variable:
                expr = assignments.get(variable.group(1).lower(), "")
                if not _THISWORKBOOK_STEM.match(expr):
                    raise UnresolvedRunPython(
                        f"{module}: RunPython built from {variable.group(1)} = {expr or '?'!s}"
                    )
                if workbook_name is None:
                    raise UnresolvedRunPython(
                        f"{module}: module comes from ThisWorkbook.Name; pass workbook_name="
                    )
                found.append(module_name_from_workbook_name(workbook_name))
    return found
