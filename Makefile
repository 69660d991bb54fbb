# SIIMOP — the commands a newcomer needs (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The addresses in e-mails and in the SAML metadata follow the served address.
export SIIMOP_BASE_URL ?= http://$(HOST):$(PORT)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run install system-packages test test-fast bench bench-smoke worker lint migrate messages seed-national clean

## make run: install, migrate, load the demo data if the base is empty, serve with a q2 worker
run: install migrate
	$(PY) manage.py seed_demo --scale small --if-empty
	$(PY) manage.py saml_idp_load --dev
	@echo ""
	@echo "SIIMOP sert sur http://$(HOST):$(PORT)/  (administration Wagtail : /admin/)"
	@$(PY) manage.py qcluster & QPID=$$!; \
	  trap 'kill $$QPID 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

## make install: the virtualenv with the pinned dependencies, the platform's
## (requirements.txt) and the tests' (requirements-dev.txt); does nothing when up to date
install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt package-lock.json
	@command -v xmlsec1 >/dev/null || $(MAKE) system-packages
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@# axe-core, for the browser tests' accessibility check (skipped without npm)
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund; fi
	@touch $@

## make system-packages: xmlsec1, the program pysaml2 checks SAML signatures with
system-packages:
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq xmlsec1

migrate: install
	$(PY) manage.py migrate --noinput

## make test: the whole pytest suite (SQLite unless DATABASE_URL says otherwise)
test: install
	$(PY) -m pytest -q -rs -n 2 --create-db $(PYTEST_ARGS)

## make worker: a django-q2 worker alone (make run starts one for you)
worker: install
	$(PY) manage.py qcluster

# Every benchmark module, seed_national first: the database it seeds serves the others.
BENCHMARKS := seed_national $(sort $(filter-out __init__ common seed_national,\
  $(basename $(notdir $(wildcard benchmarks/*.py)))))
# Runs each as `python -m benchmarks.<name>` (never as a script, which would put
# benchmarks/ first on sys.path), sharing one throw-away folder of databases.
define run_benchmarks
	@status=0; cache=$$(mktemp -d); trap 'rm -rf "$$cache"' EXIT; \
	for name in $(BENCHMARKS); do \
	  echo "== benchmarks.$$name"; started=$$(date +%s); \
	  BENCH_CACHE=$$cache $(1) $(PY) -m benchmarks.$$name || status=1; \
	  echo "== benchmarks.$$name: $$(( $$(date +%s) - started )) s"; \
	done; exit $$status
endef

## make bench: every benchmark (python -m benchmarks.<name>); fails if one misses its goal
bench: install
	$(call run_benchmarks,)

## make bench-smoke: every benchmark on tiny data, once, goals not judged (a few minutes);
## fails only if one stops on an error
bench-smoke: install
	$(call run_benchmarks,BENCH_SMOKE=1)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## make messages: the French catalogue of plural forms (locale/fr, committed with the
## code: French takes the singular for 0 and 1) after a plural string was added
messages: install
	$(PY) manage.py french_plurals

seed-national: install migrate
	$(PY) manage.py seed_demo --scale national

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm static_collected
