"""Twilio channel adapters: parse a signed webhook, call the core, answer with TwiML."""
