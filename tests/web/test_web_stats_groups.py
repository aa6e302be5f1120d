"""Near-duplicate questions count together on the dashboard: equal after folding, or similar wording (character
bigrams), compared with each group's leader so that groups do not drift by chaining."""

from __future__ import annotations

from bot.stats_groups import SIMILARITY, Grouper, bigrams, compact, core, dice, top_groups

WORDINGS = ["公积金怎么提取", "公積金怎麼提取？", "公积金咋提取", "失业金能领多少钱", "我想问问失业金能领多少钱啊",
            "养老保险怎么交", "ｗｗｗ是什么网址", "www是什么网址", "公积金怎么提取呢", "医保怎么交"]


def test_folding_makes_equal_questions_one() -> None:
    assert compact("公積金怎麼提取？") == compact("公积金 怎么提取") == "公积金怎么提取"
    assert compact("ｗｗｗ是什么网址！") == "www是什么网址"
    assert compact("？？。。") == ""


def test_similar_wordings_join_a_group_and_other_questions_do_not() -> None:
    grouper = Grouper()
    groups = [grouper.assign(compact(text), event_id) for event_id, text in enumerate(WORDINGS, start=1)]
    gongjijin, amount, pension, website = groups[0], groups[3], groups[5], groups[6]
    assert groups == [gongjijin, gongjijin, gongjijin, amount, amount, pension, website, website, gongjijin, 10]
    assert len({gongjijin, amount, pension, website, groups[9]}) == 5
    assert gongjijin == 1 and amount == 4  # a group is named by its first event


def test_wordings_compare_without_openings_particles_digits_and_dialect() -> None:
    assert core(compact("请问公积金咋提取啊？")) == core(compact("公积金怎么提取")) == "公积金怎么提取"
    assert core(compact("我电话138****5678，咋整")) == "我电话怎么办"
    assert dice(bigrams("社保断交了怎么补"), bigrams("社保卡丢了怎么补办")) < SIMILARITY  # other questions


def test_groups_are_compared_with_their_leader_not_chained() -> None:
    a, b, c = "失业金怎么领取", "失业金怎么领取材料", "怎么领取材料"
    assert dice(bigrams(a), bigrams(b)) >= SIMILARITY and dice(bigrams(b), bigrams(c)) >= SIMILARITY
    assert dice(bigrams(a), bigrams(c)) < SIMILARITY
    grouper = Grouper()
    assert [grouper.assign(text, n) for n, text in enumerate([a, b, c], start=1)] == [1, 1, 3]


def test_a_process_that_learns_the_groups_from_the_database_assigns_as_the_first_would() -> None:
    texts = [compact(t) for t in WORDINGS * 3]
    first = Grouper()
    assigned = [first.assign(key, n) for n, key in enumerate(texts, start=1)]
    second = Grouper()
    half = len(texts) // 2
    for n, (key, group) in enumerate(zip(texts[:half], assigned[:half], strict=True), start=1):
        second.known(key, group, leads=n == group)
    assert [second.assign(key, n) for n, key in enumerate(texts[half:], start=half + 1)] == assigned[half:]


def test_top_groups_add_up_and_show_the_most_asked_wording_first() -> None:
    rows = [(1, "公积金怎么提取", 2, "2026-05-01", 1), (1, "公積金怎麼提取？", 3, "2026-05-03 ", 5),
            (1, "公积金咋提取", 1, "2026-04-30", 9), (4, "养老保险怎么交", 1, "2026-05-02", 4),
            (7, "医保怎么交", 6, "2026-05-02", 7)]
    groups = top_groups(rows, limit=2)
    assert [g.to_dict() for g in groups] == [
        {"text": "公積金怎麼提取？", "count": 6, "variants": 3, "last_day": "2026-05-03",
         "examples": ["公積金怎麼提取？", "公积金怎么提取", "公积金咋提取"]},
        {"text": "医保怎么交", "count": 6, "variants": 1, "last_day": "2026-05-02", "examples": ["医保怎么交"]}]
