"""Reading and writing model artefacts: NPZ archives without pickle.

Each artefact holds numpy arrays plus a ``meta`` entry (a JSON string). The
writer fixes the zip timestamps so the same weights give the same bytes,
hence the same hash in the report signature.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np


def save_npz(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    items = dict(arrays)
    items["meta"] = np.array(json.dumps(meta, sort_keys=True, ensure_ascii=False))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(items):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(items[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def load_npz(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(str(arrays.pop("meta")))
    return arrays, meta


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
