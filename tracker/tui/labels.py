"""The TUI's words in Chinese and English, in one table (tracker.i18n holds the shared ones).

`t(key, lang, **values)` falls back to `tracker.i18n.label` for keys it does not hold, so a
screen never shows a raw key.
"""

from __future__ import annotations

from tracker.errors import ConflictError
from tracker.i18n import label

TUI_LABELS: dict[str, tuple[str, str]] = {
    "app_title": ("政务公开工作要点 跟踪", "Disclosure plan tracker"),
    "all_plans": ("全部计划", "all plans"),
    "no_plan": ("还没有计划 — 按 i 导入计划文件", "no plan yet — press i to import a plan file"),
    "loading": ("加载中…", "loading…"),
    "shown": ("显示 {shown}/{total} 项", "showing {shown} of {total}"),
    "more": ("向下翻页加载更多", "scroll down for more"),
    "sorted_by": ("排序: {mode}", "sorted by {mode}"),
    "sort_section": ("板块", "section"),
    "sort_due": ("到期日", "due date"),
    "sort_owner": ("责任单位", "owner"),
    "sort_status": ("状态", "status"),
    "filter_placeholder": ("筛选: 输入任务、单位或原文中的字词", "filter: words of a task, unit or text"),
    "any_status": ("全部状态", "any status"),
    "any_owner": ("全部单位", "any unit"),
    "any_section": ("全部板块", "any section"),
    "no_match": ("没有符合筛选条件的任务", "no task matches the filter"),
    # keys (footer, palette, help)
    "k_done": ("完成", "Done"),
    "k_reopen": ("撤回完成 (任务页)", "Reopen a completion (task screen)"),
    "k_event": ("事件", "Event"),
    "k_note": ("进展", "Note"),
    "k_assign": ("责任单位", "Assign"),
    "k_rule": ("改规则", "Fix rule"),
    "k_waive": ("不适用", "Waive"),
    "k_undo": ("撤销", "Undo"),
    "k_export": ("导出台账", "Export"),
    "k_plan": ("切换计划", "Plan"),
    "k_import": ("导入", "Import"),
    "k_as_of": ("截至日期", "As of"),
    "k_help": ("帮助", "Help"),
    "k_filter": ("筛选", "Filter"),
    "k_sort": ("排序", "Sort"),
    "k_open": ("打开", "Open"),
    "k_back": ("返回", "Back"),
    "k_quit": ("退出", "Quit"),
    "k_all": ("全部", "All"),
    "count_1": ("逾期", "overdue"),
    "count_2": ("临期", "due soon"),
    "count_3": ("进行中", "on track"),
    "count_4": ("已完成", "done"),
    "count_5": ("未报进展", "no update"),
    # dialogs
    "ok": ("确定", "OK"),
    "cancel": ("取消", "Cancel"),
    "date": ("日期", "Date"),
    "bad_date": ("不是有效日期", "not a valid date"),
    "after_today": ("晚于今天 ({today}), 尚未发生, 不能记录", "is after today ({today})"),
    "rule_k": ("规则", "Rule"),
    "credit_unit": ("计入单位", "Unit"),
    "evidence_hint": ("佐证 (文字或链接, 可不填)", "evidence (text or link, optional)"),
    "ref": ("文号", "Reference"),
    "event": ("事件", "Event"),
    "ref_hint": ("文号, 如 济民发〔2024〕12号", "reference, e.g. 济民发〔2024〕12号"),
    "note_hint": ("进展情况", "what was done"),
    "lead_hint": ("牵头单位 (多个用、分隔)", "lead units (separate with 、 or ,)"),
    "support_hint": ("配合单位 (可不填)", "supporting units (optional)"),
    "known_units": ("已有单位: {names}", "known units: {names}"),
    "new_units": ("将新建单位: {names}", "new units to create: {names}"),
    "reason_hint": ("不适用的理由", "why it does not apply"),
    "path_hint": ("文件路径", "file path"),
    "need_lead": ("至少需要一个牵头单位", "at least one lead unit is needed"),
    "need_text": ("请填写内容", "please write something"),
    "need_reason": ("请填写理由", "a reason is needed"),
    "no_such_file": ("没有这个文件", "no such file"),
    "not_xlsx": ("台账文件须以 .xlsx 结尾", "the ledger file must end in .xlsx"),
    "bad_plan_file": ("只能导入 .txt .docx .html .htm .xlsx 文件", "only .txt .docx .html .htm .xlsx files"),
    "no_open": ("这个任务没有待完成的事项", "this task has nothing left to mark done"),
    "no_event_rule": ("这个任务没有\u201c事件后N日内\u201d规则; 可先用 r 添加", "this task has no after-event rule; add one with r"),
    "no_rule": ("这个任务没有规则; 可先用 r 添加", "this task has no rule; add one with r"),
    "no_task": ("请先选择一个任务", "select a task first"),
    "new_rule": ("(新增规则)", "(add a rule)"),
    "remove_rule": ("删除此规则", "remove this rule"),
    "kind": ("类型", "kind"),
    "kind_recurring": ("每期N次", "N times per period"),
    "kind_after_event": ("事件后N日内", "within N days after an event"),
    "kind_deadline": ("截止日期", "fixed deadline"),
    "kind_ongoing": ("持续", "ongoing"),
    "count": ("次数", "count"),
    "period": ("周期", "period"),
    "allowance": ("期限", "within"),
    "unit_workdays": ("个工作日", "working days"),
    "unit_days": ("日 (自然日)", "calendar days"),
    "event_name": ("事件, 如 文件发布", "event, e.g. 文件发布"),
    "deadline_hint": ("截止 月-日, 如 12-31", "deadline MM-DD, e.g. 12-31"),
    "what": ("要做什么", "what must be done"),
    "no_change": ("没有改动, 未保存", "nothing changed; nothing saved"),
    "need_field": ("请填写: {names}", "please fill in: {names}"),
    "bad_number": ("{name} 须为正整数", "{name} must be a whole number ≥ 1"),
    "bad_deadline": ("截止日期应为 月-日, 如 12-31", "the deadline is MM-DD, e.g. 12-31"),
    "undo_what": ("撤销上一步: {what}?", "undo the last action: {what}?"),
    "export_as_of": ("台账截至 {day}", "the ledger as of {day}"),
    "export_as_of_today": ("台账截至今天 {day}: 所看的日期在今天之后, 而台账只记录已经发生的事",
                           "the ledger as of today, {day}: the date in view is after today, and a ledger "
                           "records what has happened"),
    "export_done": ("已导出台账: {path}", "ledger written: {path}"),
    "export_moved": ("已导出到 {path} ({reason})", "written to {path} ({reason})"),
    "imported": ("已导入计划 {id}: {title} — {tasks}项任务", "imported plan {id}: {title} — {tasks} tasks"),
    "reimported": ("已更新计划 {id}: 新增{added} 修改{changed} 删除{removed}",
                   "updated plan {id}: {added} added, {changed} changed, {removed} removed"),
    "import_warnings": ("注意 ({n}条):", "warnings ({n}):"),
    "more_warnings": ("…另有{n}条; 用 `tracker parse FILE` 查看全部", "…and {n} more; `tracker parse FILE` lists them all"),
    "unchanged": ("{title} 已导入过, 没有变化", "{title} is already imported; nothing changed"),
    "changed_elsewhere": ("数据库已被其他程序更新, 已刷新", "the database changed elsewhere; reloaded"),
    # task screen
    "rules": ("规则/时限", "Rules"),
    "events": ("事件", "Events"),
    "notes": ("进展情况", "Progress notes"),
    "history": ("历史记录", "History"),
    "none": ("无", "none"),
    "source": ("原文", "source"),
    "waived_because": ("不适用: {reason}", "waived: {reason}"),
    "waived_tag": ("不适用", "waived"),
    "lift": ("解除不适用", "Lift waiver"),
    "lift_hint": ("此规则已设为不适用; 按“解除不适用”使其重新计入 (可按 u 撤销)",
                  "this rule is waived; Lift waiver makes it count again (u undoes it)"),
    "undone": ("(已撤销)", "(undone)"),
    # results of actions
    "done_msg": ("已记录完成: 任务{task} 规则{rule} ({key}) 完成于{on}{late}",
                 "recorded done: task {task} rule {rule} ({key}) on {on}{late}"),
    "late": (" — 逾期完成", " — done late"),
    "credited": ("; 计入{owner} (另有{others}个单位未完成)", "; credited to {owner} ({others} other units still open)"),
    "credited_default": ("; 计入{owner} (另有{others}个单位未完成, 可在“计入单位”中选择)",
                         "; credited to {owner} ({others} other units still open; choose one under Unit)"),
    "early": ("注意: {key} 所属期间自{start}开始, 完成日期{on}早于该期间; 如记错了对象, 按 u 撤销",
              "warning: {key} covers the period from {start}, and {on} is before it; if this completion "
              "belongs to another obligation, press u to undo it"),
    "event_msg": ("已记录事件: 任务{task} {on} — {dues}", "event logged: task {task} {on} — {dues}"),
    "due_on": ("规则{rule} 应于{due}", "rule {rule} due {due}"),
    "note_msg": ("已添加进展: 任务{task}", "progress note added: task {task}"),
    "assign_msg": ("已设置责任单位: 任务{task}", "owners set: task {task}"),
    "waive_msg": ("已设为不适用: 任务{task} 规则{rule}", "waived: task {task} rule {rule}"),
    "lift_msg": ("已恢复适用: 任务{task} 规则{rule} (原不适用理由: {reason})",
                 "waiver lifted: task {task} rule {rule} (it was: {reason})"),
    "rule_msg": ("已修改规则: 任务{task} 规则{rule}", "rule saved: task {task} rule {rule}"),
    "undo_msg": ("已撤销: {summary}", "undone: {summary}"),
    "reopen_title": ("撤回完成", "Reopen"),
    "reopen_what": ("撤回完成: 任务{task} 规则{rule} {key} (原完成于{on})? 该事项将重新计为未完成, 之后的修改不受影响; "
                    "按 u 可恢复", "take back the completion of task {task} rule {rule} {key} (done {on})? It is open "
                    "again, later changes stay; u puts it back"),
    "reopen_msg": ("已撤回完成: 任务{task} 规则{rule} ({key}; 原完成于{on})", "reopened: task {task} rule {rule} ({key}; "
                   "was done {on})"),
    "nothing_done": ("这个任务没有已完成的事项, 无可撤回", "this task has nothing done to reopen"),
    "as_of_msg": ("截至日期: {day}", "as of {day}"),
    # errors the TUI itself meets (a tracker error shows its own sentence: `exc.text(lang)`)
    "cannot_read": ("无法读取 {path}: {error}。", "cannot read {path}: {error}."),
    "internal_error": ("内部错误 ({name}: {error}); 详情见 {where}", "internal error ({name}: {error}); details in {where}"),
    "no_log": ("(日志无法写入)", "no log file"),
    "kept_screen": ("{error} 屏幕上仍是原来的内容。", "{error} The screen shows what it had."),
    "db_unreadable": ("无法读取数据库 ({error}); 屏幕上仍是原来的内容。",
                      "the database could not be read ({error}); the screen shows what it had."),
    "conflict": ("任务{task}在您打开后已被他人修改(版本{expected} → {current}),本次未保存;已重新载入,请核对后再按确定。",
                 "task {task} was changed by someone else since you opened it (version {expected} → {current}); "
                 "nothing was saved — it was reloaded: check and press OK again."),
}


def conflict_text(exc: ConflictError, lang: str) -> str:
    """A write conflict in the TUI's language (the error's own sentence when it names no task)."""
    if exc.task is None:
        return exc.text(lang)
    return t("conflict", lang, task=exc.task, expected=exc.expected, current=exc.current)


def t(key: str, lang: str = "zh", /, **values: object) -> str:
    """The TUI label `key` in `lang`, `{placeholders}` filled; shared keys come from tracker.i18n."""
    pair = TUI_LABELS.get(key)
    if pair is None:
        return label(key, lang, **values)
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text
