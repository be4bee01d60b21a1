"""Realistic demo data: categories, users, published and draft projects with task presenters,
tasks, and task runs by registered and anonymous volunteers over the last 14 days."""
from __future__ import annotations

import random
from datetime import timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..extensions import db
from ..models import Category, Project, Result, Task, TaskRun, User, new_api_key, utcnow

DEMO_PASSWORD = "demo-volunteer"

PRESENTER = """<div class="presenter">
  <h2>{question}</h2>
  <p id="question"></p>
  <button type="button" data-answer="yes">Yes</button>
  <button type="button" data-answer="no">No</button>
  <button type="button" data-answer="unsure">Not sure</button>
</div>
<script>
  pybossa.onTask(function (task) {{
    document.getElementById('question').textContent = task.info.question || JSON.stringify(task.info);
  }});
  document.querySelectorAll('[data-answer]').forEach(function (button) {{
    button.addEventListener('click', function () {{ pybossa.submit({{answer: button.dataset.answer}}); }});
  }});
</script>"""

PROJECTS = [
    ("Penguin Watch", "penguinwatch", "Count penguins in Antarctic camera-trap images", "sensing", True),
    ("Old Weather", "oldweather", "Transcribe weather logs from historic ship journals", "thinking", True),
    ("Galaxy Shapes", "galaxyshapes", "Is this galaxy smooth or does it have features?", "thinking", True),
    ("Street Trees", "streettrees", "Identify trees in street-level photos", "sensing", True),
    ("Herbarium Labels", "herbarium", "Read the labels of herbarium specimens", "thinking", True),
    ("Noise Map", "noisemap", "Classify short city sound recordings", "sensing", True),
    ("Letters Archive", "letters", "Date the letters of a 19th-century archive", "thinking", False),
    ("Bird Songs", "birdsongs", "Which bird is singing? (draft: no presenter yet)", "sensing", False),
]


def seed(volunteers: int = 60, tasks_per_project: int = 40, seed_value: int = 7) -> dict:
    rng = random.Random(seed_value)
    now = utcnow()
    categories = {c.short_name: c for c in db.session.scalars(select(Category))}
    if not categories:
        for name, short, description in (("Thinking", "thinking", "Volunteer Thinking projects"),
                                         ("Sensing", "sensing", "Volunteer Sensing projects")):
            categories[short] = Category(name=name, short_name=short, description=description)
            db.session.add(categories[short])
    owners = []
    for i in range(1, 4):
        owner = User(name=f"owner{i}", fullname=f"Project Owner {i}", email_addr=f"owner{i}@example.org",
                     api_key=new_api_key(), pro=(i == 1), created=now - timedelta(days=60 + i))
        owner.set_password(DEMO_PASSWORD)
        owners.append(owner)
    people = []
    hashed = User()
    hashed.set_password(DEMO_PASSWORD)  # one hash for all demo volunteers: seeding stays fast
    for i in range(1, volunteers + 1):
        people.append(User(name=f"volunteer{i}", fullname=f"Volunteer {i}", email_addr=f"volunteer{i}@example.org",
                           api_key=new_api_key(), passwd_hash=hashed.passwd_hash, consent=rng.random() < .7,
                           locale=rng.choice(["en", "en", "es", "fr", "de"]),
                           created=now - timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 23)),
                           last_login=now - timedelta(days=rng.randint(0, 13), minutes=rng.randint(0, 600))))
    db.session.add_all(owners + people)
    db.session.flush()

    projects = []
    for idx, (name, short, description, category, published) in enumerate(PROJECTS):
        project = Project(name=name, short_name=short, description=description,
                          long_description=f"{description}. Every answer helps the research team.",
                          owner_id=owners[idx % len(owners)].id, category_id=categories[category].id,
                          published=published, featured=published and idx < 3,
                          allow_anonymous_contributors=idx % 3 != 2,
                          info={} if short == "birdsongs" else {"task_presenter": PRESENTER.format(question=description)},
                          created=now - timedelta(days=20 - idx))
        projects.append(project)
    db.session.add_all(projects)
    db.session.flush()

    counts = {"users": len(owners) + len(people), "projects": len(projects), "tasks": 0, "task_runs": 0}
    total = sum(tasks_per_project for p in projects if p.short_name != "letters")
    with click.progressbar(length=total, label="Seeding demo tasks and answers") as bar:
        for project in projects:
            if project.short_name == "letters":
                continue  # a draft with a presenter but no tasks
            for t in range(tasks_per_project):
                task = Task(project_id=project.id, n_answers=rng.choice([3, 5]),
                            priority_0=round(rng.random(), 2), info={"question": f"{project.name} item #{t + 1}"},
                            created=project.created + timedelta(hours=t))
                db.session.add(task)
                db.session.flush()
                counts["tasks"] += 1
                if project.published:
                    answered = rng.randint(0, min(task.n_answers, len(people)))
                    chosen = rng.sample(people, answered)
                    runs = []
                    for person in chosen:
                        finished = now - timedelta(days=rng.randint(0, 13), minutes=rng.randint(0, 1400))
                        anonymous = project.allow_anonymous_contributors and rng.random() < 0.15
                        run = TaskRun(project_id=project.id, task_id=task.id,
                                      user_id=None if anonymous else person.id,
                                      user_ip=f"192.0.2.{rng.randint(1, 254)}" if anonymous else None,
                                      anon_id=f"demo-{task.id}-{person.id}" if anonymous else None,
                                      created=finished - timedelta(seconds=rng.randint(5, 300)),
                                      finish_time=finished,
                                      info={"answer": rng.choice(["yes", "no", "unsure"])})
                        runs.append(run)
                    db.session.add_all(runs)
                    counts["task_runs"] += len(runs)
                    if answered >= task.n_answers:
                        db.session.flush()
                        task.state = "completed"
                        db.session.add(Result(project_id=project.id, task_id=task.id,
                                              task_run_ids=[r.id for r in runs]))
                bar.update(1)
    db.session.commit()
    return counts


def seed_if_empty() -> dict | None:
    if db.session.scalar(select(func.count()).select_from(Project)):
        return None
    counts = seed()
    click.echo(_summary(counts))
    return counts


def _summary(counts):
    return (f"Demo data: {counts['users']} users, {counts['projects']} projects, {counts['tasks']} tasks, "
            f"{counts['task_runs']} task runs. Volunteer accounts volunteer1..N and owner1..3 use the "
            f"password '{DEMO_PASSWORD}'.")


@click.group("demo")
def demo():
    """Demo data."""


@demo.command("seed")
@click.option("--volunteers", default=60, show_default=True, type=click.IntRange(1, 100000))
@click.option("--tasks", "tasks_per_project", default=40, show_default=True, type=click.IntRange(1, 100000))
@click.option("--force", is_flag=True, help="Seed even when the database already has projects.")
@with_appcontext
def seed_command(volunteers, tasks_per_project, force):
    """Load a realistic demo (refuses a database that has projects, unless --force)."""
    if not force and db.session.scalar(select(func.count()).select_from(Project)):
        raise click.ClickException("The database already has projects; use --force to add demo data anyway.")
    if force and db.session.scalar(select(func.count()).select_from(User).where(User.name == "owner1")):
        raise click.ClickException("Demo data is already loaded (user owner1 exists).")
    click.echo(_summary(seed(volunteers, tasks_per_project)))
