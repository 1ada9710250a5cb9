"""``python -m logit``: the command line (see :mod:`logit.cli`)."""

import sys

from logit.cli import main

if __name__ == "__main__":
    sys.exit(main())
