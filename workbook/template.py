"""Build the evaluation workbook: the blank template of each kind and the built-in sample.

Everything the template spells (sheets, headers, dropdowns, named cells) comes from ``layout``;
this module decides how it looks: real Excel tables, dropdowns, number formats, frozen headers,
widths, A4 print setup, white input cells and grey computed cells.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from .. import __version__
from ..scoring import Params, load_pack
from ..scoring import model as m
from ..scoring.params import PARAM_LABELS
from . import decorate as D
from . import layout as L
from . import messages as msg
from . import safe_write, shipped
from .books import atomic_save, set_cell
from .errors import WorkbookInputError

VALIDATION_ROWS = 1000  # dropdowns and input messages cover this many rows below the header

# --------------------------------------------------------------------------------------------
# Default indicator structures
# --------------------------------------------------------------------------------------------
_CHECK = m.METHOD_LABELS["checklist"]
_HIGHER = m.METHOD_LABELS["higher"]
_BUDGET = m.METHOD_LABELS["budget_execution"]

# DOMAIN.md §2: the 部门评价 framework, 4 一级 / 10 二级 / 17 三级; 分值 left to the evaluation
DEPARTMENT_FRAMEWORK: tuple[dict[str, Any], ...] = tuple(
    {m.LEVEL1: a, m.LEVEL2: b, m.LEVEL3: c, **extra}
    for a, b, c, extra in (
        ("决策", "项目立项", "立项依据充分性", {m.METHOD: _CHECK}),
        ("决策", "项目立项", "立项程序规范性", {m.METHOD: _CHECK}),
        ("决策", "绩效目标", "绩效目标合理性", {m.METHOD: _CHECK}),
        ("决策", "绩效目标", "绩效指标明确性", {m.METHOD: _CHECK}),
        ("决策", "资金投入", "预算编制科学性", {m.METHOD: _CHECK}),
        ("决策", "资金投入", "资金分配合理性", {m.METHOD: _CHECK}),
        ("过程", "资金管理", "资金到位率", {m.METHOD: _HIGHER, m.TARGET: "100%", m.SOURCE: m.RATE_FUNDS_RECEIVED}),
        ("过程", "资金管理", "预算执行率", {m.METHOD: _HIGHER, m.TARGET: "100%", m.SOURCE: m.RATE_EXECUTION}),
        ("过程", "资金管理", "资金使用合规性", {m.METHOD: _CHECK}),
        ("过程", "组织实施", "管理制度健全性", {m.METHOD: _CHECK}),
        ("过程", "组织实施", "制度执行有效性", {m.METHOD: _CHECK}),
        ("产出", "产出数量", "实际完成率", {}),
        ("产出", "产出质量", "质量达标率", {}),
        ("产出", "产出时效", "完成及时性", {}),
        ("产出", "产出成本", "成本节约率", {}),
        ("效益", "项目效益", "实施效益", {}),
        ("效益", "项目效益", "满意度", {}),
    )
)

# DOMAIN.md §3: the national 单位自评 table, default weights 10 / 50 / 30 / 10
SELF_EVALUATION_WEIGHTS: dict[str, float] = {"预算执行率": 10, "产出指标": 50, "效益指标": 30, "满意度指标": 10}
SELF_EVALUATION: tuple[dict[str, Any], ...] = tuple(
    {m.LEVEL1: a, m.LEVEL2: b, m.LEVEL3: c, **extra}
    for a, b, c, extra in (
        ("预算执行率", "预算执行率", "预算执行率",
         {m.WEIGHT: 10, m.METHOD: _BUDGET, m.SOURCE: m.RATE_EXECUTION}),
        ("产出指标", "数量指标", None, {}),
        ("产出指标", "质量指标", None, {}),
        ("产出指标", "时效指标", None, {}),
        ("产出指标", "成本指标", None, {}),
        ("效益指标", "经济效益指标", None, {}),
        ("效益指标", "社会效益指标", None, {}),
        ("效益指标", "生态效益指标", None, {}),
        ("效益指标", "可持续影响指标", None, {}),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", {m.WEIGHT: 10}),
    )
)
STRUCTURES: dict[str, tuple[dict[str, Any], ...]] = {
    L.KIND_DEPARTMENT: DEPARTMENT_FRAMEWORK, L.KIND_SELF: SELF_EVALUATION, "财政评价": DEPARTMENT_FRAMEWORK,
}
BANNERS: dict[str, str] = {
    L.KIND_DEPARTMENT: "部门评价指标框架（4个一级、10个二级、17个三级指标）：请按本次评价填写分值（产出＋效益不低于60分）、目标值、实际值等。",
    L.KIND_SELF: "单位自评默认分值：预算执行率10分、产出指标50分、效益指标30分、满意度指标10分；请填写三级指标名称并分配分值。",
}
INDICATOR_LEGEND = "　白色为填写区；灰色列为自动计算，运行“刷新”后生成。"

GUIDE_LINES: tuple[tuple[str, str], ...] = (
    ("title", "项目支出绩效评价工作簿（jixiao 绩效）"),
    ("text", "版本：jixiao {version}　　依据：财政部《项目支出绩效评价管理办法》（财预〔2020〕10号）"),
    ("section", "使用步骤"),
    ("text", "1. 在“项目信息”中填写项目名称、年度、单位和资金情况（万元），以及报告所需的文字。"),
    ("text", "2. 在“指标体系”中逐行填写指标：一级、二级、三级指标名称，分值，评分方法，目标值，实际值等。"),
    ("text", "   三级指标由若干明细指标合计时，先写一行三级指标（不填分值），其下每行写一个明细指标。"),
    ("text", "3. 如需调整评分规则（等级划分、超目标预警阈值等），修改“评分参数”。"),
    ("text", "4. 刷新：命令行运行 jixiao refresh 本文件.xlsx（生成“…_已评分.xlsx”），或在 Excel 中点击“绩效评价”选项卡的“刷新”。"),
    ("text", "5. 查看“指标体系”灰色列（得分、评分说明、预警）和“汇总”工作表，按预警补充偏差原因后再次刷新。"),
    ("section", "图例"),
    ("input", "白色单元格：由评价人员填写"),
    ("computed", "灰色单元格：自动计算，请勿手工填写（刷新时会被覆盖）"),
    ("warning", "橙色单元格：有预警，需要关注或说明原因"),
    ("section", "评分方法"),
    ("text", "正向指标：达到目标得满分，未达到按 实际/目标 计分；超目标20%以上需说明原因。"),
    ("text", "反向指标：不超过目标得满分，超过部分按比例扣减（2倍目标得0分）；反比计分＝分值×目标/实际。"),
    ("text", "定性分档：达成年度指标 80%–100%，部分达成 60%–80%，未达成 0–60%，由评价人在档内打分。"),
    ("text", "扣分制：分值减去“评价人打分/扣分”列的扣分（可写 1+0.5），最低0分。"),
    ("text", "分段计分：按“评分标准”列的分段，如 ≤0%:100%; ≤5%:80%; ≤10%:60%; 其他:0。"),
    ("text", "预算执行率计分：分值×预算执行率；“比率来源”选择资金比率时，实际值自动取自“项目信息”。数据来源、佐证材料写在“数据来源/佐证材料”列，不参与计算。"),
    ("text", "按期完成（时限）：按期得满分；逾期得0分，或在“评分标准”中按逾期天数分段，如 ≤30天:80%; ≤60天:60%; 其他:0。"),
    ("text", "按实际比率计分：分值×实际完成比率（不论目标），以分值为限，如 98% 得 20×98%=19.6 分。"),
    ("text", "加分项：评价人在“评价人打分/扣分”列填加分，不占分值；须在“评分参数”中设置“加分上限”（默认0，即不加分）。"),
    ("text", "评价人扣分：按规则计分的指标（正向、反向、时限、分段等）在“评价人打分/扣分”列填的数为扣分，最低0分，须在“偏差原因”中写明理由。"),
    ("text", "分值只写在一级、二级指标上时（如“产出指标（50分）”，或只填一级/二级名称和分值的一行），由其下未填分值的三级指标平均分配，尾差计入最后一项。"),
    ("text", "目标值可直接写“≥90%”“6万份”“12月底前”等；以“=”开头的内容会按文字保存，不会变成公式。"),
    ("text", "目标为百分比时，实际值请带“%”（或设为百分比格式）；写“85”而不带“%”会提示核对，不会当作8500%。"),
    ("section", "等级"),
    ("text", "总分100分：优 ≥90，良 80–<90，中 60–<80，差 <60（可在“评分参数”中修改，如 优秀:90; 良好:80; 合格:60）。"),
    ("text", "各指标分值合计须为100分；不适用指标按适用分值折算为百分制，其他情况下合计不为100分时不评定总分和等级。"),
    ("text", "得分保留小数位和取舍方式（四舍五入/截尾）可在“评分参数”中设置。"),
)


# --------------------------------------------------------------------------------------------
def new_workbook(kind: str = L.KIND_DEPARTMENT, params: Params | None = None,
                 project: Mapping[str, Any] | None = None,
                 indicators: Iterable[Mapping[str, Any]] | None = None, banner: str | None = None) -> Workbook:
    """A complete evaluation workbook in memory. ``indicators`` defaults to the kind's structure."""
    wb = Workbook()
    wb.properties.creator = "jixiao"  # not openpyxl: the author a user sees in 文件 › 信息
    D.set_default_font(wb)
    wb.remove(wb.active)
    for name in L.SHEET_ORDER:
        wb.create_sheet(name)
    project = dict(project or {})
    project.setdefault("kind", kind)
    rows = list(indicators) if indicators is not None else [dict(r) for r in STRUCTURES.get(kind, DEPARTMENT_FRAMEWORK)]
    _guide(wb[L.SHEET_GUIDE])
    _project(wb, wb[L.SHEET_PROJECT], project)
    _indicators(wb[L.SHEET_INDICATORS], rows, banner or BANNERS.get(kind, BANNERS[L.KIND_DEPARTMENT]))
    _params(wb[L.SHEET_PARAMS], params or Params())
    _empty_summary(wb[L.SHEET_SUMMARY])
    wb.active = wb.index(wb[L.SHEET_INDICATORS])
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == L.SHEET_INDICATORS
    return wb


