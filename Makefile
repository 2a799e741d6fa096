# newsdesk developer commands. `make setup` then `make test` on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup test lint typecheck check smoke protos clean lock audit breaking

setup: $(VENV)/.installed

# torch==2.13.0 is the CPU wheel that lies on this machine's disk; the [services]
# extra pins it so pip never fetches a CUDA build.
$(VENV)/.installed: pyproject.toml setup.py constraints.txt $(wildcard protos/newsdesk/*/v1/*.proto)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
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

# v1 protos may only grow: fail on a change that breaks clients of the previous commit.
breaking: setup
	@git rev-parse --verify --quiet HEAD~1 >/dev/null || { echo "buf breaking: no previous commit to compare with (a shallow clone?)"; exit 1; }
	$(VENV)/bin/buf breaking --against '.git#ref=HEAD~1'

typecheck: setup
	$(PY) -m mypy

check: lint typecheck test

# Re-pin constraints.txt from a fresh resolution of pyproject.toml's [dev] extra.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[dev]'
	{ sed -n '1,/^# pyproject.toml/p' constraints.txt; \
	  .lock-venv/bin/pip freeze --exclude-editable | sed 's/^torch==\(.*\)+cpu$$/torch==\1/'; \
	} > constraints.new && mv constraints.new constraints.txt && rm -rf .lock-venv

# Vulnerability audit of the locked set (needs the PyPI JSON API or api.osv.dev; from
# the project's build machine neither answers, so CI does not run it).
audit:
	$(PY) -m pip install --quiet pip-audit
	$(VENV)/bin/pip-audit --strict --no-deps --disable-pip -r constraints.txt

# The whole chain on locally built tiny models (random weights: the output is noise).
smoke: setup
	$(VENV)/bin/newsdesk smoke

clean:
	rm -rf $(VENV) build dist *.egg-info
	find protos -name '*_pb2*.py*' -delete
