"""Hand-built TaskViews for the ledger tests (the query layer's output shape, without a database)."""

from __future__ import annotations

from datetime import date

from tracker.model import (
    ObligationView,
    Requirement,
    RequirementKind,
    RuleView,
    Status,
    TaskView,
)

AS_OF = date(2024, 7, 1)
TITLE = "2024年济宁市民政局政务公开工作要点"


def rule(index: int, kind: RequirementKind, summary: str, **fields) -> RuleView:
    return RuleView(requirement_id=index * 100, index=index,
                    requirement=Requirement(kind=kind, source=summary, **fields), summary=summary)


def ob(index: int, key: str, due: date | None, status: Status, **fields) -> ObligationView:
    return ObligationView(requirement_id=index * 100, rule_index=index, key=key, due=due,
                          status=status, **fields)


def task(task_id: int, number: str, title: str, status: Status, *, section: str = "一、提高公开质量与发布质效",
         rules=(), obligations=(), lead=("局办公室",), support=(), next_due=None, version=1,
         text: str | None = None, last_note=None, plan_id: int = 1, plan_title: str = TITLE) -> TaskView:
    return TaskView(task_id=task_id, plan_id=plan_id, plan_title=plan_title, number=number,
                    path=(section.split("、")[0], number), section=section, title=title,
                    text=text or f"{title}。具体内容{number}", lead=tuple(lead), support=tuple(support),
                    status=status, next_due=next_due, rules=tuple(rules), obligations=tuple(obligations),
                    last_note=last_note, version=version)


def sample_tasks() -> list[TaskView]:
    """Five tasks covering every sheet: overdue (8, 12), done this month, due soon, waived."""
    sec3 = "三、强化政民互动与公众参与"
    sec4 = "四、强化平台建设和规范管理"
    r8 = (rule(1, RequirementKind.RECURRING, "每年至少2次", count=2, period="year"),
          rule(2, RequirementKind.DEADLINE, "12月31日前", month=12, day=31))
    t8 = task(8, "8", "深化重大决策公众参与", Status.OVERDUE, section=sec3, rules=r8,
              obligations=(ob(1, "2024-Y1", date(2024, 6, 30), Status.OVERDUE),
                           ob(1, "2024-Y2", date(2024, 12, 31), Status.ON_TRACK),
                           ob(2, "deadline", date(2024, 12, 31), Status.ON_TRACK)),
              support=("政策法规科",), next_due=date(2024, 6, 30), version=3,
              last_note="已完成评价方案")
    r12 = (rule(1, RequirementKind.RECURRING, "每季度", count=1, period="quarter"),)
    t12 = task(12, "12", "推进政府网站和政务新媒体管理", Status.OVERDUE, section=sec4, rules=r12,
               obligations=(ob(1, "2024-Q1", date(2024, 3, 31), Status.DONE, done_on=date(2024, 3, 28),
                               evidence="检查报告Q1"),
                            ob(1, "2024-Q2", date(2024, 6, 30), Status.OVERDUE),
                            ob(1, "2024-Q3", date(2024, 9, 30), Status.ON_TRACK),
                            ob(1, "2024-Q4", date(2024, 12, 31), Status.ON_TRACK)),
               next_due=date(2024, 6, 30))
    r6 = (rule(1, RequirementKind.AFTER_EVENT, "发文后3个工作日", event="文件发布", workdays=3),)
    t6 = task(6, "6", "推进政策解读规范化", Status.DUE_SOON, section="二、深化政策公开与解读回应", rules=r6,
              obligations=(ob(1, "event:1", date(2024, 7, 3), Status.DUE_SOON),), next_due=date(2024, 7, 3))
    r13 = (rule(1, RequirementKind.RECURRING, "每年至少1次", count=1, period="year"),)
    t13 = task(13, "13", "强化工作保障", Status.DONE, section="五、强化组织领导和监督保障", rules=r13,
               obligations=(ob(1, "2024-Y1", date(2024, 12, 31), Status.DONE, done_on=date(2024, 7, 1),
                               evidence="=HYPERLINK(\"http://x.gov.cn\",\"会议纪要\")"),))
    t1 = task(1, "1", "=HYPERLINK(\"http://evil\",\"加强重点任务落实信息公开\")", Status.WAIVED, rules=(
        RuleView(requirement_id=100, index=1, requirement=Requirement(kind=RequirementKind.ONGOING, source="持续"),
                 summary="持续", waived_reason="本年度无此类事项"),),
              obligations=(ob(1, "ongoing", None, Status.WAIVED),), lead=())
    return [t1, t6, t8, t12, t13]
