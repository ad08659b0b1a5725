# Puljeportalen: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app portal
VENDOR := portal/static/vendor/dkfds
# The demo stands inside the application window: Monday 24 July 2017, 11 days before the deadline.
DEMO_CLOCK ?= 2017-07-24T09:00:00+02:00
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test assets migrate demo chromium audit clean

run: install assets migrate
	PORTAL_CLOCK=$(DEMO_CLOCK) $(FLASK) demo
	@echo ""
	@echo "The demo's clock starts at $(DEMO_CLOCK) (inside the application window) and runs forward."
	@echo "Serving Puljeportalen on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	PORTAL_CLOCK=$(DEMO_CLOCK) $(FLASK) run --host $(HOST) --port $(PORT)

test: install-test assets chromium audit
	$(VENV)/bin/pytest -n auto

# Security audit: bandit on the portal's code (each exception explained where it is made), then pip-audit on
# every installed package. --strict makes a package pip-audit cannot look up an error, not a silent pass. Where
# PyPI's per-version data cannot be reached at all (an offline mirror), the audit says loudly that the packages
# were NOT checked, rather than failing every build or passing in silence.
audit: install-test
	$(VENV)/bin/bandit -r portal -c pyproject.toml -q
	@if $(PY) -c "import urllib.request; urllib.request.urlopen('https://pypi.org/pypi/flask/3.0.0/json', timeout=10)" \
	    2>/dev/null; then \
	  $(VENV)/bin/pip-audit --strict --progress-spinner off --skip-editable; \
	else \
	  echo "WARNING: pip-audit cannot reach PyPI's vulnerability data from here: installed packages were NOT" \
	       "checked for known vulnerabilities. Run 'make audit' where pypi.org answers." >&2; \
	fi

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

node_modules/dkfds/package.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.copied: node_modules/dkfds/package.json
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)
	cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/js node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img $(VENDOR)/
	touch $@

assets: $(VENDOR)/.copied

migrate: install
	$(FLASK) db upgrade

demo: migrate
	PORTAL_CLOCK=$(DEMO_CLOCK) $(FLASK) demo

# Browser tests drive Debian's chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

# Speed and load (tests/bench, on loopback, bounded): a realistic pool served by gunicorn, each page measured
# against a bare page of the same size; and the deadline day on SQLite and on PostgreSQL with two instances.
# Results as JSON in instance/bench/. BENCH_ARGS / LOADTEST_ARGS pass options (--help lists them).
.PHONY: bench loadtest
bench: install
	$(PY) -m tests.bench.run $(BENCH_ARGS)

loadtest: install
	$(PY) -m tests.bench.loadtest $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache
