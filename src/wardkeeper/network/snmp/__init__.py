"""Reading switches and routers over SNMP for the network area: interfaces,
counters, LLDP neighbours, ARP and forwarding tables.

Plain asyncio on top of the monitoring engine's SNMP client
(``monitoring.engine.probes.snmp_client``); no Django here, so the same
functions serve the periodic poll, the where-is query and the tests.
"""