def _title(ws: Any, text: str, width_cols: int) -> None:
    cell = ws.cell(row=L.TITLE_ROW, column=1)
    set_cell(cell, text)
    cell.font = D.font(12, bold=True, color="FF1F4E79")
    cell.alignment = Alignment(vertical="center")
    ws.row_dimensions[L.TITLE_ROW].height = 24


def _guide(ws: Any) -> None:
    ws.sheet_view.showGridLines = False
    ws.column_dimensions["A"].width = 4
    ws.column_dimensions["B"].width = 110
    fills = {"input": PatternFill("solid", fgColor=L.FILL_INPUT), "computed": D.FILL_COMPUTED,
             "warning": PatternFill("solid", fgColor=L.FILL_WARNING)}
    for i, (role, text) in enumerate(GUIDE_LINES, start=1):
        cell = ws.cell(row=i, column=2)
        set_cell(cell, text.format(version=__version__))
        cell.alignment = Alignment(vertical="center", wrap_text=True)

        if role == "title":
            cell.font = D.font(16, bold=True, color="FF1F4E79")
            ws.row_dimensions[i].height = 30
        elif role == "section":
            cell.font = D.font(12, bold=True, color="FF1F4E79")
            cell.fill = D.FILL_SECTION
            ws.row_dimensions[i].height = 20
        else:
            cell.font = D.font()
        if role in fills:
            swatch = ws.cell(row=i, column=1)
            swatch.fill = fills[role]
            swatch.border = D.BORDER
        if role == "text":  # a long rule wraps: the row gets the lines it needs (LibreOffice/WPS do not auto-fit)
            D.fit_row_heights(ws, i, i)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _dropdown(ws: Any, choices: Iterable[str], ref: str, prompt: str = "") -> None:
    formula = '"' + ",".join(choices) + '"'
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False, showErrorMessage=True)
    dv.error = "请从下拉列表中选择"
    dv.errorTitle = "输入无效"
    dv.errorStyle = "warning"  # warn but allow: people paste aliases the engine also accepts
    if prompt:
        dv.prompt = prompt
        dv.showInputMessage = True
    dv.add(ref)
    ws.add_data_validation(dv)


