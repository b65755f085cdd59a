"""Settings: packaged defaults, overridden by a user file, overridden by command-line flags.

The packaged ``settings.toml`` documents every key. A user file has the same shape and may
set any subset; unknown sections or keys are refused (a typo must not be silently ignored).
"""

from __future__ import annotations

import copy
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from rashomon.errors import ConfigError

Settings = dict[str, dict[str, Any]]
ENV_VAR = "RASHOMON_CONFIG"


def defaults() -> Settings:
    """The packaged defaults."""
    text = resources.files("rashomon").joinpath("settings.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load(path: str | os.PathLike[str] | None = None, overrides: Settings | None = None) -> Settings:
    """Defaults, then the user file (``path`` or $RASHOMON_CONFIG), then ``overrides``
    (flags the user gave; a None value means "not given" and overrides nothing)."""
    merged = defaults()
    path = path or os.environ.get(ENV_VAR) or None
    if path:
        try:
            user = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: settings file not found") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not a valid TOML settings file ({exc})") from None
        _merge(merged, user, str(path))
    if overrides:
        given = {s: {k: v for k, v in keys.items() if v is not None} for s, keys in overrides.items()}
        _merge(merged, given, "command line")
    return merged


def _merge(base: Settings, extra: dict[str, Any], origin: str) -> None:
    for section, keys in extra.items():
        if section not in base or not isinstance(keys, dict):
            raise ConfigError(f"{origin}: unknown settings section [{section}]; known: {', '.join(sorted(base))}")
        for key, value in keys.items():
            if key not in base[section]:
                known = ", ".join(sorted(base[section]))
                raise ConfigError(f"{origin}: unknown setting {section}.{key}; known in [{section}]: {known}")
            expected = type(base[section][key])
            if not isinstance(value, expected):
                raise ConfigError(
                    f"{origin}: {section}.{key} must be a {expected.__name__}, not {type(value).__name__}"
                )
            base[section][key] = copy.deepcopy(value)
