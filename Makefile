# Two commands set everything up on a fresh Debian machine (as root, or with sudo):
#   make report   builds report/report.pdf from seeds/
#   make test     runs the unit tests and re-runs the notebooks with nbval
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# weasyprint needs pango; DejaVu fonts carry Cyrillic; poppler-utils gives pdftotext for tests
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
CORPUS ?= seeds
LANG_REPORT ?= en
export OPENBLAS_NUM_THREADS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: report test setup system notebooks lint bench clean

report: setup
	$(PY) -m newslens report $(CORPUS) -o report/report.pdf --lang $(LANG_REPORT)

test: setup
	$(VENV)/bin/ruff check newslens tests bench
	$(PY) -m pytest tests notebooks --nbval -p no:cacheprovider -q

setup: system $(VENV)/.installed

# Debian packages, installed only when missing (python3-venv: a bare Debian has no ensurepip)
system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	python3 -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3 python3-venv"; \
	if [ -n "$$(echo $$missing)" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	PYTHONWARNINGS=ignore $(PY) -m pip install -q --no-deps -e .  # no setuptools banner about editable installs
	touch $@

# Re-execute the committed notebooks on seeds/ (do this when an analysis change is intended)
notebooks: setup
	cd notebooks && for nb in [0-9][0-9]_*.ipynb; do \
	  ../$(PY) -m jupyter nbconvert --to notebook --execute --inplace "$$nb" || exit 1; done

lint: setup
	$(VENV)/bin/ruff check newslens tests bench
	$(VENV)/bin/ruff format --check newslens tests bench

# Evaluation and speed figures quoted in the README (they read ../shared/data)
bench: setup
	$(PY) bench/eval_ner.py
	$(PY) bench/eval_sentiment.py
	$(PY) bench/throughput.py

clean:
	rm -rf $(VENV) report/report.pdf
