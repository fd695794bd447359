/**
 * Markdown tables padded the way Biome formats them, so the generated
 * RESULTS.md passes `biome check` (CI lints the whole repository) as written.
 */

export type Align = 'left' | 'right';

export function markdownTable(
  head: readonly string[],
  align: readonly Align[],
  rows: readonly string[][],
): string {
  const widths = head.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (text: string, i: number): string =>
    align[i] === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  const line = (cells: readonly string[]): string =>
    `| ${widths.map((_, i) => cell(cells[i] ?? '', i)).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}
