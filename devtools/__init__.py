"""The tools that start processes, as one importable package (run its tools with `python -m`, import it as
`from devtools import ...`; nothing here edits sys.path).

- `devtools.process`: one managed process (its own process group and log file, stopped by signal with a grace
  period, an optional readiness check) and `wait_ready`, which polls readiness within a time limit.
- `devtools.net`: loopback HTTP without proxies, port checks, free ports.
- `devtools.rasa`: the `rasa` command, the environment its processes get, the worker count, finding the model.
- `devtools.stack`: the launcher behind `make run` and the stack tests (`python -m devtools.stack`).
- `devtools.scale`: the scale-out cluster behind `make test-scale` (`python -m devtools.scale`).
The benchmark (`python -m bench`) builds on these.
"""
