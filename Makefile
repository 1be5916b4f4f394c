# Stackwise: `make run` serves the coach, `make test` runs the whole suite.
# Both install what they need into .venv first, and are safe to repeat.
VENV   := .venv
PY     := $(VENV)/bin/python
COACH  := $(VENV)/bin/coach
STAMP  := $(VENV)/.installed-stamp
SERVICES_STAMP := $(VENV)/.services-stamp
PYTEST_ARGS ?=

.PHONY: install run test lint typecheck layers bench clean services

install: $(STAMP)

# torch first and pinned: its CPU build; a bare `torch` would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml coach/wallet/contexts/package-lock.json
	$(PY) -m pip --version >/dev/null 2>&1 || python3 -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	cd coach/wallet/contexts && npm ci --no-audit --no-fund --ignore-scripts && node export-contexts.cjs
	touch $(STAMP)

services: $(SERVICES_STAMP)

$(SERVICES_STAMP): scripts/install-test-services.sh tests/services/package-lock.json | $(STAMP)
	scripts/install-test-services.sh
	touch $(SERVICES_STAMP)

run: install
	$(COACH) index
	$(COACH) serve --host 127.0.0.1 --port 8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# pytest exits 5 when it collected no tests: that is a failure here.
test: install services lint
	$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) .coach .pytest_cache .mypy_cache .ruff_cache tests/services/node_modules
