"""The matcher's service cache: reused while the directory is unchanged, dropped when it changes."""

from __future__ import annotations

from directory.matching.options_cache import OptionsCache
from matcher.model import ServiceOption


def option(service_id: str) -> ServiceOption:
    return ServiceOption(
        id=service_id, name=service_id, organization_id="o", organization_name="O", needs=("DEBT",)
    )


def test_options_are_built_once_per_directory_version() -> None:
    cache = OptionsCache()
    built: list[list[str]] = []

    def load(ids: list[str]) -> list[ServiceOption]:
        built.append(ids)
        return [option(i) for i in ids]

    first, second = object(), object()
    assert [o.id for o in cache.get(first, ["b", "a"], load)] == ["a", "b"]
    assert [o.id for o in cache.get(first, ["a", "c"], load)] == ["a", "c"]
    assert built == [["b", "a"], ["c"]]
    cache.get(second, ["a"], load)  # the directory changed: everything is built again
    assert built[-1] == ["a"]


def test_the_cache_is_bounded() -> None:
    cache = OptionsCache(max_entries=2)
    built: list[str] = []

    def load(ids: list[str]) -> list[ServiceOption]:
        built.extend(ids)
        return [option(i) for i in ids]

    version = object()
    cache.get(version, ["a", "b", "c"], load)
    cache.get(version, ["a"], load)  # evicted: built again
    assert built == ["a", "b", "c", "a"]
