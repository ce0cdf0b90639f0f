"""Every user-facing Chinese message of the workbook side and the command line, in one place.

Users read these in a terminal or a message box; each names the file, the sheet and the cell when
there is one, says what is wrong and, where it helps, what to do.  Keeping them together keeps the
wording consistent and lets a reviewer read them all at once.
"""

from __future__ import annotations

# ------------------------------------------------------------------ opening files
FILE_NOT_FOUND = "找不到文件：{path}"
NOT_A_FILE = "不是文件：{path}"
ENCRYPTED = "文件“{name}”已加密（设置了打开密码），无法读取。请在 Excel/WPS 中取消密码后另存为 .xlsx 再试"
LEGACY_XLS = "文件“{name}”是旧版 .xls 或其他格式，不是 .xlsx 工作簿。请在 Excel/WPS 中“另存为”Excel 工作簿（.xlsx）后再试"
NOT_XLSX = "文件“{name}”不是 Excel 工作簿（.xlsx/.xlsm），无法读取"
CORRUPT = "文件“{name}”已损坏或不是有效的 Excel 工作簿，无法打开（{detail}）"
UNSUPPORTED_SUFFIX = "不支持的文件类型“{suffix}”：请使用 .xlsx 或 .xlsm"
FILE_LOCKED = "无法写入“{path}”：文件可能正在 Excel/WPS 中打开，请关闭后再试（{detail}）"

# ------------------------------------------------------------------ structure
MISSING_SHEET = "工作簿中没有名为“{sheet}”的工作表（现有：{present}）。请使用 jixiao new 生成的模板"
NO_HEADER = "{sheet}：前{rows}行中找不到表头行（应包含“{expected}”等列）"
HEADER_RENAMED = "{ref}：表头应为“{expected}”，现为“{found}”{note}，请改回原名"
HEADER_MISSING = "{ref}：缺少表头“{expected}”（表头在第{row}行），请恢复该列"
COMPUTED_HEADERS_MISSING = "{sheet}：缺少自动计算列的表头“{missing}”；自动计算列（{headers}）须全部保留并按原顺序相邻排列"
COMPUTED_HEADERS_ORDER = "{ref}：自动计算列（{headers}）须按原顺序相邻排列，请把“{header}”移回原位置"
DUPLICATE_HEADER = "{ref}：表头“{header}”重复出现"
PROJECT_LABEL_MISSING = "{sheet}：找不到“{label}”一行，请恢复该行（“项目”列）"

# ------------------------------------------------------------------ cell values
FORMULA_ERROR = "{ref}：{header}是公式错误值 {value}，请先修正公式"
CELL_PREFIX = "{ref}：{message}"
COLUMN_REF = "{sheet}!{column}列（{header}）"
PROJECT_NUMBER = "{ref}：{label}“{value}”无法识别为数值"
PARAM_ERROR = "{ref}：{message}"
ERROR_COUNT = "共 {count} 处输入错误，总分未计算"

# ------------------------------------------------------------------ refresh and package safety
WOULD_LOSE = ("“{name}”含有本程序（openpyxl）无法保留的内容：{items}。为避免丢失，未写入任何文件。"
              "请在 Excel 中使用“绩效评价”加载项刷新，或移除这些内容后再试（输出到新文件时可加 --force 忽略）")
