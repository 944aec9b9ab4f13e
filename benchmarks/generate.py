"""Generate a synthetic team workspace for benchmarks.

    python benchmarks/generate.py OUT --entries 3000 [--members 6] [--commits 10000] [--seed 1]

Writes OUT/mkdocs.yml, OUT/templates/entry.md.j2 and OUT/logs/<member>/<date>.md in the
shape of the default template (peer-session Q&A, follow-ups in both forms, some later
resolved, a progressing checklist, TIL with math and code, issue links), and with
--commits a git history (one `git fast-import`, author dates spread over the entries'
days in Asia/Seoul, e-mails mapped to the members).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
WORDS = [
    "텐서",
    "행렬",
    "미분",
    "경사하강법",
    "역전파",
    "배치",
    "정규화",
    "드롭아웃",
    "합성곱",
    "풀링",
    "어텐션",
    "임베딩",
    "토큰",
    "손실함수",
    "최적화",
    "학습률",
    "과적합",
    "정칙화",
    "가중치",
    "편향",
    "활성화",
    "소프트맥스",
    "엔트로피",
    "확률",
    "분포",
    "기댓값",
    "분산",
    "샘플링",
    "데이터셋",
    "전처리",
    "증강",
    "전이학습",
    "파인튜닝",
    "인코더",
    "디코더",
    "트랜스포머",
    "순환신경망",
    "게이트",
]
NAMES = ["민지", "서현", "지우", "하윤", "도겸", "예린", "태오", "가온"]
IDS = ["minji", "seohyun", "jiwoo", "hayoon", "dogyeom", "yerin", "taeo", "gaon"]
# Large workspaces need more members: daylog reads entries dated at most ten years past the
# course start (#12), and one member writes about 260 entries a year.
NAMES += [f"팀원{n}" for n in range(len(NAMES) + 1, 61)]
IDS += [f"member{n:02d}" for n in range(len(IDS) + 1, 61)]
ENTRIES_PER_MEMBER = 1000
"""`members_for` keeps each member's entries within about four years."""


