"""ultimatum: demands, responses and escalation signals in the Russia-NATO
security-guarantees crisis, extracted from news articles with evidence."""

__version__ = "0.1.0"