def _prompt(ws: Any, ref: str, prompt: str, title: str = "") -> None:
    dv = DataValidation(allow_blank=True, showInputMessage=True, prompt=prompt, promptTitle=title or None)
    dv.add(ref)
    ws.add_data_validation(dv)


def _project(wb: Any, ws: Any, project: Mapping[str, Any]) -> None:
    _title(ws, "项目信息" + "　（资金单位：万元；“内容”列为填写区）", 4)
    D.header_row(ws, L.HEADER_ROW, [(h, False) for h in L.PROJECT_HEADERS])
    for j, width in enumerate(L.PROJECT_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    base = D.font()
    for i, f in enumerate(L.PROJECT_FIELDS):
        r = L.FIRST_DATA_ROW + i
        value = _get(project, f.id)
        for j, v in enumerate((f.group, f.label, value, f.note), start=1):
            cell = ws.cell(row=r, column=j)
            set_cell(cell, v)
            cell.font = D.font(bold=j == 2) if j == 2 else (D.font(9, color="FF7F7F7F") if j == 4 else base)
            cell.border = D.BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=j in (3, 4))
            if j in (1, 2):
                cell.fill = D.FILL_LABEL
        value_cell = ws.cell(row=r, column=L.PROJECT_VALUE_COL)
        value_cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        if f.kind == "number":
            value_cell.number_format = "#,##0.00"
        if f.kind == "choice" and f.choices:
            _dropdown(ws, f.choices, value_cell.coordinate)
        wb.defined_names[f.name] = DefinedName(f.name, attr_text=L.abs_ref(L.SHEET_PROJECT, r, L.PROJECT_VALUE_COL))
    last = L.FIRST_DATA_ROW + len(L.PROJECT_FIELDS) - 1
    D.fit_row_heights(ws, L.FIRST_DATA_ROW, last)
    D.add_table(ws, L.TABLE_PROJECT, f"A{L.HEADER_ROW}:{get_column_letter(len(L.PROJECT_HEADERS))}{last}")
    ws.freeze_panes = f"A{L.FIRST_DATA_ROW}"
    _print_setup(ws, landscape=False)


