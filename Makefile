# The two commands of the README: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000
DEMO ?= instance/demo

.PHONY: run test venv bench clean

venv: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

# Until the OAI server is wired in, `make run` writes the demo records and validates them.
run: $(STAMP)
	$(BIN)/lectern demo --out $(DEMO)
	$(BIN)/lectern validate $(DEMO) --profile lectern

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench.validate --records 50000

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
