from projects.demo import DEMO_PASSWORD, DEMO_USERS, load_demo
from projects.management.base import MobiliseCommand


class Command(MobiliseCommand):
    help = "Load the demo users and the seed 004 council project (idempotent); --large adds `large-demo`."

    def add_arguments(self, parser):
        parser.add_argument("--large", action="store_true", help="Also create the large-demo project for benchmarks.")
        parser.add_argument(
            "--portfolio", action="store_true", help="Also create 500 small projects (portfolio-001...) for benchmarks."
        )

    def handle(self, *args, large=False, portfolio=False, **options):
        created = load_demo(large=large, portfolio=portfolio)
        if created:
            self.stdout.write(f"Created demo projects: {', '.join(created)}")
        else:
            self.stdout.write("Demo data already present; nothing to do.")
        logins = ", ".join(username for username, *_ in DEMO_USERS)
        self.stdout.write(f"Demo logins ({logins}), password: {DEMO_PASSWORD}")
