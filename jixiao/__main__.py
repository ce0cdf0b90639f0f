"""``python -m jixiao``: the same command line as the ``jixiao`` script (handy in a checkout or a frozen venv)."""

import sys

from .cli import main

sys.exit(main())
