import { createHash } from 'node:crypto';
import { REPORT_CSS } from '../reporters/html-style.ts';
import { escapeHtml as esc } from '../reporters/report-format.ts';

const VIEWER_CSS = `${REPORT_CSS}
nav.crumbs { margin: 0 0 14px; color: var(--muted); }
table.runs td.reason { color: var(--bad); }
tr.unreadable td { color: var(--muted); }
form.pick { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin: 14px 0; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; background: var(--panel); }
form.pick select { font: inherit; padding: 2px 6px; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
td.delta.worse { color: var(--bad); font-weight: 600; } td.delta.better { color: var(--ok); font-weight: 600; }
tr[data-kind="newly_failing"] td:first-child, tr[data-kind="pass_k_drop"] td:first-child { border-left: 3px solid var(--bad); }
tr[data-kind="fix"] td:first-child { border-left: 3px solid var(--ok); }
p.empty { color: var(--muted); }
`;

// The viewer's pages carry no script at all; their one stylesheet is allowed by hash, and a form
// may only submit to the viewer itself.
const STYLE_HASH = createHash('sha256').update(VIEWER_CSS).digest('base64');

/** The Content-Security-Policy of every page the viewer renders itself, as its <meta> holds it. */
export const VIEWER_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src data:; base-uri 'none'; form-action 'self'`;

/** The same policy as the response header, which alone can forbid framing. */
export const VIEWER_CSP_HEADER = `${VIEWER_CSP}; frame-ancestors 'none'`;

/** A whole self-contained page: `title` is text (escaped here), `body` is HTML already escaped by its builder. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${VIEWER_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>${VIEWER_CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The URL path of a run's folder, each part encoded. */
export function runHref(id: string, file = ''): string {
  return `/runs/${encodeURIComponent(id)}/${file}`;
}

/** The URL of a scenario's row in a run's report.html (its script opens #scenario-<id>). */
export function scenarioHref(runId: string, scenario: string): string {
  return `${runHref(runId)}#scenario-${encodeURIComponent(scenario)}`;
}

/** A page that says what went wrong, with a way back to the list. */
export function errorPage(title: string, message: string): string {
  return htmlPage(
    title,
    `<nav class="crumbs"><a href="/">← all runs</a></nav><h1>${esc(title)}</h1><p class="error-text" data-error>${esc(message)}</p>`,
  );
}
