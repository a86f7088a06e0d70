"""The web portal: `socialmetrics serve`. Server-rendered pages (FastAPI, Jinja2, a vendored
htmx) over the warehouse and the report files, for the agency and for its clients, each user
seeing only the clients their role allows."""
