"""The network's source of truth: racks, frames, panels, outlets, interfaces
and cables (physical); VLANs, prefixes and addresses (logical); zones and the
flows allowed between them, verified from pollers inside each zone."""
