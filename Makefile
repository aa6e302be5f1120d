# The one entry point. `make run` and `make test` work as the first command on a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10: pyenv's by default, or PYTHON=/path/to/python3.10
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
PYTHON ?= $(lastword $(sort $(wildcard $(PYENV_ROOT)/versions/3.10.*/bin/python3.10)))
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed
# The public web app (bot/) runs in its own virtualenv on current releases (requirements-web.txt), apart from Rasa's
# pins: Python 3.10 or newer, pyenv's 3.12 by default, else python3 on the PATH, else the Python of Rasa's venv
WEB_PYTHON ?= $(or $(lastword $(sort $(wildcard $(PYENV_ROOT)/versions/3.12.*/bin/python3.12))),$(shell command -v python3 2>/dev/null),$(PYTHON))
VENV_WEB := .venv-web
PY_WEB := $(VENV_WEB)/bin/python
STAMP_WEB := $(VENV_WEB)/.installed
KB_DB := offices_kb/build/offices.sqlite
GENERATED := data/nlu/generated/locations.yml
MODEL := models/assistant.tar.gz
TRAIN_INPUTS := config.yml domain.yml $(GENERATED) $(shell find data -name '*.yml' -not -path 'data/nlu/generated/*' 2>/dev/null) \
	$(wildcard data/jieba/*.txt) $(wildcard components/*.py)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0

.PHONY: help setup kb train run test lint unit unit-rasa unit-web deps-report validate core-test e2e wechat reliability \
	test-scale eval bench bench-kb bench-stats vendor-echarts purge clean

help:
	@echo "make run    set up, train when needed, start action server (5055), Rasa (5005), web app (8000)"
	@echo "make test   set up, lint, unit tests, rasa data validate, train when needed, NLU gate, story tests, e2e + browser tests"
	@echo "make eval   NLU report on the held-out test set; fails below intent accuracy 0.95 or location F1 0.95"
	@echo "make bench-kb  offices_kb lookup timings"
	@echo "make wechat WeChat's servers (signed, encrypted, retried, hostile) against a stack with the 公众号 channel on"
	@echo "make test-scale  PostgreSQL + Redis + two Rasa instances: conversations move between instances, concurrent messages are serialised"
	@echo "make bench  our stack vs stock Rasa at 1/10/50 concurrent conversations"
	@echo "make purge  delete conversations idle longer than RETENTION_DAYS (180) and old ratings (make run: daily)"
	@echo "make deps-report  every pinned package of both virtualenvs (.venv: Rasa, .venv-web: the web app) with its release date"
	@echo "make bench-stats  the console dashboard's API on a generated year (1,000,000 events): p50/p95"
	@echo "make vendor-echarts  fetch the pinned Apache ECharts from npm into bot/static/vendor/ (checked)"

setup: $(STAMP) $(STAMP_WEB) $(KB_DB) $(GENERATED)

# $(call virtualenv,PYTHON,VERSION_TEST,DIR,REQUIREMENTS,CONSTRAINTS,PROBLEM,HOW_TO_GET_ONE,VARIABLE): a virtualenv
# from pinned requirements, or a message saying which Python is missing and how to get one (no commas in arguments)
define virtualenv
	@if [ -z "$(1)" ] || ! "$(1)" -c 'import sys; sys.exit(not ($(2)))' 2>/dev/null; then \
	  echo "ERROR: $(6)"; \
	  echo "  Install it with pyenv:  $(7)"; \
	  echo "  or point to one:        make $(MAKECMDGOALS) $(8)=/path/to/python3"; \
	  exit 1; fi
	"$(1)" -m venv $(3)
	$(3)/bin/pip install -q --disable-pip-version-check -r $(4) -c $(5)
	touch $@
endef

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	$(call virtualenv,$(PYTHON),0x030a0000 <= sys.hexversion < 0x030b0000,$(VENV),requirements-dev.txt,constraints.txt,Python 3.10 not found (Rasa 3.6 does not run on 3.11+).,pyenv install 3.10.13   (or: apt-get install python3.10 python3.10-venv),PYTHON)

# the web app: Python 3.10 or newer
$(STAMP_WEB): requirements-web.txt requirements-web-dev.txt constraints-web.txt
	$(call virtualenv,$(WEB_PYTHON),sys.hexversion >= 0x030a0000,$(VENV_WEB),requirements-web-dev.txt,constraints-web.txt,the web app needs Python 3.10 or newer (WEB_PYTHON=$(WEB_PYTHON)).,pyenv install 3.12   (or: apt-get install python3 python3-venv),WEB_PYTHON)

kb: $(KB_DB)
$(KB_DB): $(STAMP) $(wildcard offices_kb/data/*) $(wildcard offices_kb/*.py)
	$(PY) -m offices_kb build

$(GENERATED): $(KB_DB) scripts/generate_nlu.py
	$(PY) -m scripts.generate_nlu

train: $(MODEL)
$(MODEL): $(STAMP) $(TRAIN_INPUTS)
	@mkdir -p models logs
	@# pipefail: a failed training must fail here, not touch the previous model into looking new
	@set -o pipefail; start=$$(date +%s); \
	$(RASA) train --fixed-model-name assistant --out models --quiet 2>&1 | tee logs/train.log \
	  | { grep -vE "^(I|W)[0-9]{4}|tensorflow" || true; } \
	  || { echo "training failed: see logs/train.log" >&2; exit 1; }; \
	test -f $(MODEL) && touch $(MODEL) && echo "trained in $$(( $$(date +%s) - start )) s" | tee -a logs/train.log

run: setup $(MODEL)
	$(PY) -m devtools.stack

lint: $(STAMP)
	$(VENV)/bin/ruff check guide citizen stores privacy records offices_kb actions components channels serving bot devtools scripts \
	  bench tests envsettings.py

# tests of bot/ run where the web app runs (.venv-web), the rest in Rasa's venv
unit: unit-rasa unit-web
unit-rasa: setup
	$(VENV)/bin/pytest -q tests/unit $(wildcard tests/actions) tests/stores -p no:cacheprovider
unit-web: setup
	$(VENV_WEB)/bin/pytest -q tests/web tests/stores -p no:cacheprovider

deps-report: setup
	$(PY) -m scripts.deps_report

validate: setup
	$(PY) -m scripts.validate_data

core-test: $(MODEL)
	$(RASA) test core --stories tests/test_stories.yml --model $(MODEL) --fail-on-prediction-errors --out results/core

e2e: $(MODEL)
	$(VENV)/bin/pytest -q $(wildcard tests/e2e) $(wildcard tests/browser) -p no:cacheprovider

wechat: $(MODEL)
	$(VENV)/bin/pytest -q tests/wechat -p no:cacheprovider

reliability: $(MODEL)
	$(VENV)/bin/pytest -q -s tests/reliability -p no:cacheprovider

test: lint unit validate train eval core-test e2e wechat reliability

eval: $(MODEL)
	$(PY) -m scripts.eval_nlu

test-scale: setup $(MODEL)
	$(PY) -m devtools.scale

bench: setup $(MODEL)
	$(PY) -m bench

bench-kb: setup
	$(PY) -m scripts.bench_kb

purge: $(STAMP)
	$(PY) -m records purge

bench-stats: setup
	$(PY_WEB) -m bench.stats_bench

vendor-echarts:
	$(PY) -m scripts.vendor_echarts

clean:
	rm -rf models results logs $(KB_DB) $(GENERATED) data/jieba/places.txt