def _get(mapping: Mapping[str, Any], dotted: str) -> Any:
    value: Any = mapping
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _indicators(ws: Any, rows: list[Mapping[str, Any]], banner: str) -> None:
    columns = L.INDICATOR_COLUMNS
    _title(ws, banner + INDICATOR_LEGEND, len(columns))
    D.header_row(ws, L.HEADER_ROW, [(c.header, c.computed) for c in columns])
    ws.row_dimensions[L.HEADER_ROW].height = 30
    for j, c in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = c.width
    first = L.FIRST_DATA_ROW
    for i, row in enumerate(rows):
        for j, c in enumerate(columns, start=1):
            if c.computed:
                continue
            set_cell(ws.cell(row=first + i, column=j), row.get(c.id))
    n = max(len(rows) + 10, L.TEMPLATE_ROWS)
    last = first + n - 1
    D.style_indicator_rows(ws, first, last)
    D.fit_row_heights(ws, first, first + len(rows) - 1)
    last_col = get_column_letter(len(columns))
    D.add_table(ws, L.TABLE_INDICATORS, f"A{L.HEADER_ROW}:{last_col}{last}")
    end = first + VALIDATION_ROWS - 1
    for j, c in enumerate(columns, start=1):
        letter = get_column_letter(j)
        ref = f"{letter}{first}:{letter}{end}"
        if c.choices:
            _dropdown(ws, c.choices, ref, c.help)
        elif c.computed:
            _prompt(ws, ref, L.COMPUTED_HELP, "自动计算")
        elif c.help:
            _prompt(ws, ref, c.help)
    warn_col = get_column_letter(next(j for j, c in enumerate(columns, start=1) if c.id == m.WARNINGS))
    ws.conditional_formatting.add(
        f"{warn_col}{first}:{warn_col}{end}",
        FormulaRule(formula=[f'LEN(${warn_col}{first})>0'], fill=PatternFill("solid", fgColor=L.FILL_WARNING,
                                                                               bgColor=L.FILL_WARNING)))
    ws.freeze_panes = f"{get_column_letter(L.INDICATOR_FREEZE_COLUMNS + 1)}{first}"
    _print_setup(ws, landscape=True)


