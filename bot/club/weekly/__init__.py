"""The film of the week as plain Python: the weekly times and the calendar, the server's settings,
the draw, the ballot and its votes, the recorded result, reminders, and the service that runs each
server's deadlines. Nothing here imports discord; cogs/weekly does the Discord side."""
