"""Plain records returned by the knowledge base."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# LookupResult.status:
#   found          one bureau: matches[0]
#   ambiguous      several bureaus: several places named, a name shared inside and outside Jilin (message says
#                  so), or a region without a bureau of its own (region set: 延边 and its eight bureaus)
#   did_you_mean   the place was read from a typo that is not clearly one place ("东风" could be 东丰县; 吉安 is
#                  集安 or 江西省吉安市): ask "您说的是 A 还是 B？" with one button per candidate. matches are the
#                  Jilin candidates, best first, each with its bureau and phone; outside the names outside Jilin it
#                  could also be; message is the question. Never answer it with matches[0]'s bureau.
#   not_found      no place
#   outside_jilin  only places outside Jilin (outside)
STATUSES = ("found", "ambiguous", "did_you_mean", "not_found", "outside_jilin")


@dataclass(frozen=True)
class Bureau:
    id: str
    name: str
    region: str
    phone: str
    serves_code: str
    lat: float
    lon: float

    @property
    def short_name(self) -> str:
        return self.name.replace("社会保险局", "")

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "short_name": self.short_name, "region": self.region,
                "phone": self.phone}


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    short: str
    level: str  # province | prefecture | county | zone | town
    parent_code: str
    prefecture_code: str
    lat: float
    lon: float
    bureau_id: str  # "" for a prefecture without a bureau of its own (延边)
    source: str


@dataclass(frozen=True)
class OutsidePlace:
    code: str
    name: str
    level: str
    province: str


@dataclass
class Match:
    """A bureau for a place read in the text. `method` says how the place was read: exact (a name, alias or
    pinyin), sound (a homophone typo: 敦华 -> 敦化市) or edit (one character off); `score` is the confidence."""

    bureau: str
    bureau_id: str
    phone: str
    region: str
    place: str
    matched_text: str
    level: str
    score: float
    start: int = -1
    end: int = -1
    method: str = "exact"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class LookupResult:
    """What `offices_kb.lookup` found; see STATUSES for what each status means and which fields it fills."""

    status: str
    query: str
    matches: list[Match] = field(default_factory=list)
    region: str | None = None
    outside: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    def to_dict(self) -> dict:
        return {"status": self.status, "query": self.query, "matches": [m.to_dict() for m in self.matches],
                "region": self.region, "outside": self.outside, "message": self.message}


@dataclass(frozen=True)
class Mention:
    """A place name in the text. `certain` is False for a typo reading that lookup would ask about
    (status did_you_mean); `place` is then its best candidate."""

    start: int
    end: int
    text: str
    place: str
    level: str
    in_jilin: bool
    certain: bool = True


@dataclass(frozen=True)
class Nearby:
    bureau: str
    bureau_id: str
    phone: str
    region: str
    distance_km: float

    def to_dict(self) -> dict:
        return asdict(self)
