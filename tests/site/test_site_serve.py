"""`daylog site serve` (#17): after any edits, the served site is byte for byte a fresh `mkdocs build`."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import copy_sample

pytest.importorskip("mkdocs")
pytest.importorskip("material")

from mkdocs.commands.build import build
from mkdocs.config import load_config

from daylog.site.live import LiveSite

NOW = "2026-11-20T22:00:00+09:00"
NAMES = ("mkdocs.yml", "templates", "logs", "concepts", "docs", ".daylog")
LIVERELOAD = re.compile(rb"<script>[^<]*livereload[^<]*</script>(?=</body>)")
"""The script MkDocs' server adds to every HTML page it serves (and the only difference allowed)."""


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample workspace (Korean search off), as of its last day."""
    monkeypatch.setenv("DAYLOG_NOW", NOW)
    monkeypatch.setenv("DAYLOG_SEARCH_KO", "0")
    (tmp_path / "ws").mkdir()
    copy_sample(tmp_path / "ws", NAMES)
    return tmp_path


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def fresh(root: Path) -> dict[str, bytes]:
    """What `mkdocs build` writes for the workspace as it is now."""
    out = root.parent / "fresh"
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(out)))
    return tree(out)


def assert_same(served: dict[str, bytes], built: dict[str, bytes]) -> None:
    assert sorted(served.keys() - built.keys()) == []
    assert sorted(built.keys() - served.keys()) == []
    assert sorted(k for k in built if served[k] != built[k]) == []


def edit(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    new = change(text)
    assert new != text
    path.write_text(new, encoding="utf-8")


def new_entry(root: Path, member: str, day: str, body: str, *, like: str = "minji/2026-11-18.md") -> Path:
    """An entry in the shape of an existing one, dated `day`."""
    text = (root / "logs" / like).read_text(encoding="utf-8")
    head, _, _ = text.partition("\n## ")
    path = root / "logs" / member / f"{day}.md"
    path.write_text(head.replace(like.split("/")[1][:-3], day) + "\n" + body, encoding="utf-8")
    return path


# Each step changes the workspace and says whether the update may render page by page.
Step = Callable[[Path], None]


def tick_followup(root: Path) -> None:
    edit(root / "logs/minji/2026-11-20.md", lambda t: t.replace("- [ ]", "- [x]", 1))


def rewrite_body(root: Path) -> None:
    edit(root / "logs/seohyun/2026-11-18.md", lambda t: t + "\n## TIL\n\n- 새로 배운 것: 배치 정규화의 역할\n")


def add_entry(root: Path) -> None:
    new_entry(root, "jiwoo", "2026-11-19", "## 더 정리할 것\n\n- [ ] 드롭아웃: 추론 때는 왜 끄나\n")


def add_entry_with_questions(root: Path) -> None:
    body = "## 피어세션\n\n- `하윤`: 어텐션 마스크는 왜 필요해?\n  - `민지`: 미래 토큰을 가린다\n"
    body += "- `서현`: 학습률 워밍업은?\n"
    new_entry(root, "seohyun", "2026-11-19", body + "\n## 더 정리할 것\n\n- [ ] 워밍업 스케줄 비교\n")


def delete_entry(root: Path) -> None:
    (root / "logs/hayoon/2026-11-16.md").unlink()


def change_tags(root: Path) -> None:
    edit(root / "logs/minji/2026-11-20.md", lambda t: t.replace("tags: [today, transformer]", "tags: [today, 어텐션]"))


def link_then_remove_target(root: Path) -> None:
    edit(root / "logs/minji/2026-11-18.md", lambda t: t + "\n[이틀 전](2026-11-16.md)\n")


def remove_link_target(root: Path) -> None:
    (root / "logs/minji/2026-11-16.md").unlink()


def ask_question(root: Path) -> None:
    question = "- `지우`: 멀티헤드는 왜 여러 개야?\n\n## 과제 진행 상황"
    edit(root / "logs/minji/2026-11-18.md", lambda t: t.replace("\n## 과제 진행 상황", question, 1))


def answer_question(root: Path) -> None:
    answer = "- `지우`: 멀티헤드는 왜 여러 개야?\n  - `하윤`: 서로 다른 관계를 따로 본다\n"
    edit(root / "logs/minji/2026-11-18.md", lambda t: t.replace("- `지우`: 멀티헤드는 왜 여러 개야?\n", answer, 1))


def add_concept_note(root: Path) -> None:
    folder = root / "concepts"
    folder.mkdir(exist_ok=True)
    (folder / "드롭아웃.md").write_text(
        "---\naliases: [dropout]\n---\n학습 때 뉴런을 무작위로 끈다.\n", encoding="utf-8"
    )


SEQUENCES: dict[str, list[Step]] = {
    "edit-and-tick": [rewrite_body, tick_followup, rewrite_body],
    "add-then-delete": [add_entry, delete_entry, tick_followup],
    "tags-and-links": [change_tags, link_then_remove_target, remove_link_target],
    "questions": [ask_question, answer_question, rewrite_body],
    "delete-added": [add_entry, lambda r: (r / "logs/jiwoo/2026-11-19.md").unlink(), add_concept_note],
}


@pytest.mark.parametrize("name", SEQUENCES)
def test_updates_page_by_page_equal_a_fresh_build(ws: Path, name: str) -> None:
    """Each edit, addition and deletion renders only some pages, and the site equals `mkdocs build` after each."""
    root = ws / "ws"
    site = LiveSite(root / "mkdocs.yml", ws / "served")
    site.full()
    assert_same(tree(ws / "served"), fresh(root))
    total = len(site.build.files.documentation_pages()) if site.build else 0
    for step in SEQUENCES[name]:
        step(root)
        outcome = site.update()
        assert not outcome.full
        assert 0 < len(outcome.rendered) < total / 2  # the sample links same-day entries of members
        assert_same(tree(ws / "served"), fresh(root))


def test_an_entry_added_or_deleted_renders_only_the_listing_pages_that_hold_its_items(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listing pages are cut where their items say and only page 1 states the total (#17): an
    entry that comes or goes renders its own listing pages again, not every page after it."""
    from daylog.site import paging

    monkeypatch.setattr(paging, "PER_PAGE", {"followups": 8, "tasks": 8, "questions": 8, "issues": 8})
    root = ws / "ws"
    site = LiveSite(root / "mkdocs.yml", ws / "served")
    site.full()
    listing = re.compile(r"(followups|tasks|questions|issues)(?:/[0-9a-f-]+)?\.md")

    def pages_of(name: str) -> int:
        assert site.build is not None
        found = [listing.fullmatch(f.src_uri) for f in site.build.files.documentation_pages()]
        return sum(1 for m in found if m and m[1] == name)

    assert sum(pages_of(n) for n in ("followups", "tasks", "questions", "issues")) > 12
    for step in (add_entry, delete_entry, add_entry_with_questions, tick_followup):
        step(root)
        outcome = site.update()
        assert not outcome.full
        for name in ("followups", "tasks", "questions", "issues"):
            again = [p for p in outcome.rendered if (m := listing.fullmatch(p)) and m[1] == name]
            # the landing page, the page(s) holding the items, a neighbour when a chunk split
            assert len(again) <= 5 < pages_of(name) or pages_of(name) <= 5, (name, again)
        assert_same(tree(ws / "served"), fresh(root))


