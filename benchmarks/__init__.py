"""What we measure, runnable by anyone: `python -m benchmarks` prints one table. Not timed tests."""
