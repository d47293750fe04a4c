"""Who may see the annual cycle, mark its tasks done, and keep the Mini-MED meetings."""

from app.people.constants import Role
from app.permissions import is_head, leads_department, rule


@rule("cycle.view")
def view_cycle(user, obj=None) -> bool:
    """Everyone sees their home's årshjul."""
    return True


#: Duties every employee (or temp) does for themselves: one person cannot mark them done for everybody.
COLLECTIVE = ("employee", "temp")


@rule("cycle.complete")
def complete_task(user, task) -> bool:
    """The tilbudsleder, the leader of the task's department, and the people a role duty is for
    (except duties every employee does for themselves: those are done by event or by a leader)."""
    if task is None or task.home_id != user.home_id or task.fulfilled_by:
        return False
    if is_head(user) or leads_department(user, task.department_id):
        return True
    if task.department_id is None and task.responsible in COLLECTIVE:
        return user.has_role(Role.DEPARTMENT_LEADER)
    return task.applies_to(user)


@rule("cycle.undo")
def undo_completion(user, pair) -> bool:
    """The person who marked it done, the tilbudsleder, or the leader of the task's department."""
    if pair is None:
        return False
    task, completion = pair
    if task.home_id != user.home_id or completion.home_id != user.home_id:
        return False
    if completion.done_by_id == user.id:
        return True
    return is_head(user) or leads_department(user, task.department_id)


@rule("cycle.meetings.view")
def view_meetings(user, obj=None) -> bool:
    return user.has_role(Role.HEAD, Role.MINI_MED)


@rule("cycle.meetings.manage")
def manage_meetings(user, meeting=None) -> bool:
    """The tilbudsleder schedules the year's Mini-MED meetings and records minutes and attendees."""
    if meeting is not None and meeting.home_id != user.home_id:
        return False
    return is_head(user)
