"""The settings schema: every key declared once, and what is derived from it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
import yaml

from daylog.errors import DaylogError
from daylog.workspace.settings import KEYS, Kind, Member, Settings, identity
from daylog.workspace.settings_reader import _READERS, _Loader, parse_settings

BLOCK = "plugins:\n  - daylog:\n      course: 부스트캠프\n      start_date: 2021-01-18\n"


def test_keys_are_the_fields_of_settings_but_source() -> None:
    """KEYS lists every field of Settings (in order) except `source`, each with a one-line doc."""
    assert [k.name for k in KEYS] == [f.name for f in dataclasses.fields(Settings) if f.name != "source"]
    assert [k.name for k in KEYS if k.required] == ["course", "start_date"]
    for k in KEYS:
        assert k.doc and "\n" not in k.doc, k.name
        assert (k.kind is Kind.CHOICE) == bool(k.choices), k.name


def test_every_kind_has_a_reader() -> None:
    """The validator has one reader for each kind of value."""
    assert set(_READERS) == set(Kind)


def test_defaults_come_from_the_schema() -> None:
    """A block with only the required keys reads as every key's declared default."""
    s = parse_settings(BLOCK)
    for k in KEYS:
        if not k.required:
            assert getattr(s, k.name) == k.default, k.name


def test_plugin_config_accepts_exactly_the_schema_keys() -> None:
    """The MkDocs plugin's config class has one optional option per key, of the key's YAML types."""
    from daylog.site.plugin import DaylogConfig

    schema = dict(DaylogConfig._schema)
    assert list(schema) == [k.name for k in KEYS]
    types = {name: option.option._type for name, option in schema.items()}  # c.Optional(c.Type(...))
    assert types == {  # what the hand-written DaylogConfig accepted
        **dict.fromkeys(["course", "timezone", "course_days", "title", "title_off_day", "commit_message"], (str,)),
        **dict.fromkeys(["issue_repo", "api_url", "logs_dir", "templates_dir"], (str,)),
        **dict.fromkeys(["holidays", "members", "required_sections", "private_sections", "extra_repos"], (list,)),
        **dict.fromkeys(["start_date", "end_date"], (str, date)),
        "day_starts_at": (int,),
        "fetch_timeout": (int, float),
        "max_entry_size": (int, float),
        "sections": (dict,),
        "carry_over": (bool,),
        "co_authors": (bool,),
        "concepts_require_note": (bool,),
    }
    cfg = DaylogConfig()
    cfg.load_dict({"course": "x", "start_date": date(2021, 1, 18), "day_starts_at": 4, "holidays": []})
    errors, warnings = cfg.validate()
    assert errors == [] and warnings == []
    cfg = DaylogConfig()
    cfg.load_dict({"day_starts_at": "four"})
    errors, _ = cfg.validate()
    assert [key for key, _ in errors] == ["day_starts_at"]


def test_settings_and_member_are_frozen_values() -> None:
    """Settings and Member are frozen, slotted dataclasses; `_replace` still makes a changed copy."""
    s = parse_settings(BLOCK)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.course = "다른 과정"  # type: ignore[misc]
    assert not hasattr(s, "__dict__") and not hasattr(Member("mj", "엠제이"), "__dict__")
    t = s._replace(course="다른 과정")
    assert t.course == "다른 과정" and s.course == "부스트캠프" and t == dataclasses.replace(s, course="다른 과정")
    assert Member("mj", "엠제이", "mj-gh") == Member(id="mj", name="엠제이", github="mj-gh")


def test_identity_is_stable_and_ignores_the_source() -> None:
    """`identity` orders the holidays and leaves the file name out."""
    a = parse_settings(BLOCK + "      holidays: [2021-03-01, 2021-02-11]\n", source="a/mkdocs.yml")
    b = parse_settings(BLOCK + "      holidays: [2021-02-11, 2021-03-01]\n", source="b/mkdocs.yml")
    assert identity(a) == identity(b)
    assert identity(a) != identity(a._replace(day_starts_at=5))


def test_yaml_is_read_with_libyaml_when_available() -> None:
    """The settings loader uses libyaml's parser when PyYAML has it, and errors keep their lines."""
    if yaml.__with_libyaml__:
        assert issubclass(_Loader, yaml.CSafeLoader)
    with pytest.raises(DaylogError) as info:
        parse_settings(BLOCK + "      title: [x\n      day_starts_at: 4\n")
    assert info.value.line == 6


def test_readme_settings_table_is_made_from_the_schema() -> None:
    """The README's settings table has one row per key, and a stale table is rewritten by `make docs`."""
    import importlib.util

    from conftest import REPO

    spec = importlib.util.spec_from_file_location("cli_reference", REPO / "scripts" / "cli_reference.py")
    assert spec is not None and spec.loader is not None
    cli_reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli_reference)
    table = cli_reference.settings_table()
    for k in KEYS:
        assert f"| `{k.name}` | " in table and k.doc in table
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert table in readme
    stale = readme.replace("| `co_authors` |", "| `coauthors` |")
    assert cli_reference.render_readme(stale) == readme
