# tunnelsight: `make demo` and `make test` do all the set-up on a fresh machine.
# Servers (Kafka, Elasticsearch) come from Maven Central into .cache/ (TUNNELSIGHT_CACHE); see docs/infra.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INFRA := $(BIN)/python -m infra
PYTEST_ARGS ?=

.PHONY: venv lint test unit golden demo bench clean fetch infra-up infra-down infra-status chaos

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Download Kafka and Elasticsearch once (Maven); later runs find them in the cache and work offline.
fetch: venv
	$(INFRA) fetch all

lint: venv
	$(BIN)/ruff check streams schemas enrichers infra tests
	$(BIN)/mypy streams schemas enrichers

unit: venv
	$(BIN)/pytest -q -m 'not integration'

golden: venv
	TUNNELSIGHT_REGEN=1 $(BIN)/pytest -q tests/golden
	git status --short tests/golden

# Everything, against real servers the test session starts on free ports (or TUNNELSIGHT_KAFKA/_ES).
# pytest's exit status 5 (no tests collected) fails the run like any other non-zero status.
test: venv fetch
	$(BIN)/pytest -q $(PYTEST_ARGS)

# Reliability and security only (docs/reliability.md): faults, bad input, hostile senders, on real
# servers, about 7 minutes. `make test` runs these too.
CHAOS_TESTS := tests/integration/test_faults.py tests/integration/test_bad_input.py \
	tests/integration/test_delivery_checks.py tests/unit/test_security.py tests/unit/test_fuzz_lines.py \
	tests/unit/test_syslog_receiver.py tests/unit/test_late_lines.py
chaos: venv fetch
	$(BIN)/pytest -q -rxX $(CHAOS_TESTS) $(PYTEST_ARGS)

# Smoke path on real servers; KEEP=1 leaves them running (make infra-down stops them).
demo: venv fetch
	$(BIN)/tunnelsight demo $(if $(filter 1,$(KEEP)),--keep)

# Developer servers left running (state in .cache/run/); `make infra-status` prints the export lines.
infra-up: venv fetch
	$(INFRA) start all

infra-down: venv
	$(INFRA) stop all

infra-status: venv
	-$(INFRA) status all

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Benchmarks on this machine (starts its own servers unless TUNNELSIGHT_KAFKA/_ES): bench/results/*.json.
bench: venv fetch
	$(BIN)/python -m bench.run
