"""The demo's cable certification reports: most horizontal cables were
tested when the building was cabled, and passed; a few failed (a badly
terminated jack, a cable kinked behind a headwall) and some were never
tested. The backbone fibres were all tested, with a loss budget."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from wardkeeper.network.demo.parts import Out
from wardkeeper.network.models import Cable, CableTest

UNTESTED = 0.12
FAILED = 0.04
TESTERS = (
    "Sun Wei (Huaxin Digital Systems)",
    "Li Qiang (Huaxin Digital Systems)",
    "Zhao Min (Jinqiao Network Technology)",
)
COPPER_INSTRUMENT = "Fluke Networks DSX-8000 s/n 2314{:03d}"
FIBRE_INSTRUMENT = "Fluke Networks CertiFiber Pro s/n 1917{:03d}"
FAULTS = (
    "NEXT fails at the outlet end: re-terminate the jack.",
    "Return loss fails: the cable is kinked behind the headwall.",
    "Length exceeds 90 m: the permanent link is too long.",
    "Wire map: pairs 3-6 split at the panel.",
)


def _day(out: Out, rng: random.Random) -> dt.date:
    return out.today - dt.timedelta(days=rng.randint(200, 2400))


def test_copper(out: Out, cable: Cable, rng: random.Random) -> None:
    """A permanent-link test of a horizontal cable, or none."""
    roll = rng.random()
    if roll < UNTESTED:
        return
    failed = roll > 1 - FAILED
    length = float(cable.length_m or 0) * rng.uniform(0.97, 1.03)
    margin = -rng.uniform(0.2, 3.5) if failed else rng.uniform(1.2, 7.5)
    out.tests.append(
        CableTest(
            cable=cable,
            tested_on=_day(out, rng),
            tester=rng.choice(TESTERS),
            instrument=COPPER_INSTRUMENT.format(rng.randint(100, 140)),
            standard="TIA-568.2-D Cat 6",
            link_type="Permanent link",
            passed=not failed,
            length_m=Decimal(f"{length:.1f}"),
            margin_db=Decimal(f"{margin:.1f}"),
            notes=rng.choice(FAULTS) if failed else "",
        )
    )


def test_fibre(out: Out, cable: Cable, rng: random.Random) -> None:
    """A tier-1 (loss) test of a backbone fibre; they all passed."""
    length = float(cable.length_m or 0)
    out.tests.append(
        CableTest(
            cable=cable,
            tested_on=_day(out, rng),
            tester=rng.choice(TESTERS),
            instrument=FIBRE_INSTRUMENT.format(rng.randint(10, 40)),
            standard="TIA-568.3-D (loss budget)",
            link_type="Permanent link",
            passed=True,
            length_m=Decimal(f"{length:.1f}"),
            margin_db=Decimal(f"{rng.uniform(0.8, 2.6):.2f}"),
        )
    )