def _params(ws: Any, params: Params) -> None:
    _title(ws, "评分参数（规则包）：“取值”列可修改；留空＝采用全国默认值", 3)
    D.header_row(ws, L.HEADER_ROW, [(h, False) for h in L.PARAMS_HEADERS])
    for j, width in enumerate(L.PARAMS_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    texts = params.to_text()
    keys = list(PARAM_LABELS)
    for i, key in enumerate(keys):
        r = L.FIRST_DATA_ROW + i
        label = PARAM_LABELS[key]
        value: Any = texts.get(label)
        if isinstance(value, str):
            try:
                number = float(value)
                value = int(number) if number.is_integer() and key == "decimals" else number
            except ValueError:
                pass
        for j, v in enumerate((label, value, L.PARAM_NOTES.get(key, "")), start=1):
            cell = ws.cell(row=r, column=j)
            set_cell(cell, v)
            cell.font = D.font(bold=j == 1) if j != 3 else D.font(9, color="FF7F7F7F")
            cell.border = D.BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=j != 1, horizontal="left")
            if j == 1:
                cell.fill = D.FILL_LABEL
        choices = L.PARAM_CHOICES.get(key)
        if choices:
            _dropdown(ws, choices, f"B{r}")
    last = L.FIRST_DATA_ROW + len(keys) - 1
    D.fit_row_heights(ws, L.FIRST_DATA_ROW, last)
    D.add_table(ws, L.TABLE_PARAMS, f"A{L.HEADER_ROW}:C{last}")
    ws.freeze_panes = f"A{L.FIRST_DATA_ROW}"
    _print_setup(ws, landscape=True)


def _empty_summary(ws: Any) -> None:
    ws.sheet_view.showGridLines = False
    cell = ws.cell(row=1, column=1)
    set_cell(cell, "尚未评分：填写“项目信息”和“指标体系”后运行“刷新”（jixiao refresh 或 Excel 中的“绩效评价 → 刷新”），本表将自动生成。")
    cell.font = D.font(11, color="FF7F7F7F")
    ws.column_dimensions["A"].width = 100


