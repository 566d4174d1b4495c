# Every target creates the virtualenv and installs the project first when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8080

.PHONY: install validate bundle docs serve test lint bench clients diff dist clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

validate: install
	$(BIN)/usersapi validate

bundle: validate
	$(BIN)/usersapi bundle cloud-elements
	$(BIN)/usersapi bundle tyk-dashboard

docs: validate
	$(BIN)/usersapi docs

serve: install
	$(BIN)/usersapi up --host $(HOST) --port $(PORT)

# Two workers by default (TEST_WORKERS=0 runs in one process): most tests wait on a server or a
# browser they started, so two keep both cores busy. A file's tests stay on one worker
# (--dist loadfile): the servers and runs its fixtures start are started once.
TEST_WORKERS ?= 2
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy generator
	$(BIN)/lint-imports --no-cache

bench: install
	$(BIN)/python bench/run.py $(BENCH)

clients: install
	$(BIN)/usersapi clients

# The breaking-change gate: each API's working contract against its last release
# (openapi/releases.yaml); every API is checked even when one fails.
diff: install
	@status=0; for api in cloud-elements tyk-dashboard; do \
	  $(BIN)/usersapi diff $$api --allow openapi/diff-allow.yaml || status=1; \
	done; exit $$status

# The sdist, then the wheel built from it; offline, with the setuptools of the venv.
dist: install
	$(BIN)/python -m build --no-isolation --outdir dist

clean:
	rm -rf build dist .pytest_cache .ruff_cache .mypy_cache
