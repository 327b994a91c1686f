"""The rate arithmetic: wraps, resets and restarts (no database, no agent)."""

from __future__ import annotations

import pytest

from wardkeeper.network.snmp.rates import WRAP_32, rates


def reading(at: float, uptime: int, bits: int = 64, **counters: int) -> dict:
    base = {"in_octets": 0, "out_octets": 0, "in_errors": 0, "out_errors": 0}
    return {"at": at, "uptime": uptime, "bits": bits, **base, **counters}


def test_it_turns_octets_into_bits_per_second_and_utilisation():
    before = reading(0, 100, in_octets=1_000, out_octets=5_000)
    after = reading(60, 6100, in_octets=1_000 + 75_000_000, out_octets=5_000)
    found = rates(before, after, speed_mbps=100)
    assert found.in_bps == pytest.approx(10_000_000)
    assert found.out_bps == 0
    assert found.utilisation == pytest.approx(10.0)  # the busier direction


def test_errors_and_discards_are_per_second():
    before = reading(0, 0, in_errors=10, in_discards=0)
    after = reading(10, 1000, in_errors=40, in_discards=5)
    found = rates(before, after, speed_mbps=1000)
    assert (found.in_errors, found.in_discards) == (3.0, 0.5)


def test_a_32_bit_counter_that_wrapped_is_carried_over():
    before = reading(0, 0, bits=32, in_octets=WRAP_32 - 1_000)
    after = reading(10, 1000, bits=32, in_octets=9_000)
    found = rates(before, after, speed_mbps=100)
    assert found.in_bps == pytest.approx(10_000 * 8 / 10)


def test_a_32_bit_wrap_faster_than_the_link_is_a_reset():
    # 4 GB in ten seconds on a 100 Mbit/s port: the counter was cleared.
    before = reading(0, 0, bits=32, in_octets=3_000_000_000)
    after = reading(10, 1000, bits=32, in_octets=1_000)
    assert rates(before, after, speed_mbps=100).in_bps is None


def test_a_64_bit_counter_that_went_down_was_reset_not_wrapped():
    before = reading(0, 0, in_octets=2**64 - 10, out_octets=500)
    after = reading(10, 1000, in_octets=20, out_octets=400)
    assert rates(before, after, speed_mbps=100_000) is None


def test_a_64_bit_counter_near_its_top_still_counts_upwards():
    before = reading(0, 0, in_octets=2**64 - 2_000_000)
    after = reading(1, 100, in_octets=2**64 - 1_000_000)
    assert rates(before, after, speed_mbps=100_000).in_bps == 8_000_000


@pytest.mark.parametrize(
    ("before_uptime", "after_uptime"),
    [
        (500_000, 3_000),  # uptime went back
        (12_000, 20_000),  # up 120 s, then 200 s after a 300 s interval
    ],
)
def test_a_restarted_device_gives_no_sample(before_uptime, after_uptime):
    before = reading(0, before_uptime, in_octets=10**12)
    after = reading(300, after_uptime, in_octets=10**12 + 10**6)
    assert rates(before, after, speed_mbps=1000) is None


def test_no_sample_without_an_earlier_reading_or_after_a_width_change():
    after = reading(10, 1000, in_octets=5)
    assert rates({}, after, speed_mbps=100) is None
    assert rates(reading(0, 0, bits=32), after, speed_mbps=100) is None


def test_a_port_of_unknown_speed_has_rates_but_no_utilisation():
    found = rates(reading(0, 0), reading(10, 1000, in_octets=1000), speed_mbps=None)
    assert (found.in_bps, found.utilisation) == (800.0, None)
