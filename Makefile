# SIIMOP — the commands a newcomer needs (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The addresses in e-mails and in the SAML metadata follow the served address.
export SIIMOP_BASE_URL ?= http://$(HOST):$(PORT)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run install system-packages test test-fast bench worker lint migrate seed-national clean

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

## make bench: every benchmarks/ script; fails if one misses its goal
bench: install
	@status=0; for script in benchmarks/*.py; do \
	  echo "== $$script"; $(PY) $$script || status=1; \
	done; exit $$status

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

seed-national: install migrate
	$(PY) manage.py seed_demo --scale national

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm static_collected
