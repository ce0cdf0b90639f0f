"""jixiao (绩效): project-expenditure performance evaluation for Chinese government finance staff.

Sub-packages:
- ``jixiao.scoring``  the pure engine (values, rules, tree, grades, rates, flags);
- ``jixiao.workbook`` the spreadsheet side (layout, template, adapters, refresh);
- ``jixiao.addin``    what a user touches in Excel (worksheet functions, ribbon entry points).
"""

__version__ = "0.1.0"


def main():
    from jixiao.addin.ribbon import main as _m

    return _m()
