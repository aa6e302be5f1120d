"""Build, generation and run helpers (importable: `from scripts import run_stack`)."""
