"""`python -m infra ACTION [SERVER]`; see infra.cli."""

import sys

from infra.cli import main

sys.exit(main())
