from __future__ import annotations

import stat
from pathlib import Path

import pytest

from rcommerce.messaging import ZaloOAConfig
from rcommerce.settings import Settings, SettingsError


def test_embedded_mode_generates_and_keeps_the_secret_key(tmp_path: Path) -> None:
    env = {"RCOMMERCE_DATA_DIR": str(tmp_path)}
    first = Settings.from_env(env)
    second = Settings.from_env(env)
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 32
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.database_url == f"sqlite:///{tmp_path / 'rcommerce.db'}"
    assert not first.distributed


@pytest.mark.parametrize(
    "extra",
    [
        {"RCOMMERCE_DATABASE_URL": "postgresql://u@127.0.0.1/db"},
        {"RCOMMERCE_REDIS_URL": "redis://127.0.0.1:6379/0"},
    ],
)
def test_secret_key_is_required_with_postgres_or_redis(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    with pytest.raises(SettingsError, match="RCOMMERCE_SECRET_KEY is required"):
        Settings.from_env({"RCOMMERCE_DATA_DIR": str(tmp_path), **extra})
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("placeholder", ["changeme", "secret", "short-but-random"])
def test_placeholder_secret_keys_are_refused(tmp_path: Path, placeholder: str) -> None:
    with pytest.raises(SettingsError):
        Settings.from_env(
            {
                "RCOMMERCE_DATA_DIR": str(tmp_path),
                "RCOMMERCE_SECRET_KEY": placeholder,
                "RCOMMERCE_REDIS_URL": "redis://127.0.0.1:6379/0",
            }
        )


def test_repr_hides_secrets(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "RCOMMERCE_DATA_DIR": str(tmp_path),
            "RCOMMERCE_SECRET_KEY": "k" * 40,
            "RCOMMERCE_REDIS_URL": "redis://:hunter2@127.0.0.1:6379/0",
            "RCOMMERCE_DATABASE_URL": "postgres://user:pw@db/rc",
        }
    )
    text = repr(settings)
    assert "kkkk" not in text and "hunter2" not in text
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.distributed


def test_the_zalo_oa_keys_reach_the_messaging_environment_and_stay_out_of_repr(
    tmp_path: Path,
) -> None:
    settings = Settings.from_env(
        {
            "RCOMMERCE_DATA_DIR": str(tmp_path),
            "RCOMMERCE_ZALO_APP_ID": "3972457551268168177",
            "RCOMMERCE_ZALO_OA_SECRET": "oa-secret-kept-hidden",
            "RCOMMERCE_OTHER": "not messaging",
        }
    )
    config = ZaloOAConfig.from_env(settings.messaging_env)
    assert config is not None and config.app_id == "3972457551268168177"
    assert "RCOMMERCE_OTHER" not in settings.messaging_env
    assert "oa-secret-kept-hidden" not in repr(settings) + repr(config)