def test_an_update_leaves_the_garbage_collector_on(ws: Path) -> None:
    """An update runs without the cyclic collector (`live._collected_after`), and turns it back on,
    also when the update fails."""
    import gc

    root = ws / "ws"
    site = LiveSite(root / "mkdocs.yml", ws / "served")
    site.full()
    rewrite_body(root)
    assert not site.update().full and gc.isenabled()
    add_entry(root)
    plugin = site._plugin()
    broken = plugin.read_site

    def fail(config: object) -> None:
        raise RuntimeError("a broken read")

    plugin.read_site = fail
    with pytest.raises(RuntimeError):
        site.update()
    assert gc.isenabled()
    plugin.read_site = broken
    assert site.update().full  # the failed update is not trusted: the next one builds everything
    gc.unfreeze()


@pytest.mark.parametrize(
    ("template", "page"),
    [("entry.md.j2", "minji/2026-11-02"), ("week.md.j2", "weeks/1"), ("questions.md.j2", "questions")],
)
def test_a_team_template_that_reads_the_model_is_never_taken_from_the_memo(ws: Path, template: str, page: str) -> None:
    """A page template of the team's own may print anything of the model: an addition updates every such page."""
    from daylog.site.source import builtin_template

    root = ws / "ws"
    (root / "templates/site").mkdir(parents=True)
    own = builtin_template(template) + "\n팀 기록 {{ model.entries | length }}편\n"
    (root / "templates/site" / template).write_text(own, encoding="utf-8")
    site = LiveSite(root / "mkdocs.yml", ws / "served")
    site.full()
    add_entry(root)
    assert not site.update().full
    pages = tree(ws / "served")
    assert_same(pages, fresh(root))
    count = len(list((root / "logs").rglob("*.md")))
    assert f"팀 기록 {count}편".encode() in pages[f"{page}/index.html"]


