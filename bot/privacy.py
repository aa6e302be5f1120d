"""The web app's name for the one masking of personal numbers (privacy.mask): logs, the console's views and the
feedback store show `[身份证号]`, `[手机号]`, `[银行卡号]` where a citizen typed one."""

from __future__ import annotations

from privacy import mask as mask_pii

__all__ = ["mask_pii"]
