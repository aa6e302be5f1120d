"""The question a message asks settles its intent, whatever facts surround it.

DIET learns intents from short questions; a citizen's story ("我在舒兰一个厂子干了八九年 厂子搬走了 人家不要我了
我该去哪办 电话多少") is full of facts that pull it toward check_eligibility, while the question asked is where to go
and which phone to call. Placed last in the pipeline, this component reads the question cues (citizen.questions)
and the facts (citizen.read_facts) and sets the intent of the question asked when:
- DIET's intent is a fact or small-talk intent (check_eligibility, inform_*, greet…) or a fallback, or
- the cue is one DIET confuses reliably (citizen.questions.STRONG: 打不通, 失业补助金, 只带身份证够吗…), or
- the message tells a story (facts of the user's own case, or places with a role), or names a place that DIET
  took for a question about the bureau, and DIET's intent is not one of the questions asked.
A question about eligibility ('能领吗') beside another question gives way to it: the answer to the other question
then adds what the facts imply. The intent's ranking keeps DIET's guesses (the console shows them).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

import offices_kb
from citizen import Facts, read_facts, tone
from citizen import questions as q
from citizen.places import NAMED

CUE_INTENT: dict[str, str] = {
    q.PHONE: "find_bureau", q.WHERE: "find_bureau", q.ONLINE: "ask_online_apply", q.APP: "ask_app",
    q.CHANGCHUN: "ask_changchun_channels", q.HOW: "ask_how_to_apply", q.CAN_I: "check_eligibility",
    q.CONDITIONS: "ask_eligibility", q.AMOUNT: "ask_benefit_amount", q.BENEFIT_DURATION: "ask_benefit_duration",
    q.PROCESSING: "ask_processing_time", q.HUMAN: "request_human", q.PHONE_UNANSWERED: "request_human",
    q.OTHER_BENEFIT: "ask_scope", q.NEXT: "ask_next_step", q.RETIREMENT: "ask_scope",
    q.SILENT_TOPIC: "ask_not_in_guide", q.ONSITE: "ask_onsite_apply", q.NEAR: "share_location",
    q.OUTSIDE: "ask_other_province", q.OTHER_WAY: "ask_how_to_apply",
    **{k: "ask_documents" for k in q.DOCUMENT_KINDS},
}
SMALL_TALK = frozenset({"greet", "affirm", "deny", "thank", "goodbye"})
# intents that name no question (facts, small talk) or none at all
WEAK = frozenset({"check_eligibility", "inform_contribution", "inform_leave_reason", "inform_location", "greet",
                  "affirm", "deny", "thank", "goodbye", "nlu_fallback"})
# intents DIET gets right on their own topic words: only a cue it confuses reliably (STRONG) overrides them
KEPT = frozenset({"ask_other_insurance", "ask_other_province", "ask_not_in_guide", "ask_benefit_amount",
                  "ask_benefit_duration", "ask_processing_time", "bot_challenge", "request_human", "share_location",
                  "ask_next_step", "out_of_scope", "dont_know"})
# the intents each question kind may legitimately come with (DIET's finer intent for the same question)
SAME_QUESTION: dict[str, frozenset[str]] = {
    "find_bureau": frozenset({"find_bureau", "ask_phone", "inform_location", "ask_onsite_apply"}),
    "ask_phone": frozenset({"find_bureau", "ask_phone", "inform_location", "ask_onsite_apply"}),
    "ask_onsite_apply": frozenset({"ask_onsite_apply", "find_bureau", "ask_phone", "ask_documents",
                                   "ask_how_to_apply"}),
    "ask_online_apply": frozenset({"ask_online_apply", "ask_online_register", "ask_online_fill",
                                   "ask_online_attachment", "ask_online_submit", "ask_app", "ask_changchun_channels"}),
    "ask_how_to_apply": frozenset({"ask_how_to_apply", "ask_onsite_apply", "ask_online_apply"}),
    "ask_documents": frozenset({"ask_documents", "ask_onsite_apply", "ask_online_attachment"}),
    "request_human": frozenset({"request_human", "ask_phone"}),
    "ask_scope": frozenset({"ask_scope", "ask_not_in_guide", "out_of_scope"}),
}
# a cue that names a finer question than DIET's intent of the same family ('用手机软件申领咋操作' is the app)
FINER: dict[str, frozenset[str]] = {
    "ask_app": frozenset({"ask_online_apply"}), "ask_changchun_channels": frozenset({"ask_online_apply"}),
    "request_human": frozenset({"bot_challenge"}),  # '有没有人工服务 机器说不明白'
}
# intents of a question about the benefit (claiming it somewhere): outside Jilin, the guide does not cover it
CLAIMING = WEAK | {"ask_how_to_apply", "find_bureau", "ask_phone", "ask_onsite_apply", "ask_online_apply",
                   "ask_documents"}
RULE = "question_cue"


def _outside_only(name: str) -> bool:
    return offices_kb.lookup(name).status == "outside_jilin"


def _target(cue: str, facts: Facts) -> str:
    """The intent of question kind `cue`: a phone or the nearest bureau with a place named is that place's bureau
    (find_bureau); without one, the phone of the bureau already talked about (ask_phone) or the nearest by the
    citizen's location (share_location)."""
    if cue in (q.PHONE, q.NEAR) and facts.places.named:
        return "find_bureau"
    return "ask_phone" if cue == q.PHONE else CUE_INTENT[cue]


