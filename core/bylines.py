"""How Chinese news prints its people and its dateline: the one set of rules that the generic
extractor, the cleaning and the tagger all read bylines with.

``泉州网-泉州晚报讯（记者 郑意凡 通讯员 黄南石）``, ``新华社北京1月5日电``, ``责任编辑：唐秀敏``:
a role word, then names of two to four characters. Patterns match simplified text
(``core.chinese.to_simplified``); callers convert traditional text first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REPORTER_ROLES = ("特约记者", "见习记者", "实习记者", "首席记者", "记者", "实习生")
"""Who wrote the story (interns write beside the reporters they are with)."""
NON_REPORTER_ROLES = ("通讯员", "摄影")
"""Named in bylines, but not reporters: correspondents (通讯员) are often press officers of the
bodies reported on."""
AUTHOR_LABELS = ("作者", "撰文", "撰稿")
"""Labels of an author field, whose names are the reporters."""
EDITOR_ROLES = ("责任编辑", "责编", "编辑")

NAME = r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,3}"
"""A person's name as bylines print it: two to four characters (a middle dot in foreign names)."""
PERSON_NAME = re.compile(rf"^{NAME}$")
NAME_SEPARATOR = re.compile(r"[\s、，,/;；]+")
"""Between the names of one byline: spaces, 、, commas, slashes (and 和, see :func:`split_names`)."""
NOT_NAMES = frozenset(
    {"本报", "本网", "本台", "通讯员", "记者", "实习生", "摄影", "报道", "报道组", "综合", "编辑", "整理",
     "来源", "发布", "时间"}
)  # fmt: skip
"""Words that stand where a name would in a byline and are not one."""
NAMES_END = r"(?=$|[\s）)】\]，,。;；|/、]|报道|摄)"
"""Where a byline's list of names stops: punctuation, the end, 报道 (reported) or 摄 (photo)."""

DATELINE = re.compile(
    r"^(?P<prefix>[^，,。（(\n]{0,40}?)(?:讯|电|报道(?=\s*[（(]))(?=$|\s|[（(]|记者|[^\u4e00-\u9fff])"
    r"\s*(?:[（(](?P<byline>[^（）()\n]{1,60})[）)])?",
    re.MULTILINE,
)
"""A news dateline at the start of a text, with the byline in brackets after it, if any:
``泉州网-泉州晚报讯（记者 郑意凡）``, ``闽南网2月17日讯``, ``新华社北京1月5日电``,
``国际在线辽宁报道（记者 孙博）：`` (报道 only with its byline)."""


def is_person_name(token: str) -> bool:
    """Two to four characters that are no byline word (``济宁报道``, reported from 济宁, is none)."""
    return bool(PERSON_NAME.match(token)) and token not in NOT_NAMES and not token.endswith("报道")


def split_names(text: str) -> list[str]:
    """Person names in a list such as ``杨忠厚 明绍庚``, ``李静、董健雄`` or ``张三和李四``
    (和 separates only where the whole is no name: 王和平 is one)."""
    names: list[str] = []
    for token in NAME_SEPARATOR.split(text):
        parts = [token] if is_person_name(token) or "和" not in token else token.split("和")
        names.extend(part for part in parts if is_person_name(part))
    return names


def names_after(glued: Iterable[str] = (), separated: Iterable[str] = ()) -> re.Pattern[str]:
    """The names printed after a role or label (``记者 张三 李四``, ``（记者吴清河）``, ``编辑：唐秀敏``),
    in group ``names``.

    Labels are regular expressions (the words above need no escaping). After a *glued* one (the
    role words: 记者张三) a name may follow at once; after a *separated* one (作者, 编辑) only past a
    colon or a space, since the same words begin ordinary prose (作者本人, 编辑部). A word that
    begins with a role word is not a name.
    """

    def alternatives(labels: Iterable[str]) -> str:
        return "|".join(sorted(labels, key=len, reverse=True)) or "(?!)"

    roles = "|".join((*REPORTER_ROLES, *NON_REPORTER_ROLES, *EDITOR_ROLES))
    name = rf"(?!{roles}){NAME}"
    separator = r"(?:[\s、，,/;；]+|\s*和\s*)"
    label = (
        rf"(?:(?:{alternatives(glued)})\s*[:：/｜|]?\s*|(?:{alternatives(separated)})\s*(?:[:：/｜|]\s*|\s+))"
    )
    return re.compile(rf"{label}(?P<names>{name}(?:{separator}{name})*){NAMES_END}")