def test_an_edit_renders_the_pages_that_depend_on_it(ws: Path) -> None:
    """Ticking a follow-up renders that entry, its member, week, the follow-ups and the home page again."""
    root = ws / "ws"
    site = LiveSite(root / "mkdocs.yml", ws / "served")
    site.full()
    tick_followup(root)
    rendered = set(site.update().rendered)
    assert {"minji/2026-11-20.md", "minji/index.md", "weeks/3.md", "followups.md", "index.md"} <= rendered
    assert "seohyun/2026-11-18.md" not in rendered
    assert site.update().rendered == ()  # nothing changed since


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda r: edit(r / "mkdocs.yml", lambda t: t.replace("5조 학습 기록", "5조 기록")), id="mkdocs.yml"
        ),
        pytest.param(
            lambda r: edit(r / ".daylog/issues.json", lambda t: t.replace('"open"', '"closed"', 1)), id="issue-cache"
        ),
        pytest.param(
            lambda r: (
                (r / "templates/site").mkdir(parents=True)
                or (r / "templates/site/tasks.md.j2").write_text("# 과제\n\n(준비 중)\n", encoding="utf-8")
            ),
            id="template",
        ),
        pytest.param(
            lambda r: (r / "logs/newbie").mkdir() or new_entry(r, "newbie", "2026-11-20", "처음 쓴 기록\n"),
            id="new-member",
        ),
    ],
)
def test_what_cannot_be_attributed_rebuilds_everything(ws: Path, change: Step) -> None:
    """mkdocs.yml, the issue cache, a page template or a new member in the navigation: a full, correct build."""
    root = ws / "ws"
    site = LiveSite(root / "mkdocs.yml", ws / "served")
    site.full()
    change(root)
    assert site.update().full
    assert_same(tree(ws / "served"), fresh(root))


def test_the_first_entry_of_a_new_week_renders_page_by_page(ws: Path) -> None:
    """Weeks are listed on the weeks page, not in the navigation: a new week adds its page, and
    links it from the week before, without rendering the whole site again."""
    root = ws / "ws"
    site = LiveSite(root / "mkdocs.yml", ws / "served")
    site.full()
    new_entry(root, "minji", "2026-11-23", "다음 주 첫날\n")
    outcome = site.update()
    assert not outcome.full and {"weeks/4.md", "weeks/3.md", "weeks/index.md"} <= set(outcome.rendered)
    assert len(outcome.rendered) < 40
    pages = tree(ws / "served")
    assert_same(pages, fresh(root))
    week = pages["weeks/3/index.html"].decode()
    assert 'href="../4/"' in week and 'href="../2/"' in week
    assert "weeks/4/" not in pages["index.html"].decode()  # the navigation lists only the weeks page


