"""`python -m bench` (what `make bench` runs): see the package's docstring."""

from bench.cli import main

raise SystemExit(main())
