"""SMTP and recipient settings for `tracker remind --mail`: environment over config file; the password apart.

Settings come from the environment (TRACKER_SMTP_HOST, TRACKER_SMTP_PORT, TRACKER_SMTP_SECURITY =
starttls|ssl|none, TRACKER_SMTP_USER, TRACKER_SMTP_FROM, TRACKER_COORDINATOR_EMAIL,
TRACKER_LEADERSHIP_EMAIL) or from the `[smtp]` and `[remind]` tables of
`<user config dir>/tracker/config.toml` (platformdirs; ~/.config/tracker/config.toml on Linux);
the environment wins, key by key. The password comes ONLY from TRACKER_SMTP_PASSWORD or from the
file named by TRACKER_SMTP_PASSWORD_FILE, which must be readable by its owner alone: it is never a
command-line option (other users see argv in `ps`), never read from config.toml, and never printed,
logged or stored — `SmtpSettings.__repr__` hides it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.errors import UsageError

SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}

_ENV_KEYS = {  # setting → (environment variable, config table, config key)
    "host": ("TRACKER_SMTP_HOST", "smtp", "host"),
    "port": ("TRACKER_SMTP_PORT", "smtp", "port"),
    "security": ("TRACKER_SMTP_SECURITY", "smtp", "security"),
    "user": ("TRACKER_SMTP_USER", "smtp", "user"),
    "sender": ("TRACKER_SMTP_FROM", "smtp", "from"),
    "coordinator": ("TRACKER_COORDINATOR_EMAIL", "remind", "coordinator_email"),
    "leadership": ("TRACKER_LEADERSHIP_EMAIL", "remind", "leadership_email"),
}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send, and who besides the owners hears: resolved once per run."""

    host: str | None = None
    port: int = 587
    security: str = "starttls"
    """"starttls" (upgrade a plain connection), "ssl" (TLS from the start) or "none" (no encryption:
    a relay without login, or a login to a server on loopback only)."""
    user: str | None = None
    sender: str | None = None
    """The From address; defaults to `user` when that is an address."""
    coordinator: str | None = None
    """The coordinator's address: receives the whole digest (and items nobody else can receive)."""
    leadership: str | None = None
    """The leadership address: receives the escalated items (督办)."""
    password: str | None = field(default=None, repr=False)
    """Never shown: excluded from repr, never written anywhere."""


def is_address(value: str) -> bool:
    """A plausible single mail address: one "@" with text on both sides, no spaces or control characters."""
    local, at, domain = value.partition("@")
    return (bool(local) and bool(at) and bool(domain) and "@" not in domain
            and all(ch.isprintable() and not ch.isspace() for ch in value))


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """The config file: $TRACKER_CONFIG if set, else <user config dir>/tracker/config.toml."""
    env = os.environ if environ is None else environ
    if env.get("TRACKER_CONFIG"):
        return Path(env["TRACKER_CONFIG"])
    import platformdirs  # ~2 ms; only on the mail path

    return Path(platformdirs.user_config_dir("tracker", appauthor=False)) / "config.toml"


def load_settings(environ: Mapping[str, str] | None = None, path: Path | None = None) -> SmtpSettings:
    """Resolve the settings (environment over file) and the password; `UsageError` if they are unusable.

    A missing config file is not an error (everything may come from the environment). A config
    file that is not TOML, a `password` key anywhere in it, an unknown security mode, a port that
    is not an integer 1–65535, a login over security none to a host that is not loopback, a user
    or From with control characters, or an unsafe password file is an error with one sentence
    saying what would be valid.
    """
    env = os.environ if environ is None else environ
    file_values = _read_file(path or config_path(env))
    values: dict[str, Any] = {}
    for name, (var, table, key) in _ENV_KEYS.items():
        value = env.get(var) or file_values.get(table, {}).get(key)
        if value not in (None, ""):
            values[name] = value
    security = str(values.get("security", "starttls")).lower()
    if security not in SECURITY_MODES:
        raise UsageError(f"SMTP security “{security}” is not known; use starttls, ssl or none.",
                         zh=f"邮件服务器的加密方式“{security}”无效; 请用 starttls, ssl 或 none。")
    port = _port(values.get("port", DEFAULT_PORTS[security]))
    for name, var in (("user", "TRACKER_SMTP_USER"), ("sender", "TRACKER_SMTP_FROM")):
        _check_printable(_str(values.get(name)), var)
    user, host = _str(values.get("user")), _str(values.get("host"))
    if user and security == "none" and host and not _is_loopback(host):
        raise UsageError(f"SMTP security none would send the login for {user} unencrypted to {host}; "
                         "use starttls or ssl (none with a login is for a server on this machine only).",
                         zh=f"加密方式为 none 时, {user} 的登录信息会以明文发给 {host}; 请用 starttls 或 ssl "
                            "(需要登录时, none 只适用于本机上的邮件服务器)。")
    for name, var in (("sender", "TRACKER_SMTP_FROM"), ("coordinator", "TRACKER_COORDINATOR_EMAIL"),
                      ("leadership", "TRACKER_LEADERSHIP_EMAIL")):
        value = _str(values.get(name))
        if value is not None and not is_address(value):
            raise UsageError(f"{var} “{value}” is not a mail address; use name@example.gov.cn.",
                             zh=f"{var} “{value}”不是邮件地址; 请写成 name@example.gov.cn 的形式。")
    return SmtpSettings(
        host=host, port=port, security=security, user=user,
        sender=_sender(_str(values.get("sender")), user), coordinator=_str(values.get("coordinator")),
        leadership=_str(values.get("leadership")), password=read_password(env),
    )


