"""SMTP settings: environment over config file; the password only from the environment or a private file."""

from __future__ import annotations

import os

import pytest

from tracker.errors import UsageError
from tracker.remind.config import load_settings, read_password

CONFIG = """
[smtp]
host = "smtp.example.gov.cn"
port = 465
security = "ssl"
user = "gongkai@example.gov.cn"

[remind]
coordinator_email = "coordinator@example.gov.cn"
leadership_email = "leaders@example.gov.cn"
"""


def test_config_file_gives_settings_and_defaults(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    s = load_settings({}, path)
    assert (s.host, s.port, s.security, s.user) == ("smtp.example.gov.cn", 465, "ssl", "gongkai@example.gov.cn")
    assert s.sender == "gongkai@example.gov.cn"  # From defaults to the user
    assert (s.coordinator, s.leadership) == ("coordinator@example.gov.cn", "leaders@example.gov.cn")
    assert s.password is None


def test_environment_wins_key_by_key(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    env = {"TRACKER_SMTP_HOST": "127.0.0.1", "TRACKER_SMTP_SECURITY": "none",
           "TRACKER_SMTP_PORT": "2525", "TRACKER_SMTP_FROM": "tracker@example.gov.cn"}
    s = load_settings(env, path)
    assert (s.host, s.port, s.security) == ("127.0.0.1", 2525, "none")
    assert s.user == "gongkai@example.gov.cn"
    assert s.sender == "tracker@example.gov.cn"


def test_missing_config_file_is_fine_and_port_follows_security(tmp_path):
    s = load_settings({"TRACKER_SMTP_HOST": "h", "TRACKER_SMTP_SECURITY": "starttls"}, tmp_path / "none.toml")
    assert (s.host, s.port, s.security) == ("h", 587, "starttls")
    assert load_settings({"TRACKER_SMTP_SECURITY": "none"}, tmp_path / "none.toml").port == 25


@pytest.mark.parametrize(("env", "text", "words"), [
    ({"TRACKER_SMTP_SECURITY": "tls"}, "", "use starttls, ssl or none"),
    ({"TRACKER_SMTP_PORT": "smtp"}, "", "is not a number from 1 to 65535"),
    ({}, "[smtp\nhost=", "is not valid TOML"),
    ({}, '[smtp]\npassword = "s3cret"\n', "holds an SMTP password"),
    ({}, 'smtp = "x"\n', "must be a table"),
])
def test_unusable_settings_say_what_would_be_valid(tmp_path, env, text, words):
    path = tmp_path / "config.toml"
    if text:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=words) as info:
        load_settings(env, path)
    assert "s3cret" not in str(info.value)


def test_password_from_environment_or_private_file(tmp_path):
    assert read_password({"TRACKER_SMTP_PASSWORD": "pw-env"}) == "pw-env"
    secret = tmp_path / "smtp-password"
    secret.write_text("pw-file\n", encoding="utf-8")
    os.chmod(secret, 0o600)
    assert read_password({"TRACKER_SMTP_PASSWORD_FILE": str(secret)}) == "pw-file"
    assert read_password({}) is None


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660])
def test_password_file_readable_by_others_is_refused(tmp_path, mode):
    secret = tmp_path / "smtp-password"
    secret.write_text("pw-file\n", encoding="utf-8")
    os.chmod(secret, mode)
    with pytest.raises(UsageError, match=r"can be read by other users; run `chmod 600") as info:
        read_password({"TRACKER_SMTP_PASSWORD_FILE": str(secret)})
    assert "pw-file" not in str(info.value)


def test_missing_password_file_is_one_sentence(tmp_path):
    with pytest.raises(UsageError, match="cannot be read"):
        read_password({"TRACKER_SMTP_PASSWORD_FILE": str(tmp_path / "nope")})


def test_repr_never_shows_the_password(tmp_path):
    s = load_settings({"TRACKER_SMTP_PASSWORD": "hunter2-secret"}, tmp_path / "none.toml")
    assert s.password == "hunter2-secret"
    assert "hunter2-secret" not in repr(s)


@pytest.mark.parametrize(("env", "words"), [
    ({"TRACKER_SMTP_USER": "gongkai\r\nRCPT TO:<x@y>"}, "TRACKER_SMTP_USER"),
    ({"TRACKER_SMTP_USER": "gong\tkai"}, "TRACKER_SMTP_USER"),
    ({"TRACKER_SMTP_USER": "gongkai\x00"}, "TRACKER_SMTP_USER"),
    ({"TRACKER_SMTP_FROM": "tracker@example.gov.cn\nBcc: x@y"}, "TRACKER_SMTP_FROM"),
])
def test_a_user_or_from_with_a_line_break_or_control_character_is_refused(tmp_path, env, words):
    with pytest.raises(UsageError, match=words) as info:
        load_settings({"TRACKER_SMTP_HOST": "h", **env}, tmp_path / "none.toml")
    assert str(info.value).endswith(".")
    assert "\n" not in str(info.value)


