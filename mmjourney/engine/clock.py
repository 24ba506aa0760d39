"""The journey clock: days since the story began, told the way a clinic talks about time."""

DAYS_PER_WEEK = 7
WEEKS_PER_MONTH = 4  # story months are four weeks, so "month 3, week 2" always adds up


def clock_text(day: int) -> str:
    """'Month 1, week 1, day 1' style for a day count starting at 0."""
    month, rest = divmod(day, DAYS_PER_WEEK * WEEKS_PER_MONTH)
    week, weekday = divmod(rest, DAYS_PER_WEEK)
    return f"Month {month + 1}, week {week + 1}, day {weekday + 1}"


def duration_text(days: int) -> str:
    """'3 days', '2 weeks', '1 month and 1 week': how long something took."""
    if days < DAYS_PER_WEEK or days % DAYS_PER_WEEK:
        return f"{days} day{'s' if days != 1 else ''}"
    weeks = days // DAYS_PER_WEEK
    months, weeks = divmod(weeks, WEEKS_PER_MONTH)
    parts = []
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    if weeks:
        parts.append(f"{weeks} week{'s' if weeks != 1 else ''}")
    return " and ".join(parts)
