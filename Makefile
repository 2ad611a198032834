# Two commands: `make run` serves the demo, `make test` runs the whole suite.
# Everything they need is installed by the steps below, on a fresh Debian with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test system-deps lint clean translations translations-compile

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Translations: the .po catalogues are the source (committed); the .mo files the app reads are
# built from them here, so a fresh clone compiles them before it runs or tests.
TRANSLATIONS := schoolsafe/translations
LANGUAGES := en cy nl fr sv es
CATALOGUES := $(foreach lang,$(LANGUAGES),$(TRANSLATIONS)/$(lang)/LC_MESSAGES/messages.po)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(VENV)/.runtime
	$(BIN)/pybabel compile --domain messages --input-file $< --output-file $@

translations-compile: $(CATALOGUES:.po=.mo)

# For developers after changing wording: collect every marked string into messages.pot, bring
# each catalogue up to date with it (new strings untranslated), and fill English from itself.
translations: $(VENV)/.runtime
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords _l --keywords _nl:1,2 --keywords N_ --keywords lazy_gettext \
		--keywords lazy_ngettext:1,2 --no-location --sort-output \
		--output-file $(TRANSLATIONS)/messages.pot .
	for lang in $(LANGUAGES); do \
		test -f $(TRANSLATIONS)/$$lang/LC_MESSAGES/messages.po \
		|| $(BIN)/pybabel init --input-file $(TRANSLATIONS)/messages.pot \
			--output-dir $(TRANSLATIONS) --locale $$lang; \
	done
	$(BIN)/pybabel update --input-file $(TRANSLATIONS)/messages.pot --output-dir $(TRANSLATIONS) \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/python scripts/english_catalogue.py $(TRANSLATIONS)/en/LC_MESSAGES/messages.po

run: $(VENV)/.runtime translations-compile
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

test: $(VENV)/.dev translations-compile system-deps $(OIDC)/node_modules/.installed
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(VENV)/.dev
	$(BIN)/ruff check schoolsafe config tests bench wsgi.py devdata

clean:
	rm -rf $(VENV) .pytest_cache
