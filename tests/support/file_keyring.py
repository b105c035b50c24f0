"""A keyring backend kept in a JSON file, so separate helper processes share it in unit tests.

Selected with PYTHON_KEYRING_BACKEND=tests.support.file_keyring.FileKeyring and
REGTUI_TEST_KEYRING_FILE. Never used outside the test suite.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.credentials import SimpleCredential
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def _file(self) -> Path:
        return Path(os.environ["REGTUI_TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            return json.loads(self._file.read_text())
        except FileNotFoundError:
            return {}

    def _save(self, data: dict[str, dict[str, str]]) -> None:
        self._file.write_text(json.dumps(data))

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data.setdefault(service, {})[username] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if username not in data.get(service, {}):
            raise PasswordDeleteError("No such password!")
        del data[service][username]
        self._save(data)

    def get_credential(self, service: str, username: str | None) -> SimpleCredential | None:
        for user, password in self._load().get(service, {}).items():
            if username is None or user == username:
                return SimpleCredential(user, password)
        return None