def _print_setup(ws: Any, landscape: bool) -> None:
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = "landscape" if landscape else "portrait"
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{L.TITLE_ROW}:{L.HEADER_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = msg.PAGE_FOOTER


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------
def _xlsx_path(path: str | Path) -> Path:
    """The path as given; anything but .xlsx is refused (never silently renamed: ``x.xlsm`` is not
    ``x.xlsx``)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise WorkbookInputError(msg.FAULT_NEW_SUFFIX.format(suffix=path.suffix or "（无）"))
    return path


def _folder_for(path: Path) -> None:
    """Library callers may name a folder still to be made (the commands refuse a missing folder
    earlier, in ``safe_write.check_output``)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise safe_write.fault(exc, path, writing=True) from None


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Save atomically (``safe_write``); the rules of an active ``safe_write.target`` apply."""
    path = _xlsx_path(path)
    _folder_for(path)
    atomic_save(wb.save, path)
    return path


def write_bytes(data: bytes, path: str | Path) -> Path:
    """Write a built package atomically (same suffix rule as :func:`save_workbook`)."""
    path = _xlsx_path(path)
    _folder_for(path)
    atomic_save(lambda tmp: tmp.write_bytes(data), path)
    return path


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as a package with fixed dates: the same bytes on every build."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return shipped.reproducible(buffer.getvalue())


def template_bytes(kind: str = L.KIND_DEPARTMENT, params: Params | None = None) -> bytes:
    return workbook_bytes(new_workbook(kind, params or Params()))


def write_template(path: str | Path, kind: str = L.KIND_DEPARTMENT, pack: str | None = None,
                   force: bool = False) -> Path:
    """``jixiao new``: a blank workbook of the given kind, parameters from a rule pack.

    Without a pack this is the shipped template (``workbook/templates``), copied when current.
    An existing file is replaced only with ``force`` (backed up first, see ``safe_write``).
    """
    return write_new(path, kind, pack, force).path


@dataclass
class Written:
    path: Path
    backup: Path | None = None


def write_new(path: str | Path, kind: str = L.KIND_DEPARTMENT, pack: str | None = None,
              force: bool = False) -> Written:
    """:func:`write_template`, also telling where the replaced file was backed up."""
    path = _xlsx_path(path)
    with safe_write.target(path, force=force) as out:  # refused before anything is built
        data = template_bytes(kind, load_pack(pack)) if pack else (shipped.current(kind) or template_bytes(kind))
        write_bytes(data, out.path)
    return Written(path, out.backup)


# --------------------------------------------------------------------------------------------
# The built-in sample
# --------------------------------------------------------------------------------------------
SAMPLE_WORKBOOK = shipped.SAMPLE_WORKBOOK
TEMPLATE_FILES = shipped.TEMPLATE_FILES
SAMPLE_BANNER = "指标体系（示例：{name}；分值和评价人打分为示例假设）"


def sample_workbook() -> Workbook:
    """The sample evaluation (``workbook/sample-2021-laisui.yaml``) as an unscored workbook."""
    from .sample import sample_indicators, sample_params, sample_project

    project = sample_project()
    frame = sample_indicators()
    rows = []
    for record in frame.to_dict(orient="records"):
        method = record.get(m.METHOD)
        if method in m.METHOD_LABELS:
            record[m.METHOD] = m.METHOD_LABELS[method]
        rows.append(record)
    params = Params.from_mapping(sample_params())
    banner = SAMPLE_BANNER.format(name=project.get("name") or "")
    return new_workbook(str(project.get("kind") or L.KIND_DEPARTMENT), params, project, rows, banner)


def sample_bytes() -> bytes:
    """The sample as ``jixiao refresh`` scores it, with fixed dates."""
    from .refresh import refresh_file

    with tempfile.TemporaryDirectory(prefix="jixiao-sample-") as tmp:
        draft = save_workbook(sample_workbook(), Path(tmp) / "draft.xlsx")
        scored = Path(tmp) / SAMPLE_WORKBOOK
        refresh_file(draft, output=scored)
        return shipped.reproducible(scored.read_bytes())


@dataclass
class DemoResult:
    """What ``jixiao demo`` prints: the sample's evaluation as read back from the file it wrote."""

    evaluation: Any
    errors: list[str]
    backups: list[Path] = field(default_factory=list)  # files --force replaced, kept as .bak

    @property
    def ok(self) -> bool:
        return not self.errors


def build_demo(directory: str | Path, force: bool = False) -> tuple[dict[str, Path], DemoResult]:
    """``jixiao demo``: the scored sample plus both blank templates in ``directory``.

    The shipped files are copied when current (built otherwise); the headline comes from scoring
    the sample file just written, so what is printed is what the user opens.  A file already there
    with the same bytes is left alone; one that differs (the user edited the sample) is replaced
    only with ``force``, backed up first — and nothing is written unless every file may be.
    Returns the files (key "sample" and one per kind) and that result.
    """
    from contextlib import ExitStack

    from .refresh import score_file

    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise WorkbookInputError(msg.FAULT_NOT_A_DIR_FOR_DEMO.format(path=folder)) from None
    except OSError as exc:
        raise safe_write.fault(exc, folder, writing=True) from None
    files: dict[str, Path] = {}
    pending: list[tuple[Path, bytes]] = []
    for key, name in shipped.FILES.items():
        path = files[key] = folder / name
        data = shipped.current(key) or shipped.build(key)
        if not _same_bytes(path, data):
            pending.append((path, data))
    backups: list[Path] = []
    with ExitStack() as stack:
        targets = [(stack.enter_context(safe_write.target(path, force=force)), data) for path, data in pending]
        for out, data in targets:
            write_bytes(data, out.path)
        backups = [out.backup for out, _ in targets if out.backup is not None]
    _inputs, evaluation, errors = score_file(files[shipped.SAMPLE])
    return files, DemoResult(evaluation, errors, backups)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
