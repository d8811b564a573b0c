# The two commands a newcomer needs: `make serve` and `make test`.
# Everything else here is what those two need, installed or built on first use.

VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
NODE    := node_modules/.installed
SITE    := build/site.stamp
PORT    ?= 8000
SOURCES := $(shell find mlp_core web -type f -not -name '*.pyc') trained_models/registry.json build.py pyproject.toml \
           THIRD-PARTY-NOTICES.md vendor/licenses/fonts-copyright.txt

.PHONY: serve test build bench lint pretrain browsers clean

$(STAMP): pyproject.toml scripts/find-python.sh
	@PY312=$$(./scripts/find-python.sh) || exit 1; \
	  echo "creating $(VENV) with $$PY312"; \
	  "$$PY312" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.1.1
	$(PY) -m pip install --quiet -e . --group dev
	@touch $@

$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## build: assemble the static site in dist/
build: $(SITE)
$(SITE): $(STAMP) $(NODE) $(SOURCES)
	$(PY) build.py build
	@mkdir -p build && touch $@

## serve: build if needed, then serve the app on http://127.0.0.1:$(PORT)/
serve: $(SITE)
	$(PY) build.py serve $(PORT)

## test: install what is needed, lint, build, and run every test (Python + browser)
test: lint $(SITE) browsers
	$(PY) -m pytest -n auto --dist worksteal

## bench: measure (about 12 minutes) -> bench/results.json, bench/report.md, bench/new_letter.json, plots
bench: $(SITE) browsers
	$(PY) bench/run.py

## lint: ruff for the Python, ESLint for the JavaScript (both pinned)
lint: $(STAMP) $(NODE)
	$(VENV)/bin/ruff check mlp_core tests build.py manifest.py bench scripts
	node_modules/.bin/eslint .

## browsers: Debian's Chromium, Firefox ESR and WebKitGTK (with its WebDriver and a virtual
## display) for the browser tests; Playwright cannot download browsers here
BROWSER_PACKAGES := chromium firefox-esr webkit2gtk-driver xvfb
browsers:
	@missing=$$(for p in $(BROWSER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  [ -z "$$missing" ] || { \
	  echo "installing the browsers for the tests:" $$missing; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; }

## pretrain: retrain the default model into trained_models/registry.json
pretrain: $(STAMP)
	$(PY) build.py pretrain

clean:
	rm -rf $(VENV) node_modules dist build .pytest_cache .ruff_cache .hypothesis
