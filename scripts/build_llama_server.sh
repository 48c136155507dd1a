#!/usr/bin/env bash
# Build llama.cpp's own OpenAI-compatible server (`llama-server`) from the llama.cpp sources that
# the pinned llama-cpp-python sdist vendors, once per machine: the binary is cached outside the
# clone and reused (about 8 minutes on 2 cores the first time). Same flags as scripts/install.sh
# (native CPU, no AMX kernels). Prints the binary's path.
#   bash scripts/build_llama_server.sh            # -> ~/.cache/summarizer-build/.../llama-server
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' pyproject.toml | head -n 1)
CACHE="${SUMMARIZER_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/summarizer-build}"
TARGET="$CACHE/llama-server-$VERSION"
if [ -x "$TARGET/llama-server" ]; then
  echo "$TARGET/llama-server"
  exit 0
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PY="${PYTHON:-.venv/bin/python}"
"$PY" -m pip download --quiet --no-deps --no-binary :all: "llama-cpp-python==$VERSION" -d "$WORK" >&2
tar -xzf "$WORK/llama_cpp_python-$VERSION.tar.gz" -C "$WORK"
NO_AMX="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
GENERATOR=()
command -v ninja >/dev/null && GENERATOR=(-G Ninja)
CFLAGS="${CFLAGS:-} $NO_AMX" CXXFLAGS="${CXXFLAGS:-} $NO_AMX" cmake "${GENERATOR[@]}" \
  -S "$WORK/llama_cpp_python-$VERSION/vendor/llama.cpp" -B "$WORK/build" \
  -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DLLAMA_OPENSSL=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON >&2
cmake --build "$WORK/build" --target llama-server -j "$(nproc)" >&2
mkdir -p "$TARGET"
cp "$WORK/build/bin/llama-server" "$TARGET/llama-server.partial"
mv "$TARGET/llama-server.partial" "$TARGET/llama-server"
echo "$TARGET/llama-server"