LOST_AFTER_SAVE = ("保存后发现以下内容会丢失：{items}。为避免丢失，已放弃写入，“{name}”未作任何改动")
FORCED_LOSS = "注意：按 --force 的要求，输出文件中未保留：{items}（原文件不受影响）"
FORCE_IN_PLACE = "--force 只能用于输出到新文件，不能与 --in-place 同时使用"
OUTPUT_IS_INPUT = "输出文件与输入文件相同（{path}）。要直接更新原文件请使用 --in-place"
ALREADY_SCORED = "“{name}”已是评分结果文件；再次刷新请使用 --in-place 或用 -o 指定输出文件"
OUT_SUFFIX = "输出文件扩展名应与输入一致（{suffix}）"
PART_KINDS: dict[str, str] = {
    "chart": "图表", "chartsheet": "图表工作表", "drawing": "绘图（图片/图表的容器）", "image": "图片",
    "comments": "批注", "threaded_comments": "新版批注（讨论串）", "vml": "批注/控件的 VML 绘图",
    "vba": "VBA 宏工程", "pivot_table": "数据透视表", "pivot_cache": "数据透视表缓存",
    "slicer": "切片器", "slicer_cache": "切片器缓存", "timeline": "日程表", "timeline_cache": "日程表缓存",
    "custom_xml": "自定义 XML 数据", "external_link": "外部链接", "table": "表格（Excel 表）",
    "query_table": "查询表", "connections": "数据连接", "ctrl_prop": "表单控件", "activex": "ActiveX 控件",
    "embedding": "嵌入对象（OLE）", "custom_ui": "自定义功能区", "signature": "数字签名",
    "person": "批注人员列表", "rich_data": "富数据类型（图片单元格等）", "web_extension": "Office 加载项",
    "model": "数据模型（Power Pivot）", "sheet_metadata": "单元格元数据（动态数组）",
    "shape": "形状/文本框", "ext_data_validation": "引用其他工作表的数据验证（扩展格式）",
    "ext_conditional_format": "扩展格式的条件格式（数据条/图标集等）", "sparkline": "迷你图",
    "ext_slicer_list": "切片器", "ext_other": "扩展内容（{uri}）", "other": "其他部件（{path}）",
    "smartart": "SmartArt 图形", "worksheet": "工作表", "macrosheet": "Excel 4.0 宏表", "dialogsheet": "对话框工作表",
    "custom_props": "自定义文档属性", "sheet_background": "工作表背景图片", "header_footer_image": "页眉页脚图片",
}
NONE = "无"
PAGE_FOOTER = "第 &P 页，共 &N 页"

# ------------------------------------------------------------------ command line
UNEXPECTED = "程序内部错误：{detail}（加 --debug 可查看详细信息）"
INTERRUPTED = "已中断"
NEW_DONE = "已生成空白评价工作簿（{kind}）：{path}"
DEMO_DONE_HEADER = "示例评价已生成（全市来穗人员服务项目，2021年）："
DEMO_FILE_SAMPLE = "  示例工作簿（已评分）：{path}"
DEMO_FILE_TEMPLATE = "  空白模板（{kind}）：{path}"
RESULT_LINE = "总分 {total}（满分 {max_total}），等级 {grade}"
RESULT_NO_TOTAL = "存在输入错误，总分未计算"
REFRESH_DONE = "已刷新：{path}"
BACKUP_DONE = "原文件已备份：{path}"
FLAGS_LINE = "预警 {count} 项（详见“汇总”工作表）"
ERRORS_HEADER = "发现 {count} 处输入错误："
ERRORS_WRITTEN = "错误已写入“评分说明”列和“汇总”工作表，请修正后再次刷新"

