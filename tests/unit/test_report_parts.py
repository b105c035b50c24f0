"""The report's parts without a network: redaction, Markdown cells, file modes and links."""

from __future__ import annotations

from regtui.core.report_redact import Redactor, mask
from regtui.core.report_render import md_escape


def test_mask() -> None:
    assert mask("alice") == "a***e" and mask("bob") == "***" and mask("report-canary-user") == "r***r"


def test_names_are_masked_as_whole_words_only() -> None:
    r = Redactor(["alice", None, "", 42, "root"])
    assert r.text("alice may not pull team/app") == "a***e may not pull team/app"
    assert r.text("/home/alice/.docker/config.json") == "/home/a***e/.docker/config.json"
    assert r.text("logged in as Alice.") == "logged in as A***e."
    assert (
        r.text("alice.example.com:5000 and malice and alice-bot") == "alice.example.com:5000 and malice and alice-bot"
    )
    assert r.text("owned by root") == "owned by root"


def test_url_credentials_and_terminal_controls_are_dropped_even_with_show_users() -> None:
    for show in (False, True):
        r = Redactor(["alice"], show_users=show)
        assert r.text("http://alice:s3cret@127.0.0.1:3128") == "http://***@127.0.0.1:3128"
        assert r.text("ok\x1b]0;pwned\x07\x1b[32m done\x9b\u202e") == "ok]0;pwned[32m done"
    assert Redactor(["alice"], show_users=True).text("alice") == "alice"


def test_walk_redacts_values_not_keys() -> None:
    doc = {"alice": ["alice", {"user": "alice", "n": 3, "ok": True, "none": None}]}
    assert Redactor(["alice"]).walk(doc) == {"alice": ["a***e", {"user": "a***e", "n": 3, "ok": True, "none": None}]}


def test_markdown_cells_cannot_break_the_table_or_inject_markup() -> None:
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("line one\nline two") == "line one<br>line two"
    assert md_escape("<img src=x> **bold** [x](y)") == "\\<img src=x\\> \\*\\*bold\\*\\* \\[x\\](y)"
    assert md_escape("") == " "


def test_file_info_modes_owners_and_links(tmp_path) -> None:  # noqa: ANN001
    import os

    from regtui.core.report_local import file_info

    secret = tmp_path / "config.json"
    secret.write_text("{}")
    secret.chmod(0o640)
    info = file_info("docker config.json", secret)
    assert (info.exists, info.kind, info.mode, info.size, info.uid) == (True, "file", "0640", 2, os.getuid())
    (tmp_path / "link").symlink_to(secret)
    assert file_info("x", tmp_path / "link").symlink_to == str(secret)
    (tmp_path / "dangling").symlink_to(tmp_path / "absent")
    dangling = file_info("x", tmp_path / "dangling")
    assert not dangling.exists and dangling.error == f"dangling symlink to {tmp_path / 'absent'}"
    assert file_info("x", tmp_path / "absent").to_json()["exists"] is False
