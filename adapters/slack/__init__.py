"""Slack adapter: paste an article link in a channel, get the fact-check in its thread.

``adapters.slack.main.run`` starts it (Socket Mode or HTTP); ``adapters.slack.app.build_app`` builds
the slack-bolt ``AsyncApp`` with every listener registered; ``adapters.slack.front`` answers.
"""
