# newsdesk developer commands. `make setup` then `make test` on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup test lint typecheck check smoke protos clean

setup: $(VENV)/.installed

# torch==2.13.0 is the CPU wheel that lies on this machine's disk; the [services]
# extra pins it so pip never fetches a CUDA build.
$(VENV)/.installed: pyproject.toml setup.py $(wildcard protos/newsdesk/*/v1/*.proto)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) setup.py gen-protos
	touch $@

protos:
	$(PY) setup.py gen-protos

test: setup
	$(PY) -m pytest -q

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/buf lint
	$(VENV)/bin/hadolint services/*/Dockerfile

typecheck: setup
	$(PY) -m mypy

check: lint typecheck test

# The whole chain on locally built tiny models (random weights: the output is noise).
smoke: setup
	$(VENV)/bin/newsdesk smoke

clean:
	rm -rf $(VENV) build dist *.egg-info
	find protos -name '*_pb2*.py*' -delete
