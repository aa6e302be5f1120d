"""Which bureau to name, and how: the guide sends a claimant to the bureau of the last insured place (最后参保地),
so a place named as insured wins over one named without a role, and a place where the user only lives is not
answered with a bureau: the user is asked for the insured place. Several places asked at once get each its bureau.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING

from actions.api import kb
from actions.case import Case
from actions.compose import Answer
from actions.config import get_settings
from offices_kb.normalize import fold

if TYPE_CHECKING:
    from offices_kb import LookupResult, Match

# the guide's table has names and phones only: a question for an address or opening hours is told so
# ("南关区失业金在哪领" asks which bureau, "社保局在哪" where it is)
_ADDRESS_OR_HOURS = re.compile(r"地址|地点|位置|局(?:在|搁)(?:哪|啥地方)|怎么走|咋走|几点|上班时间|下班|办公时间"
                               r"|工作时间|营业|周末|周六|周日|星期[六天日]|礼拜[六天日]|双休|节假日|放假"
                               r"|开门|关门|午休|休息|在哪办公|(?:你们|单位|那)(?:在|搁)(?:哪|啥地方)")


def asks_address_or_hours(text: str) -> bool:
    """'珲春社保局地址', '几点下班', '周末上班吗'."""
    return bool(_ADDRESS_OR_HOURS.search(fold(text)))


def _prefix(region: str) -> str:
    return region[:-2] if region.endswith("地区") else region


def choice_text(match: Match) -> str:
    """A short place text that looks up to exactly this match's bureau (for buttons and slots)."""
    short = match.bureau.replace("社会保险局", "")
    if match.level in ("province", "prefecture"):
        candidates = [match.place, short, match.bureau]
    else:
        prefix = _prefix(match.region)
        candidates = [match.place, f"{prefix}市{match.place}", f"{prefix}{match.place}", short, match.bureau]
    if match.level == "prefecture" and match.place not in match.bureau:  # a region listed bureau by bureau
        candidates = [short, match.bureau]
    for candidate in dict.fromkeys(candidates):
        try:
            result = kb.lookup(candidate)
        except ValueError:
            continue
        if result.status == "found" and result.matches[0].bureau_id == match.bureau_id:
            return candidate
    return match.bureau


def place_label(match: Match) -> str:
    """'珲春市', or '朝阳区（长春地区）' where the place alone does not say which city."""
    if match.level == "province" or match.place in match.bureau:
        return match.place
    return f"{match.place}（{match.region}）"


def single_bureau(result: LookupResult) -> Match | None:
    """The match of a lookup that names one bureau: found, or 'ambiguous' between places served by one bureau."""
    if result.status == "found" and result.best:
        return result.best
    if result.status == "ambiguous" and not result.region and result.matches \
            and len({m.bureau_id for m in result.matches}) == 1 and not result.outside:
        return result.best
    return None


def remember(out: Answer, match: Match) -> None:
    """The bureau just answered: its phone is what "电话再说一遍" repeats and whom to ask from now on."""
    out.set(bureau_name=match.bureau, bureau_phone=match.phone, bureau_region=match.region,
            location=choice_text(match))


def _found(out: Answer, match: Match, response: str, place: str, case: Case) -> None:
    out.add(response, place=place, bureau=match.bureau, phone=match.phone)
    if asks_address_or_hours(case.text):
        out.add("utter_note_no_address")
    remember(out, match)


def _region(out: Answer, region: str, bureaus: list) -> None:
    names = [(getattr(b, "bureau", None) or b.name, b.phone) for b in bureaus]
    out.add("utter_bureau_region", region=region, count=len(names),
            bureaus="\n".join(f"{name} {phone}" for name, phone in names))
    for name, _ in names[:get_settings().max_buttons]:
        short = name.replace("社会保险局", "")
        out.button(short, "inform_location", location=short)
    out.set(bureau_region=region, bureau_name=None, bureau_phone=None)


def _choices(out: Answer, matches: list[Match], outside: list[str] | None = None) -> None:
    """'您说的是 A 还是 B？' with each Jilin candidate's bureau and phone, a button for each, and a button for a name
    outside Jilin it could also be (that one is answered "not in Jilin")."""
    limit = get_settings().max_buttons
    choices = [(choice_text(m), m) for m in matches[:limit]]
    names = [text for text, _ in choices] + list(outside or [])[:max(0, limit - len(choices))]
    out.add("utter_bureau_did_you_mean", options="还是".join(f"“{name}”" for name in names),
            bureaus="\n".join(f"{text}：{m.bureau} {m.phone}" for text, m in choices))
    for name in names:
        out.button(name, "inform_location", location=name)


