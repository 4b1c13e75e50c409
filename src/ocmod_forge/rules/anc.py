"""ANC — OCMOD anchors simulated against real OpenCart trees."""

from __future__ import annotations
