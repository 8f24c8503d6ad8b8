"""Allow ``python -m migrationlab ...``."""

from migrationlab.cli import main

raise SystemExit(main())
