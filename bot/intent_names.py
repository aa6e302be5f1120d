"""The one table of the intents' Chinese names (and the 好差评 levels'), as staff read them on the dashboard and in
its CSV.

Every intent of domain.yml has a name here (tests/web/test_web_stats.py checks it); an intent that appears in the
tracker store without one (an old model's) is shown by its identifier rather than hidden.
"""

from __future__ import annotations

INTENT_NAMES: dict[str, str] = {
    "greet": "问候",
    "goodbye": "告别",
    "thank": "致谢",
    "affirm": "肯定回答",
    "deny": "否定回答",
    "request_deletion": "要求删除聊天记录",
    "confirm_deletion": "确认删除聊天记录",
    "bot_challenge": "问是不是机器人",
    "request_human": "要求转人工",
    "out_of_scope": "与失业金无关",
    "ask_how_to_apply": "怎么申领",
    "ask_scope": "谁能领（申领范围）",
    "ask_eligibility": "申领条件",
    "check_eligibility": "我能不能领",
    "restart_check": "重新判断",
    "inform_contribution": "告知缴费时长",
    "inform_leave_reason": "告知离职原因",
    "ask_online_apply": "网上怎么申领",
    "ask_online_register": "网上经办系统登录",
    "ask_online_fill": "网上填写信息",
    "ask_online_attachment": "上传附件",
    "ask_online_submit": "网上上报",
    "ask_app": "吉林掌上社保APP",
    "ask_changchun_channels": "长春的办理渠道",
    "ask_onsite_apply": "现场申领",
    "ask_documents": "要带什么材料",
    "find_bureau": "找社保局",
    "inform_location": "告知地点",
    "ask_phone": "问电话",
    "share_location": "附近的社保局",
    "ask_benefit_amount": "能领多少钱",
    "ask_benefit_duration": "能领多长时间",
    "ask_processing_time": "审核要多久",
    "ask_other_insurance": "其他险种",
    "ask_other_province": "外省参保",
    "ask_not_in_guide": "指南未涉及的事项",
    "ask_next_step": "下一步",
    "dont_know": "不知道、记不清",
    "nlu_fallback": "未能识别",
}


def intent_label(intent: str) -> str:
    """The Chinese name of an intent, or the identifier itself when the table has none."""
    return INTENT_NAMES.get(intent, intent or "（无）")


RATING_NAMES: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}  # 好差评
