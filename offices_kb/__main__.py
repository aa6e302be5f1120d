import sys

from offices_kb.cli import main

sys.exit(main())
