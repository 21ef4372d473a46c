# Batho: `make run` starts the app on the embedded database; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
BATHO_DEMO_PASSWORD ?= demo
export PORT BATHO_DEMO_PASSWORD

.PHONY: run test setup lint clean assets

$(BIN)/batho: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/batho

setup: $(BIN)/batho
	$(BIN)/pybabel -q compile -d web/translations

# Browser assets (issue 5): npm ci only when the lock file changed, esbuild only when a source changed.
node_modules/.batho-installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/static/build/.built: node_modules/.batho-installed $(wildcard web/assets/*)
	node web/assets/build.mjs
	touch $@

assets: web/static/build/.built

run: setup assets
	$(BIN)/batho db upgrade
	$(BIN)/batho deploy workflows
	$(BIN)/batho seed-demo
	@echo ""
	@echo "Batho: http://127.0.0.1:$(PORT)/   (staff sign-in: http://127.0.0.1:$(PORT)/login)"
	@echo "Demo logins (password: $(BATHO_DEMO_PASSWORD)): agent, officer, supervisor, manager, billing, cfo, owner, admin, councillor"
	@echo ""
	@$(BIN)/batho worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; $(BIN)/batho serve

lint: setup
	$(BIN)/ruff check engine web tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports  # layers, no Flask in engine, SpiffWorkflow only in engine.bpmn, no import cycles

test: setup assets lint
	$(BIN)/pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache node_modules web/static/build
