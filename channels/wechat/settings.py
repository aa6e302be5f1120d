"""The WeChat channel's settings, read from the environment once (all in one place, parsed one way).

The channel is on only when WECHAT_TOKEN is set; without it Rasa starts as usual and the webhook answers 404.
A token that is set with an unusable rest of the configuration (an EncodingAESKey that is not 43 Base64
characters, safe mode without AppId) stops Rasa at start with a message saying what is wrong: a 公众号 that
silently fails every message is worse than one that does not start.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from envsettings import SettingError, env_float, env_int

logger = logging.getLogger(__name__)

MODES = ("plaintext", "compatible", "safe")  # 明文模式 / 兼容模式 / 安全模式 in 服务器配置


class WeChatConfigError(ValueError):
    """The WeChat settings in the environment cannot work; the message says which one and why."""


def aes_key_bytes(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key: Base64(EncodingAESKey + "="), as the 公众平台 defines it."""
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WeChatConfigError("WECHAT_ENCODING_AES_KEY must be the 43 characters shown in 服务器配置") from exc
    if len(encoding_aes_key) != 43 or len(key) != 32:
        raise WeChatConfigError("WECHAT_ENCODING_AES_KEY must be the 43 characters shown in 服务器配置")
    return key


def _openid_secret(env: dict[str, str], var_dir: Path) -> bytes:
    """WECHAT_OPENID_SECRET, else one generated at first start into var/wechat_openid_secret (O_EXCL, so all
    workers of the machine read the same one). Several machines must share one: set the variable."""
    raw = env.get("WECHAT_OPENID_SECRET", "").strip()
    if raw:
        return raw.encode("utf-8")
    path = var_dir / "wechat_openid_secret"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(32))
        logger.warning("WECHAT_OPENID_SECRET not set: generated %s (set the variable when several machines serve)",
                       path)
    secret = path.read_text(encoding="utf-8").strip()
    if not secret:
        raise WeChatConfigError(f"{path} is empty: delete it or set WECHAT_OPENID_SECRET")
    return secret.encode("utf-8")


@dataclass(frozen=True)
class WeChatSettings:
    token: str = ""
    app_id: str = ""
    app_secret: str = ""
    encoding_aes_key: str = ""
    mode: str = "plaintext"
    api_base: str = "https://api.weixin.qq.com"  # WECHAT_API_BASE: tests point it at a fake on 127.0.0.1
    openid_secret: bytes = b""
    state_url: str = "sqlite:///var/rasa/wechat.db"  # dedupe, menus, undelivered replies (shared by workers)
    passive_wait_s: float = 4.5  # WeChat gives up after 5 s and retries the same message
    max_skew_s: float = 300.0  # a signed request older or newer than this is refused (replay)
    max_body_bytes: int = 16 * 1024
    max_reply_bytes: int = 2048  # WeChat's limit for one text message, in UTF-8 bytes
    max_message_chars: int = 500  # a longer text is not a question for Rasa (MAX_MESSAGE_CHARS, as the web app)
    menu_ttl_s: float = 3600.0  # a bare number means a button of the last menu for this long
    api_timeout_s: float = 5.0  # every call to WeChat's API

    @property
    def enabled(self) -> bool:
        return bool(self.token)

    @property
    def can_push(self) -> bool:
        """Whether replies may go through the customer-service API (needs AppId and AppSecret)."""
        return bool(self.app_id and self.app_secret)

    @property
    def aes_key(self) -> bytes:
        return aes_key_bytes(self.encoding_aes_key)

    def user_id(self, openid: str) -> str:
        """The conversation id for an OpenID: a keyed hash, so no raw OpenID reaches the tracker store."""
        digest = hmac.new(self.openid_secret, openid.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"wx-{digest[:40]}"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> WeChatSettings:
        env = dict(os.environ if env is None else env)
        token = env.get("WECHAT_TOKEN", "").strip()
        if not token:
            return cls()
        var_dir = Path(env.get("VAR_DIR") or "var")
        aes = env.get("WECHAT_ENCODING_AES_KEY", "").strip()
        mode = (env.get("WECHAT_MODE", "").strip().lower() or ("safe" if aes else "plaintext"))
        try:  # the numbers: parsed by envsettings, a bad one reported as this channel's configuration error
            numbers = {
                "passive_wait_s": env_float("WECHAT_PASSIVE_WAIT_S", cls.passive_wait_s, env),
                "max_skew_s": env_float("WECHAT_MAX_SKEW_S", cls.max_skew_s, env),
                "max_body_bytes": env_int("WECHAT_MAX_BODY_BYTES", cls.max_body_bytes, env),
                "max_reply_bytes": env_int("WECHAT_MAX_REPLY_BYTES", cls.max_reply_bytes, env),
                "max_message_chars": env_int("MAX_MESSAGE_CHARS", cls.max_message_chars, env),
                "menu_ttl_s": env_float("WECHAT_MENU_TTL_S", cls.menu_ttl_s, env),
                "api_timeout_s": env_float("WECHAT_API_TIMEOUT_S", cls.api_timeout_s, env),
            }
        except SettingError as exc:
            raise WeChatConfigError(str(exc)) from exc
        settings = cls(
            token=token,
            app_id=env.get("WECHAT_APP_ID", "").strip(),
            app_secret=env.get("WECHAT_APP_SECRET", "").strip(),
            encoding_aes_key=aes,
            mode=mode,
            api_base=(env.get("WECHAT_API_BASE", "").strip() or cls.api_base).rstrip("/"),
            openid_secret=_openid_secret(env, var_dir),
            state_url=env.get("WECHAT_STATE_URL", "").strip() or f"sqlite:///{var_dir}/rasa/wechat.db",
            **numbers,
        )
        settings.check()
        return settings

    def check(self) -> None:
        if self.mode not in MODES:
            raise WeChatConfigError(f"WECHAT_MODE must be one of {', '.join(MODES)}, got {self.mode!r}")
        if self.mode != "plaintext":
            self.aes_key  # noqa: B018 - raises when the key is unusable
            if not self.app_id:
                raise WeChatConfigError(f"{self.mode} mode needs WECHAT_APP_ID (the decrypted AppId is checked)")
        if not 0 < self.passive_wait_s < 5:
            raise WeChatConfigError("WECHAT_PASSIVE_WAIT_S must be below WeChat's 5 s")
        if self.max_reply_bytes < 200:
            raise WeChatConfigError("WECHAT_MAX_REPLY_BYTES is too small to hold a reply")
