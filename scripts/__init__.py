"""Build and data tools, each run as a module from the project root: `python -m scripts.generate_nlu`,
`python -m scripts.extract_bureaus`, `python -m scripts.extract_gazetteer`, `python -m scripts.bench_kb`,
`python -m scripts.validate_data`, `python -m scripts.eval_nlu`, `python -m scripts.eval_places`,
`python -m scripts.deps_report`.
The tools that start processes are in devtools/."""
