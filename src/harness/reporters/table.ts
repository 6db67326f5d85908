import Table from 'cli-table3';

/** Renders rows as a terminal table (the one place cli-table3 is used). */
export function renderTable(head: readonly string[], rows: readonly (readonly (string | number)[])[], widths?: readonly number[]): string {
  const table = new Table({
    head: [...head],
    style: { head: [], border: [] },
    wordWrap: true,
    ...(widths ? { colWidths: [...widths] } : {}),
  });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}
