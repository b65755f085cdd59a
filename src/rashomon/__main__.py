"""`python -m rashomon`: the same entry point as the `rashomon` console script."""

from rashomon.cli import main

raise SystemExit(main())
