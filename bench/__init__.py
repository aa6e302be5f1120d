"""`make bench`: our stack against stock Rasa, same model, same action server, same simulated citizens.

    .venv/bin/python -m bench                    levels 1, 10, 50 concurrent conversations, 20 s each
    .venv/bin/python -m bench --quick            smoke run: levels 1 and 10, 3 s each
    .venv/bin/python -m bench --seconds 10 --levels 1,50
    .venv/bin/python -m bench --project /tmp/toy --model /tmp/toy/models/t.tar.gz

Starts our stack through devtools.stack, the launcher of `make run` (action server, Rasa with
channels.guarded_rest and the SQLite tracker store, web app with its rate limits disabled), and stock Rasa
(`rasa run`, in-memory tracker store, one process, built-in `rest:` channel, pointed at the same action server),
each on free ports of 127.0.0.1. Simulated
citizens (bench/conversations.yml, one sender id per conversation) then talk at each concurrency level for a
bounded time to: our web app (POST /api/chat), our Rasa directly (REST channel), stock Rasa (REST channel).
Reports messages/s, latency p50/p95/p99, errors, resident memory (VmRSS) per process, cold start (launch to first
answer), training time (`trained in N s` in <project>/logs/train.log), model size and offices_kb lookup p50/p95
(scripts.bench_kb), each with the ratio project / stock; writes bench/results.json. Service logs go to
logs/bench/. It measures; it asserts nothing about timings.

Sending traffic only to 127.0.0.1; every request has a timeout; every level stops after --seconds.

Modules: cli (options, the run, results.json), servers (stock Rasa, our stack's endpoints, first answer), load
(simulated citizens at a concurrency level), procstats (memory and CPU of the serving processes), figures
(machine, training time, offices_kb timings), report (the table).
"""


def echo(msg: str) -> None:
    print(f"[bench] {msg}", flush=True)
