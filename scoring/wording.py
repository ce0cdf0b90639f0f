"""Every sentence the scoring rules write into 评分说明, in one place.

Each is a ``str.format`` template with named fields, filled per row: the vectorised rules fill a
whole column at once (``text.fill``), the plain per-row reference (``reference.py``) one row with
``str.format`` — so both say exactly the same thing, and a reviewer who wants other wording
changes it here only.

Fields: ``at``/``tt`` the actual/target as the user typed them; ``w`` 分值; ``score`` the row's
score; ``rate`` 完成率; ``dev`` 超目标 share; ``excess`` 超出目标 share; ``s`` the evaluator's score;
``d`` the deduction; ``lo`` a band's lower bound in points; ``label``/``band`` a qualitative level
and its share range; ``step`` the stepped band that applied and ``share`` its share; ``ded`` a rule
pack's fixed deduction.
"""

from __future__ import annotations

MISSING_ACTUAL = "实际值未填写，暂按0分计（满分{w}分），请补充"

HIGHER_MET = "完成 {at}/目标 {tt}，完成率{rate}，达到目标，得满分{w}分"
HIGHER_OVER = "完成 {at}/目标 {tt}，完成率{rate}，达到目标，得满分{w}分；超目标{dev}，需说明原因"
HIGHER_OVER_DEDUCTED = ("完成 {at}/目标 {tt}，完成率{rate}，达到目标，得满分{w}分；超目标{dev}，需说明原因，"
                        "按规则扣{ded}分，得{score}分")
HIGHER_PARTIAL = "完成 {at}/目标 {tt}，完成率{rate}，未达目标，得{w}×{rate}={score}分"
HIGHER_NONPOSITIVE_TARGET = "完成 {at}/目标 {tt}，完成率{rate}，未达目标（目标值≤0不按比例计分），得0分"

EQUAL_ZERO_MET = "实际 {at}/目标 =0，达到目标，得满分{w}分"
EQUAL_ZERO_MISSED = "实际 {at}/目标 =0，未达到目标，得0分"

LOWER_MET = "实际 {at}/目标 {tt}，未超过目标，得满分{w}分"
LOWER_INVERSE = "实际 {at}/目标 {tt}，超过目标，按反比得{w}×目标/实际={score}分"
LOWER_LINEAR = "实际 {at}/目标 {tt}，超出目标{excess}，按线性扣减得{score}分（达到目标2倍时为0分）"

DEADLINE_MET = "完成时间 {at}/时限 {tt}，按期完成，得满分{w}分"
DEADLINE_LATE = "完成时间 {at}/时限 {tt}，未按期完成，得0分"

QUALITATIVE_SCORED = "定性档次：{label}{band}，评价人打分{s}分"
QUALITATIVE_UNSCORED = "定性档次：{label}{band}，评价人未打分，暂按该档下限{lo}分计"
QUALITATIVE_NO_LEVEL = "未选择定性档次，按评价人打分{s}分计"
QUALITATIVE_NOTHING = "定性档次与评价人打分均未填写，暂按0分计，请补充"

YESNO_YES = "是否达成：{at}，得满分{w}分"
YESNO_NO = "是否达成：{at}，得0分"
YESNO_TARGET_MET = "目标 {tt}/实际 {at}，与目标一致，得满分{w}分"
YESNO_TARGET_MISSED = "目标 {tt}/实际 {at}，与目标不一致，得0分"

CHECKLIST_NONE = "扣分制：分值{w}分，无扣分，得满分{w}分"
CHECKLIST_SOME = "扣分制：分值{w}分，扣{d}分，得{score}分"
CHECKLIST_MISSING = "扣分未填写（无扣分请填0），暂按0分计"

MANUAL_SCORED = "评价人直接打分{s}分（满分{w}分）"
MANUAL_MISSING = "评价人打分未填写，暂按0分计"

BUDGET_EXECUTION = "预算执行率{rate}，得{w}×执行率={score}分"
BUDGET_EXECUTION_CAPPED = "预算执行率{rate}，得{w}×执行率={score}分（封顶）"

STEPPED = "实际 {at}，按分段“{step}”得{share}，得{w}×{share}={score}分"
STEPPED_NO_BAND = "未落入任何分段"
STEPPED_OTHERWISE = "其他"

RATIO = "按实际比率计分：实际{rate}，得{w}×{rate}={score}分"
RATIO_CAPPED = "按实际比率计分：实际{rate}，得{w}×{rate}，以分值为限得{score}分"

BONUS = "加分项：评价人加{s}分"
BONUS_MISSING = "加分项未填写加分，按0分计"

DEADLINE_STEPPED = "完成时间 {at}/时限 {tt}，逾期{days}天，按分段“{step}”得{share}，得{w}×{share}={score}分"

DEDUCTED = "；评价人扣{d}分（理由见偏差原因），得{score}分"
ROUNDED = "；按规则包{mode}保留{decimals}位小数（{raw}→{score}），计{score}分"
ROUNDED_WHOLE = "；按规则包{mode}取整（{raw}→{score}），计{score}分"
