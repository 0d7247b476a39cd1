"""The club's rules as plain Python: weekly cycle, ballots, tallies, scales. Never imports discord."""
