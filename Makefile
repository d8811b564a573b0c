# The two commands a newcomer needs: `make serve` and `make test`.
# Everything else here is what those two need, installed on first use.

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: serve test lint pytest pretrain clean

$(STAMP): pyproject.toml scripts/find-python.sh
	@PY312=$$(./scripts/find-python.sh) || exit 1; \
	  echo "creating $(VENV) with $$PY312"; \
	  "$$PY312" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.1.1
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

## test: install what is needed, lint, and run every test
test: $(STAMP) lint pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check mlp_core tests build.py

pytest: $(STAMP)
	$(PY) -m pytest

## serve: demo the production model from the command line (the web app comes next)
serve: $(STAMP)
	$(PY) -m mlp_core info
	$(PY) -m mlp_core health

## pretrain: retrain the default model into trained_models/registry.json
pretrain: $(STAMP)
	$(PY) build.py pretrain

clean:
	rm -rf $(VENV) dist .pytest_cache .ruff_cache .hypothesis
