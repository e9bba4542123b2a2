"""`secretariat demo`: the Secretariat's processes plus one fictional person for every role they
use, so that a newcomer can log in as anyone and walk each process from start to end.

Every name here is invented; none is meant to be a real person."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.demo_cases import add_demo_cases
from engine.views import Actor

DEPLOYER = Actor("demo", frozenset({"manager"}))


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    roles: tuple[str, ...]

    @property
    def password(self) -> str:
        """Printed with the log-ins: the demo is for trying things out, never for real data."""
        return f"demo-{self.username}"


_BUREAU_MEMBERS = [
    "Ms. Ayelet Brunsvik", "Mr. Joaquim Tessaro", "Ms. Farida Olumbe", "Mr. Henrik Dalvaux",
    "Ms. Mireille Kanoute", "Mr. Sung-ho Varela", "Ms. Petra Ilunga", "Mr. Osvaldo Kettering",
    "Ms. Yasmin Arbuthnot", "Mr. Teodor Mbaye", "Ms. Ilona Quispe", "Mr. Rashid Vandermeer",
    "Ms. Colette Nyamweya", "Mr. Anders Fujimori", "Ms. Beatriz Oyelaran", "Mr. Lukas Achterberg",
    "Ms. Thandiwe Roszak", "Mr. Emilio Haugland",
]

# (user name, display name) per role; the Bureau is built below: 21 members (art. 112(3)(a)).
_PEOPLE = {
    "Registrar": [("registrar", "Ms. Henrike Valmont-Asare (Registrar of the Court)")],
    "Director": [("director", "Mr. Kofi Lindgren-Arroyo (Director of the Secretariat)")],
    "Secretariat": [("secretariat.officer", "Ms. Noor Castellane (Secretariat, programme officer)"),
                    ("secretariat.assistant", "Mr. Pieter Oduya (Secretariat, assistant)")],
    "Author": [("author.legal", "Mr. Dmitri Okafor-Blanc (Secretariat, legal officer)"),
               ("author.finance", "Ms. Ines Haddadi (Secretariat, finance officer)")],
    "Editor": [("editor.one", "Ms. Greta Solberg-Nwosu (editor)"), ("editor.two", "Mr. Rui Tanaka-Fell (editor)")],
    "Translator": [(f"translator.{code}", f"{name} ({language} translator)") for code, name, language in [
        ("ar", "Ms. Layla Bensaid", "Arabic"), ("zh", "Mr. Wen Haoran", "Chinese"),
        ("en", "Ms. Clara Whitcombe", "English"), ("fr", "M. Étienne Maroto", "French"),
        ("ru", "Ms. Vera Ostrovskaya-Lind", "Russian"), ("es", "Sr. Andrés Villalba Kroon", "Spanish")]],
    "Printing": [("printing.clerk", "Mr. Bram Okonjo (printing)")],
    "Distribution": [("distribution.clerk", "Ms. Sanne Mabuza (distribution)"),
                     ("distribution.assistant", "Mr. Yusuf Verhoef (distribution)")],
    "Court Sections": [("liaison.languages", "Ms. Odile Grünwald (Language Services Section)"),
                       ("liaison.general", "Mr. Tomás Achebe-Lund (General Services Section)"),
                       ("liaison.security", "Ms. Hana Kowalczyk-Diop (Security and Safety Section)")],
    "Procurement": [("procurement.officer", "Mr. Nils Obiora (Procurement Unit of the Court)")],
    "Conference Services": [("conference.officer", "Ms. Astrid Mwangi-Holm (Conference services)")],
    "Credentials Committee": [("credentials.chair", "H.E. Mr. Paulo Esterhuizen (Chair, Credentials Committee)")],
    "Committee on Budget and Finance": [("cbf.chair", "Ms. Gudrun Adebayo-Lacroix (Chair, Committee on Budget and Finance)")],
    "Assembly": [("assembly.president", "H.E. Ms. Renata Oduya-Virtanen (President of the Assembly)")],
    "States Parties": [(f"delegate.{key}", f"{name} (Delegation of {state})") for key, name, state in [
        ("argentina", "Ms. Valeria Ostende", "Argentina"), ("canada", "Mr. Graham Okoye-Tremblay", "Canada"),
        ("japan", "Ms. Mariko Elsworth", "Japan"), ("jordan", "Mr. Sami Haddleton", "Jordan"),
        ("netherlands", "Ms. Femke Adeyemi", "the Netherlands"), ("senegal", "Mr. Moussa Kerbrat", "Senegal")]],
    "manager": [("process.manager", "Ms. Ada Brenneke (process manager)")],
    "admin": [("admin", "System administrator")],
}


def bureau() -> list[DemoUser]:
    members = [DemoUser("bureau.president", "H.E. Ms. Adaeze Marlowe-Quist (Bureau President)", ("Bureau",)),
               DemoUser("bureau.vp1", "H.E. Mr. Tobias Renhart (Bureau Vice-President)", ("Bureau",)),
               DemoUser("bureau.vp2", "H.E. Ms. Lucía Ferrand-Okello (Bureau Vice-President)", ("Bureau",))]
    members += [DemoUser(f"bureau.member{i:02d}", f"H.E. {name} (Bureau member)", ("Bureau",))
                for i, name in enumerate(_BUREAU_MEMBERS, start=1)]
    return members


_TRANSLATION_LANGUAGE = {"ar": "Arabic", "zh": "Chinese", "en": "English", "fr": "French", "ru": "Russian", "es": "Spanish"}


def _roles(role: str, username: str) -> tuple[str, ...]:
    """A translator also holds the role of their language: translation tasks go to it."""
    if role == "Translator":
        return (role, f"Translator ({_TRANSLATION_LANGUAGE[username.rsplit('.', 1)[1]]})")
    return (role,)


def demo_users() -> list[DemoUser]:
    people = [DemoUser(username, display, _roles(role, username))
              for role, entries in _PEOPLE.items() for username, display in entries]
    return people[:1] + bureau() + people[1:]


def load_demo(engine, root) -> str:
    """Deploy `root/processes` and `root/forms`, add the demo users that are missing, and
    return the log-ins as a table. Running it again changes nothing."""
    root = Path(root)
    with engine.unit_of_work() as uow:
        deployed = uow.repository.deploy_paths([root / "processes", root / "forms"], actor=DEPLOYER,
                                               note="secretariat demo")
        existing = {user.username for user in uow.identity.list()}
        added = set()
        for user in demo_users():
            if user.username not in existing:
                uow.identity.add_user(user.username, user.roles, password=user.password,
                                      display_name=user.display_name)
                added.add(user.username)
        uow.commit()
    with engine.unit_of_work() as uow:
        cases = add_demo_cases(uow, engine.clock.now().date())
        uow.commit()
    lines = ["Processes:"]
    lines += [f"  {d.key}: version {d.version} ({'new' if d.new else 'unchanged'})" for d in deployed.definitions]
    lines += ["", f"Demo users: {len(added)} added. Users marked * were there already and keep their",
              "password (the demo one below, unless someone changed it).", ""]
    lines += _table(demo_users(), added)
    lines += ["", "Cases: " + ("none added (the database already holds instances)" if not cases else "")]
    lines += [f"  {case}" for case in cases]
    return "\n".join(lines)


def _table(users: list[DemoUser], added: set[str]) -> list[str]:
    rows = [("user name", "password", "roles", "display name")]
    rows += [(u.username + ("" if u.username in added else " *"), u.password, ", ".join(u.roles), u.display_name)
             for u in users]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    out = ["  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths)) + "  " + row[3] for row in rows]
    out.insert(1, "  ".join("-" * width for width in widths) + "  " + "-" * len(rows[0][3]))
    return out
