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

.PHONY: run test install install-test assets migrate demo chromium clean

run: install assets migrate
	PORTAL_CLOCK=$(DEMO_CLOCK) $(FLASK) demo
	@echo ""
	@echo "The demo's clock starts at $(DEMO_CLOCK) (inside the application window) and runs forward."
	@echo "Serving Puljeportalen on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	PORTAL_CLOCK=$(DEMO_CLOCK) $(FLASK) run --host $(HOST) --port $(PORT)

test: install-test assets chromium
	$(VENV)/bin/pytest -n auto

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

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache
