"""File writing: atomic writes, and spreadsheets that cannot run formulas.

A reader never sees a half-written report or quarantine file (:func:`atomic_write_bytes`).
Every CSV or XLSX the tool writes goes through :func:`write_csv` / :func:`write_xlsx`, which
neutralise text cells a spreadsheet would read as a formula (CSV injection).
"""
from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

__all__ = ["atomic_write_bytes", "atomic_write_text", "load_yaml", "read_yaml_file", "neutralise_cell",
           "safe_frame", "csv_text", "write_csv", "write_xlsx", "FORMULA_STARTS", "without_folders"]

# an absolute path (POSIX, Windows drive or UNC, file:// URL) up to its last part
_ABSOLUTE = re.compile(r"(?:file://|[A-Za-z]:[\\/]|\\\\|(?<![\w.~-])/)(?:[^\s'\"<>|:;,]+[\\/])+(?=[^\s'\"<>|:;,\\/])")


def without_folders(text: str) -> str:
    """``text`` with every absolute path cut to its file name, for what is published (a
    failed region's message in the index): the user's folders stay on the user's machine.

    Examples
    --------
    >>> without_folders("input unusable: /home/anna/arviointi/data/tyhja.csv: the file is empty")
    'input unusable: tyhja.csv: the file is empty'
    >>> without_folders(r"cannot read C:\\Users\\anna\\vastaukset.xlsx (locked)")
    'cannot read vastaukset.xlsx (locked)'
    """
    return _ABSOLUTE.sub("", text)


#: First characters with which a spreadsheet starts a formula or a DDE command (OWASP, CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to a temporary file in the same folder, then rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)   # mkstemp makes 0600; published files must be readable
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    return atomic_write_bytes(path, text.encode(encoding))


_YAML: dict[tuple, object] = {}


def safe_loader():
    """PyYAML's safe loader: libyaml's (C, about ten times faster) when PyYAML was built with
    it, as its wheels are; the same documents, the same errors (``yaml.YAMLError`` with the
    line and column)."""
    import yaml
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str):
    """``yaml.safe_load`` with :func:`safe_loader`."""
    import yaml
    return yaml.load(text, Loader=safe_loader())


def load_yaml(path: str | os.PathLike, loader=None):
    """The YAML document in ``path``, parsed once per process and file state.

    The parsed document is kept under the file's path and content (and the loader): a batch
    worker that builds many reports reads its settings, layout, plan and participants files
    each time (cheap) but parses them once, and an edited file is parsed again, however soon. Every call returns a fresh deep
    copy, so a caller may change what it gets. Errors (``OSError``, ``yaml.YAMLError``) are
    the caller's to report, as with ``yaml.load``.

    Examples
    --------
    >>> load_yaml(package_data("defaults.yaml"))["suppression"]["threshold"]   # doctest: +SKIP
    5
    """
    import copy
    import hashlib

    import yaml
    path = Path(path)
    loader = loader or safe_loader()
    data = path.read_bytes()
    key = (str(path.resolve()), hashlib.sha256(data).hexdigest(), loader)
    if key not in _YAML:
        doc = yaml.load(data.decode("utf-8"), Loader=loader)
        if len(_YAML) > 256:
            _YAML.clear()
        _YAML[key] = doc
    return copy.deepcopy(_YAML[key])


def read_yaml_file(path: str | os.PathLike):
    """A YAML file the user wrote (None when it does not exist); bad YAML is a ReportError naming it."""
    import yaml

    from .errors import ReportError
    path = Path(path)
    if not path.is_file():
        return None
    try:
        return load_yaml(path) or {}
    except yaml.YAMLError as exc:
        raise ReportError(f"{path}: not valid YAML: {exc}") from None


def neutralise_cell(value):
    r"""A cell value that no spreadsheet runs as a formula.

    Text starting with ``= + - @``, a tab or a carriage return gets a leading single quote,
    as the OWASP advice on CSV injection says. Text that is a plain number (``-1.5``, ``+3``)
    stays as it is: a number cannot carry a formula, and the quote would turn an answer
    value into text. Numbers and missing values are returned unchanged.

    References
    ----------
    OWASP, "CSV Injection". https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> print(neutralise_cell('=HYPERLINK("http://x","y")'))
    '=HYPERLINK("http://x","y")
    >>> neutralise_cell("-1.5"), neutralise_cell(-2)
    ('-1.5', -2)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are neutralised; numeric columns untouched."""
    out = frame.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_datetime64_any_dtype(out[col])):
            out[col] = out[col].map(neutralise_cell)
    out.columns = [neutralise_cell(c) for c in out.columns]
    return out


def csv_text(frame: pd.DataFrame, sep: str = ";", index: bool = False) -> str:
    """``frame`` as CSV text with every text cell neutralised.

    Lines end in CRLF (RFC 4180), so that a carriage return inside a cell is quoted too.
    """
    buf = io.StringIO()
    safe_frame(frame).to_csv(buf, sep=sep, index=index, lineterminator="\r\n")
    return buf.getvalue()


def write_csv(frame: pd.DataFrame, path: str | os.PathLike, sep: str = ";", encoding: str = "utf-8",
              index: bool = False) -> Path:
    """Write ``frame`` as CSV atomically, text cells neutralised (see :func:`neutralise_cell`)."""
    return atomic_write_bytes(path, csv_text(frame, sep=sep, index=index).encode(encoding))


def write_xlsx(sheets: pd.DataFrame | dict[str, pd.DataFrame], path: str | os.PathLike,
               index: bool = False) -> Path:
    """Write one frame or ``{sheet name: frame}`` as XLSX atomically, text cells neutralised."""
    if isinstance(sheets, pd.DataFrame):
        sheets = {"Sheet1": sheets}
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe_frame(frame).to_excel(writer, sheet_name=str(name)[:31], index=index)
    return atomic_write_bytes(path, buf.getvalue())