def test_an_editors_scratch_files_change_nothing_and_an_image_rebuilds(ws: Path) -> None:
    """Swap, backup and probe files beside the entries are no input; an image is, and is published."""
    root = ws / "ws"
    site = LiveSite(root / "mkdocs.yml", ws / "served")
    site.full()
    for name in (".2026-11-20.md.swp", "2026-11-20.md~", "4913"):
        (root / "logs/minji" / name).write_bytes(b"scratch")
    outcome = site.update()
    assert (outcome.full, outcome.rendered) == (False, ())
    (root / "logs/minji/img").mkdir()
    (root / "logs/minji/img/diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert site.update().full
    built = fresh(root)
    assert "minji/img/diagram.png" in built
    assert_same(tree(ws / "served"), built)


def test_a_failed_update_is_never_served_as_current(ws: Path) -> None:
    """After an update fails (a broken mkdocs.yml), the next one builds everything again, correctly."""
    root = ws / "ws"
    site = LiveSite(root / "mkdocs.yml", ws / "served")
    site.full()
    good = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(good + "\nplugins: [", encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017, PT011 - MkDocs' YAML error, whichever it is
        site.update()
    (root / "mkdocs.yml").write_text(good, encoding="utf-8")
    tick_followup(root)
    assert site.update().full
    assert_same(tree(ws / "served"), fresh(root))


# -- a real server on 127.0.0.1 ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


def wait_for(check: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def server(ws: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`daylog site serve` on a free port of 127.0.0.1, building into ws/served."""
    port = free_port()
    cmd = [sys.executable, "-m", "daylog", "-w", str(ws / "ws"), "site", "serve", "--port", str(port)]
    log = (ws / "serve.log").open("wb")
    proc = subprocess.Popen([*cmd, "--site-dir", str(ws / "served")], stderr=log, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: get(url)[0] == 200 or proc.poll() is not None, 120)
        assert proc.poll() is None, (ws / "serve.log").read_text(encoding="utf-8")
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def served(url: str, names: list[str]) -> dict[str, bytes]:
    """Each file as the server sends it, without the live-reload script."""
    out = {}
    for name in names:
        status, body = get(url + name)
        assert status == 200, name
        out[name] = LIVERELOAD.sub(b"", body) if name.endswith(".html") else body
    return out


def test_served_site_follows_edits_and_equals_a_fresh_build(
    ws: Path, server: tuple[str, subprocess.Popen[bytes]]
) -> None:
    """Edit, add, delete and tick over HTTP: each shows on its pages, and every served file equals `mkdocs build`."""
    url, _ = server
    root = ws / "ws"

    def shows(page: str, text: str) -> Callable[[], bool]:
        return lambda: text.encode() in get(url + page)[1]

    rewrite_body(root)
    wait_for(shows("seohyun/2026-11-18/", "배치 정규화의 역할"), 30)
    add_entry(root)
    wait_for(shows("jiwoo/2026-11-19/", "추론 때는 왜 끄나"), 30)
    wait_for(shows("followups/", "추론 때는 왜 끄나"), 30)
    delete_entry(root)
    wait_for(lambda: get(url + "hayoon/2026-11-16/")[0] == 404, 30)
    before = get(url + "minji/")[1]
    tick_followup(root)
    wait_for(lambda: get(url + "minji/")[1] != before, 30)
    built = fresh(root)
    assert_same(served(url, sorted(built)), built)
    assert_same(tree(ws / "served"), built)


def test_a_port_in_use_is_one_line_and_status_1(ws: Path, server: tuple[str, subprocess.Popen[bytes]]) -> None:
    """A second server on the same port stops at once with one clear line."""
    url, _ = server
    port = url.rsplit(":", 1)[1].strip("/")
    cmd = [sys.executable, "-m", "daylog", "-w", str(ws / "ws"), "site", "serve", "--port", port]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("daylog: error:") and "in use" in lines[-1]
    assert "Traceback" not in done.stderr


def test_a_site_that_does_not_build_is_one_line_and_status_1(ws: Path) -> None:
    """A broken mkdocs.yml stops `site serve` with one line naming it, no traceback."""
    root = ws / "ws"
    edit(root / "mkdocs.yml", lambda t: t + "\ntheme: [\n")
    cmd = [sys.executable, "-m", "daylog", "-w", str(root), "site", "serve", "--port", str(free_port())]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("daylog: error:")


def test_a_site_dir_holding_the_workspace_is_refused(ws: Path) -> None:
    """`--site-dir` is emptied first: the workspace itself (or a folder above it) is refused, and nothing is deleted."""
    root = ws / "ws"
    cmd = [sys.executable, "-m", "daylog", "-w", str(root), "site", "serve", "--port", str(free_port())]
    done = subprocess.run([*cmd, "--site-dir", str(ws)], check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "must not hold the workspace" in done.stderr.strip().splitlines()[-1]
    assert (root / "mkdocs.yml").is_file()


def test_an_address_not_on_this_machine_is_one_line_and_status_1(ws: Path) -> None:
    """`--host` of an address this machine does not have stops at once, saying why."""
    cmd = [sys.executable, "-m", "daylog", "-w", str(ws / "ws"), "site", "serve", "--host", "203.0.113.7"]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("daylog: error: cannot listen on 203.0.113.7:8000:") and "in use" not in last
    assert "Traceback" not in done.stderr