def asked_intent(text: str, intent: str | None) -> str | None:
    """The intent of the question `text` asks, when it should replace the classifier's `intent`; else None."""
    if tone.gibberish(text):
        return "nlu_fallback"  # 'asdfghjkl' is neither pinyin nor English: DIET's guess would be a guess
    facts = read_facts(text, offices_kb.mentions, outside=_outside_only)
    kinds = [k for k in facts.kinds if k in CUE_INTENT]
    if facts.places.insured_outside_jilin:  # the guide does not cover it, whatever is asked about it
        claiming = intent in CLAIMING and (kinds or intent in WEAK or facts.places.insured is not None)
        return "ask_other_province" if claiming else None
    if not kinds:
        if intent in SMALL_TALK and q.asks_about_the_benefit(text) and len(text) > 6:
            return "ask_not_in_guide"  # '失业金用不用交个税' is no 'deny'
        return None
    # a cue DIET confuses reliably settles it wherever it stands ('网上那个系统登不上 还有别的办法没')
    cue = next((k for k in kinds if k in q.STRONG), next((k for k in kinds if k != q.CAN_I), kinds[0]))
    target = _target(cue, facts)
    if target == "find_bureau" and intent == "ask_phone":
        return target  # a phone with a place named: that place's bureau
    if intent in FINER.get(target, ()):
        return target
    if intent == target or intent in SAME_QUESTION.get(target, ()):
        return None
    if target == "check_eligibility" and intent in ("inform_contribution", "inform_leave_reason"):
        return None  # both start the eligibility form
    if cue in q.STRONG:
        return target
    insured = facts.places.insured
    if intent == "ask_other_province" and insured is not None and insured.in_jilin:
        return target  # '我是外地人 在长春交了三年': insured in Jilin, the guide covers it
    if intent == "ask_not_in_guide" and target == "check_eligibility" and facts.states_own_case:
        return target  # a story asking 'can I claim', no word of a topic the guide is silent on
    if intent in KEPT:
        return None
    story = facts.states_own_case or any(p.role != NAMED for p in facts.places.named)
    place_led = intent in SAME_QUESTION["find_bureau"] and bool(facts.places.named)  # DIET keyed on the place
    return target if intent in WEAK or story or place_led else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class QuestionIntent(GraphComponent):
    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> QuestionIntent:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            try:
                target = asked_intent(text, intent)
            except ValueError:  # over the knowledge base's length cap: leave DIET's reading
                continue
            if target:
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != target]
                message.set(INTENT, {"name": target, "confidence": 1.0, "rule": RULE}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": target, "confidence": 1.0}, *ranking], add_to_output=True)
        return messages
