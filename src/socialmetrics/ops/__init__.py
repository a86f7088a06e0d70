"""Jobs around the pipeline: reports, the monthly run, its lock, schedule, delivery, status."""
