"""A change to a secret field alone is recorded, with the value masked."""

import pytest

from wardkeeper.core.audit import MASK, history
from wardkeeper.core.models.notifications import Channel, ChannelKind

pytestmark = pytest.mark.django_db


def test_changing_only_a_secret_is_recorded_masked():
    channel = Channel.objects.create(
        name="Ward robot",
        kind=ChannelKind.WECOM,
        url="http://127.0.0.1:9/robot?key=first",
        secret="",
    )
    channel = Channel.objects.get(pk=channel.pk)
    channel.url = "http://127.0.0.1:9/robot?key=second"
    channel.save()
    entries = list(history(channel).order_by("id"))
    assert len(entries) == 2
    assert entries[-1].changes == {"url": [MASK, MASK]}
    assert "second" not in str(entries[-1].changes)


def test_saving_an_unchanged_secret_records_nothing():
    channel = Channel.objects.create(
        name="Ward robot",
        kind=ChannelKind.WECOM,
        url="http://127.0.0.1:9/r?key=a",
        secret="",
    )
    channel = Channel.objects.get(pk=channel.pk)
    channel.save()
    assert history(channel).count() == 1
