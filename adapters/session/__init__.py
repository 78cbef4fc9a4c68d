"""The one check session every front end (Slack, Discord, the CLI) runs through."""
