"""The evaluation workbook's layout as data: THE single source of truth.

Sheet names, Excel table names, column headers (and which engine column each one feeds), which
columns are inputs and which are computed, dropdown choices and named cells are spelled here and
nowhere else.  The template builder draws from these tables, the refresh reads and writes through
them, and the xlwings adapter (issue #4) reuses them, so a renamed header is a one-line change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from ..scoring import model as m
from ..scoring.params import PARAM_LABELS

# --------------------------------------------------------------------------------------------
# Sheets and tables
# --------------------------------------------------------------------------------------------
SHEET_GUIDE = "说明"
SHEET_PROJECT = "项目信息"
SHEET_INDICATORS = "指标体系"
SHEET_PARAMS = "评分参数"
SHEET_SUMMARY = "汇总"
SHEET_ORDER: tuple[str, ...] = (SHEET_GUIDE, SHEET_PROJECT, SHEET_INDICATORS, SHEET_PARAMS, SHEET_SUMMARY)
# Sheets jixiao regenerates completely on every refresh; everything else belongs to the user.
OWNED_SHEETS: tuple[str, ...] = (SHEET_SUMMARY,)

# Excel table names: ASCII, because every Excel/WPS/LibreOffice version accepts them in formulas.
TABLE_PROJECT = "jx_project"
TABLE_INDICATORS = "jx_indicators"
TABLE_PARAMS = "jx_params"

# Where the header row sits in the template (1-based). Reading searches for it in the first rows,
# so a user who inserts a row above the table does not break anything.
TITLE_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = 3
HEADER_SEARCH_ROWS = 10

# File names the refresh derives: <name>_已评分.xlsx (default output), <name>.bak.xlsx (backup)
SCORED_SUFFIX = "_已评分"
BACKUP_INFIX = ".bak"

# How many empty, formatted rows the blank template offers (tables grow in Excel as you type).
TEMPLATE_ROWS = 60


@dataclass(frozen=True)
class Column:
    """One column of a sheet table.

    ``id`` is the engine's column name (``jixiao.scoring.model``) for indicator columns; ``computed``
    columns are written by the refresh and never read.
    """

    id: str
    header: str
    computed: bool = False
    width: float = 12
    number_format: str | None = None
    choices: tuple[str, ...] | None = None  # a dropdown (data validation list)
    help: str = ""  # the input message shown when the cell is selected
    wrap: bool = False
    required: bool = False


# --------------------------------------------------------------------------------------------
# 指标体系
# --------------------------------------------------------------------------------------------
METHOD_CHOICES: tuple[str, ...] = tuple(m.METHOD_LABELS.values())
LEVEL_CHOICES: tuple[str, ...] = tuple(m.LEVEL_LABELS.values())
SOURCE_CHOICES: tuple[str, ...] = tuple(m.SOURCE_RATES)
YES_NO: tuple[str, ...] = ("是", "否")

COMPUTED_HELP = "自动计算：运行“刷新”后生成，请勿手工填写"

INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column(m.LEVEL1, "一级指标", width=9, required=True, help="如：决策、过程、产出、效益；与上一行相同可留空"),
    Column(m.LEVEL2, "二级指标", width=11, required=True, help="如：项目立项、资金管理；与上一行相同可留空"),
    Column(m.LEVEL3, "三级指标", width=20, wrap=True, required=True),
    Column(m.DETAIL, "明细指标", width=22, wrap=True,
           help="三级指标下的具体绩效目标（如“培训场数”）；三级指标由明细合计时，三级行本身不填分值"),
    Column(m.WEIGHT, "分值", width=7, number_format="0.00", required=True),
    Column(m.METHOD, "评分方法", width=14, choices=METHOD_CHOICES, wrap=True, help="留空＝按目标值自动识别"),
    Column(m.TARGET, "目标值", width=12, wrap=True, help="如：≥90%、6万份、12月底前；以“=”开头的文字请照常输入"),
    Column(m.ACTUAL, "实际值", width=12, wrap=True),
    Column(m.SOURCE, "数据来源", width=12, choices=SOURCE_CHOICES, wrap=True,
           help="选择后实际值取自项目信息中的资金数据"),
    Column(m.CRITERIA, "评分标准", width=18, wrap=True, help="分段计分用，如：≤0%:100%; ≤5%:80%; 其他:0"),
    Column(m.LEVEL, "定性档次", width=16, choices=LEVEL_CHOICES, wrap=True),
    Column(m.JUDGEMENT, "评价人打分/扣分", width=9, help="定性、直接打分：填得分；扣分制：填扣分（可写 1+0.5）"),
    Column(m.APPLICABLE, "适用", width=6, choices=YES_NO, help="选“否”则该指标不计分"),
    Column(m.REASON, "偏差原因", width=20, wrap=True, help="得分低于分值或超目标较多时必填"),
    Column(m.COMPLETION, "完成率", computed=True, width=9, number_format="0.00%"),
    Column(m.DEVIATION, "偏离度", computed=True, width=9, number_format="0.00%"),
    Column(m.SCORE, "得分", computed=True, width=8, number_format="0.00"),
    Column(m.SCORE_RATE, "得分率", computed=True, width=9, number_format="0.00%"),
    Column(m.EXPLANATION, "评分说明", computed=True, width=36, wrap=True),
    Column(m.WARNINGS, "预警", computed=True, width=28, wrap=True),
)
INDICATOR_INPUTS: tuple[Column, ...] = tuple(c for c in INDICATOR_COLUMNS if not c.computed)
INDICATOR_OUTPUTS: tuple[Column, ...] = tuple(c for c in INDICATOR_COLUMNS if c.computed)
INDICATOR_BY_ID: dict[str, Column] = {c.id: c for c in INDICATOR_COLUMNS}
INDICATOR_BY_HEADER: dict[str, Column] = {c.header: c for c in INDICATOR_COLUMNS}
# Left columns frozen with the header (the names stay visible while scrolling right).
INDICATOR_FREEZE_COLUMNS = 4

# --------------------------------------------------------------------------------------------
# 项目信息: a label/value table (分类 | 项目 | 内容 | 说明), read by label so rows may move.
# --------------------------------------------------------------------------------------------
PROJECT_HEADERS: tuple[str, ...] = ("分类", "项目", "内容", "说明")
PROJECT_LABEL_COL = 2  # 1-based column of 项目
PROJECT_VALUE_COL = 3  # 1-based column of 内容
KINDS: tuple[str, ...] = ("部门评价", "单位自评", "财政评价")
KIND_DEPARTMENT = "部门评价"
KIND_SELF = "单位自评"


@dataclass(frozen=True)
class Field:
    """One row of 项目信息. ``id`` is a dotted path into the engine's project mapping."""

    id: str
    label: str
    group: str
    kind: str = "text"  # text | number | long | choice
    choices: tuple[str, ...] | None = None
    note: str = ""

    @property
    def name(self) -> str:
        """The workbook-level defined name of the value cell (for formulas and add-ins)."""
        return "jx_" + self.id.replace(".", "_")