def _sender(sender: str | None, user: str | None) -> str | None:
    """The From address: `sender`, else the login name when it is an address. A plain login name
    ("gongkai") made "From: gongkai", which servers and readers reject, so it asks for a From."""
    if sender or not user or is_address(user):
        return sender or user
    raise UsageError(f"the SMTP user “{user}” is not a mail address, so it cannot be the From; "
                     "set TRACKER_SMTP_FROM (or from in the [smtp] table of config.toml).",
                     zh=f"邮件服务器用户名“{user}”不是邮件地址, 不能用作发件人; "
                        "请设置 TRACKER_SMTP_FROM (或 config.toml 中 [smtp] 一节的 from)。")


def _port(value: object) -> int:
    """A TCP port: an integer 1–65535, or a string of ASCII digits (the environment's). A TOML
    true (1) or 465.5 (465) once passed through `int()`; -1 or 99999 failed only when sending."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if type(value) is not int or not 1 <= value <= 65535:
        shown = str(value).lower() if isinstance(value, bool) else value
        raise UsageError(f"SMTP port “{shown}” is not a number from 1 to 65535; use e.g. 587 or 465.",
                         zh=f"邮件服务器端口“{shown}”无效: 应为 1 到 65535 之间的数字, 常用 587 或 465。")
    return value


def _is_loopback(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1: a connection that never leaves the machine."""
    if host.lower().rstrip(".") == "localhost":
        return True
    import ipaddress  # ~1 ms: only for security none with a login

    try:
        return ipaddress.ip_address(host.removeprefix("[").removesuffix("]")).is_loopback
    except ValueError:
        return False


def _check_printable(value: str | None, var: str) -> None:
    """A user name or From goes into SMTP commands and headers: a line break there could add
    commands or headers of its own, so any control character is refused (the value is not echoed)."""
    if value is not None and not all(ch.isprintable() for ch in value):
        raise UsageError(f"{var} contains a line break or another control character; "
                         "set it to the plain login name or mail address.",
                         zh=f"{var} 含有换行或其他控制字符; 请只写登录名或邮件地址本身。")


def read_password(environ: Mapping[str, str]) -> str | None:
    """The SMTP password from TRACKER_SMTP_PASSWORD, else from TRACKER_SMTP_PASSWORD_FILE, else None.

    The file must be a regular file readable by its owner alone (mode 600 or 400): one readable
    by group or others is refused (UsageError naming the chmod that fixes it), because anyone who
    can read it can send mail as the office. One trailing newline is stripped.
    """
    if environ.get("TRACKER_SMTP_PASSWORD"):
        return environ["TRACKER_SMTP_PASSWORD"]
    name = environ.get("TRACKER_SMTP_PASSWORD_FILE")
    if not name:
        return None
    path = Path(name)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"the SMTP password file {path} is not a regular file.",
                             zh=f"邮件服务器密码文件 {path} 不是普通文件。")
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise UsageError(f"the SMTP password file {path} can be read by other users; "
                             f"run `chmod 600 {path}` and try again.",
                             zh=f"邮件服务器密码文件 {path} 可被其他用户读取; 请运行 `chmod 600 {path}` 后重试。")
        return path.read_text(encoding="utf-8").removesuffix("\n").removesuffix("\r")
    except UnicodeDecodeError:  # its message quotes a byte of the password: never shown
        raise UsageError(f"the SMTP password file {path} is not UTF-8 text.",
                         zh=f"邮件服务器密码文件 {path} 不是 UTF-8 文本。") from None
    except OSError as exc:
        raise UsageError(f"the SMTP password file {path} cannot be read ({exc.strerror}).",
                         zh=f"无法读取邮件服务器密码文件 {path} ({exc.strerror})。") from None


def _read_file(path: Path) -> dict[str, dict[str, Any]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsageError(f"the config file {path} cannot be read ({exc.strerror}).",
                         zh=f"无法读取配置文件 {path} ({exc.strerror})。") from None
    import tomllib  # ~3 ms; only when a config file exists

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"the config file {path} is not valid TOML ({exc}).",
                         zh=f"配置文件 {path} 不是有效的 TOML ({exc})。") from None
    where = _password_key(data)
    if where is not None:
        raise UsageError(f"{path} holds an SMTP password ({where}); remove it and set TRACKER_SMTP_PASSWORD "
                         "or TRACKER_SMTP_PASSWORD_FILE (a file only you can read) instead.",
                         zh=f"{path} 中写有邮件服务器密码 ({where}); 请删除它, 改为设置 TRACKER_SMTP_PASSWORD "
                            "或 TRACKER_SMTP_PASSWORD_FILE (只有你能读取的文件)。")
    tables: dict[str, dict[str, Any]] = {}
    for table in ("smtp", "remind"):
        value = data.get(table, {})
        if not isinstance(value, dict):
            raise UsageError(f"[{table}] in {path} must be a table of settings.",
                             zh=f"{path} 中的 {table} 应写成一节设置: 以 [{table}] 开头, 下面每行一项 "
                                "(如 host = \"smtp.example.gov.cn\")。")
        tables[table] = value
    return tables


def _password_key(value: object, where: str = "") -> str | None:
    """The dotted name of a `password` key anywhere in the parsed file (any table, any case), else
    None: a password written at the top or in [remind] was silently ignored — yet still on disk."""
    if isinstance(value, list):
        return next((found for entry in value if (found := _password_key(entry, where)) is not None), None)
    if not isinstance(value, dict):
        return None
    for key, entry in value.items():
        name = f"{where}.{key}" if where else key
        if key.lower() == "password":
            return name
        found = _password_key(entry, name)
        if found is not None:
            return found
    return None


def _str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None
