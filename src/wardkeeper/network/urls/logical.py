"""Network pages: logical (zones, VLANs, prefixes, addresses, flow policy).

The generic pages name their neighbours ``<model>-<action>`` (``ipaddress``,
``flowrule``); the menu's names (``address-list``, ``policy``) point at the
same views."""

from django.urls import URLPattern, path

from wardkeeper.network.views import logical as v
from wardkeeper.network.views import logical_addresses as a
from wardkeeper.network.views import logical_zones as z

urlpatterns: list[URLPattern] = [
    path("zones/", z.ZoneList.as_view(), name="zone-list"),
    path("zones/add/", z.ZoneCreate.as_view(), name="zone-add"),
    path("zones/<int:pk>/", z.ZoneDetail.as_view(), name="zone-detail"),
    path("zones/<int:pk>/edit/", z.ZoneUpdate.as_view(), name="zone-edit"),
    path("zones/<int:pk>/delete/", z.ZoneDelete.as_view(), name="zone-delete"),
    path("vlans/", v.VLANList.as_view(), name="vlan-list"),
    path("vlans/add/", v.VLANCreate.as_view(), name="vlan-add"),
    path("vlans/<int:pk>/", v.VLANDetail.as_view(), name="vlan-detail"),
    path("vlans/<int:pk>/edit/", v.VLANUpdate.as_view(), name="vlan-edit"),
    path("vlans/<int:pk>/delete/", v.VLANDelete.as_view(), name="vlan-delete"),
    path("prefixes/", v.PrefixList.as_view(), name="prefix-list"),
    path("prefixes/overlaps/", a.OverlapList.as_view(), name="prefix-overlaps"),
    path("prefixes/add/", v.PrefixCreate.as_view(), name="prefix-add"),
    path("prefixes/<int:pk>/", v.PrefixDetail.as_view(), name="prefix-detail"),
    path("prefixes/<int:pk>/edit/", v.PrefixUpdate.as_view(), name="prefix-edit"),
    path("prefixes/<int:pk>/delete/", v.PrefixDelete.as_view(), name="prefix-delete"),
    path(
        "prefixes/<int:pk>/assign/", v.assign_next_free, name="prefix-assign-next-free"
    ),
    path("addresses/", a.AddressList.as_view(), name="address-list"),
    path("addresses/", a.AddressList.as_view(), name="ipaddress-list"),
    path("addresses/duplicates/", a.DuplicateList.as_view(), name="address-duplicates"),
    path("addresses/add/", a.AddressCreate.as_view(), name="ipaddress-add"),
    path("addresses/<int:pk>/", a.AddressDetail.as_view(), name="ipaddress-detail"),
    path("addresses/<int:pk>/edit/", a.AddressUpdate.as_view(), name="ipaddress-edit"),
    path(
        "addresses/<int:pk>/delete/",
        a.AddressDelete.as_view(),
        name="ipaddress-delete",
    ),
    path("policy/", z.policy, name="policy"),
    path("policy/", z.policy, name="flowrule-list"),
    path("policy/rules/add/", z.FlowRuleCreate.as_view(), name="flowrule-add"),
    path("policy/rules/<int:pk>/", z.FlowRuleDetail.as_view(), name="flowrule-detail"),
    path(
        "policy/rules/<int:pk>/edit/", z.FlowRuleUpdate.as_view(), name="flowrule-edit"
    ),
    path(
        "policy/rules/<int:pk>/delete/",
        z.FlowRuleDelete.as_view(),
        name="flowrule-delete",
    ),
]
