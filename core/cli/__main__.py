"""``python -m core.cli``: the same as the ``cong`` command."""

import sys

from core.cli.main import main

sys.exit(main())
