"""A bounded load test: gunicorn on PostgreSQL, 20 logged-in clients, 60 seconds, loopback only.

    .venv/bin/python tests/bench/load.py [--clients 20] [--seconds 60] [--max-requests 100000]

It creates the database if missing (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/mobilise_load), migrates, loads the demo data, starts
gunicorn on a free 127.0.0.1 port with production settings (behind a pretend TLS proxy:
every request carries X-Forwarded-Proto: https), logs each client in once, and has them
cycle through the dashboard, a session page, the risk register and a PDF download, with every
third request a write (an autosave of the client's own session field, or a toggle of its own
RACI cell), until the time or the request budget runs out. Every acknowledged write is then
checked in the database. The same clients then load a trivial page (the floor), and a second
run sends each client's requests to two gunicorn servers in turn. It prints `load_rps`,
`load_p50_ms`, `load_p95_ms`, `load_p99_ms`, `load_errors`, `load_saves_lost`,
`load_trivial_rps`, `load_vs_trivial_rps_ratio`, `load_two_servers_rps` and
`load_two_servers_errors` lines.

Pages whose URL names do not exist yet are skipped with a note (`load_skipped: ...`).
"""

import argparse
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mobilise_load"
HARD_LIMIT_SECONDS = 600  # whatever the arguments say, the run stops by itself
DEMO_PASSWORD = "mobilise-demo"

