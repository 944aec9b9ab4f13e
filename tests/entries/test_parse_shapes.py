"""The parser on the real-world shapes of FORMATS.md (fixtures written here, one per shape)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from daylog.entries.model import FollowUpForm
from daylog.entries.parse import name_only, parse, split_names

KNOWN = frozenset({"엠제이", "MJ", "샐리", "히스", "mj"})


def qs(text: str, known: frozenset[str] = KNOWN) -> list[tuple[tuple[str, ...], str, list[tuple[str | None, str]]]]:
    e = parse(text, known_names=known)
    return [(q.askers, q.text, [(a.answerer, a.text) for a in q.answers]) for q in e.questions]


@pytest.mark.parametrize(
    ("text", "names", "rest"),
    [
        ("`서폿` : numpy 질문", ("서폿",), "numpy 질문"),
        ("`샐리` & `후미` & `엠제이`: ResNet", ("샐리", "후미", "엠제이"), "ResNet"),
        ("`MJ` 리눅스를 쓰는 이유", ("MJ",), "리눅스를 쓰는 이유"),
        ("[펭귄] global 키워드는?", ("펭귄",), "global 키워드는?"),
        ("'엠제이' \"딥러닝에서?\"", ("엠제이",), '"딥러닝에서?"'),
        ("서폿님 : 중요한 것", ("서폿",), "중요한 것"),
        (
            "[[히스] CNN 과 GNN](https://github.com/o/r/issues/90)",
            ("히스",),
            "[CNN 과 GNN](https://github.com/o/r/issues/90)",
        ),
        ("[0.5 0.5] - 엔트로피 높음", (), "[0.5 0.5] - 엔트로피 높음"),
        ("[링크] 참고", (), "[링크] 참고"),
        ("`torch.no_grad()`: 언제 쓰나요?", (), "`torch.no_grad()`: 언제 쓰나요?"),
        ("`DataSource` 계층에서 상속", (), "`DataSource` 계층에서 상속"),
        ("`New Project` - `Framework`를 선택", (), "`New Project` - `Framework`를 선택"),
        ("'이루다 챗봇'에 대해", (), "'이루다 챗봇'에 대해"),
        ("다음 주 목표 : 최선을", (), "다음 주 목표 : 최선을"),
        # #13: a bold name is an asker, a bold label or term is not; `[y]` is a mistyped checkbox
        ("**지우**: 배치 정규화는?", ("지우",), "배치 정규화는?"),
        ("**지우:** 배치 정규화는?", ("지우",), "배치 정규화는?"),
        ("**도겸님**: 질문", ("도겸",), "질문"),
        ("**MJ** : 리눅스?", ("MJ",), "리눅스?"),
        ("**참고**: 링크 모음", (), "**참고**: 링크 모음"),
        ("**ResNet**: skip connection", (), "**ResNet**: skip connection"),
        ("**중요** 내일까지", (), "**중요** 내일까지"),
        ("[y] 이상한 체크박스", (), "[y] 이상한 체크박스"),
    ],
)
def test_asker_spellings_and_look_alikes(text: str, names: tuple[str, ...], rest: str) -> None:
    """Every asker form of the corpus is a name; code, numbers, labels and quoted phrases are not."""
    assert split_names(text, KNOWN) == (names, rest)


def test_issue13_peer_section_bold_asker_and_mistyped_checkbox() -> None:
    """`- **지우**: 질문` is 지우's question; `- [y] …` in the peer section is no question asked by "y"."""
    text = "## 피어세션 정리\n\n- **지우**: 배치 정규화는 왜 쓰나?\n  - `엠제이`: 학습이 안정된다\n"
    text += "- [y] 이상한 체크박스\n"
    assert qs(text) == [(("지우",), "배치 정규화는 왜 쓰나?", [("엠제이", "학습이 안정된다")])]


def test_name_only_forms() -> None:
    """A line or item that is only a name: backticks, brackets, `님`, a member's alias; not a topic word."""
    assert name_only("`MJ`") == ("MJ",)
    assert name_only("**[히스]**") == ("히스",)
    assert name_only("동현님") == ("동현",)
    assert name_only("샐리:", KNOWN) == ("샐리",)
    assert name_only("정리") == ()
    assert name_only("질문") == ()


def test_name_line_then_bullets() -> None:
    """`` `MJ` `` alone on a line gives the bullets below it their asker, until the next heading."""
    text = (
        "## 피어세션 정리\n\n`MJ`\n* 배치 정규화는 언제?\n  * 학습 안정화\n* 드롭아웃 비율\n"
        "\n### 기타\n- 다음엔 10분 일찍?\n"
    )
    assert qs(text) == [
        (("MJ",), "배치 정규화는 언제?", [(None, "학습 안정화")]),
        (("MJ",), "드롭아웃 비율", []),
        ((), "다음엔 10분 일찍?", []),
    ]


