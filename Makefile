# The two commands of the README: `make run` and `make test`. Each installs what it needs.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
CLI     := $(VENV)/bin/secretariat
STAMP   := $(VENV)/.installed
# Front-end packages (bpmn-js) from npm: `npm ci` runs again only when the lock file changes,
# then the ready-made bundles are copied where Flask serves static files.
NPM_STAMP    := node_modules/.installed
VENDOR       := webapp/static/vendor
VENDOR_STAMP := $(VENDOR)/.copied
BPMN_JS_DIST := node_modules/bpmn-js/dist
CHROMIUM     := /usr/bin/chromium
# The modeler (bpmn-js Modeler + properties panel + our spiffworkflow provider) is bundled by
# esbuild from webapp/modeler_src/ into webapp/static/build/ (git-ignored), again whenever a
# source file, the shared structural rules (its lint reads their messages) or the packages change.
MODELER_SRC  := $(shell find webapp/modeler_src -type f 2>/dev/null) engine/bpmn/structure_rules.json
MODELER_JS   := webapp/static/build/modeler.js
# The decision-table editor (dmn-js Modeler), bundled the same way from decisions.js.
DECISIONS_JS := webapp/static/build/decisions.js
DMN_JS_DIST  := node_modules/dmn-js/dist
PANEL_CSS    := node_modules/@bpmn-io/properties-panel/dist/assets/properties-panel.css

# Translations: `make messages` extracts every marked string (webapp/ and the engine's
# N_() sentences) and merges it into each committed .po; `make install` compiles the .po
# into the git-ignored .mo files Flask-Babel reads.
PYBABEL      := $(VENV)/bin/pybabel
TRANSLATIONS := webapp/translations
PO_FILES     := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
MO_FILES     := $(PO_FILES:.po=.mo)

.PHONY: install run test bench lock clean chromium messages

install: $(STAMP) $(VENDOR_STAMP) $(MODELER_JS) $(DECISIONS_JS) $(MO_FILES)

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(STAMP)
	$(PYBABEL) -q compile -d $(TRANSLATIONS) -l $* -i $<

messages: $(STAMP)
	$(PYBABEL) -q extract -F babel.cfg -k N_ -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --sort-by-file --no-wrap \
	  --project="ASP Secretariat workflow" -o $(TRANSLATIONS)/messages.pot .
	$(PYBABEL) -q update --no-wrap --no-fuzzy-matching -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)
	$(MAKE) --no-print-directory $(MO_FILES)

$(NPM_STAMP): package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for bpmn-js: apt-get install -y nodejs npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NPM_STAMP)

$(VENDOR_STAMP): $(NPM_STAMP) Makefile
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/bpmn-js
	cp $(BPMN_JS_DIST)/bpmn-navigated-viewer.production.min.js $(VENDOR)/bpmn-js/
	cp -R $(BPMN_JS_DIST)/assets $(VENDOR)/bpmn-js/assets
	mkdir -p $(VENDOR)/properties-panel
	cp $(PANEL_CSS) $(VENDOR)/properties-panel/
	mkdir -p $(VENDOR)/bpmn-js-bpmnlint $(VENDOR)/bpmn-js-token-simulation $(VENDOR)/diagram-js-minimap
	cp node_modules/bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css $(VENDOR)/bpmn-js-bpmnlint/
	cp node_modules/bpmn-js-token-simulation/assets/css/bpmn-js-token-simulation.css $(VENDOR)/bpmn-js-token-simulation/
	cp node_modules/diagram-js-minimap/assets/diagram-js-minimap.css $(VENDOR)/diagram-js-minimap/
	mkdir -p $(VENDOR)/dmn-js
	cp -R $(DMN_JS_DIST)/assets $(VENDOR)/dmn-js/assets
	touch $(VENDOR_STAMP)

$(MODELER_JS): $(NPM_STAMP) $(MODELER_SRC)
	mkdir -p $(dir $(MODELER_JS))
	npm run --silent build:modeler

$(DECISIONS_JS): $(NPM_STAMP) $(MODELER_SRC)
	mkdir -p $(dir $(DECISIONS_JS))
	npm run --silent build:decisions

# The browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else echo "$(CHROMIUM) is missing and we are not root: the browser tests will be skipped" \
	            "(as root: apt-get install -y chromium)"; fi; \
	fi

run: install
	$(CLI) demo
	$(CLI) serve --host 127.0.0.1 --port 5000

test: install chromium
	$(PY) -m pytest -n 2 --dist loadfile

# Benchmarks, by hand (~20 min on 2 cores): figures and ratios, never assertions.
bench: install
	$(PY) bench/engine_overhead.py
	$(PY) bench/history_growth.py
	$(PY) bench/inbox_latency.py
	$(PY) bench/api_throughput.py

# Refresh the lock after changing pyproject.toml's dependencies.
lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^pkg[-_]resources' > requirements.lock

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules $(VENDOR) $(dir $(MODELER_JS))
