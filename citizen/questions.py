"""What the citizen asks. A story-style message carries facts and, usually at its end, one or two questions
("…厂子黄了 现在住长春 电话多少"); the questions are found by their cue words, in the order asked, so that the reply
answers them first whatever the facts around them suggest to the classifier."""

from __future__ import annotations

import re
from dataclasses import dataclass

from offices_kb.normalize import fold

# question kinds, each answered by one part of the reply
PHONE = "phone"
WHERE = "where"
DOCUMENTS = "documents"
DOC_ID_ONLY = "doc_id_only"  # 只带身份证够吗
DOC_CARD_INACTIVE = "doc_card_inactive"  # 社保卡还没激活能办吗
DOC_CARD_ONLY = "doc_card_only"  # 带社保卡就行吧
DOC_NO_CARD = "doc_no_card"  # 社保卡丢了 / 没有社保卡
DOC_ID_LOST = "doc_id_lost"  # 身份证丢了
DOC_ID_AND_BANK = "doc_id_and_bank"  # 带身份证和银行卡行不行
DOC_OTHER = "doc_other"  # 带护照行吗: a document the guide does not name
ONLINE = "online"
APP = "app"
CHANGCHUN = "changchun"
HOW = "how"
CAN_I = "can_i"
CONDITIONS = "conditions"  # 交多久才能领: condition (一), not how long the benefit lasts
AMOUNT = "amount"
BENEFIT_DURATION = "benefit_duration"
PROCESSING = "processing"
HUMAN = "human"
PHONE_UNANSWERED = "phone_unanswered"
OTHER_BENEFIT = "other_benefit"  # 失业补助金 and the like: not what the guide covers
NEXT = "next"
OUTSIDE = "outside"  # 外地交的社保: insured outside Jilin, place unnamed
OTHER_WAY = "other_way"  # 系统登不上 还有别的办法没: the guide's other channels
NEAR = "near"  # 附近的社保局: the nearest bureau, by the citizen's location unless a place is named
ONSITE = "onsite"  # 跑一趟社保局能办下来不: applying in person, when nothing more specific is asked
RETIREMENT = "retirement"  # 快退休了 / 退休了还能领吗: 一、申领范围 does not say
SILENT_TOPIC = "silent_topic"  # a topic the guide is silent on (档案, 个税, 一次性领, 断缴算不算…)
_CAN_I_WEAK = "can_i_weak"
_ONSITE_WEAK = "onsite_weak"
_LOST = "lost"

# documents the guide does not name ('带护照行吗')
_OTHER_DOCUMENTS = ("护照|户口本|户口簿|户口|驾照|驾驶证|结婚证|军官证|居住证|工作证|暂住证|残疾证|退伍证|港澳通行证"
                    "|临时身份证|工资流水|银行流水|流水|劳动合同|一寸照|照片|复印件")

