"""The one report view: what every front end shows, in which order, with which words and links.

``words`` holds the sentences and labels, ``links`` the link policy, ``split`` the text splitter,
``report`` turns a Report into a platform-neutral view, ``triage`` picks what an editor reads first
and ``html`` renders the full report as a self-contained page. Platform renderers (terminal, Slack,
Discord) only escape, mark up and pack what the view gives them.
"""