def members_for(entries: int) -> int:
    """Six members, or as many as keep everyone's entries within `ENTRIES_PER_MEMBER` (30,000: 30)."""
    return min(len(IDS), max(6, -(-entries // ENTRIES_PER_MEMBER)))


def phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def course_days(start: date, count: int) -> list[date]:
    out, d = [], start
    while len(out) < count:
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(days=1)
    return out


def entry(rng: random.Random, member: int, d: date, day: int, members: int, resolved: set[str]) -> str:
    names = NAMES[:members]
    lines = [
        "---",
        f'title: "[벤치마크 부트캠프 / Day{day}] Today"',
        f"date: {d.isoformat()} {rng.randint(19, 23)}:{rng.randint(0, 59):02d}:00 +0900",
        f"author: {IDS[member]}",
        f"day: {day}",
        'categories: ["벤치마크 부트캠프", "Today"]',
        "tags: [today]",
        "---",
        "",
        "## 피어세션 정리",
        "",
    ]
    for _ in range(rng.randint(1, 4)):
        lines.append(f"- `{rng.choice(names)}`: {phrase(rng, 5)}는 왜 그런가?")
        for _ in range(rng.randint(0, 2)):
            lines.append(f"  - `{rng.choice(names)}`: {phrase(rng, 7)}")
        if rng.random() < 0.3:
            lines.append(f"  - [링크](https://github.com/bench/peer-session/issues/{rng.randint(1, 400)})")
    lines += ["", "### 더 정리할 것", ""]
    for i in range(rng.randint(0, 3)):
        topic = f"{phrase(rng, 2)} {day}-{i}"
        if rng.random() < 0.2:
            lines += [f"> ▪ **{topic}**", f"> {phrase(rng, 6)}", ""]
        else:
            done = topic in resolved or rng.random() < 0.6
            mark = "x" if done else " "
            stamp = f" ✅ {(d + timedelta(days=rng.randint(1, 9))).isoformat()}" if done else ""
            lines.append(f"- [{mark}] {topic}: {phrase(rng, 4)}{stamp}")
    lines += ["", "## 과제 진행 상황", ""]
    week = day // 5
    for k in range(rng.randint(2, 5)):
        mark = "x" if rng.random() < 0.5 else " "
        lines.append(f"- [{mark}] 과제 {week}-{k}: {phrase(rng, 2)}")
    lines += ["", "## 과제 결과물에 대한 정리", "", f"- {phrase(rng, 9)}", "", "## TIL (Today I Learned)", ""]
    for _ in range(rng.randint(2, 6)):
        lines.append(f"- {phrase(rng, 8)}")
    if rng.random() < 0.2:
        lines += ["", "$$ \\nabla_W L = X^T (\\hat{y} - y) $$"]
    if rng.random() < 0.2:
        lines += ["", "```python", "# 주석: #12 는 이슈가 아님", "x = np.zeros((3, 3))", "```"]
    lines += ["", "## 오늘의 한마디", "", f"- {phrase(rng, 5)}", ""]
    return "\n".join(lines)


def mkdocs_yml(start: date, members: int) -> str:
    member_lines = "".join(
        f"        - {{id: {IDS[i]}, name: {NAMES[i]}, emails: [{IDS[i]}@bench.example]}}\n" for i in range(members)
    )
    return (
        "site_name: 벤치마크 팀\n"
        "theme:\n  name: material\n  language: ko\n  features:\n    - navigation.prune\n"
        "plugins:\n  - search\n  - daylog:\n"
        "      course: 벤치마크 부트캠프\n"
        f"      start_date: {start.isoformat()}\n"
        "      issue_repo: bench/peer-session\n"
        f"      members:\n{member_lines}"
    )


def git_history(out: Path, days: list[date], commits: int, members: int, rng: random.Random) -> None:
    zone = ZoneInfo("Asia/Seoul")
    stream: list[bytes] = []
    for n in range(commits):
        d = rng.choice(days)
        m = rng.randrange(members)
        moment = datetime(d.year, d.month, d.day, rng.randint(9, 23), rng.randint(0, 59), tzinfo=zone)
        ts = f"{int(moment.timestamp())} +0900"
        who = f"{NAMES[m]} <{IDS[m]}@bench.example>"
        msg = f"{d} {IDS[m]} 기록 {n}\n".encode()
        blob = f"{n}\n".encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"author {who} {ts}\ncommitter {who} {ts}\n".encode())
        stream.append(b"data %d\n%s" % (len(msg), msg))
        stream.append(b"M 100644 inline activity.txt\n")
        stream.append(b"data %d\n%s\n" % (len(blob), blob))
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    subprocess.run(["git", "-C", str(out), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", str(out), "reset", "-q", "--hard", "main"], check=True)


def generate(out: Path, entries: int, members: int = 6, commits: int = 0, seed: int = 1) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    per_member = -(-entries // members)
    start = date(2020, 1, 6)
    days = course_days(start, per_member + per_member // 10 + 1)
    (out / "templates").mkdir(parents=True)
    shutil.copy(REPO / "templates" / "entry.md.j2", out / "templates" / "entry.md.j2")
    (out / "mkdocs.yml").write_text(mkdocs_yml(start, members), encoding="utf-8")
    written = 0
    for m in range(members):
        folder = out / "logs" / IDS[m]
        folder.mkdir(parents=True)
        chosen = sorted(rng.sample(range(len(days)), min(per_member, len(days))))
        for i in chosen:
            if written >= entries:
                break
            d = days[i]
            (folder / f"{d.isoformat()}.md").write_text(entry(rng, m, d, i + 1, members, set()), encoding="utf-8")
            written += 1
    if commits:
        git_history(out, days, commits, members, rng)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--entries", type=int, default=3000)
    ap.add_argument("--members", type=int, default=6, choices=range(1, len(IDS) + 1))
    ap.add_argument("--commits", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    generate(args.out, args.entries, args.members, args.commits, args.seed)
    print(f"wrote {args.entries} entries for {args.members} members to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
