# tunnelsight: `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv lint test unit golden demo bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: venv
	$(BIN)/ruff check streams schemas enrichers infra tests
	$(BIN)/mypy streams schemas enrichers

unit: venv
	$(BIN)/pytest -q -m 'not integration'

golden: venv
	TUNNELSIGHT_REGEN=1 $(BIN)/pytest -q tests/golden
	git status --short tests/golden

test: venv
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