def test_name_headings_inside_the_peer_section() -> None:
    """`#### 후미` / `##### 원딜` name the askers of what follows; `#### 04. CNN (도리토스)` does not."""
    text = (
        "## 피어세션\n"
        "- `후미`: 첫 질문?\n"
        "#### 후미\n- 옵티마이저 차이\n  - `원딜`: Adam이 대부분 무난\n"
        "##### 원딜\n- 스케줄러는?\n"
        "#### 04. CNN (도리토스)\n- output shape 계산\n- 커널 크기는 왜 홀수?\n"
        "#### 샐리\n- 알려진 이름의 제목\n"
    )
    assert qs(text) == [
        (("후미",), "첫 질문?", []),
        (("후미",), "옵티마이저 차이", [("원딜", "Adam이 대부분 무난")]),
        (("원딜",), "스케줄러는?", []),
        ((), "커널 크기는 왜 홀수?", []),
        (("샐리",), "알려진 이름의 제목", []),
    ]


def test_name_parent_bullets_with_nested_questions() -> None:
    """`- 동현님` / `` - `후미` `` with nested items: each nested item is that person's, answers below it."""
    text = (
        "## 피어세션\n"
        "- `후미`\n  - 가중치 초기화는 왜 중요?\n    - `샐리`: 대칭성 깨기\n  - Xavier와 He 차이\n"
        "- 동현님\n  - CIFAR-10 파이프라인 구축\n"
    )
    assert qs(text) == [
        (("후미",), "가중치 초기화는 왜 중요?", [("샐리", "대칭성 깨기")]),
        (("후미",), "Xavier와 He 차이", []),
        (("동현",), "CIFAR-10 파이프라인 구축", []),
    ]


def test_name_colon_paragraphs() -> None:
    """`샐리 : …  ` paragraphs (hard breaks) and `동현님: … \\` continuations are questions; other prose is not."""
    text = (
        "# 피어 세션\n\n"
        "샐리 : 이루다 챗봇 이슈 어떻게 보세요?  \n"
        "히스 : 데이터 수집 동의 문제  \n"
        "\n"
        "동현님: 백엔드 공부를 같이 \\\n하면 좋을까?\n"
        "\n"
        "오늘은 모두 참석했다.\n"
        "이름 : 모르는 사람\n"
    )
    assert [(q.askers, q.text) for q in parse(text, known_names=KNOWN).questions] == [
        (("샐리",), "이루다 챗봇 이슈 어떻게 보세요?"),
        (("히스",), "데이터 수집 동의 문제"),
        (("동현",), "백엔드 공부를 같이 \\ 하면 좋을까?"),
    ]


def test_answer_forms() -> None:
    """Nested bullets, an answerer heading its answer, `➡` lines, blockquotes, `Q.`/`A.`, `질문? -> 답`."""
    text = (
        "## 피어세션\n"
        "- `히스`: 표본분산은 왜 N-1?\n"
        "  - `원딜`\n    - 자유도 때문\n"
        "- 잔차로 기울기 소실을 해결?\n"
        "  ➡ ⭕ 맞다고 할 수 있음\n"
        "  실제로 레이어가 깊어짐\n"
        "- Q. NetworkHandler 클로저에서는 weak self를 썼는데,\n"
        "DispatchQueue 클로저에서는 안 썼다.\n"
        "- A. 클로저마다 캡처가 따로 동작하므로 붙여야 함\n"
        "- in BERT, NSP가 효과가 있을까? -> 추가 학습\n"
        "- 질문 : 다음주도 멘토링이 있나요?\n"
        "- 표준화 공식은? → (x - μ) / σ\n"
    )
    assert qs(text) == [
        (("히스",), "표본분산은 왜 N-1?", [("원딜", "자유도 때문")]),
        ((), "잔차로 기울기 소실을 해결?", [(None, "⭕ 맞다고 할 수 있음\n실제로 레이어가 깊어짐")]),
        (
            (),
            "NetworkHandler 클로저에서는 weak self를 썼는데, DispatchQueue 클로저에서는 안 썼다.",
            [(None, "클로저마다 캡처가 따로 동작하므로 붙여야 함")],
        ),
        ((), "in BERT, NSP가 효과가 있을까?", [(None, "추가 학습")]),
        ((), "다음주도 멘토링이 있나요?", []),
        ((), "표준화 공식은?", [(None, "(x - μ) / σ")]),
    ]


def test_labels_are_not_questions_but_their_items_may_be() -> None:
    """`- Questions` / `- 🎤 질답` group questions; a label whose items ask nothing yields nothing."""
    text = (
        "## 피어세션\n"
        "- Questions\n  - [펭귄] global 키워드는 언제?\n  - [MJ] 리눅스를 쓰는 이유\n"
        "- 📝 개인 학습\n  - 9강 실습 코드 리뷰\n"
        "- 세부 일정\n  - [7강](https://example.com/lecture?isDesc=false)\n"
        "- 질문\n1. fill_ 왜 쓰는가?\n2. hook 차이?\n"
    )
    assert [(q.askers, q.text) for q in parse(text).questions] == [
        (("펭귄",), "global 키워드는 언제?"),
        (("MJ",), "리눅스를 쓰는 이유"),
        ((), "fill_ 왜 쓰는가?"),
        ((), "hook 차이?"),
    ]


