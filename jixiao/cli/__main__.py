"""``python -m jixiao.cli``: the same command line as the ``jixiao`` script."""

import sys

from . import main

sys.exit(main())
