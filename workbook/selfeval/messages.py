"""Every Chinese word the self-evaluation side shows: flag labels, sheet names, headers, messages.

Reviewers read these in a terminal, in JSON consumers and in the portfolio workbook; keeping them
in one module keeps the wording consistent and lets a reviewer proofread them at once.
"""

from __future__ import annotations

# ------------------------------------------------------------------ audit flags: id → label
# The ids are the stable part of the JSON (``flags[].kind``); labels may be reworded.
FLAG_LABELS: dict[str, str] = {
    "score_above_weight": "得分超过分值",
    "score_mismatch": "得分与评分规则不符",
    "full_score_missed_target": "未达目标仍得满分",
    "partial_without_reason": "扣分未说明原因",
    "reason_missing": "应说明原因未说明",
    "qualitative_band": "定性得分与完成档次不符",
    "qualitative_unchecked": "定性完成情况无法判断档次",
    "unreadable_value": "指标值无法识别",
    "missing_value": "应填内容未填写",
    "placeholder": "指标值为占位符",
    "cost_with_ge": "成本指标使用“≥”",
    "percent_over_100": "百分比超过100%",
    "budget_rate_mismatch": "执行率计算有误",
    "budget_score_mismatch": "执行率得分有误",
    "total_mismatch": "总分与各项得分合计不符",
    "weights_total": "分值合计不为100",
    "funds_total_zero": "资金总额与明细不符",
    "engine": "评分预警",  # flags of our own evaluation workbooks in a batch (engine kinds)
}
FLAG_KINDS: tuple[str, ...] = tuple(FLAG_LABELS)

# ------------------------------------------------------------------ flag messages
F_SCORE_ABOVE = "得分{score}分超过分值{weight}分"
F_MISMATCH = "报告得分{score}分，按规则应为{rule}分（相差{diff}分，容差{tol}分）：{why}"
F_FULL_MISSED = "未达到目标（{why}）却得满分{score}分"
F_PARTIAL_NO_REASON = "得分{score}分低于分值{weight}分，未填写偏差原因"
F_OVER_NO_REASON = "实际完成超目标{dev}（≥{thr}），未说明原因（目标可能设置偏低）"
F_EXEC_NO_REASON = "预算执行率{rate}低于{thr}，未说明原因"
F_BAND = "完成情况“{actual}”属“{level}”档（{lo}–{hi}分），报告得分{score}分不在档内，按档内最接近的{rule}分复核"
F_UNCHECKED = "完成情况“{actual}”无法判断属于哪一定性档次，报告得分{score}分未能核实"
F_UNREADABLE = "{what}：{message}"
F_MISSING = "{what}未填写"
XLS_RENAMED = "文件“{name}”其实是旧版 .xls 格式，扩展名却是 .xlsx：请把扩展名改回 .xls，或在 Excel/WPS 中另存为 .xlsx 后再试"
OWN_WORKBOOK = ("“{name}”是 jixiao 评价工作簿，不是项目支出绩效自评表：请用 jixiao score（评分）或 jixiao refresh"
                "（刷新）处理它；复核的是各单位报送的自评表")
BREAKDOWN = "“其中”明细行，列示上一指标的组成，不单独计分"
F_FUNDS_TOTAL_ZERO = "年度资金总额为0，但“{label}”行有金额（全年预算数{adjusted}、全年执行数{executed}）：执行率无法复核，请核对资金总额行"
F_PLACEHOLDER = "{what}“{text}”是占位符，未填写实际内容"
F_COST_GE = "成本类指标“{name}”的目标值“{text}”使用了“≥/＞”，成本应为“≤”（越低越好）"
F_PERCENT = "{what}“{text}”超过100%"
F_RATE = "报告执行率{reported}，按全年执行数{executed}÷全年预算数{budget}应为{rule}"
F_RATE_SCORE = "执行率得分{score}分，按分值{weight}×执行率{rate}（封顶）应为{rule}分"
F_TOTAL = "报告总分{total}分，各项报告得分合计为{sum}分（含预算执行率得分{budget}分）"
F_WEIGHTS_BOTH = "三级指标分值合计{ind}分，另有预算执行率{budget}分，合计{total}分：预算执行率的分值未计入100分"
F_WEIGHTS = "分值合计{total}分（三级指标{ind}分{budget_part}），应为{expected}分"
F_WEIGHTS_BUDGET_PART = "＋预算执行率{budget}分"
WHAT = {"target": "年度指标值", "actual": "实际完成值", "weight": "分值", "score": "得分",
        "reason": "偏差原因", "total": "总分", "budget.adjusted": "全年预算数",
        "budget.executed": "全年执行数", "budget.weight": "预算执行率分值", "budget.score": "预算执行率得分",
        "budget.rate": "执行率"}

