"""Random text never crashes the parser, and whatever it returns survives the JSON round trip."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.parse import parse
from tracker.parse.contract import from_json, to_json

_PIECES = st.sampled_from([
    "一、", "二、", "十二、", "第一部分", "(一)", "(二)", "(一)", "1.", "2.", "12.", "1、", "3、", "(1)",
    "①", "一是", "二是", "。", ";", ",", ":", "\n", " ", "|", " | ", "(", ")", "(", ")",
    "责任单位:", "牵头单位:", "配合单位:", "局办公室", "各科室", "牵头", "负责落实", "配合",
    "每年至少开展2次", "每季度", "年底前", "3个工作日内", "文件发布后", "持续", "定期", "2024年",
    "工作要点", "年度报告", "存在的主要问题及改进情况", "下一步", "改进措施", "主动公开信息", "12345",
    "2024.1", "条", "件", "发布机构", "成文日期", "2024-07-26", "做好", "加强", "不够",
    "\uff0c", "\uff1a", "\uff1b", "\uff08", "\uff09", "\uff01", "\uff05", "序号 | 工作任务 | 责任单位",
    "各县(市、区)政府", "为此,我们将采取以下措施", "关于印发", "的通知",
    "999.", "1000.", "1001、", "2023、", "9" * 4400, "\x00", "\u202e",  # issue 7: long numbers, controls
])
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_random_text_never_crashes(text):
    draft = parse(text)
    assert from_json(to_json(draft)) == draft
    for task in draft.tasks:
        assert task.number
        assert task.path[-1] == task.number
