"""``python -m damage_data`` runs the command line."""

import sys

from damage_data.cli import main

sys.exit(main())