# each kind's cue words, as regular-expression alternatives over folded text; earlier kinds are more specific
_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (PHONE_UNANSWERED, ("没人接", "打不通", "打不进", "占线", "没人听", "一直忙音", "总是忙", "老是忙", "没人理",
                        "没人应", "不接电话", r"电话.{0,6}(?:不通|没人|占线|忙音|老忙|一直忙)")),
    # insured outside Jilin without naming the place: the guide does not cover it
    (OUTSIDE, (r"(?:外地|外省|省外|别的省|其他省|外市)[^，,。？?]{0,3}(?:交|缴|上班|打工|参保|上的)",)),
    (OTHER_BENEFIT, ("失业补助金?", "补助金", "失业救济", "救济金", "临时救助", "生活补助", "补贴", "稳岗", "返还",
                     "补偿金", "经济补偿", "赔偿金", "丧葬", "抚恤", "低保", "医疗补助")),
    (DOC_ID_LOST, (r"身份证(?:丢了|丢失|找不到了?|过期了?|没带|补办|没了)", "没有身份证", "没身份证")),
    (DOC_ID_AND_BANK, (r"身份证(?:和|加|跟|再带|带)(?:上)?(?:银行卡|存折)(?:去)?"
                       r"(?:行不行|行吗|可以吗|够吗|够不够|就行|能办)",)),
    (DOC_OTHER, (rf"(?:带|拿|用)(?:个|着|上)?(?:{_OTHER_DOCUMENTS})",
                 rf"(?:{_OTHER_DOCUMENTS})[^，,。？?]{{0,3}}(?:要|需要|得|用)[^，,。？?]{{0,3}}(?:吗|不|么)")),
    (DOC_ID_ONLY, (r"(?:只|就|光|单|仅)(?:带|拿|有|用)?(?:个|着|上)?身份证(?!号)",
                   r"身份证(?:就|一个|自己)?(?:够|行|可以|成)(?:吗|不|了吧|吧|不够|不行)")),
    (DOC_CARD_INACTIVE, (r"(?:社保卡|社会保障卡|卡)[^，,。？?]{0,4}(?:没|未|没有|还没|不)激活", "没激活", "未激活",
                         "激活不了")),
    (DOC_NO_CARD, (r"(?:社保卡|社会保障卡)(?:丢了|丢失|找不到|补办|没有了|没办)", r"没有?(?:办)?(?:过)?社保卡",
                   "没有银行卡", "没银行卡")),
    (DOC_CARD_ONLY, (r"(?:只|就|光)?(?:带|拿|有)(?:个|着|上)?(?:社保卡|社会保障卡)(?:就|一个)?(?:行|够|可以|成)",
                     r"(?:社保卡|社会保障卡)(?:就)?(?:行|够|可以)(?:吧|吗|不)",
                     r"带(?:个|着|上)?(?:社保卡|社会保障卡)[^，,。？?]{1,6}就(?:行|够|可以|成)",
                     r"(?:社保卡|社会保障卡)(?:已经)?激活了[^，,。？?]{0,4}(?:还)?(?:用|要|得|需要)带身份证")),
    (DOCUMENTS, (r"dai ?(?:sha|shen ?me)\b", r"cai ?liao",
                 "带(?:啥|什么|哪些|些啥|点啥|些什么)", "(?:啥|什么|哪些)(?:材料|证件|手续|资料|东西|证明)",
                 # '材料交上去半个月了还没动静' asks how long it takes, not what to bring
                 "(?:材料|资料)(?!(?:都|已经|也|早)?(?:交|提交|报|递|传|上传|送)(?:上去|了|完|过|到))",
                 "证件", "要带", "需要带", "得带", "带上", "带着", "拿(?:啥|什么)")),
    (RETIREMENT, ("退休",)),
    (SILENT_TOPIC, ("档案", "个税", "个人所得税", "交税", "一次性(?:领|全|拿|取)", "公积金", "转移", "转出", "转入",
                    "转到", "排队", "几号发", "哪天发", "啥时候发", "什么时候发", "(?<!证)过期", "作废", "多长时间内",
                    "多久内", "期限内",
                    r"断(?:交|缴)了?.{0,8}(?:算|累计|连续)", "累计还是连续", "连续还是累计", "再失业", "第二次领",
                    "又失业", "重复领", "代办", "代领", "委托", "失业登记", "失业证", "替我", "代我", "帮我(?:去)?办",
                    "(?:儿子|女儿|老伴|家里人|家属|亲戚|朋友|孩子)(?:能|可以)?(?:替|帮|代)",
                    r"(?:单位|公司|厂子?|老板)[^，,。？?]{0,4}(?:没给|不给)(?:我)?(?:交|缴|上)", r"断(?:交|缴)",
                    "补上", "补缴", "补交", "补领", "补发", "一次性(?:给|发|付)", "按月发",
                    r"欠(?:了)?(?:我)?[^，,。？?]{0,6}(?:社保|保险)", "拖欠")),
    # the system will not let one in, or another way is asked for: the guide's other channels
    (OTHER_WAY, (r"(?:登|登录|登陆|进|上)(?:不上|不进去|不去)", "打不开", "崩了", "用不了",
                 "(?:别的|其他|其它)(?:办法|途径|渠道|方式|法子|招)")),
    (APP, ("(?<![a-z])app(?![a-z])", "掌上社保", "客户端", "下载", "扫码", "二维码", "手机软件", "软件")),
    (CHANGCHUN, ("公众号", "小程序", "ccshbx", "公共服务平台")),
    # a button of the online system that does nothing is a question about that step, not about processing time
    (ONLINE, (r"(?:点|按|提交)[^，,。？?]{0,12}(?:没反应|没动静|不动|卡住|转圈)",
              "网上", r"wang ?shang",
              "线上", "网站", "网址", "在家(?:里)?(?:就)?(?:能|可以)", "不用(?:去|跑)", "不去现场",
              "手机(?:上)?(?:能|可以|咋|怎么|就)", "电脑上", "网络", "(?<![a-z])online")),
    (HUMAN, ("(?<!是)人工(?!智能)", "转人工", "客服", "投诉", "找个人", "找领导")),
    (BENEFIT_DURATION, ("(?:能|可以)?(?:领|发|给)(?:多久|多长时间|几个月|多少个月|几年|多少年)",
                        "(?:领|发)到(?:啥|什么)时候", "最长(?:能)?(?:领|发|给)")),
    (AMOUNT, ("多少钱", r"duo ?shao ?qian",
              "领多少", "多少一个月", "一个月多少", "钱数", "发多少", "给多少", "能拿多少", "领几百",
              "领几千", "标准", "数额", "金额", "几个钱", "多钱")),
    (CAN_I, ("符合(?:申领|领取|领)?条件(?:吗|不|么)?", "够(?:申领|领取)条件",
             "能(?:不能)?(?:回|去|到|在)[^，,。？?]{1,8}?领(?:吗|不|么|取)?", r"neng ?(?:bu ?neng ?)?ling\b",
             "能(?:不能)?(?:先|也|还|就)?(?:领|拿)(?:吗|不|么|嘛|到|了吗|不了|得了|上)?",
             "能不能(?:先|也|还)?(?:领|拿)", "可以(?:先|也|还)?(?:领|拿)", "有(?:没有)?资格",
             "符合(?:条件)?(?:吗|不|么)",
             "够(?:不够)?(?:条件|格)", "领得了", "领不了", "给不给(?:领|发)")),
    # '交了好几年' and '交了十几年' tell a fact; '交几年' asks
    (CONDITIONS, (r"(?:交|缴|参保|上保险|上社保|交社保)[^，,。？?]{0,6}"
                  r"(?:多久|多长时间|(?<![好十来])几年|多少年|多少个月|(?<![好十来])几个月)",
                  r"(?:多久|多长时间|几年|几个月)[^，,。？?]{0,4}(?:参保|交社保|交保险|缴费)",
                  "(?<![够合])(?:申领|领取?)?条件",
                  "啥条件", "什么条件", r"tiao ?jian",
                  "(?:啥|什么)(?:样的)?人(?:能|可以)领", "谁能领", "够(?:啥|什么)条件")),
    (PROCESSING, ("多久(?:能)?(?:到账|审核|批|出结果|下来|办完|有结果|有信)", "没动静", "没反应", "没下文", "没回音",
                  "(?:啥|什么)时候(?:能)?(?:审核|批|到账|下来|出结果|审完|审批)",
                  r"(?:审核|审批|批|办|到账|申请)[^，,。？?]{0,4}慢",
                  r"(?:审核|审批|申请|报上去|上报)[^，,。？?]{0,8}等了",
                  "没音信", "石沉大海",
                  "(?:到账|审核|审批|批下来)(?:要|得)?(?:多久|多长时间|几天)", "几天(?:能)?(?:到账|下来|批)",
                  "还没(?:信儿?|消息|结果|下来|到账|批)", "没(?:信儿|消息)")),
    (NEXT, ("下一步", "然后呢", "接下来", "之后呢", "然后咋", "然后怎么")),
    (PHONE, ("电话", "号码", "(?:在|去|上|到)?哪(?:儿|里)?(?:问|咨询|打听)", "问谁", "找谁问", "咨询谁",
             r"dian ?hua", r"hao ?ma\b", "(?:那个|刚才|刚说的|刚才说的|你说的)号",
             "联系方式", "热线", "怎么联系", "咋联系", "打哪个", "打给谁")),
    (NEAR, (r"(?:附近|周边|周围|就近|离(?:我|这|咱)(?:儿|家|这儿)?(?:最)?近|最近的)[^，,。？?]{0,5}"
            r"(?:社保局|社会保险局|社保|经办|窗口|办事)",)),
    (WHERE, (r"(?:qu|zai|shang) ?na ?(?:li|er)?\b", r"\bna ?(?:li|er) ?(?:ban|ling)",
             "去哪", r"(?:去|找|到)[^，,。？?\s]{1,8}还是(?:去|找|到)?[^，,。？?\s]{1,8}",
             "上哪", "(?<![打发转存])到哪(?![张个]卡|个账户|个银行)",
             "在哪(?:儿|里)?(?:办|领|申请|申领|弄|整|交)",
             "哪(?:儿|里)(?:办|领|申请)", "哪办", "哪领", "哪个(?:社保局|局|部门|单位|地方|窗口)", "去哪个", "找哪",
             "找谁", "归哪", "哪管", "搁哪", "啥地方", "什么地方", "哪个区", "哪个县",
             "(?:有没有|是不是有|有)(?:单独的?|自己的|专门的)?(?:社保局|社会保险局)")),
    # 'can it be done': a question of eligibility only when nothing more specific was asked ('网上能办吗' is not)
    (_CAN_I_WEAK, ("能(?:不能)?(?:先|也|还|就)?(?:申请|申领|办|报)(?:吗|不|么|嘛|了吗)?",
                   "能不能(?:先|也|还)?(?:申请|办)",
                   "可以(?:先|也|还)?(?:申请|申领|办)", "行不行", "可以吗", "算不算", "成不成")),
    # in person, when nothing more specific is asked ('现场办要带啥' asks for the documents)
    (_ONSITE_WEAK, ("现场", "跑一趟", "窗口", "当面", "亲自去", "(?:去|到)(?:社保局|社会保险局|局里)")),
    (HOW, (r"(?:zen|ru) ?(?:me|he) ?(?:ling|ban|shen ?qing|shen ?ling|nong|zheng)",
           "怎么(?:领|办|申请|申领|弄|整|操作|个领法|个办法)", "咋(?:领|办理|申请|弄|整|申领)",
           "如何(?:领|办|申请|申领)",
           "流程", "步骤", "手续", "(?:从哪|咋|怎么)(?:下手|开始|入手)",
           "该咋", "该怎么", "咋个领", "怎么才能领", "(?:^|[，, ])咋办",
           "(?:咋|怎么)(?:办|弄|整)下来")),
    # '失业了 心里难受 不知道咋办': lost, and asking how to go on, when nothing more specific is asked
    (_LOST, (r"(?:不知道|不晓得)(?:该|应该|要)?(?:咋办|咋整|怎么办|怎么整)(?=[\s，,。.！!？?啊呀吧呢了哇]*$)",)),
)
_COMPILED = tuple((kind, re.compile("|".join(alternatives))) for kind, alternatives in _CUES)
# cues that settle the question whatever the classifier thought (DIET confuses these reliably)
STRONG = frozenset({PHONE_UNANSWERED, OTHER_BENEFIT, DOC_ID_ONLY, DOC_OTHER, DOC_CARD_INACTIVE, DOC_CARD_ONLY,
                    DOC_NO_CARD, DOC_ID_LOST, DOC_ID_AND_BANK, CONDITIONS, SILENT_TOPIC, AMOUNT, BENEFIT_DURATION,
                    PROCESSING, NEAR, OUTSIDE, OTHER_WAY})
