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
	@echo "== The strongest state-to-criminal collusion chains in the curated graph, with the evidence of each claim =="
	@HILOS_STORE=$(DEMO_STORE) $(BIN)/hilos chains --limit 13
	@echo
	@echo "== The Iguala chain, from the mayor's card =="
	@HILOS_STORE=$(DEMO_STORE) $(BIN)/hilos show "José Luis Abarca"
	@echo
	@HILOS_STORE=$(DEMO_STORE) $(BIN)/hilos export html $(CURDIR)/collusion-chains.html --chains
	@echo "== Open $(CURDIR)/collusion-chains.html in a browser: the collusion chains, with the evidence of every tie =="

test: $(VENV)/.installed
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(VENV)/.installed
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DEMO_STORE) collusion-chains.html build dist .pytest_cache .mypy_cache .ruff_cache

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
