"""The config file shared with the TypeScript CLI, and where the API URL and key come from."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional

DEFAULT_API_URL = "http://localhost:3000"


class ConfigError(Exception):
    """The config file is unreadable, or no API key is configured."""


@dataclass(frozen=True)
class Settings:
    api_url: str
    api_key: Optional[str]


def config_path(env: Mapping[str, str] = os.environ) -> str:
    """`$BACKFILL_CONFIG`, else `$XDG_CONFIG_HOME/backfill/config.json`, else `~/.config/backfill/config.json`."""
    if env.get("BACKFILL_CONFIG"):
        return env["BACKFILL_CONFIG"]
    base = env.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "backfill", "config.json")


def load_config(path: str) -> Dict[str, Any]:
    """The saved config (`{"apiUrl", "apiKey"}`, both optional); `{}` when there is no file."""
    try:
        with open(path, encoding="utf-8") as file:
            config = json.load(file)
    except FileNotFoundError:
        return {}
    except ValueError as error:
        raise ConfigError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(config, dict) or any(
        not isinstance(config.get(key, ""), str) for key in ("apiUrl", "apiKey")
    ):
        raise ConfigError(f'{path}: expected {{"apiUrl": "...", "apiKey": "..."}}')
    return config


def save_config(path: str, config: Mapping[str, Any]) -> None:
    """Writes the config readable by its owner only (0600, folder 0700), atomically."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".config-", suffix=".tmp")
    try:
        os.chmod(temp, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(config, file, indent=2)
            file.write("\n")
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise


def resolve(api_url: Optional[str] = None, env: Mapping[str, str] = os.environ) -> Settings:
    """API URL: flag > `BACKFILL_API_URL` > config file > default. Key: `BACKFILL_API_KEY` > config file."""
    stored = load_config(config_path(env))
    url = api_url or env.get("BACKFILL_API_URL") or stored.get("apiUrl") or DEFAULT_API_URL
    key = env.get("BACKFILL_API_KEY") or stored.get("apiKey") or None
    return Settings(url.rstrip("/"), key)


def require_key(settings: Settings) -> str:
    if not settings.api_key:
        raise ConfigError("no API key: run `backfill login` (or set BACKFILL_API_KEY)")
    return settings.api_key
