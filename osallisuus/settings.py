"""Project settings: every path and tunable comes from here.

Settings are the package defaults (``osallisuus/data/defaults.yaml``) updated
with the project's ``osallisuus.yaml``. Paths in the result are absolute, so the
rest of the package never builds a path of its own.

The project file is checked strictly (:func:`check_settings`): the allowed keys and
their types are those of ``defaults.yaml`` (a key added there is valid at once), an
unknown key is an error that suggests the nearest valid key, booleans must be written
``true``/``false`` (``yes``, ``on`` are not booleans here, as in YAML 1.2), and a few
values have ranges (``suppression.threshold`` a whole number >= 3, ``language`` one
of fi, sv, en).
"""
from __future__ import annotations

import copy
import difflib
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import SettingsError
from .fileio import load_yaml, safe_loader

__all__ = ["Settings", "load_settings", "check_settings", "find_settings_file", "package_data",
           "SETTINGS_FILE", "ENV_VAR", "LANGUAGES", "MIN_THRESHOLD"]

SETTINGS_FILE = "osallisuus.yaml"
ENV_VAR = "OSALLISUUS_CONFIG"
from .vocab import LANGUAGES  # noqa: E402  (defined once, in vocabulary.yaml)
MIN_THRESHOLD = 3   # Statistics Finland and THL never publish cells of 1 or 2; the default is 5


class _StrictLoader(safe_loader()):
    """YAML with only ``true``/``false`` as booleans (YAML 1.2): ``yes``, ``no``, ``on`` stay text."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in safe_loader().yaml_implicit_resolvers.items()}
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                    list("tTfF"))


def _type_name(value: Any) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "text",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def _check_value(key: str, value: Any, default: Any) -> str | None:
    """The problem with ``value`` at dotted ``key`` given its ``default`` (None when fine)."""
    if default is None:
        return None
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif isinstance(default, list):
        ok = isinstance(value, list) or (isinstance(value, str) and key in ("paths.instruments", "input.ignore"))
    else:
        ok = isinstance(value, type(default))
    if not ok:
        return f"{key}: {value!r} is not {_type_name(default)}"
    rule = _RANGES.get(key)
    return rule(key, value) if rule else None


def _threshold(key: str, value: int) -> str | None:
    return None if value >= MIN_THRESHOLD else f"{key}: {value!r}: expected a whole number >= {MIN_THRESHOLD}"


def _language(key: str, value: str) -> str | None:
    return None if value in LANGUAGES else f"{key}: {value!r}: expected one of {', '.join(LANGUAGES)}"


def _figure_format(key: str, value: str) -> str | None:
    return None if value in FIGURE_FORMATS else f"{key}: {value!r}: expected one of {', '.join(FIGURE_FORMATS)}"


FIGURE_FORMATS = ("svg", "png")
_RANGES = {"suppression.threshold": _threshold, "language": _language, "figures.format": _figure_format}


def check_settings(user: dict, defaults: dict, prefix: str = "") -> list[str]:
    """Problems in a project's settings mapping, checked against the package defaults.

    A mapping that is empty in the defaults (``scoring: {}``) is open: any keys. Every
    other key must exist in the defaults; a misspelt one names the nearest valid key.

    Examples
    --------
    >>> check_settings({"suppresion": {"threshold": 5}}, {"suppression": {"threshold": 5}})
    ["unknown key 'suppresion' (did you mean 'suppression'?)"]
    >>> check_settings({"suppression": {"threshold": True}}, {"suppression": {"threshold": 5}})
    ['suppression.threshold: True is not a whole number']
    """
    problems = []
    for key, value in user.items():
        dotted = f"{prefix}{key}"
        if key not in defaults:
            near = difflib.get_close_matches(str(key), [str(k) for k in defaults], n=1, cutoff=0.6)
            hint = f" (did you mean '{prefix}{near[0]}'?)" if near else f" (valid: {', '.join(map(str, defaults))})"
            problems.append(f"unknown key '{dotted}'{hint}")
            continue
        default = defaults[key]
        if isinstance(default, dict) and default and isinstance(value, dict):
            problems += check_settings(value, default, dotted + ".")
        else:
            problem = _check_value(dotted, value, default)
            if problem:
                problems.append(problem)
    return problems


def package_data(*parts: str) -> Path:
    """Path of a file shipped inside the package's ``data`` folder."""
    return Path(str(resources.files("osallisuus").joinpath("data", *parts)))


