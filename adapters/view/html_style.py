"""The page's one stylesheet (allowed by its hash in the page's Content-Security-Policy)."""

STYLE = """
:root { --named-linked: #2e7d32; --named-unlinked: #9e9d24; --anonymous: #ef6c00; --secondhand: #ef6c00;
  --unattributed: #c62828; --ink: #1d1d1f; --muted: #5f6368; --line: #e0e0e0; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fafafa; }
h1 { font-size: 1.6em; margin: 0 0 .2em; line-height: 1.25; }
h2 { font-size: 1.05em; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 1.2em 0 .4em; }
h3 { font-size: 1em; margin: 0 0 .4em; }
header { max-width: 1280px; margin: 0 auto 8px; }
.meta, .small, .claimant, .legend { color: var(--muted); }
.small { font-size: .85em; }
.verdict { font-size: 1.1em; background: #fff; border-left: 4px solid #1565c0; padding: 8px 12px; margin: 12px 0; }
.triage ol { margin: 0; padding-left: 1.4em; }
.triage li { margin: 2px 0; }
.key ul { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px;
  vertical-align: -1px; }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 32px; max-width: 1280px;
  margin: 0 auto; }
@media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
.article p { margin: 0 0 .9em; }
mark { background: none; padding: 1px 0; border-bottom: 3px solid; }
mark a { color: inherit; text-decoration: none; }
mark sup { font-size: .7em; font-weight: 700; margin-left: 1px; }
.claim { background: #fff; border: 1px solid var(--line); border-left: 6px solid; border-radius: 4px;
  padding: 12px 16px; margin: 0 0 14px; }
.claim blockquote { margin: 0 0 4px; font-style: italic; }
.claim p { margin: 4px 0; }
dl { margin: 8px 0 0; }
dt { font-weight: 600; margin-top: 6px; }
dd { margin: 0 0 0 0; }
dd ul { margin: 2px 0; padding-left: 1.2em; }
footer { max-width: 1280px; margin: 16px auto 0; border-top: 1px solid var(--line); }
.notice { font-style: italic; }
.warning { color: #8d3b00; }
a { color: #0b57d0; }
.s-named-linked { border-color: var(--named-linked); }
.s-named-unlinked { border-color: var(--named-unlinked); }
.s-anonymous { border-color: var(--anonymous); }
.s-secondhand { border-color: var(--secondhand); }
.s-unattributed { border-color: var(--unattributed); }
mark.s-named-linked { background: #e8f5e9; }
mark.s-named-unlinked { background: #f9fbe7; }
mark.s-anonymous, mark.s-secondhand { background: #fff3e0; }
mark.s-unattributed { background: #ffebee; }
.swatch.s-named-linked { background: var(--named-linked); }
.swatch.s-named-unlinked { background: var(--named-unlinked); }
.swatch.s-anonymous, .swatch.s-secondhand { background: var(--anonymous); }
.swatch.s-unattributed { background: var(--unattributed); }
.triage li.s-named-linked::marker { color: var(--named-linked); }
.triage li.s-unattributed::marker { color: var(--unattributed); }
.triage li.s-anonymous::marker, .triage li.s-secondhand::marker { color: var(--anonymous); }
"""
