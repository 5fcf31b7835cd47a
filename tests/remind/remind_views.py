"""Hand-built task views for the pure tests of tracker.remind (no database involved)."""

from __future__ import annotations

from datetime import date

from tracker.model import (
    ObligationView,
    Owners,
    Requirement,
    RequirementKind,
    RuleView,
    Status,
    TaskView,
)

PLAN = "2024年济宁市民政局政务公开工作要点"


def rule(rid: int, index: int = 1, **fields) -> RuleView:
    req = Requirement(**{"kind": RequirementKind.RECURRING, "source": "", **fields})
    return RuleView(requirement_id=rid, index=index, requirement=req, summary="")


def ob(rid: int, key: str, due: date | None, status: Status, *, index: int = 1,
       owner: str | None = None, provisional: bool = False) -> ObligationView:
    return ObligationView(requirement_id=rid, rule_index=index, key=key, due=due, status=status,
                          owner=owner, provisional=provisional)


def task(task_id: int, number: str, title: str, *, owners: Owners | None = None,
         rules: tuple[RuleView, ...] = (), obligations: tuple[ObligationView, ...] = (),
         plan_id: int = 1, plan: str = PLAN) -> TaskView:
    owners = owners or Owners()
    status = min((o.status for o in obligations), key=lambda s: s.urgency, default=Status.ON_TRACK)
    return TaskView(task_id=task_id, plan_id=plan_id, plan_title=plan, number=number,
                    path=("三", number), section="", title=title, text=title, lead=owners.lead,
                    support=owners.support, status=status, next_due=None, rules=rules,
                    obligations=obligations)


def jining_like() -> list[TaskView]:
    """Tasks 8 and 12 of the Jining plan as of 2024-07-01, plus a quiet one, a due-soon one,
    a per-owner one and one without an owner."""
    office = Owners(lead=("局办公室",), support=("政策法规科",))
    return [
        task(8, "8", "深化重大决策公众参与", owners=office,
             rules=(rule(80, count=2, period="year"), rule(81, 2, kind=RequirementKind.DEADLINE,
                                                          month=12, day=31)),
             obligations=(ob(80, "2024-Y1", date(2024, 6, 30), Status.OVERDUE),
                          ob(80, "2024-Y2", date(2024, 12, 31), Status.ON_TRACK),
                          ob(81, "deadline", date(2024, 12, 31), Status.ON_TRACK, index=2))),
        task(9, "9", "增强政民互动交流实效", owners=office,
             rules=(rule(90, kind=RequirementKind.ONGOING),),
             obligations=(ob(90, "ongoing", None, Status.NO_UPDATE),)),
        task(12, "12", "推进政府网站和政务新媒体管理", owners=Owners(lead=("局办公室",)),
             rules=(rule(120, period="quarter"),),
             obligations=(ob(120, "2024-Q1", date(2024, 3, 31), Status.OVERDUE),
                          ob(120, "2024-Q2", date(2024, 6, 30), Status.OVERDUE),
                          ob(120, "2024-Q3", date(2024, 9, 30), Status.ON_TRACK))),
        task(13, "13", "强化工作保障", owners=Owners(lead=("局办公室", "养老服务科")),
             rules=(rule(130, kind=RequirementKind.DEADLINE, month=7, day=3),),
             obligations=(ob(130, "deadline", date(2024, 7, 3), Status.DUE_SOON),)),
        task(14, "14", "推进政务公开标准化建设",
             rules=(rule(140, kind=RequirementKind.DEADLINE, month=7, day=1),),
             obligations=(ob(140, "deadline", date(2024, 7, 1), Status.DUE_SOON),)),
        task(15, "15", "强化工作创新", owners=Owners(lead=("局办公室",), support=("养老服务科", "社会事务科")),
             rules=(rule(150, kind=RequirementKind.DEADLINE, month=6, day=20, per_owner=True),),
             obligations=(ob(150, "deadline#局办公室", date(2024, 6, 20), Status.DONE, owner="局办公室"),
                          ob(150, "deadline#养老服务科", date(2024, 6, 20), Status.OVERDUE, owner="养老服务科"),
                          ob(150, "deadline#社会事务科", date(2024, 6, 20), Status.DONE_LATE,
                             owner="社会事务科"))),
    ]
