import json
import os
import stat

from backfill.config import (
    DEFAULT_API_URL,
    ConfigError,
    config_path,
    load_config,
    require_key,
    resolve,
    save_config,
)
from tests.helpers import TempEnvTestCase


class ConfigPathTest(TempEnvTestCase):
    def test_backfill_config_wins(self):
        os.environ["XDG_CONFIG_HOME"] = "/xdg"
        self.assertEqual(config_path(), self.config_file)

    def test_xdg_config_home_then_home(self):
        del os.environ["BACKFILL_CONFIG"]
        os.environ["XDG_CONFIG_HOME"] = "/xdg"
        self.assertEqual(config_path(), "/xdg/backfill/config.json")
        del os.environ["XDG_CONFIG_HOME"]
        self.assertEqual(config_path(), os.path.expanduser("~/.config/backfill/config.json"))


class PrecedenceTest(TempEnvTestCase):
    def save(self, **config):
        save_config(self.config_file, config)

    def test_defaults_without_anything(self):
        settings = resolve()
        self.assertEqual((settings.api_url, settings.api_key), (DEFAULT_API_URL, None))

    def test_config_file_over_default(self):
        self.save(apiUrl="https://file.example/", apiKey="bfk_file")
        settings = resolve()
        self.assertEqual((settings.api_url, settings.api_key), ("https://file.example", "bfk_file"))

    def test_environment_over_config_file(self):
        self.save(apiUrl="https://file.example", apiKey="bfk_file")
        os.environ["BACKFILL_API_URL"] = "https://env.example"
        os.environ["BACKFILL_API_KEY"] = "bfk_env"
        settings = resolve()
        self.assertEqual((settings.api_url, settings.api_key), ("https://env.example", "bfk_env"))

    def test_flag_over_environment(self):
        os.environ["BACKFILL_API_URL"] = "https://env.example"
        self.assertEqual(resolve("https://flag.example").api_url, "https://flag.example")

    def test_empty_environment_values_count_as_unset(self):
        self.save(apiUrl="https://file.example", apiKey="bfk_file")
        os.environ["BACKFILL_API_URL"] = ""
        os.environ["BACKFILL_API_KEY"] = ""
        settings = resolve()
        self.assertEqual((settings.api_url, settings.api_key), ("https://file.example", "bfk_file"))

    def test_no_key_tells_to_log_in(self):
        with self.assertRaisesRegex(ConfigError, "backfill login"):
            require_key(resolve())


class FileTest(TempEnvTestCase):
    def test_written_owner_only(self):
        save_config(self.config_file, {"apiUrl": "http://x", "apiKey": "bfk_secret"})
        self.assertEqual(stat.S_IMODE(os.stat(self.config_file).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(self.config_file)).st_mode) & 0o077, 0)
        self.assertEqual(load_config(self.config_file), {"apiUrl": "http://x", "apiKey": "bfk_secret"})
        self.assertEqual(os.listdir(os.path.dirname(self.config_file)), ["config.json"])

    def test_rewrite_keeps_mode_and_replaces_content(self):
        save_config(self.config_file, {"apiKey": "one"})
        os.chmod(self.config_file, 0o644)
        save_config(self.config_file, {"apiKey": "two"})
        self.assertEqual(stat.S_IMODE(os.stat(self.config_file).st_mode), 0o600)
        self.assertEqual(load_config(self.config_file), {"apiKey": "two"})

    def test_missing_file_is_empty(self):
        self.assertEqual(load_config(self.config_file), {})

    def test_unreadable_file_is_a_config_error(self):
        os.makedirs(os.path.dirname(self.config_file))
        for content in ("{not json", "[1]", '{"apiKey": 5}'):
            with open(self.config_file, "w") as file:
                file.write(content)
            with self.assertRaisesRegex(ConfigError, "config.json"):
                load_config(self.config_file)

    def test_shared_format(self):
        save_config(self.config_file, {"apiUrl": "http://x", "apiKey": "bfk_1"})
        with open(self.config_file) as file:
            self.assertEqual(json.load(file), {"apiUrl": "http://x", "apiKey": "bfk_1"})
