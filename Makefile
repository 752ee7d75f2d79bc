# The two commands of the README: `make run` and `make test`. Both need only Python 3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Development mode unless the caller says otherwise (production sets DEBUG=0 and SECRET_KEY).
export DEBUG ?= 1

.PHONY: install run worker test lint migrate seed messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	$(BIN)/python manage.py runserver $(HOST)

# The background worker that e-mails reminders and notifications (docs/deploy.md, "Scheduled
# jobs"): run it in a second terminal beside `make run`.
worker: migrate
	$(BIN)/python manage.py db_worker

# axe-core for the accessibility tests comes from the npm registry (package-lock.json). Without
# npm those tests skip, saying how to enable them; CI (.ci/run) always installs it.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

ifneq ($(shell command -v npm 2>/dev/null),)
test: node_modules/.installed
endif

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

messages: install
	$(BIN)/python manage.py makemessages --all --no-location --ignore=.venv --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Times a bulletin's aggregation on a generated registry of 10,000 companies, in a throwaway
# database (var/bench.sqlite3, or amrc_bench beside DATABASE_URL's PostgreSQL database).
BENCH_ARGS ?= --companies 10000
bench: install
	$(BIN)/python bench/bulletin_aggregation.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache node_modules