# ------------------------------------------------------------------ file safety and the environment
# (issue #13, workbook/safe_write.py and jixiao.cli.main): every message names the file as the user
# gave it; OS errors never reach the user as an English errno.
FAULT_READ = "读取"
FAULT_WRITE = "写入"
FAULT_IS_FOLDER = "“{path}”是文件夹，不是文件"
FAULT_NOT_A_FOLDER = "路径“{path}”中有一级不是文件夹，请检查路径"
FAULT_NOT_REGULAR = "“{path}”不是普通文件（是{kind}），无法{action}。请指定一个 Excel/Word 文件"
FAULT_KIND_FIFO = "管道"
FAULT_KIND_DEVICE = "设备文件"
FAULT_KIND_SOCKET = "套接字"
FAULT_KIND_OTHER = "特殊文件"
FAULT_NO_READ_PERMISSION = "没有读取“{path}”的权限，请检查文件权限或换一个文件"
FAULT_NO_WRITE_PERMISSION = "没有写入权限，无法写入“{path}”（文件夹“{folder}”或该文件不允许写入），已有文件未作任何改动"
FAULT_FOLDER_MISSING = "文件夹“{folder}”不存在，无法写入“{path}”。请先建立该文件夹，或检查路径是否写错"
FAULT_NAME_TOO_LONG = "文件名或路径过长，无法使用“{path}”。请换一个较短的文件名"
FAULT_DISK_FULL = "磁盘空间不足（或超出磁盘配额），无法写入“{path}”，已有文件未作任何改动。请清理磁盘空间后再试"
FAULT_FILE_TOO_BIG = "无法写入“{path}”：超过系统允许的文件大小，已有文件未作任何改动"
FAULT_READ_ONLY_DISK = "“{path}”所在的磁盘是只读的，无法写入"
FAULT_READ_ONLY_FILE = "“{path}”是只读文件，未作任何改动。确需更新时，请先取消只读属性（文件属性中取消“只读”，或 chmod u+w）"
FAULT_IN_USE = "文件正被其他程序占用"
FAULT_ERRNO = "系统错误 {name}"
FAULT_ERRNO_WORDS: dict[str, str] = {  # errno name → words, for the errors without a sentence of their own
    "EIO": "磁盘或网络读写出错", "EBUSY": "文件正被其他程序占用", "ETXTBSY": "文件正被其他程序占用",
    "ELOOP": "符号链接循环指向自身", "EMFILE": "同时打开的文件过多", "ENFILE": "同时打开的文件过多",
    "EXDEV": "不能跨磁盘移动文件", "EINVAL": "文件名或路径无效", "ENXIO": "设备不存在或未就绪",
    "ENODEV": "设备不存在或未就绪", "EAGAIN": "资源暂时不可用", "ENOMEM": "内存不足",
    "ESTALE": "网络文件已失效（请重新连接共享文件夹）",
}
FAULT_OTHER = "无法{action}“{path}”：{what}"
FAULT_BROKEN_PIPE = "输出管道已关闭"
FAULT_NO_PATH = "系统原因未能完成（{reason}）：这是磁盘空间、权限或系统限制方面的问题，不是文件内容有误；已有文件未作任何改动"
FAULT_BACKUP = "无法为“{path}”建立备份（{detail}），未作任何改动"
FAULT_REASON_DISK_FULL = "磁盘空间不足"
FAULT_REASON_TOO_BIG = "超过系统允许的文件大小"
FAULT_REASON_READ_ONLY_DISK = "磁盘是只读的"
FAULT_REASON_NO_PERMISSION = "没有写入权限"
FAULT_REASON_NAME_TOO_LONG = "文件名过长"
FAULT_TOO_MANY_BACKUPS = "备份文件过多，请清理旧的 .bak 文件"
FAULT_EXISTS = "“{path}”已存在{why}，未作任何改动。要覆盖它（原文件先备份为 .bak 文件）请加 --force，或换一个输出文件名"
FAULT_EDITED = "，且不是本程序生成后未经改动的文件（可能已手工修改，或由旧版 jixiao 生成）"
FAULT_LOCKED = ("“{path}”正由另一个 jixiao 进程处理（进程号 {pid}，计算机 {host}，开始于 {since}），本次未作任何改动。"
                "请等它完成后再试；若确认没有其他 jixiao 在运行，可删除锁文件“{lock}”")
FAULT_CHANGED = "“{path}”在处理过程中被其他程序修改或建立，为免覆盖这些修改，本次未写入。请再运行一次"
FAULT_SOURCE_CHANGED = "“{path}”在刷新过程中被其他程序保存过，结果可能与文件不符，本次未写入。请再运行一次"
FAULT_NEW_SUFFIX = "新建的工作簿扩展名应为 .xlsx（现为“{suffix}”）：jixiao new 只生成 .xlsx 工作簿"
FAULT_NOT_A_DIR_FOR_DEMO = "“{path}”已存在且不是文件夹，无法在其中生成示例"
HELP_FORCE_NEW = "文件已存在时覆盖它（原文件先备份为 .bak 文件）"
HELP_FORCE_DEMO = "示例文件已存在且内容不同时覆盖（原文件先备份为 .bak 文件）"
HELP_FORCE_REPORT = "报告文件已存在（且不是本程序生成后未改动的）时覆盖它（原文件先备份为 .bak 文件）"
HELP_FORCE_OUTPUT = "输出文件已存在（且不是本程序生成后未改动的）时覆盖它（原文件先备份为 .bak 文件）"

