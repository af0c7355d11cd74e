"""The schedule plugin's interfaces."""

from core.interfaces import IFolder


class IWeeklySchedule(IFolder):
    """A unit's leaders' weekly work schedule (lịch công tác tuần)."""