DOCUMENT_KINDS = frozenset({DOCUMENTS, DOC_OTHER, DOC_ID_ONLY, DOC_CARD_INACTIVE, DOC_CARD_ONLY, DOC_NO_CARD,
                            DOC_ID_LOST, DOC_ID_AND_BANK})
# '我也不知道咋整 能领不' says one is lost; the question follows it (at the end, _LOST: the question itself)
_HELPLESS = re.compile(r"(?:不知道|不晓得|不懂|不会|整不明白|闹不明白)(?:该|应该|要)?$")
# a cue found inside a longer cue of another kind does not count ('电话打不通' is not a phone question)
_NOT_A_PHONE_QUESTION = re.compile(r"(?:我的?|本人)(?:手机|电话)(?:号)?(?:是|:|：)?|\[手机号\]")


@dataclass(frozen=True)
class Question:
    """One question asked: its kind and where its cue starts."""

    kind: str
    start: int


def questions(text: str) -> list[Question]:
    """The questions in `text` in the order asked, each kind once. Cues covered by a cue found earlier in the
    table (more specific) are skipped, so '社保卡没激活能办吗' is DOC_CARD_INACTIVE, not also CAN_I."""
    folded = fold(text or "")
    taken: list[tuple[int, int]] = []
    found: dict[str, int] = {}
    for kind, pattern in _COMPILED:
        for m in pattern.finditer(folded):
            start, end = m.span()
            if any(a < end and start < b for a, b in taken):
                continue
            if kind == PHONE and _NOT_A_PHONE_QUESTION.search(folded[max(0, start - 6):end]):
                continue
            if kind == HOW and _HELPLESS.search(folded[max(0, start - 6):start]):
                continue
            taken.append((start, end))
            found.setdefault(kind, start)
    weak, onsite, lost = found.pop(_CAN_I_WEAK, None), found.pop(_ONSITE_WEAK, None), found.pop(_LOST, None)
    if lost is not None and not found:
        found[HOW] = lost
    elif onsite is not None and not found:
        found[ONSITE] = onsite
    elif weak is not None and not found:
        found[CAN_I] = weak
    return [Question(kind, start) for kind, start in sorted(found.items(), key=lambda item: item[1])]


_ABOUT_THE_BENEFIT = re.compile(r"失业金|失业保险|失业险|社保|保险金")
_A_QUESTION = re.compile(r"[吗么嘛呢？?]|不$|啥|什么|怎么|咋|哪|多少|几|能不能|是不是|有没有|可不可以|行不行")


def asks_about_the_benefit(text: str) -> bool:
    """A question that names the benefit ('失业金用不用交个税'): about what the guide covers or is silent on, never
    small talk, even where no cue word says which."""
    folded = fold(text or "")
    return bool(_ABOUT_THE_BENEFIT.search(folded) and _A_QUESTION.search(folded))


_OTHER_DOCUMENT = re.compile(_OTHER_DOCUMENTS)


def other_document(text: str) -> str:
    """The document the guide does not name that `text` asks about ('带护照行吗' -> 护照), else '这个证件'."""
    found = _OTHER_DOCUMENT.search(fold(text or ""))
    return found.group(0) if found else "这个证件"


def kinds(text: str) -> list[str]:
    """The kinds of `questions(text)`, in order."""
    return [q.kind for q in questions(text)]
