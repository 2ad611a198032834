# Two commands: `make run` serves the demo, `make test` runs the whole suite.
# Everything they need is installed by the steps below, on a fresh Debian with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test system-deps lint clean

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

system-deps:
	bash scripts/install-system-deps.sh

# The OpenID provider the sign-in tests run against (oidc-provider under Debian's Node).
OIDC := tests/support/oidc
$(OIDC)/node_modules/.installed: $(OIDC)/package-lock.json | system-deps
	npm ci --prefix $(OIDC) --no-audit --no-fund
	touch $@

test: $(VENV)/.dev system-deps $(OIDC)/node_modules/.installed
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(VENV)/.dev
	$(BIN)/ruff check schoolsafe config tests bench wsgi.py devdata

clean:
	rm -rf $(VENV) .pytest_cache
