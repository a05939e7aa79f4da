"""Project settings: every path and tunable comes from here.

Settings are the package defaults (``osallisuus/data/defaults.yaml``) updated
with the project's ``osallisuus.yaml``. Paths in the result are absolute, so the
rest of the package never builds a path of its own.
"""
from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import SettingsError

SETTINGS_FILE = "osallisuus.yaml"
ENV_VAR = "OSALLISUUS_CONFIG"
from .vocab import LANGUAGES  # noqa: E402  (defined once, in vocabulary.yaml)


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
    def language(self) -> str:
        return self.raw.get("language", "fi")

    @property
    def suppression_threshold(self) -> int:
        return int(self.raw["suppression"]["threshold"])

    @property
    def suppress_small_counts(self) -> bool:
        return bool(self.raw["suppression"].get("small_counts", False))

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
    defaults = yaml.safe_load(package_data("defaults.yaml").read_text(encoding="utf-8"))
    file = Path(path).resolve() if path else find_settings_file()
    if file is None:
        return Settings(Path.cwd().resolve(), defaults)
    try:
        user = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SettingsError(f"{file}: cannot read settings: {exc}") from None
    if not isinstance(user, dict):
        raise SettingsError(f"{file}: settings must be a YAML mapping")
    merged = _merge(defaults, user)
    lang = merged.get("language")
    if lang not in LANGUAGES:
        raise SettingsError(f"{file}: language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    threshold = merged["suppression"].get("threshold")
    if not isinstance(threshold, int) or threshold < 1:
        raise SettingsError(f"{file}: suppression.threshold {threshold!r}: expected a whole number >= 1")
    return Settings(file.parent, merged, file)
