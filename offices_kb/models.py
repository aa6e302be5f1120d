"""Plain records returned by the knowledge base."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

STATUSES = ("found", "ambiguous", "not_found", "outside_jilin")


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

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class LookupResult:
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
    start: int
    end: int
    text: str
    place: str
    level: str
    in_jilin: bool


@dataclass(frozen=True)
class Nearby:
    bureau: str
    bureau_id: str
    phone: str
    region: str
    distance_km: float

    def to_dict(self) -> dict:
        return asdict(self)