# (label, URL name, extra args after the slug); alternatives in order of preference.
TARGETS = [
    ("dashboard", [("projects:detail", ())]),
    ("session page", [("alignment:session", (1,))]),
    ("risk register", [("risks:register", ())]),
    (
        "PDF download",
        [
            ("reports:report-pdf", (1,)),
            ("projects:report_pdf", (1,)),
            ("alignment:brief-pdf", ()),
            ("alignment:brief_pdf", ()),
            ("plan:plan-pdf", ()),
            ("projects:plan_pdf", ()),
        ],
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


class Client:
    """One user's browser: a kept-alive connection and a cookie jar, over plain HTTP on
    loopback, presenting itself as coming through a TLS-terminating proxy."""

    def __init__(self, port: int, timeout: float = 30):
        self.port = port
        self.timeout = timeout
        self.origin = f"https://{LOOPBACK}:{port}"
        self.cookies: dict[str, str] = {}
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        headers = {"Host": f"{LOOPBACK}:{self.port}", "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a kept-alive connection: one retry on a fresh one.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        response.body = data
        return response

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post_form(self, path, fields, headers=None):
        body = urllib.parse.urlencode(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin, **(headers or {})}
        return self.request("POST", path, body=body, headers=headers)

    def log_in(self, username, password):
        page = self.get("/accounts/login/")
        if page.status != 200:
            raise RuntimeError(f"log-in page answered {page.status}")
        response = self.post_form(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": self.cookies["csrftoken"]},
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"logging in as {username} failed ({response.status})")
        return response

    def close(self):
        if self.conn:
            self.conn.close()


def production_env(database_url, var_dir, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=LOOPBACK,
        BEHIND_PROXY="1",
        DATABASE_URL=database_url,
        MOBILISE_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(Path(var_dir) / "static"),
        MEDIA_ROOT=str(Path(var_dir) / "media"),
        DJANGO_SETTINGS_MODULE="mobilise.settings",
        # 20 clients log in as one user from one address at once: the throttle counts an
        # attempt before checking its password, so it would refuse most of them (429).
        LOGIN_FAILURES_PER_USER="100000",
        LOGIN_FAILURES_PER_ADDRESS="100000",
    )
    env.update(extra)
    return env


def manage(env, *args, timeout=600):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def start_gunicorn(env, port, *, workers=4, threads=4, log=None):
    """gunicorn on 127.0.0.1:port; returns the process once it answers, or raises."""
    command = [
        str(BIN / "gunicorn"),
        "mobilise.wsgi:application",
        "--bind",
        f"{LOOPBACK}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
    ]
    process = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError("gunicorn did not start within 60 seconds")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def ensure_database(database_url):
    """Create the PostgreSQL database named in the URL if it is missing."""
    import psycopg

    url = urllib.parse.urlsplit(database_url)
    if url.hostname not in (LOOPBACK, "localhost", "::1"):
        raise SystemExit("The load test only runs against a database on this machine.")
    name = url.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(("postgresql", url.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"load_note: created database {name}")


def resolve_targets(env, slug):
    """Each target's URL, looked up by name in a Django set up like the server."""
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "MOBILISE_VAR_DIR")})
    sys.path.insert(0, str(BASE_DIR))
    import django
    from django.urls import NoReverseMatch, reverse

    django.setup()
    urls, skipped = [], []
    for label, names in TARGETS:
        for name, extra in names:
            try:
                urls.append((label, reverse(name, args=[slug, *extra])))
                break
            except NoReverseMatch:
                continue
        else:
            skipped.append(f"{label} ({' or '.join(n for n, _ in names)} not there yet)")
    return urls, skipped


def write_targets(slug, clients):
    """For each client its own session field to autosave and its own RACI cell to toggle, so
    every acknowledged write can be checked in the database after the run (no two clients
    write the same thing, so the last acknowledged value must be the stored one)."""
    from django.urls import reverse

    from alignment import guidance, services
    from projects.models import Project
    from raci.models import Activity, Assignment

    project = Project.objects.get(slug=slug)
    fields = [(n, f.name) for n, t in guidance.TEMPLATES.items() for f in t.fields if f.kind == "text"]
    activities = list(Activity.objects.filter(project=project).values_list("pk", flat=True))
    people = list(project.stakeholders.values_list("pk", flat=True))
    targets = []
    for i in range(clients):
        number, name = fields[i % len(fields)]
        session = services.session_for(project, number) if i < len(fields) else None
        cell = (
            (activities[i % len(activities)], people[(i // len(activities)) % len(people)])
            if activities and people
            else None
        )
        targets.append(
            {
                "field": (number, name, reverse("alignment:session-field", args=[slug, number, name]))
                if session is not None
                else None,
                "original": services.canonical(
                    project if guidance.field_spec(number, name).on == "project" else session, name
                )
                if session is not None
                else "",
                "cell": (cell, reverse("raci:cell", args=[slug, *cell])) if cell else None,
                "letters": Assignment.objects.filter(activity_id=cell[0], stakeholder_id=cell[1])
                .values_list("letters", flat=True)
                .first()
                or ""
                if cell
                else "",
            }
        )
    return targets


def check_writes(slug, targets, acknowledged):
    """Every acknowledged save is in the database: the list of problems (empty when all are).
    A field must hold the client's last acknowledged text; a cell its starting letters with
    "I" toggled once per acknowledged toggle."""
    from alignment import guidance, services
    from alignment.models import Session
    from projects.models import Project
    from raci.models import Assignment, canonical

    project = Project.objects.get(slug=slug)
    problems, expected_of = [], {}
    starting = {t["cell"][0]: t["letters"] for t in targets if t["cell"]}
    for kind, key, value in acknowledged:
        if kind == "field":
            expected_of[(kind, key)] = value
        else:
            letters = expected_of.get((kind, key), starting[key])
            expected_of[(kind, key)] = canonical(set(letters) ^ {"I"})
    for (kind, key), expected in expected_of.items():
        if kind == "field":
            number, name = key
            holder = (
                project
                if guidance.field_spec(number, name).on == "project"
                else Session.objects.get(project=project, number=number)
            )
            project.refresh_from_db()
            stored = services.canonical(holder, name)
        else:
            activity, person = key
            stored = (
                Assignment.objects.filter(activity_id=activity, stakeholder_id=person)
                .values_list("letters", flat=True)
                .first()
                or ""
            )
        if stored != expected:
            problems.append(f"{kind} {key}: acknowledged {expected!r}, stored {stored!r}")
    return problems


def percentile(sorted_values, fraction):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def drive(ports, urls, *, clients, seconds, max_requests, username, writes=None, acknowledged=None, jars=None):
    """Every client logs in once, then requests the URLs in turn until time or budget runs out.
    With `writes` (write_targets()), every third request is a write: an autosave of the
    client's own field or a toggle of its own RACI cell; each acknowledged one is added to
    `acknowledged` as (kind, key, value the database must hold). With several `ports`, each
    client sends its requests to them in turn (the log-in to the first). `jars` keeps each
    client's cookies: a later drive with the same list reuses the log-ins."""
    ports = ports if isinstance(ports, (list, tuple)) else [ports]
    lock = threading.Lock()
    latencies, errors, budget, busy = [], [], [max_requests], set()
    deadline = [0.0]

    def start_clock():
        # Runs once, before any thread passes the barrier, so no client sees the deadline unset.
        deadline[0] = time.monotonic() + seconds

    ready = threading.Barrier(clients + 1, action=start_clock, timeout=120)

    def worker(n):
        first = Client(ports[0])
        if jars is not None and n < len(jars) and jars[n]:
            first.cookies = dict(jars[n])
        else:
            try:
                first.log_in(username, DEMO_PASSWORD)
            except Exception as exc:  # noqa: BLE001 (a failed log-in is a load error, not a crash)
                with lock:
                    errors.append(f"log-in: {exc}")
            if jars is not None:
                with lock:
                    jars.append(first.cookies)
        # The same cookies on every server: a session made on one must work on the others.
        others = [Client(port) for port in ports[1:]]
        for other in others:
            other.cookies = first.cookies
        servers = [first, *others]
        mine = writes[n] if writes else None
        value = {"field": mine["original"] if mine else "", "cell": None, "saves": 0}
        ready.wait()
        i = n
        if time.monotonic() >= deadline[0]:
            with lock:
                errors.append("a client started after the deadline")
        while time.monotonic() < deadline[0]:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            client = servers[i % len(servers)]
            write = None
            if mine and i % 3 == 2:
                write = "field" if (i // 3) % 2 == 0 and mine["field"] else ("cell" if mine["cell"] else None)
            label, url = urls[i % len(urls)]
            i += 1
            start = time.perf_counter()
            try:
                if write == "field":
                    number, name, url = mine["field"]
                    label = "autosave"
                    value["saves"] += 1
                    new = f"Load test client {n}, save {value['saves']}"
                    response = client.post_form(
                        url,
                        {name: new, f"orig-{name}": value["field"]},
                        headers={"HX-Request": "true", "X-CSRFToken": client.cookies.get("csrftoken", "")},
                    )
                    ok = response.status == 200 and b"Saved" in response.body and b"data-not-saved" not in response.body
                    if ok:
                        value["field"] = new
                        with lock:
                            acknowledged.append(("field", (number, name), new))
                elif write == "cell":
                    (activity, person), url = mine["cell"]
                    label = "RACI toggle"
                    response = client.post_form(
                        url,
                        {"op": "toggle", "letter": "I"},
                        headers={"HX-Request": "true", "X-CSRFToken": client.cookies.get("csrftoken", "")},
                    )
                    ok = response.status == 200 and b"Someone else changed" not in response.body
                    if ok:
                        with lock:
                            acknowledged.append(("cell", (activity, person), None))
                else:
                    response = client.get(url)
                    ok = response.status == 200 and (label != "PDF download" or response.body.startswith(b"%PDF"))
                elapsed = time.perf_counter() - start
                problem = None if ok else f"{label}: HTTP {response.status}"
            except Exception as exc:  # noqa: BLE001
                elapsed, problem = time.perf_counter() - start, f"{label}: {exc}"
            with lock:
                latencies.append(elapsed)
                busy.add(n)
                if problem:
                    errors.append(problem)
        for client in servers:
            client.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()  # log-ins are not part of the measurement
    started = deadline[0] - seconds
    for thread in threads:
        thread.join(timeout=seconds + 60)
    wall = time.monotonic() - started
    if len(busy) < clients:
        errors.append(f"only {len(busy)} of {clients} clients made requests")
    return latencies, errors, wall


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--slug", default="bucks-procurement")
    parser.add_argument("--user", default="buyer")
    parser.add_argument("--skip-setup", action="store_true", help="database already migrated and loaded")
    args = parser.parse_args(argv)
    seconds = min(args.seconds, HARD_LIMIT_SECONDS)

    database_url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL)
    var_dir = BASE_DIR / "var" / "load"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = production_env(database_url, var_dir)
    if not args.skip_setup:
        ensure_database(database_url)
        manage(env, "migrate", "--noinput")
        manage(env, "createcachetable")
        manage(env, "load_demo", "--large")
        manage(env, "collectstatic", "--noinput")
    urls, skipped = resolve_targets(env, args.slug)
    for note in skipped:
        print(f"load_skipped: {note}")
    if not urls:
        raise SystemExit("No page to drive.")
    print("load_pages: " + ", ".join(f"{label} {url}" for label, url in urls), flush=True)

    targets = write_targets(args.slug, args.clients)
    acknowledged, jars = [], []
    port = free_port()
    with open(var_dir / "gunicorn.log", "w") as log:
        server = start_gunicorn(env, port, workers=args.workers, threads=args.threads, log=log)
        try:
            latencies, errors, wall = drive(
                port,
                urls,
                clients=args.clients,
                seconds=seconds,
                max_requests=args.max_requests,
                username=args.user,
                writes=targets,
                acknowledged=acknowledged,
                jars=jars,
            )
            # The floor: the same clients on a trivial page, same server, same run.
            trivial, trivial_errors, trivial_wall = drive(
                port,
                [("trivial", "/")],
                clients=args.clients,
                seconds=max(seconds / 3, 5),
                max_requests=args.max_requests,
                username=args.user,
                jars=jars,
            )
        finally:
            stop(server)
    lost = check_writes(args.slug, targets, acknowledged)
    errors += lost

    # Two app servers on the one database, each client's requests sent to both in turn.
    ports = [free_port(), free_port()]
    with open(var_dir / "gunicorn-two.log", "w") as log:
        servers = [
            start_gunicorn(env, p, workers=max(args.workers // 2, 1), threads=args.threads, log=log) for p in ports
        ]
        try:
            targets_two = write_targets(args.slug, args.clients)
            acknowledged_two = []
            two, two_errors, two_wall = drive(
                ports,
                urls,
                clients=args.clients,
                seconds=max(seconds / 2, 5),
                max_requests=args.max_requests,
                username=args.user,
                writes=targets_two,
                acknowledged=acknowledged_two,
                jars=jars,
            )
        finally:
            for server in servers:
                stop(server)
    two_errors += check_writes(args.slug, targets_two, acknowledged_two)

    ordered = sorted(latencies)
    print(f"load_clients: {args.clients}")
    print(f"load_requests: {len(latencies)}")
    print(f"load_rps: {len(latencies) / wall:.1f}")
    print(f"load_p50_ms: {percentile(ordered, 0.50) * 1000:.1f}")
    print(f"load_p95_ms: {percentile(ordered, 0.95) * 1000:.1f}")
    print(f"load_p99_ms: {percentile(ordered, 0.99) * 1000:.1f}")
    print(f"load_errors: {len(errors)}")
    print(f"load_saves_acknowledged: {len(acknowledged)}")
    print(f"load_saves_lost: {len(lost)}")
    rps, trivial_rps = len(latencies) / wall, len(trivial) / trivial_wall
    print(f"load_trivial_rps: {trivial_rps:.1f}")
    print(f"load_trivial_errors: {len(trivial_errors)}")
    print(f"load_vs_trivial_rps_ratio: {rps / trivial_rps:.3f}")
    print(f"load_two_servers_rps: {len(two) / two_wall:.1f}")
    print(f"load_two_servers_p95_ms: {percentile(sorted(two), 0.95) * 1000:.1f}")
    print(f"load_two_servers_saves_acknowledged: {len(acknowledged_two)}")
    print(f"load_two_servers_errors: {len(two_errors)}")
    for problem in sorted(set(errors + trivial_errors + two_errors))[:10]:
        print(f"load_error_kind: {problem} (x{(errors + trivial_errors + two_errors).count(problem)})")
    return {
        "requests": len(latencies),
        "errors": len(errors) + len(trivial_errors) + len(two_errors),
        "skipped": skipped,
    }


if __name__ == "__main__":
    main()