# ------------------------------------------------------------------ command line framework (jixiao.cli.base)
CLI_USAGE = "用法："
CLI_OPTIONS = "选项"
CLI_COMMANDS = "命令"
CLI_ARGUMENTS = "参数"
CLI_ERROR = "错误：{detail}"
CLI_TRY_HELP = "（运行 {command} --help 查看帮助）"
CLI_NO_COMMAND = "没有“{name}”这个命令（可用的命令：{choices}）"
CLI_NO_OPTION = "没有“{name}”这个选项"
CLI_DID_YOU_MEAN = "，是否想用：{names}"
CLI_OPTION_NEEDS_VALUE = "选项 {name} 后面需要跟一个值"
CLI_OPTION_NO_VALUE = "选项 {name} 不需要值"
CLI_MISSING = "缺少参数 {name}"
CLI_BAD_VALUE = "{name} 的值无效：{detail}"
CLI_BAD_CHOICE = "“{value}”不是可选值（可选：{choices}）"
CLI_NOT_INTEGER = "“{value}”不是整数"
CLI_EXTRA_ARGS = "多余的参数：{args}"
METAVAR_OPTIONS = "[选项]"
METAVAR_SUBCOMMAND = "命令 [参数]..."
METAVAR_WORKBOOK = "工作簿.xlsx"
METAVAR_TABLE = "自评表.xlsx"
METAVAR_DOCX = "报告.docx"
METAVAR_DIR = "文件夹"
METAVAR_PACK = "规则包"
METAVAR_SHEET = "工作表"
HELP_HELP = "显示本帮助并退出"

# ------------------------------------------------------------------ help texts
HELP_PROG = "jixiao（绩效）：项目支出绩效评价工作簿——评分、汇总与报告"
HELP_DEBUG = "出错时显示完整的错误追踪信息（供开发人员排查）"
HELP_NEW = "新建空白评价工作簿"
HELP_NEW_PATH = "要生成的工作簿路径（.xlsx）"
HELP_NEW_KIND = "评价类型：部门评价（17项框架指标）或 单位自评（全国默认结构），默认 部门评价"
HELP_NEW_PACK = "预填的评分规则包（如 national、province-strict），默认 national"
HELP_DEMO = "生成内置示例（全市来穗人员服务项目）并评分"
DEMO_DEFAULT_DIR = "jixiao-示例"
HELP_DEMO_DIR = "输出目录，默认为当前目录下的“jixiao-示例”"
HELP_COMMANDS = "命令"
HELP_REFRESH = "读取工作簿、评分，写入计算列和“汇总”工作表"
HELP_REFRESH_IN = "要评分的工作簿（.xlsx/.xlsm）"
HELP_REFRESH_OUT = "输出文件（默认：原文件名加“_已评分”，与原文件同目录）"
HELP_REFRESH_IN_PLACE = "直接更新原文件（先备份为 .bak 文件；已有备份时另存为 .bak2、.bak3……，不覆盖旧备份）"
HELP_REFRESH_FORCE = ("输出到新文件时：输出文件已存在（且不是本程序生成后未改动的）也覆盖（原文件先备份为 .bak 文件），"
                      "即使会丢失本程序无法保留的内容（如文本框）也继续；不能与 --in-place 同用")
HELP_SCORE = "只评分不写文件，输出结果"
HELP_SCORE_IN = "要评分的工作簿（.xlsx/.xlsm）"
HELP_SCORE_JSON = "以 JSON 格式输出完整结果"

