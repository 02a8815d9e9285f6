"""Helpers shared by the build-time generators."""
import os


def write_if_changed(path, data, binary=False):
    """Writes data unless the file already holds it, so make/ninja and ccache
    see untouched outputs as unchanged."""
    try:
        with open(path, "rb" if binary else "r", encoding=None if binary else "utf-8") as f:
            if f.read() == data:
                return
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb" if binary else "w", encoding=None if binary else "utf-8") as f:
        f.write(data)
    os.replace(tmp, path)