_G_BASIC, _G_FUNDS, _G_REASONS, _G_TEXTS = "基本信息", "资金情况（万元）", "原因说明", "报告文字"
PROJECT_FIELDS: tuple[Field, ...] = (
    Field("name", "项目名称", _G_BASIC),
    Field("year", "评价年度", _G_BASIC, note="如：2021"),
    Field("department", "主管部门", _G_BASIC),
    Field("unit", "实施单位", _G_BASIC),
    Field("kind", "评价类型", _G_BASIC, kind="choice", choices=KINDS),
    Field("project_type", "项目类型", _G_BASIC, kind="choice", choices=("经常性项目", "一次性项目", "其他")),
    Field("budget.initial", "年初预算", _G_FUNDS, kind="number", note="年初预算数，万元"),
    Field("budget.adjustment", "预算调整", _G_FUNDS, kind="number", note="年中调整数，调减填负数，万元"),
    Field("budget.adjusted", "全年预算", _G_FUNDS, kind="number", note="全年预算数；留空＝年初预算＋预算调整"),
    Field("budget.received", "实际到位", _G_FUNDS, kind="number", note="实际到位资金，万元"),
    Field("budget.executed", "实际支出", _G_FUNDS, kind="number", note="全年执行数（实际支出），万元"),
    Field("reasons.adjustment", "预算调整原因", _G_REASONS, kind="long", note="有预算调整时必填"),
    Field("reasons.execution", "执行率偏低原因", _G_REASONS, kind="long", note="预算执行率低于预警阈值时必填"),
    Field("texts.background", "项目背景", _G_TEXTS, kind="long"),
    Field("texts.objective", "项目目标", _G_TEXTS, kind="long"),
    Field("texts.content", "项目内容", _G_TEXTS, kind="long"),
    Field("texts.execution", "项目执行情况", _G_TEXTS, kind="long"),
    Field("texts.achievements", "主要绩效", _G_TEXTS, kind="long", note="主要绩效或成功经验"),
    Field("texts.problems", "存在问题", _G_TEXTS, kind="long"),
    Field("texts.suggestions", "相关建议", _G_TEXTS, kind="long"),
)
PROJECT_BY_ID: dict[str, Field] = {f.id: f for f in PROJECT_FIELDS}
PROJECT_BY_LABEL: dict[str, Field] = {f.label: f for f in PROJECT_FIELDS}
PROJECT_WIDTHS: tuple[float, ...] = (14, 14, 80, 30)

