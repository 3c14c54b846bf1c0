"""Workshops: staff plan an event, invite respondents who agreed to be contacted (chosen with the workspace's
filters), invitees answer yes or no from a personal link, places fill and a waiting list forms, and after the
event its notes become workshop evidence linked to it."""
