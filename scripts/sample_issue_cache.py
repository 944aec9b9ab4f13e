"""Write the sample workspace's issue cache, `.daylog/issues.json`, with daylog's own IssueCache.

The sample team's issues (daylog-demo/peer-session #1..#24) do not exist on GitHub, so the
cache the demo site shows offline is written from this table instead of fetched. Titles follow
the questions the entries link them from. Run it again after editing the table:

    .venv/bin/python scripts/sample_issue_cache.py
"""

from __future__ import annotations

from pathlib import Path

from daylog.issues.github import CachedIssue, IssueCache, RepoSync, State
from daylog.issues.refs import Kind

REPO = "daylog-demo/peer-session"
FETCHED = "2026-11-20T13:00:00Z"
OPEN, C, M = State.OPEN, State.CLOSED, State.MERGED

# number, title, state, last update (UTC)
ISSUES: list[tuple[int, str, State, str]] = [
    (1, "(3, 1) + (4,) 브로드캐스팅 결과가 왜 (3, 4)인가요?", C, "2026-11-03T01:12:40Z"),
    (2, "`@`, `np.dot`, `np.matmul`의 차이", C, "2026-11-02T14:05:11Z"),
    (3, "피어세션 질문 issue 템플릿 추가", M, "2026-11-04T02:31:09Z"),
    (4, "고유값 분해와 SVD는 각각 언제 쓰나요?", C, "2026-11-05T09:48:22Z"),
    (5, "학습률이 크면 경사하강법이 왜 발산하나요?", C, "2026-11-04T13:20:57Z"),
    (6, "MLE와 MAP의 차이", C, "2026-11-06T00:41:15Z"),
    (7, "베이즈 정리에서 사전확률(prior)은 어떻게 정하나요?", OPEN, "2026-11-05T12:02:33Z"),
    (8, "미니배치 크기는 어떻게 정하나요?", C, "2026-11-07T03:17:48Z"),
    (9, "로지스틱 회귀에 MSE 대신 cross-entropy를 쓰는 이유", C, "2026-11-06T14:55:02Z"),
    (10, "역전파는 왜 출력층부터 거꾸로 계산하나요?", OPEN, "2026-11-09T12:30:19Z"),
    (11, "은닉층 activation으로 ReLU를 쓰는 이유 (dying ReLU까지)", OPEN, "2026-11-09T13:44:51Z"),
    (12, "Batch Normalization은 왜 학습을 빠르게 하나요?", OPEN, "2026-11-10T14:10:36Z"),
    (13, "Xavier 초기화와 He 초기화의 차이", C, "2026-11-11T08:27:44Z"),
    (14, "Adam이 항상 SGD보다 좋은가요?", OPEN, "2026-11-11T12:03:58Z"),
    (15, "Dropout은 test 때 왜 다르게 동작하나요? (inverted dropout)", OPEN, "2026-11-11T15:22:07Z"),
    (16, "conv 출력 크기 공식: padding, stride, dilation", OPEN, "2026-11-12T11:49:30Z"),
    (17, "conv layer 파라미터 수 세는 법", OPEN, "2026-11-12T12:36:14Z"),
    (18, "pooling 대신 stride 2 conv를 쓰는 이유", OPEN, "2026-11-16T01:05:42Z"),
    (19, "ResNet skip connection은 어떻게 gradient vanishing을 막나요?", OPEN, "2026-11-16T13:58:26Z"),
    (20, "1x1 conv는 왜 쓰나요?", OPEN, "2026-11-16T12:14:03Z"),
    (21, "RNN의 gradient exploding 대처 (gradient clipping)", OPEN, "2026-11-17T12:40:55Z"),
    (22, "LSTM의 forget gate는 무엇을 잊나요?", OPEN, "2026-11-17T13:07:31Z"),
    (23, "Attention의 Query, Key, Value를 직관적으로 이해하기", OPEN, "2026-11-18T14:26:09Z"),
    (24, "positional encoding은 왜 sin/cos인가요?", OPEN, "2026-11-20T12:51:47Z"),
]


def build(path: Path) -> IssueCache:
    cache = IssueCache(path, repos={REPO: RepoSync(list_etag=None, last_fetch=FETCHED)})
    for number, title, state, updated in ISSUES:
        kind = Kind.PULL if state is M else Kind.ISSUE
        segment = "pull" if kind is Kind.PULL else "issues"
        record = CachedIssue(
            repo=REPO,
            number=number,
            kind=kind,
            title=title,
            state=state,
            url=f"https://github.com/{REPO}/{segment}/{number}",
            updated_at=updated,
            etag=None,
            missing=False,
            fetched_at=FETCHED,
        )
        cache.issues[record.key] = record
    return cache


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    build(root / ".daylog" / "issues.json").save()