# --------------------------------------------------------------------------------------------
# 评分参数: 参数 | 取值 | 说明, one row per ``Params`` field (labels from the engine)
# --------------------------------------------------------------------------------------------
PARAMS_HEADERS: tuple[str, ...] = ("参数", "取值", "说明")
PARAMS_LABEL_COL = 1
PARAMS_VALUE_COL = 2
PARAMS_WIDTHS: tuple[float, ...] = (30, 44, 60)
PARAM_NOTES: dict[str, str] = {
    "name": "仅作标识",
    "grade_bands": "总分不低于下限即为该等级，格式：优:90; 良:80; 中:60",
    "lowest_grade": "低于最低下限时的等级",
    "over_achievement_threshold": "正向指标实际/目标达到该倍数时预警并要求说明原因（1.2＝超目标20%）",
    "over_achievement_deduction": "超目标预警时固定扣减的分数；0＝由评价人在“扣分”中自行决定",
    "execution_reason_threshold": "预算执行率低于该值时要求说明原因",
    "lower_better_mode": "linear＝超目标部分按比例扣减，2倍目标得0分；inverse＝分值×目标/实际",
    "budget_execution_cap": "“预算执行率计分”得分＝分值×执行率，是否以分值为上限",
    "execution_rate_basis": "auto＝部门/财政评价用实际到位口径、单位自评用全年预算口径；self；framework",
    "execution_total_caps": "执行率低于某值时总分上限，如 80%:89; 70%:79（留空＝不封顶）",
    "renormalise": "有不适用指标时是否按适用分值折算为百分制：auto、always、never",
    "expected_total_weight": "各指标分值合计应为多少分",
    "decimals": "每项得分保留的小数位数",
    "qualitative_bands": "定性档次对应的得分区间（占分值的比例）",
    "score_tolerance": "复核报告分数时允许的差异",
}
PARAM_LABEL_LIST: tuple[str, ...] = tuple(PARAM_LABELS.values())
PARAM_CHOICES: dict[str, tuple[str, ...]] = {
    "lower_better_mode": ("linear", "inverse"),
    "budget_execution_cap": YES_NO,
    "execution_rate_basis": ("auto", "self", "framework"),
    "renormalise": ("auto", "always", "never"),
}

# --------------------------------------------------------------------------------------------
# 汇总 (generated; positions live in summary.py, labels here)
# --------------------------------------------------------------------------------------------
SUMMARY_COLUMNS = 6
SUMMARY_WIDTHS: tuple[float, ...] = (12, 32, 11, 11, 11, 13)
# Named cells on 汇总 (fixed positions: the sheet is regenerated with the same shape every time)
NAME_TOTAL = "jx_total"
NAME_GRADE = "jx_grade"
SUMMARY_TOTAL_CELL = (4, 2)  # B4
SUMMARY_GRADE_CELL = (4, 4)  # D4

# --------------------------------------------------------------------------------------------
# Look and feel (shared by the template and the openpyxl decorate step)
# --------------------------------------------------------------------------------------------
# 等线 is Excel's and WPS's default Chinese UI font on Windows/Mac; LibreOffice on Linux falls back
# to Noto Sans CJK glyph by glyph, so the same file renders everywhere.
FONT_NAME = "等线"
FONT_SIZE = 10.5
FILL_INPUT = "FFFFFFFF"
FILL_COMPUTED = "FFEDEDED"
FILL_HEADER_INPUT = "FF1F4E79"
FILL_HEADER_COMPUTED = "FF7F7F7F"
FILL_SECTION = "FFDDEBF7"
FILL_WARNING = "FFFCE4D6"
FONT_HEADER_COLOR = "FFFFFFFF"


# --------------------------------------------------------------------------------------------
# Helpers: addresses
# --------------------------------------------------------------------------------------------
def cell_ref(row: int, col: int) -> str:
    """(12, 8) → "H12"."""
    return f"{get_column_letter(col)}{row}"


def sheet_ref(sheet: str, row: int, col: int) -> str:
    """The address a message shows: 指标体系!H12 (no quotes: it is for people, not formulas)."""
    return f"{sheet}!{cell_ref(row, col)}"


def abs_ref(sheet: str, row: int, col: int) -> str:
    """An absolute reference for a defined name: '项目信息'!$C$9."""
    return f"'{sheet}'!${get_column_letter(col)}${row}"


def normalise_header(value: Any) -> str:
    """Headers compare without spaces, line breaks or full-width slashes."""
    if value is None:
        return ""
    text = str(value)
    for ch in (" ", "\u3000", "\n", "\r", "\t"):
        text = text.replace(ch, "")
    return text.replace("／", "/")
