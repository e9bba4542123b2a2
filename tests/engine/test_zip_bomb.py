"""A small zip that unpacks to far more than the deployment limit is refused while reading it,
never unpacked whole (a 1 MB zip of 200 entries of 5 MB drove the server to 1.1 GB)."""
from __future__ import annotations

import io
import resource
import zipfile

from engine.bundle import Bundle


def test_a_zip_bomb_is_refused_without_unpacking_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for i in range(20):  # 100 MB unpacked: twice the deployment limit
            archive.writestr(f"form{i}.json", b" " * (5 * 1024 * 1024))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    bundle = Bundle()
    bundle.add_zip("bomb.zip", buffer.getvalue())
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert any("larger than 50 MB" in p.message for p in bundle.problems)
    assert sum(len(f.content) for f in bundle.files.values()) <= 50 * 1024 * 1024
    assert grown_mb < 200