def render_lookup(out: Answer, result: LookupResult, case: Case, *, role: str = "named", typed: str = "",
                  phone: bool = True) -> None:
    """The answer for one looked-up place. `role`: insured (named as the last insured place), remembered (from
    earlier in the conversation) or named (no role said: the 最后参保地 reminder goes with it)."""
    if result.status == "not_found":
        if typed:
            out.add("utter_place_not_found", typed=typed)
        else:
            ask_place(out, phone)
        return
    if result.status == "outside_jilin":
        out.add("utter_place_outside", places="、".join(result.outside) or "您说的地方")
        return
    match = single_bureau(result)
    if match is not None:
        response = {"insured": "utter_bureau_insured", "remembered": "utter_bureau_remembered"}.get(
            role, "utter_bureau_found")
        _found(out, match, response, place_label(match) if role == "named" else match.place, case)
        if role == "named":
            out.add("utter_note_last_insured")
            if result.outside:
                out.add("utter_note_outside_too", places="、".join(result.outside))
            elif result.status == "ambiguous":  # also a name outside Jilin ('大安', '朝阳区'): the Jilin one is meant
                out.add("utter_note_outside_too", places=f"其他省份的{match.matched_text}")
        elif role == "insured":
            wanted = next((p.text for p in case.facts.places.of("claim")), None)
            other = single_bureau(kb.lookup(wanted)) if wanted else None
            lived = single_bureau(kb.lookup(case.residence_place)) if case.residence_place else None
            if other is not None and other.bureau_id != match.bureau_id:
                out.add("utter_note_not_there", claim=wanted, place=match.place)
            elif lived is not None and lived.bureau_id != match.bureau_id:
                out.add("utter_note_lives_elsewhere", residence=case.residence_place, place=match.place)
        return
    if result.region:
        _region(out, result.matches[0].region if result.matches else result.region, result.matches)
        return
    _choices(out, result.matches, result.outside if result.status == "did_you_mean" else None)


def ask_place(out: Answer, phone: bool) -> None:
    """Ask for the last insured place; with the province's phone when a phone was asked for."""
    if phone:
        name, number = kb.province_contact()
        out.add("utter_ask_place", province_contact=f"{name} {number}")
    else:
        out.add("utter_ask_place_only")


def _several(out: Answer, results: list[LookupResult]) -> None:
    lines = []
    for r in results:
        match = single_bureau(r)
        if match is not None:
            lines.append(f"{place_label(match)}：{match.bureau} {match.phone}")
    out.add("utter_bureau_several", bureaus="\n".join(lines))
    out.set(bureau_name=None, bureau_phone=None)


def answer_bureau(case: Case, out: Answer, phone: bool = True) -> None:
    """The bureau for the user's question where to apply or (`phone`) which phone to call."""
    insured = case.facts.places.insured
    if insured:
        render_lookup(out, kb.lookup(insured.text), case, role="insured")
        return
    asked = [p for p in case.asked_places if p.in_jilin] or case.asked_places
    if len(asked) > 1:
        ordered = sorted(asked, key=lambda p: p.start)
        nested = all(a.start + len(a.text) == b.start for a, b in pairwise(ordered))
        whole = kb.lookup("".join(p.text for p in ordered))  # '永吉县岔路河镇': one place with its county
        found = [r for r in (kb.lookup(p.text) for p in asked) if single_bureau(r) is not None]
        if not nested and len({single_bureau(r).bureau_id for r in found}) > 1:  # type: ignore[union-attr]
            _several(out, found)  # '辽源和东丰的电话': each its bureau
            return
        render_lookup(out, whole, case)
        return
    if asked:
        render_lookup(out, kb.lookup(asked[0].text), case)
        return
    if case.facts.places.residence or case.facts.places.of("hometown"):
        ask_insured_place(out, case)
        return
    if case.text:  # a place the mention finder does not see as such ('省社保局')
        result = kb.lookup(case.text)
        if result.status != "not_found":
            render_lookup(out, result, case)
            return
    for typed in case.typed_places:  # a button's place ('/inform_location{"location":"长春市朝阳区"}')
        result = kb.lookup(typed)
        if result.status != "not_found":
            render_lookup(out, result, case, typed=typed, phone=phone)
            return
    if case.typed_places:
        out.add("utter_place_not_found", typed=case.typed_places[0])
        return
    remembered_bureau(case, out, phone)


def remembered_bureau(case: Case, out: Answer, phone: bool = True) -> None:
    """No place in this message: the last insured place, the bureau answered before, the region listed before,
    or a question for the place."""
    if case.insured_place:
        render_lookup(out, kb.lookup(case.insured_place), case, role="remembered")
        return
    name, number = case.slots.get("bureau_name"), case.slots.get("bureau_phone")
    if isinstance(number, str) and number:
        out.add("utter_bureau_phone_again", bureau=name or "社会保险局", phone=number)
        if asks_address_or_hours(case.text):
            out.add("utter_note_no_address")
        return
    region = case.slots.get("bureau_region")
    if isinstance(region, str) and region:
        bureaus = kb.bureaus_in(region)
        if bureaus:
            _region(out, region, bureaus)
            return
    location = case.slots.get("location")
    if isinstance(location, str) and location.strip():  # a place given earlier without a single bureau (朝阳区)
        result = kb.lookup(location)
        if result.status != "not_found":
            render_lookup(out, result, case, role="remembered")
            return
    if case.residence_place:
        ask_insured_place(out, case)
        return
    if asks_address_or_hours(case.text):
        out.add("utter_note_no_address_ask")
    ask_place(out, phone)


def ask_insured_place(out: Answer, case: Case) -> None:
    """Only where the user lives (or comes from) is known: the bureau goes by the last insured place; ask for it."""
    hometown = next((p.text for p in case.facts.places.of("hometown")), "")
    place = case.residence_place or hometown
    lived = single_bureau(kb.lookup(place)) if case.residence_place else None
    if lived is not None:  # most people pay where they live: say whom, if so
        out.add("utter_ask_insured_place_or_same", place=place, bureau=lived.bureau, phone=lived.phone)
    else:
        out.add("utter_ask_insured_place" if case.residence_place else "utter_ask_insured_place_hometown",
                place=place)
    out.button(f"也是在{place}交的", "inform_location", location=place)
