# Mobilise. `make run` and `make test` are the whole set-up on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# Python 3.13 preferred, 3.12 accepted. pyenv shims answer `command -v` even when the
# version is not active, so each candidate must actually run and report its version.
PYTHON_CANDIDATES := $(PYTHON) python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) /usr/bin/python3.13 /usr/bin/python3.12 python3
FIND_PYTHON = for c in $(PYTHON_CANDIDATES); do \
	  if "$$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then echo "$$c"; exit 0; fi; \
	done; exit 1

.PHONY: install run test lint bench migrate demo clean check

$(VENV)/.installed: pyproject.toml requirements.lock
	@if [ ! -x $(PY) ]; then \
	  base=$$($(FIND_PYTHON)) || { echo "Mobilise needs Python 3.12 or newer (3.13 preferred): install python3.13 or python3.12, or set PYTHON=/path/to/python." >&2; exit 1; }; \
	  echo "Creating $(VENV) with $$base"; \
	  "$$base" -m venv $(VENV); \
	fi
	@mkdir -p var
	@echo "Installing Mobilise and its dependencies into $(VENV) (log: var/install.log)"
	@{ $(PY) -m pip install --quiet --upgrade pip && $(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"; } > var/install.log 2>&1 \
	  || { tail -30 var/install.log; echo "Installing failed: see var/install.log" >&2; exit 1; }
	@touch $@

install: $(VENV)/.installed

# Development steps run with DEBUG on (unless set): without SECRET_KEY the settings refuse
# to start with DEBUG off.
migrate: install
	@mkdir -p var
	@DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput -v 0
	@DEBUG=$${DEBUG:-1} $(PY) manage.py createcachetable

demo: migrate
	@DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo

run: demo
	@bash .ci/system-packages run
	@echo "Serving http://127.0.0.1:$(PORT)/"
	@DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install lint
	@bash .ci/system-packages test
	@$(PY) -m pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

# Lint (ruff) and the import-layer contract (import-linter, [tool.importlinter] in pyproject.toml).
lint: install
	@mkdir -p var
	@$(VENV)/bin/ruff check --quiet .
	@$(VENV)/bin/ruff format --check --quiet .
	@$(VENV)/bin/lint-imports --no-cache > var/lint-imports.log 2>&1 || { cat var/lint-imports.log; exit 1; }

bench: install
	@mkdir -p var
	@MOBILISE_BENCH=1 $(PY) -m pytest tests/bench -q -s $(PYTEST_ARGS) > var/bench.log 2>&1; status=$$?; \
	  grep -E '^[a-z0-9_]+: ' var/bench.log; \
	  if [ $$status -ne 0 ]; then tail -40 var/bench.log; exit $$status; fi

clean:
	rm -rf $(VENV) var
