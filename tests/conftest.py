"""Test-wide settings.

xlwings' remote engine and server features need a licence key; the PolyForm Noncommercial
licence covers government institutions, which is who jixiao is for.
"""

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
