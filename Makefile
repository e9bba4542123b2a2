# The two commands of the README: `make run` and `make test`. Each installs what it needs.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
CLI     := $(VENV)/bin/secretariat
STAMP   := $(VENV)/.installed

.PHONY: install run test bench lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

run: install
	$(CLI) db upgrade
	@if ls processes/*.bpmn >/dev/null 2>&1; then $(CLI) deploy processes/ forms/; \
	 else echo "processes/ holds no BPMN yet: nothing to deploy"; fi

test: install
	$(PY) -m pytest

bench: install
	$(PY) bench/engine_overhead.py

# Refresh the lock after changing pyproject.toml's dependencies.
lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^pkg[-_]resources' > requirements.lock

clean:
	rm -rf $(VENV) instance .pytest_cache
