# The two commands of the README: `make run` and `make test`. Both need only Python 3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Development mode unless the caller says otherwise (production sets DEBUG=0 and SECRET_KEY).
export DEBUG ?= 1

.PHONY: install run worker serve test lint migrate seed messages bench seed-scale loadtest admin-bench clean

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

# Production-like, locally: DEBUG off, static files collected and served by WhiteNoise, gunicorn
# with the production configuration (deploy/gunicorn.conf.py). What a local trial lacks is filled
# in unless set: a throwaway SECRET_KEY, mail printed to the log, cookies over plain HTTP.
# `make seed serve` serves the demo data.
serve: install
	@mkdir -p var
	@set -e; \
	export DEBUG=0 \
		SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
		ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
		SITE_URL="$${SITE_URL:-http://$(HOST)}" \
		ALLOW_CONSOLE_EMAIL="$${ALLOW_CONSOLE_EMAIL:-1}" \
		SECURE_COOKIES="$${SECURE_COOKIES:-0}"; \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0; \
	$(BIN)/python manage.py migrate --noinput --verbosity 0; \
	echo "Serving http://$(HOST)/ with gunicorn (DEBUG off); Ctrl-C stops."; \
	exec $(BIN)/gunicorn -c deploy/gunicorn.conf.py --bind $(HOST)

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

# The scale data set (the demo's world, 10,000 companies and 50 weekly campaigns by default) in a
# PostgreSQL database of its own, created beforehand (createdb -h 127.0.0.1 -U postgres amrc_scale).
# Idempotent: a second run adds nothing. Then `make loadtest` and `make admin-bench` read it.
SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/amrc_scale
SCALE_ARGS ?= --companies 10000 --campaigns 50
seed-scale: install
	DATABASE_URL=$(SCALE_DATABASE_URL) $(BIN)/python manage.py migrate --noinput
	DATABASE_URL=$(SCALE_DATABASE_URL) $(BIN)/python manage.py seed_scale $(SCALE_ARGS)

# Serves the application under gunicorn on loopback (production mode) and measures every page
# against a hello-world view in the same run; a bounded run of a few minutes (docs/benchmarks.md).
LOADTEST_ARGS ?=
loadtest: install
	$(BIN)/python bench/loadtest.py --database-url $(SCALE_DATABASE_URL) $(LOADTEST_ARGS)

# Times the admin's lists of declarations and campaigns in-process on the scale data set.
admin-bench: install
	DATABASE_URL=$(SCALE_DATABASE_URL) $(BIN)/python bench/admin_changelists.py $(ADMIN_BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache node_modules