def _merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def find_settings_file(start: Path | None = None) -> Path | None:
    """The project settings file: $OSALLISUUS_CONFIG, else the nearest osallisuus.yaml upwards."""
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env)
        if not path.is_file():
            raise SettingsError(f"{ENV_VAR}={env}: no such settings file")
        return path.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / SETTINGS_FILE
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Settings:
    """Resolved settings of one project.

    Attributes
    ----------
    root : Path
        Folder of the project settings file (or the working directory).
    raw : dict
        The merged settings as read from YAML.
    """

    root: Path
    raw: dict = field(repr=False)
    file: Path | None = None

    def path(self, key: str) -> Path:
        """Absolute path of ``paths.<key>``."""
        try:
            value = self.raw["paths"][key]
        except KeyError:
            raise SettingsError(f"settings: no path named {key!r}") from None
        p = Path(value)
        return p if p.is_absolute() else (self.root / p)

    @property
    def instrument_dirs(self) -> list[Path]:
        dirs = self.raw["paths"].get("instruments") or []
        if isinstance(dirs, str):
            dirs = [dirs]
        return [Path(d) if Path(d).is_absolute() else self.root / d for d in dirs]

    @property
    def input_ignore(self) -> list[str]:
        """``input.ignore``: glob patterns of files in a data folder that hold no answers."""
        patterns = (self.raw.get("input") or {}).get("ignore") or []
        return [patterns] if isinstance(patterns, str) else [str(p) for p in patterns]

    @property
    def exact_ids(self) -> bool:
        """``input.exact_ids``: respondent ids compared exactly; by default 'ab 12' and 'AB12' are one."""
        return bool((self.raw.get("input") or {}).get("exact_ids", False))

    @property
    def language(self) -> str:
        return self.raw.get("language", "fi")

    @property
    def figure_format(self) -> str:
        """``figures.format``: 'svg' (the default) or 'png'."""
        return (self.raw.get("figures") or {}).get("format", "svg")

    @property
    def suppression_threshold(self) -> int:
        return int(self.raw["suppression"]["threshold"])

    @property
    def suppress_small_counts(self) -> bool:
        return bool(self.raw["suppression"].get("small_counts", True))

    def scoring_override(self, instrument_id: str) -> dict[str, Any]:
        return dict((self.raw.get("scoring") or {}).get(instrument_id) or {})


def load_settings(path: str | os.PathLike | None = None) -> Settings:
    """Read the settings.

    Parameters
    ----------
    path : path-like, optional
        A settings YAML file. Default: ``$OSALLISUUS_CONFIG`` or the nearest
        ``osallisuus.yaml`` in the working directory or its parents; without
        one, the package defaults with the working directory as root.
    """
    defaults = load_yaml(package_data("defaults.yaml"))
    file = Path(path).resolve() if path else find_settings_file()
    if file is None:
        return Settings(Path.cwd().resolve(), defaults)
    try:
        user = load_yaml(file, _StrictLoader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SettingsError(f"{file}: cannot read settings: {exc}") from None
    if not isinstance(user, dict):
        raise SettingsError(f"{file}: settings must be a YAML mapping")
    problems = check_settings(user, defaults)
    if problems:
        raise SettingsError(f"{file}: " + "; ".join(problems))
    return Settings(file.parent, _merge(defaults, user), file)