def test_nfd_peer_section_gives_nfc_askers() -> None:
    """Decomposed Hangul (macOS) is matched as NFC: askers, `님` and headings are found."""
    text = unicodedata.normalize("NFD", "## 피어세션\n- `엠제이`: 질문?\n- 동현님: 두 번째\n#### 후미\n- 세 번째\n")
    e = parse(text, known_names=frozenset({"후미"}))
    assert [q.askers for q in e.questions] == [("엠제이",), ("동현",), ("후미",)]
    assert all(unicodedata.is_normalized("NFC", n) for q in e.questions for n in q.askers)


def test_peer_subsection_with_the_same_key_does_not_cut_the_section() -> None:
    """`### 피어세션 시간 고찰` inside `## 피어세션 정리` keeps the `### 논의` Q&A after it, read once."""
    text = (
        "## **피어세션 정리**\n### 제안\n- `엠제이`: 슬랙 질문\n"
        "### 피어세션 시간 고찰\n- 메모\n### 논의\n- `펭귄`: 몬테카를로?\n"
    )
    e = parse(text)
    assert [q.askers for q in e.questions] == [("엠제이",), ("펭귄",)]


def test_checklists_nested_mixed_case_and_emoji() -> None:
    """Three levels with `*` over `-`, `[x]`/`[X]`, `- 항목 ✅` done markers; `✔` resolutions are not tasks."""
    text = (
        "## 오늘 일정 정리\n* 8/20 (금)\n  - [x] PyTorch\n    - [X] (08강) Multi-GPU\n    - [ ] (09강) 튜닝\n"
        "  - 취업 컨설팅 ✅\n  - ✅ 이력서 제출\n  - 회고 작성 ✅ 2021-08-20\n"
        "## 오늘의 한마디\n- ✔ 단계적으로 채우자 ✔\n"
    )
    tasks = parse(text).tasks
    assert [(t.text, t.done, t.depth, t.done_on) for t in tasks] == [
        ("PyTorch", True, 1, None),
        ("(08강) Multi-GPU", True, 2, None),
        ("(09강) 튜닝", False, 2, None),
        ("취업 컨설팅", True, 1, None),
        ("이력서 제출", True, 1, None),
        ("회고 작성", True, 1, date(2021, 8, 20)),
    ]


def test_checklist_without_an_assignment_section() -> None:
    """With no 과제 section, checklist items elsewhere are the day's tasks (not follow-ups or peer items)."""
    text = (
        "# ☀️ 오늘 한 일\n- 취업 컨설팅 준비 ✅\n- [ ] 포트폴리오\n"
        "## 피어세션\n- [ ] 피어 메모\n# 🚩 내일 할 일\n- 알고리즘\n"
    )
    e = parse(text)
    assert [(t.text, t.done) for t in e.tasks] == [("취업 컨설팅 준비", True), ("포트폴리오", False)]
    assert e.followups == ()
    assert [s.key for s in e.sections] == ["til", "peer", None]


def test_follow_up_headings_people_write() -> None:
    """`🤷‍♀️Further Question🤷‍♀️` and `지난주에 해결 안된 질문들` headings hold follow-ups."""
    text = (
        "## 피어세션\n- `샐리`: 질문?\n"
        "### 🤷\u200d♀️Further Question🤷\u200d♀️\n- MLE와 MAP의 관계\n"
        "### 지난주에 해결 안된 질문들\n- `후미`\n  - 왜 ReLU가 잘 되는가\n"
        "**Further Questions**\n"
    )
    e = parse(text)
    assert [(f.topic, f.form) for f in e.followups] == [
        ("MLE와 MAP의 관계", FollowUpForm.BULLET),
        ("`후미`", FollowUpForm.BULLET),
    ]
    assert [q.text for q in e.questions] == ["질문?"]


def test_placeholder_markers() -> None:
    """`추후 보완 필요 - X` is a follow-up on X (checked when ticked); bare markers and sentences are not."""
    text = (
        "## 과제 결과물에 대한 정리\n- 추후 보완 필요\n- 추후 보완 필요 - MLP Assignment에 대한 리뷰 필요\n"
        "- [x] 추가 필요: 학습률 스케줄러 ✅ 2021-02-05\n- 추가 필요한 기능을 정리했다\n- 추가필요\n"
    )
    e = parse(text)
    assert [(f.topic, f.done, f.done_on, f.line) for f in e.followups] == [
        ("MLP Assignment에 대한 리뷰 필요", False, None, 3),
        ("학습률 스케줄러", True, date(2021, 2, 5), 4),
    ]
