/** The report's stylesheet, inlined: system fonts only, so the page never fetches anything. */
export const REPORT_CSS = `
:root { --ok: #15803d; --ok-bg: #dcfce7; --bad: #b91c1c; --bad-bg: #fee2e2; --warn: #a16207; --warn-bg: #fef3c7;
  --muted: #64748b; --line: #e2e8f0; --panel: #f8fafc; --ink: #0f172a; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h4 { font-size: 14px; margin: 14px 0 6px; }
h5 { font-size: 13px; margin: 10px 0 2px; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 6px 0; white-space: pre-wrap; word-break: break-word; max-height: 360px; overflow: auto; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.meta { color: var(--muted); font-weight: normal; }
.note { color: var(--muted); font-size: 13px; }
.run-facts { color: var(--muted); margin: 0 0 18px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(124px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; background: var(--panel); }
.card .value { display: block; font-size: 24px; white-space: nowrap; font-weight: 650; line-height: 1.2; }
.card .name { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card.good .value { color: var(--ok); } .card.bad .value { color: var(--bad); } .card.warn .value { color: var(--warn); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 12px; padding-top: 6px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); font-weight: 600; white-space: nowrap; }
table.scenarios tr[data-scenario] td:first-child { white-space: nowrap; }
tr.reason-row td { border-top: 0; padding-top: 0; color: var(--bad); font-size: 12px; white-space: pre-wrap; word-break: break-word; }
table.scenarios tr:has(+ tr.reason-row) td { border-bottom: 0; }
.table-wrap { overflow-x: auto; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.badge.passed, .badge.pass { background: var(--ok-bg); color: var(--ok); }
.badge.failed, .badge.fail { background: var(--bad-bg); color: var(--bad); }
.badge.error, .badge.infra, .badge.skipped { background: var(--warn-bg); color: var(--warn); }
.envelope-badge { background: var(--bad-bg); color: var(--bad); }
.class-flaky { color: var(--warn); font-weight: 600; } .class-stable_fail { color: var(--bad); font-weight: 600; }
.gates li.fail { color: var(--bad); }
.gates li.info { color: var(--muted); }
.charts { display: flex; flex-direction: column; align-items: flex-start; gap: 18px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 10px; padding: 10px 8px; background: #fff; max-width: 100%; overflow-x: auto; }
figure.chart figcaption { font-weight: 600; margin: 0 4px 4px; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
svg text { font: 11px system-ui, sans-serif; fill: #334155; }
svg text.tick { fill: var(--muted); font-size: 10px; }
svg text.value { fill: #334155; font-size: 10px; }
svg .grid { stroke: #eef2f7; } svg .row { stroke: #f1f5f9; }
svg .p50 { fill: #93c5fd; } svg .p95 { fill: #3b82f6; } svg .p99 { fill: #1e3a8a; }
svg .dot { fill-opacity: .8; stroke: #fff; stroke-width: 1; } svg .dot.pass { fill: #16a34a; } svg .dot.fail { fill: #dc2626; }
svg .median { stroke: #0f172a; stroke-width: 2; }
.toolbar { display: flex; gap: 10px; align-items: center; margin-bottom: 10px; }
button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); cursor: pointer; }
details.scenario { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; background: #fff; }
details.scenario > summary { cursor: pointer; padding: 8px 12px; }
details.scenario[open] > summary { border-bottom: 1px solid var(--line); background: var(--panel); border-radius: 8px 8px 0 0; }

.scenario-body { padding: 4px 16px 12px; }
.description { white-space: pre-wrap; }
section.trial { border-left: 3px solid var(--line); padding-left: 12px; margin: 12px 0; }
section.trial.pass { border-left-color: #86efac; } section.trial.fail { border-left-color: #fca5a5; } section.trial.infra { border-left-color: #fcd34d; }
ol.steps { list-style: none; padding: 0; margin: 6px 0; }
li.step { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
li.step.model { border-left: 4px solid #6366f1; } li.step.tool { border-left: 4px solid #0d9488; }
li.step.error { border-left: 4px solid var(--bad); background: #fffafa; } li.step.answer { border-left: 4px solid var(--ok); }
.step-head { display: flex; justify-content: space-between; gap: 12px; font-weight: 600; }
.timing { color: var(--muted); font-weight: normal; font-variant-numeric: tabular-nums; }
.track { position: relative; height: 6px; background: #f1f5f9; border-radius: 3px; margin: 4px 0 6px; }
.track .span { position: absolute; top: 0; height: 6px; border-radius: 3px; background: #94a3b8; }
.track .span.model { background: #6366f1; } .track .span.tool { background: #0d9488; } .track .span.error { background: var(--bad); } .track .span.answer { background: var(--ok); }
dl.envelope { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; padding: 8px 10px; background: var(--bad-bg); border: 1px solid #fca5a5; border-radius: 6px; }
dl.envelope dt { font-weight: 600; color: var(--bad); } dl.envelope dd { margin: 0; } dl.envelope ul { margin: 0; padding-left: 18px; }
.error-text { color: var(--bad); white-space: pre-wrap; }
.answer, .model-text { white-space: pre-wrap; margin: 4px 0; }
ul.problems { color: var(--bad); }
ul.problems pre.diff { color: var(--ink); }
.badge.drift-contract { background: var(--bad-bg); color: var(--bad); } .badge.drift-data, .badge.drift-prompt, .badge.drift-tools_added { background: var(--warn-bg); color: var(--warn); } ul.drift { list-style: none; padding: 0; } ul.drift li { margin-bottom: 10px; }
ul.grades li.fail, ul.phrasings li.fail { color: var(--bad); } ul.phrasings { list-style: none; margin: 0; padding: 0; } ul.phrasings q { color: var(--muted, #555); }
`;
