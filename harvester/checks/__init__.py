"""The checks of `harvester.conformance`, one module per part of the protocol they probe.

Every module takes a `probe.Probe` (which asks the endpoint and checks each response's envelope on
the way in) and writes its verdicts to the probe's `findings.Findings`; `harvester.conformance`
runs them in order and turns the findings into a report.
"""