# ------------------------------------------------------------------ reading files
FILE_NOT_FOUND = "找不到文件：{path}"
UNSUPPORTED = "不支持的文件类型“{suffix}”：请使用 .xlsx、.xlsm 或 .xls"
ENCRYPTED = "文件“{name}”已加密（设置了打开密码），无法读取。请取消密码后再试"
CORRUPT = "文件“{name}”已损坏或不是有效的 Excel 文件，无法打开（{detail}）"
NO_TABLE = "文件“{name}”中找不到项目支出绩效自评表（没有同时含“一级指标”“三级指标”“分值”的表头行）"
NO_SUCH_SHEET = "文件“{name}”中没有名为“{sheet}”的自评表工作表（自评表：{present}）"
OTHER_SHEETS = "注意：“{name}”中另有自评表工作表：{sheets}（可用 --sheet 指定）"
CELL = "{file}：{ref}：{message}"
NOT_A_DIR = "不是文件夹：{path}"
NO_FILES = "文件夹“{path}”中没有 .xlsx/.xlsm/.xls 文件"
OUTPUT_SUFFIX = "输出文件应为 .xlsx：{path}"

# ------------------------------------------------------------------ command line
HELP_IMPORT = "导入全国通用格式的项目支出绩效自评表，转换为本程序的评价工作簿"
HELP_IMPORT_IN = "自评表文件（.xlsx/.xlsm/.xls）"
HELP_IMPORT_OUT = "输出的评价工作簿（.xlsx），默认：原文件名加“_导入.xlsx”"
HELP_AUDIT = "复核自评表：按规则重算各项得分，列出不符之处"
HELP_AUDIT_IN = "自评表文件（.xlsx/.xlsm/.xls）"
HELP_AUDIT_JSON = "以 JSON 格式输出复核结果（结构见 jixiao.workbook.selfeval.audit 文档）"
HELP_SHEET = "只复核指定名称的工作表（文件含多张自评表时）"
HELP_PACK = "评分规则包（如 national、province-strict），默认全国默认规则"
HELP_BATCH = "批量复核文件夹中的自评表和评价工作簿，生成汇总工作簿"
HELP_BATCH_DIR = "包含自评表/评价工作簿的文件夹（含子文件夹）"
HELP_BATCH_OUT = "汇总工作簿（.xlsx），默认：文件夹内“汇总.xlsx”"
HELP_BATCH_JOBS = "并行进程数，默认为 CPU 核数"
HELP_BATCH_QUIET = "不显示进度条"

IMPORT_DONE = "已导入：{path}（原表得分与复核得分见“{sheet}”工作表）"
AUDIT_HEAD = "{file}｜{sheet}｜{name}"
AUDIT_TOTALS = "报告总分 {reported}，复核总分 {rule}（等级 {grade}）"
AUDIT_CLEAN = "未发现问题"
AUDIT_FLAGS = "发现 {count} 处问题："
AUDIT_FLAG_LINE = "  [{label}] {where}{message}"
BATCH_PROGRESS = "复核中"
BATCH_DONE = "已汇总 {files} 个文件（{projects} 个项目，预警 {flags} 处），用时 {seconds:.1f} 秒：{path}"
BATCH_FAILED = "{count} 个文件未能读取（详见“{sheet}”工作表）："
BATCH_FAILED_LINE = "  {file}：{error}"

# ------------------------------------------------------------------ import workbook: review sheet
SHEET_REVIEW = "自评原表复核"
REVIEW_TITLE = "自评原表（{file}｜{sheet}）与复核结果：报告得分为原表所填，复核得分按评分规则重算"
REVIEW_HEADERS: tuple[str, ...] = (
    "原表单元格", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值",
    "报告得分", "复核得分", "差异", "偏差原因", "复核意见",
)
BUDGET_LABEL = "预算执行率"
TOTAL_LABEL = "总分"

# ------------------------------------------------------------------ portfolio workbook
SHEET_PROJECTS = "项目汇总"
SHEET_FLAGS = "预警明细"
SHEET_GRADES = "等级分布"
SHEET_FAILED = "未能读取"
PROJECT_HEADERS: tuple[str, ...] = (
    "序号", "文件", "工作表", "类型", "主管部门", "实施单位", "项目名称", "年度",
    "全年预算数（万元）", "全年执行数（万元）", "执行率", "报告总分", "复核总分", "差异", "复核等级", "预警合计",
)
FLAG_HEADERS: tuple[str, ...] = ("文件", "工作表", "单元格", "项目名称", "指标", "类别", "说明")
GRADE_HEADERS: tuple[str, ...] = ("等级", "项目数", "占比")
FAILED_HEADERS: tuple[str, ...] = ("文件", "错误")
KIND_SELF_TABLE = "自评表"
KIND_WORKBOOK = "评价工作簿"
NO_GRADE = "未评出"
GRADE_CHART_TITLE = "复核等级分布"
GRADE_CHART_Y = "项目数"
