# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# The demo keeps its store inside the checkout, so it never touches a user's own store.
DEMO_STORE ?= $(CURDIR)/.hilos-demo-store

.PHONY: demo test lint typecheck clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	@echo "== The strongest collusion chains, state to crime (hilos chains --brief) =="
	@HILOS_STORE=$(DEMO_STORE) $(BIN)/hilos chains --limit 13 --brief 2>/dev/null
	@echo
	@echo "== The Iguala case: the mayor's card (hilos show Abarca --brief) =="
	@HILOS_STORE=$(DEMO_STORE) $(BIN)/hilos show "José Luis Abarca" --brief
	@echo
	@echo "== From the mayor to Guerreros Unidos, with the evidence (hilos paths) =="
	@HILOS_STORE=$(DEMO_STORE) $(BIN)/hilos paths "José Luis Abarca" "Guerreros Unidos" --limit 1 2>/dev/null
	@echo
	@HILOS_STORE=$(DEMO_STORE) $(BIN)/hilos export html $(CURDIR)/collusion-chains.html --chains 2>/dev/null
	@echo "== Every chain with its evidence, in a browser: $(CURDIR)/collusion-chains.html"
	@echo "== Run hilos yourself: . $(VENV)/bin/activate; hilos --help (--lang es: Spanish)"

test: $(VENV)/.installed
	$(BIN)/ruff check src tests .ci
	$(BIN)/ruff format --check src tests .ci
	$(BIN)/lint-imports --no-logo --no-cache
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests .ci
	$(BIN)/ruff format --check src tests .ci
	$(BIN)/lint-imports --no-logo --no-cache

typecheck: $(VENV)/.installed
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DEMO_STORE) collusion-chains.html build dist .pytest_cache .mypy_cache .ruff_cache \
		.import_linter_cache

# Newsroom-scale benchmarks, hilos side by side with rdflib, networkx and pyvis (see README,
# "Benchmarks"): `make bench SIZES=10k,100k,1M`. Writes bench/results/latest.md and .json, the
# issue's goals first, each with its verdict. ONLY=load,disk measures only what those goals
# need (load, rdflib, disk, analysis, search, queries, html, memory); BENCH_ARGS passes more
# options, e.g. BENCH_ARGS="--no-baselines --update".
SIZES      ?= 10k
REPEATS    ?= 3
ONLY       ?=
BENCH_ARGS ?=

.PHONY: bench
bench: $(VENV)/.installed
	$(BIN)/python bench/newsroom.py --sizes $(SIZES) --repeats $(REPEATS) \
		$(if $(ONLY),--only $(ONLY)) $(BENCH_ARGS)