def test_a_password_file_that_is_not_utf8_is_one_sentence_without_its_bytes(tmp_path):
    """It was exit 70 with UnicodeDecodeError, which named one byte of the password and its position."""
    secret = tmp_path / "smtp-password"
    secret.write_bytes("密码-gbk".encode("gbk") + b"\n")
    os.chmod(secret, 0o600)
    with pytest.raises(UsageError) as info:
        read_password({"TRACKER_SMTP_PASSWORD_FILE": str(secret)})
    assert str(info.value) == f"the SMTP password file {secret} is not UTF-8 text."


@pytest.mark.parametrize("host", ["smtp.example.gov.cn", "192.168.1.10", "10.0.0.1", "::2", "localhost.example"])
def test_a_login_over_an_unencrypted_connection_is_refused_unless_the_host_is_loopback(tmp_path, host):
    env = {"TRACKER_SMTP_HOST": host, "TRACKER_SMTP_SECURITY": "none", "TRACKER_SMTP_USER": "gongkai",
           "TRACKER_SMTP_FROM": "gongkai@example.gov.cn", "TRACKER_SMTP_PASSWORD": "pw-none-secret"}
    with pytest.raises(UsageError, match="use starttls or ssl") as info:
        load_settings(env, tmp_path / "none.toml")
    assert "pw-none-secret" not in str(info.value)


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]"])
def test_a_login_over_none_on_loopback_and_a_relay_without_login_anywhere_are_allowed(tmp_path, host):
    env = {"TRACKER_SMTP_HOST": host, "TRACKER_SMTP_SECURITY": "none", "TRACKER_SMTP_USER": "gongkai",
           "TRACKER_SMTP_FROM": "gongkai@example.gov.cn"}
    assert load_settings(env, tmp_path / "none.toml").user == "gongkai"
    relay = {"TRACKER_SMTP_HOST": "relay.example.gov.cn", "TRACKER_SMTP_SECURITY": "none"}
    assert load_settings(relay, tmp_path / "none.toml").port == 25


@pytest.mark.parametrize("text", [
    'password = "s3cret"\n',
    '[remind]\npassword = "s3cret"\n',
    '[other]\npassword = "s3cret"\n',
    '[smtp.extra]\nPassword = "s3cret"\n',
    '[[servers]]\npassword = "s3cret"\n',
])
def test_a_password_key_anywhere_in_the_config_file_is_refused(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match="holds an SMTP password") as info:
        load_settings({}, path)
    assert "s3cret" not in str(info.value)


@pytest.mark.parametrize(("env", "text"), [
    ({"TRACKER_SMTP_PORT": "-1"}, ""),
    ({"TRACKER_SMTP_PORT": "0"}, ""),
    ({"TRACKER_SMTP_PORT": "99999"}, ""),
    ({"TRACKER_SMTP_PORT": "465.5"}, ""),
    ({"TRACKER_SMTP_PORT": "５８７"}, ""),
    ({}, "[smtp]\nport = 465.5\n"),
    ({}, "[smtp]\nport = true\n"),
    ({}, "[smtp]\nport = 70000\n"),
    ({}, "[smtp]\nport = -25\n"),
])
def test_a_port_must_be_a_whole_number_from_1_to_65535(tmp_path, env, text):
    path = tmp_path / "config.toml"
    if text:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match="is not a number from 1 to 65535"):
        load_settings(env, path)


def test_a_port_from_the_environment_or_the_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[smtp]\nport = 2525\n", encoding="utf-8")
    assert load_settings({}, path).port == 2525
    assert load_settings({"TRACKER_SMTP_PORT": "65535"}, path).port == 65535
    assert load_settings({"TRACKER_SMTP_PORT": "1"}, path).port == 1


def test_a_login_name_that_is_not_an_address_is_no_from_address(tmp_path):
    """Mail went out with "From: gongkai"; a login name that is an address still serves as From,
    and without a login the From stays tracker@localhost's fallback (None here)."""
    env = {"TRACKER_SMTP_HOST": "smtp.example.gov.cn", "TRACKER_SMTP_USER": "gongkai"}
    with pytest.raises(UsageError, match=r"TRACKER_SMTP_FROM \(or from in the \[smtp\] table"):
        load_settings(env, tmp_path / "none.toml")
    with_from = load_settings({**env, "TRACKER_SMTP_FROM": "gongkai@example.gov.cn"}, tmp_path / "none.toml")
    assert with_from.sender == "gongkai@example.gov.cn"
    as_address = load_settings({**env, "TRACKER_SMTP_USER": "gongkai@example.gov.cn"}, tmp_path / "none.toml")
    assert as_address.sender == "gongkai@example.gov.cn"
    assert load_settings({"TRACKER_SMTP_HOST": "relay"}, tmp_path / "none.toml").sender is None
