"""Review media on the local disk: stored atomically, never outside the media root."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from reviewdesk.errors import InvalidInput, NotFound
from reviewdesk.integrations.storage import LocalDirectoryStorage, MediaStorage

KEY = "shop/7/review/42/0b6f3c1e.jpg"


@pytest.fixture
def storage(tmp_path: Path) -> LocalDirectoryStorage:
    return LocalDirectoryStorage(tmp_path / "media")


def files_under(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_local_directory_storage_satisfies_the_protocol(storage: LocalDirectoryStorage) -> None:
    assert isinstance(storage, MediaStorage)


def test_put_then_get_returns_the_same_bytes_in_created_directories(
    storage: LocalDirectoryStorage,
) -> None:
    storage.put(KEY, b"\xff\xd8\xffpicture", "image/jpeg")
    assert storage.get(KEY) == b"\xff\xd8\xffpicture"
    assert storage.exists(KEY)
    assert files_under(storage.root) == [KEY]


def test_put_replaces_existing_content_and_leaves_no_temporary_file(
    storage: LocalDirectoryStorage,
) -> None:
    storage.put(KEY, b"first", "image/jpeg")
    storage.put(KEY, b"second", "image/jpeg")
    assert storage.get(KEY) == b"second"
    assert files_under(storage.root) == [KEY]


def test_failed_write_keeps_the_old_file_and_cleans_up(
    storage: LocalDirectoryStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage.put(KEY, b"old", "image/jpeg")

    def refuse_rename(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse_rename)
    with pytest.raises(OSError, match="disk full"):
        storage.put(KEY, b"new", "image/jpeg")
    monkeypatch.undo()
    assert storage.get(KEY) == b"old"
    assert files_under(storage.root) == [KEY]


def test_stored_files_are_readable_by_the_web_server(storage: LocalDirectoryStorage) -> None:
    storage.put(KEY, b"x", "image/jpeg")
    assert storage.local_path(KEY).stat().st_mode & 0o777 == 0o644


def test_local_path_is_under_the_root_and_no_url_is_offered(
    storage: LocalDirectoryStorage,
) -> None:
    storage.put(KEY, b"x", "image/jpeg")
    path = storage.local_path(KEY)
    assert path == storage.root / KEY
    assert path.read_bytes() == b"x"
    assert storage.url(KEY) is None


def test_get_of_a_missing_key_is_not_found(storage: LocalDirectoryStorage) -> None:
    with pytest.raises(NotFound) as caught:
        storage.get("shop/1/review/1/missing.jpg")
    assert caught.value.code == "media_not_found"


def test_get_of_a_directory_is_not_found(storage: LocalDirectoryStorage) -> None:
    storage.put(KEY, b"x", "image/jpeg")
    with pytest.raises(NotFound):
        storage.get("shop/7")


def test_delete_removes_and_is_idempotent(storage: LocalDirectoryStorage) -> None:
    storage.put(KEY, b"x", "image/jpeg")
    storage.delete(KEY)
    assert not storage.exists(KEY)
    storage.delete(KEY)
    storage.delete("shop/never/was.jpg")


@pytest.mark.parametrize(
    "key",
    [
        "",
        "../outside.jpg",
        "shop/1/../../../outside.jpg",
        "/etc/passwd",
        "shop\\..\\..\\outside.jpg",
        "shop/1/..",
        ".hidden",
        "shop/.tmp/x.jpg",
        "shop/1/x.jpg\x00.png",
        "C:/windows/x.jpg",
    ],
)
def test_keys_that_could_escape_the_root_are_refused(
    storage: LocalDirectoryStorage, tmp_path: Path, key: str
) -> None:
    operations: list[Callable[[], object]] = [
        lambda: storage.put(key, b"x", "image/jpeg"),
        lambda: storage.get(key),
        lambda: storage.delete(key),
        lambda: storage.exists(key),
    ]
    for operation in operations:
        with pytest.raises(InvalidInput) as caught:
            operation()
        assert caught.value.code == "invalid_media_key"
    assert not (tmp_path / "outside.jpg").exists()


def test_symlink_leading_out_of_the_root_is_refused(
    storage: LocalDirectoryStorage, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    storage.root.mkdir(parents=True)
    (storage.root / "shop").symlink_to(outside, target_is_directory=True)
    with pytest.raises(InvalidInput) as caught:
        storage.put("shop/1/x.jpg", b"x", "image/jpeg")
    assert caught.value.code == "invalid_media_key"
    assert list(outside.iterdir()) == []
