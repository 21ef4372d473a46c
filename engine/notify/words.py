"""A diagram's words (category names, status sentences, notes) in the citizen's language, from the web's catalogs.

Channels without a page (SMS, USSD) write in the engine, so they read the same compiled catalogs the pages use.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=16)
def _catalog(localedir: str, language: str) -> gettext.NullTranslations:
    return gettext.translation("messages", localedir=localedir, languages=[language], fallback=True)


def translated(catalogs: Path, language: str, text: str) -> str:
    """`text` as the catalog of `language` has it; as written where it has no translation (and in English)."""
    if language == "en" or not text:
        return text
    return _catalog(str(catalogs), language).gettext(text)
