# The two commands of the README:
#   make reports   install, then every region's report from the bundled example data
#   make test      install (Python packages, axe-core, Chromium, LibreOffice Calc), then the whole test suite
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip

.PHONY: install install-test reports test benchmark clean

# Voikko (Finnish morphology, used to redact names in free text): the Python binding comes from
# PyPI with the package; the C library and its Finnish dictionary from Debian (apt-get).
# poppler-utils (pdftotext): the audit reads each PDF's text and tables with it (pypdf without it).
install:
	@$(PYTHON) -c "import libvoikko; libvoikko.Voikko('fi')" >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libvoikko1 voikko-fi >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq libvoikko1 voikko-fi >/dev/null; fi; }
	@command -v pdftotext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq poppler-utils >/dev/null; fi; }
	$(PIP) install -q -e .

install-test: install
	$(PIP) install -q -e ".[test,dask]"
	npm ci --no-audit --no-fund --silent
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium chromium-driver >/dev/null; fi; }
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libreoffice-calc-nogui >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq libreoffice-calc-nogui >/dev/null; fi; }

reports: install
	osallisuus reports --format html,pdf,docx,xlsx

test: install-test
	$(PYTHON) -m pytest

benchmark: install
	$(PYTHON) benchmarks/analysis.py
	$(PYTHON) benchmarks/batch.py

clean:
	rm -rf reports/* data/quarantine .pytest_cache
