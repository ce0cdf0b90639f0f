"""What is inside an .xlsx/.xlsm package, so a save never silently drops the user's things.

openpyxl rewrites the whole package on save and keeps only what it models: sheets, tables, charts,
pictures, comments, data validation, defined names, pivot tables and (with ``keep_vba``) the VBA
project.  Text boxes and shapes, slicers, sparklines, extended data validation, form controls and
more are dropped without a word.  Two checks protect the user:

* ``unsupported_features`` looks inside the original for things we know openpyxl drops even though
  the part that holds them survives (a drawing with shapes, a worksheet ``extLst``) - refuse early;
* ``inventory`` counts the package parts by kind (content type), excluding the sheets jixiao owns,
  before and after the save; ``lost_parts`` names every kind whose count went down - refuse before
  the temporary file replaces anything.

Parts that carry nothing of the user's (calcChain, printer settings, chart style/colour presets,
the thumbnail) are ignored: Excel rebuilds or does without them.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Iterable
from xml.etree import ElementTree as ET

from . import messages as msg

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"

# (substring of the content type or path, kind). First match wins; kind None = not counted.
_KINDS: tuple[tuple[str, str | None], ...] = (
    ("chartstyle", None), ("chartcolorstyle", None), ("drawingml.chartshapes", "chart"),
    ("drawingml.chart+xml", "chart"), ("spreadsheetml.chartsheet", "chartsheet"),
    ("diagram", "smartart"), ("drawing+xml", "drawing"), ("vmldrawing", "vml"),
    ("threadedcomments", "threaded_comments"), ("spreadsheetml.comments", "comments"),
    ("spreadsheetml.person", "person"), ("vbaprojectsignature", "signature"), ("vbaproject", "vba"),
    ("pivottable+xml", "pivot_table"), ("pivotcachedefinition", "pivot_cache"),
    ("pivotcacherecords", "pivot_cache"), ("slicercache", "slicer_cache"), ("slicer+xml", "slicer"),
    ("timelinecache", "timeline_cache"), ("timeline+xml", "timeline"), ("externallink", "external_link"),
    ("spreadsheetml.table+xml", "table"), ("querytable", "query_table"), ("connections", "connections"),
    ("ctrlprop", "ctrl_prop"), ("activex", "activex"), ("oleobject", "embedding"), ("/embeddings/", "embedding"),
    ("customxml", "custom_xml"), ("digital-signature", "signature"), ("richdata", "rich_data"),
    ("rdrichvalue", "rich_data"), ("rdarray", "rich_data"), ("rdsupportingpropertybag", "rich_data"),
    ("webextension", "web_extension"), ("taskpane", "web_extension"), ("sheetmetadata", "sheet_metadata"),
    ("customui", "custom_ui"), ("xl/model/", "model"), ("macrosheet", "macrosheet"),
    ("dialogsheet", "dialogsheet"), ("worksheet+xml", "worksheet"), ("custom-properties", "custom_props"),
    ("printersettings", None), ("calcchain", None), ("docprops/thumbnail", None), ("image/", "image"),
)

# worksheet <extLst> entries by URI → kind (openpyxl drops the whole extLst)
_EXT_URIS = {
    "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}": "ext_data_validation",
    "{78C0D931-6437-407D-A8EE-F0AAD7539E65}": "ext_conditional_format",
    "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}": "sparkline",
    "{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}": "ext_slicer_list",
    "{3A4CF648-6AED-40F4-86FF-DC5316D8AED3}": "ext_slicer_list",
    "{7E03D99C-DC04-49D9-9315-930204A7B6E9}": "timeline",
    "{F7C9EE02-42E1-4005-9D12-6889AFFD525C}": "web_extension",
}
_SHAPE_RE = re.compile(rb"<(?:\w+:)?(?:sp|grpSp|cxnSp|AlternateContent)[\s>/]")
_EXT_RE = re.compile(rb"<(?:\w+:)?ext\b[^>]*\buri=\"([^\"]+)\"")
_EXTLST_RE = re.compile(rb"<(?:\w+:)?extLst[\s>]")
_SHEET_FEATURES = (
    (re.compile(rb"<(?:\w+:)?controls[\s>]"), "ctrl_prop"),
    (re.compile(rb"<(?:\w+:)?oleObjects[\s>]"), "embedding"),
    (re.compile(rb"<(?:\w+:)?legacyDrawingHF[\s>/]"), "header_footer_image"),
    (re.compile(rb"<(?:\w+:)?picture\s[^>]*r:id="), "sheet_background"),
)


def kind_text(kind: str) -> str:
    if kind.startswith("ext:"):
        return msg.PART_KINDS["ext_other"].format(uri=kind[4:])
    return msg.PART_KINDS.get(kind, kind)


# --------------------------------------------------------------------------------------------
class Package:
    """Read-only view of the zip: content types, relationships, sheet → part."""

    def __init__(self, path: Path) -> None:
        self.zf = zipfile.ZipFile(path)
        self.names = [n for n in self.zf.namelist() if not n.endswith("/")]
        self._defaults: dict[str, str] = {}
        self._overrides: dict[str, str] = {}
        root = ET.fromstring(self.zf.read("[Content_Types].xml"))
        for el in root:
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "Default":
                self._defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
            elif tag == "Override":
                self._overrides[el.get("PartName", "").lstrip("/")] = el.get("ContentType", "")

    def close(self) -> None:
        self.zf.close()

    def content_type(self, name: str) -> str:
        if name in self._overrides:
            return self._overrides[name]
        return self._defaults.get(name.rsplit(".", 1)[-1].lower(), "")

    def rels(self, part: str) -> list[str]:
        folder, base = posixpath.split(part)
        rel_name = posixpath.join(folder, "_rels", base + ".rels")
        if rel_name not in self.names:
            return []
        out = []
        for el in ET.fromstring(self.zf.read(rel_name)):
            if el.get("TargetMode") == "External":
                continue
            target = el.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out.append(path)
        return out

    def sheet_parts(self) -> dict[str, str]:
        """Sheet name → part name, from the workbook part."""
        wb_part = next((n for n in self.names if re.fullmatch(r"xl/workbook\d*\.xml", n)), "xl/workbook.xml")
        if wb_part not in self.names:
            return {}
        folder, base = posixpath.split(wb_part)
        rel_name = posixpath.join(folder, "_rels", base + ".rels")
        targets = {}
        if rel_name in self.names:
            for el in ET.fromstring(self.zf.read(rel_name)):
                t = el.get("Target", "")
                targets[el.get("Id")] = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join(folder, t))
        out = {}
        root = ET.fromstring(self.zf.read(wb_part))
        for sheet in root.iter(f"{{{NS_MAIN}}}sheet"):
            rid = sheet.get(f"{{{NS_REL}}}id")
            if rid in targets:
                out[sheet.get("name", "")] = targets[rid]
        return out

    def closure(self, parts: Iterable[str]) -> set[str]:
        """The parts and everything they reach through relationships (drawings, charts, media …)."""
        seen: set[str] = set()
        todo = [p for p in parts if p in self.names]
        while todo:
            p = todo.pop()
            if p in seen:
                continue
            seen.add(p)
            todo.extend(t for t in self.rels(p) if t in self.names and t not in seen)
        return seen

    def owned_parts(self, owned: Iterable[str]) -> set[str]:
        sheets = self.sheet_parts()
        return self.closure(sheets[n] for n in owned if n in sheets)


def part_kind(name: str, content_type: str) -> str | None:
    key = (content_type + " " + name).lower()
    if name.startswith("customXml/"):
        return "custom_xml"
    for needle, kind in _KINDS:
        if needle in key:
            return kind
    return None


def inventory(path: str | Path, owned: Iterable[str] = ()) -> Counter[str]:
    """Number of parts per kind, not counting those reachable from the ``owned`` sheets."""
    pkg = Package(Path(path))
    try:
        mine = pkg.owned_parts(owned)
        counts: Counter[str] = Counter()
        for name in pkg.names:
            if name in mine or name.endswith(".rels") or name == "[Content_Types].xml":
                continue
            kind = part_kind(name, pkg.content_type(name))
            if kind == "custom_props" and b"<property" not in pkg.zf.read(name).replace(b"<op:property", b"<property"):
                continue  # an empty custom-properties part (LibreOffice writes one) holds nothing to lose
            if kind:
                counts[kind] += 1
        return counts
    finally:
        pkg.close()


def unsupported_features(path: str | Path, owned: Iterable[str] = ()) -> list[str]:
    """Chinese names of things in the file that openpyxl would drop although their part survives."""
    pkg = Package(Path(path))
    found: dict[str, int] = {}
    try:
        mine = pkg.owned_parts(owned)
        for name in pkg.names:
            if name in mine:
                continue
            kind = part_kind(name, pkg.content_type(name))
            if kind == "drawing":
                n = len(_SHAPE_RE.findall(pkg.zf.read(name)))
                if n:
                    found["shape"] = found.get("shape", 0) + n
            elif kind == "worksheet":
                data = pkg.zf.read(name)
                for pattern, feature in _SHEET_FEATURES:
                    if pattern.search(data):
                        found[feature] = found.get(feature, 0) + 1
                if _EXTLST_RE.search(data):
                    for uri in _EXT_RE.findall(data):
                        u = uri.decode("ascii", "replace").upper()
                        feature = _EXT_URIS.get(u, "ext:" + u)
                        found[feature] = found.get(feature, 0) + 1
            elif kind in ("slicer", "slicer_cache", "timeline", "timeline_cache", "smartart", "threaded_comments",
                          "rich_data", "web_extension", "model", "macrosheet", "dialogsheet", "query_table",
                          "connections", "sheet_metadata"):
                found[kind] = found.get(kind, 0) + 1
    finally:
        pkg.close()
    return [kind_text(k) for k in found]


def lost_parts(before: Counter[str], after: Counter[str]) -> list[str]:
    """Kinds whose part count went down, as Chinese "图表（2→1）"."""
    return [f"{kind_text(k)}（{n}→{after.get(k, 0)}）" for k, n in sorted(before.items()) if after.get(k, 0) < n]