# ------------------------------------------------------------------ evaluation report (issue #5)
REPORT_DONE = "已生成评价报告（{layout}）：{path}"
REPORT_FINDINGS = "问题 {problems} 条、建议 {suggestions} 条（其中评价人已写 {own} 条，程序生成 {generated} 条）"
REPORT_NOTICE = "提示：{text}"
REPORT_PLACEHOLDERS = "报告中有 {count} 处“待补充”内容（黄色底纹），请在“项目信息”中填写后重新生成，或直接在 Word 中补写"
REPORT_NOT_SCORED = "工作簿有输入错误，总分未计算，不能生成报告。请先修正以下错误："
REPORT_NOT_DOCX = "文件“{name}”不是 Word 文档（.docx），无法读取。若为 .doc 或 WPS 格式，请另存为 .docx 后再试"
REPORT_OUT_SUFFIX = "报告文件扩展名应为 .docx"
CHECK_OK = "报告与工作簿一致：已核对 {checked} 个数字，全部相符"
CHECK_HEADER = "报告中有 {count} 处数字与工作簿不一致："
CHECK_DIFF = "  {label}：报告为“{found}”，工作簿为“{expected}”（{source}）——“…{context}…”"
CHECK_MISSING_HEADER = "以下 {count} 项在报告中未找到，无法核对（可能已改写或删除）："
CHECK_MISSING = "  {label}：工作簿为“{expected}”（{source}）"
CHECK_SUMMARY = "已核对 {checked} 个数字：{diffs} 处不一致，{missing} 项未找到"
HELP_REPORT = "根据工作簿生成评价结果报告（Word，公文格式）"
HELP_REPORT_IN = "已填写的评价工作簿（.xlsx/.xlsm）"
HELP_REPORT_OUT = "输出的 Word 文件（默认：工作簿同目录，文件名加“_评价报告.docx”）"
HELP_REPORT_LAYOUT = "报告结构：部门评价（参照广州市部门评价结果报告，默认）或 财政部提纲（财预〔2020〕10号附件3）"
HELP_CHECK = "核对（可能已手工修改的）报告中的数字是否与工作簿一致；一致返回0，不一致返回2"
HELP_CHECK_IN = "评价工作簿（.xlsx/.xlsm）"
HELP_CHECK_REPORT = "要核对的评价报告（.docx）"
HELP_CHECK_STRICT = "报告中找不到的数字也算作不一致"
REPORT_SUFFIX = "_评价报告"

# ------------------------------------------------------------------ limits (issue #13: bounded reading)
LIMIT_PART = "文件“{name}”中的“{part}”解压后为 {size}，超过可处理的 {limit}：文件可能已损坏或不是正常的工作簿"
LIMIT_RATIO = "文件“{name}”中的“{part}”压缩比为 {ratio}:1，超过正常工作簿的上限 {limit}:1：文件可能是恶意构造的压缩包，已拒绝处理"
LIMIT_PACKAGE = "文件“{name}”解压后共 {size}，超过可处理的 {limit}：请检查文件是否正常"
LIMIT_ROWS = "{ref}：此单元格有内容，超过可处理的 {limit} 行；如为误输入，请删除该单元格（Ctrl+End 可定位工作表的最后一个单元格）"
LIMIT_TEXT = "{ref}：单元格内容长 {length} 个字符，超过 Excel 单元格的上限 {limit} 个字符"
LIMIT_EXTENT = "{ref}：此单元格有内容，超出可处理的范围（最多 {rows} 行、{cols} 列）；如为误输入，请删除该单元格后再试"
FORMULA_UNCACHED = ("{ref}：{header}是公式，但文件中没有它的计算结果（文件未经 Excel/WPS 保存过）：请在 Excel 或 WPS 中"
                    "打开并保存后再试，或直接填写数值")
BROKEN_PIPE = "输出未写完：接收输出的程序已先关闭（如 | head），显示的结果不完整"
CHECK_NOT_A_REPORT = ("“{name}”看来不是“{workbook}”的评价报告：工作簿的 {total} 个可核对数字（总分、等级、比率、"
                      "计划/实际数等）中只找到 {found} 个。请确认选对了报告和工作簿")
