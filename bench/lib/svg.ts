/**
 * A hand-written horizontal grouped bar chart: one group per client, one bar
 * per series, a dashed line at 1 (the baseline). Plain SVG with its own
 * white background, so it reads the same in light and dark page themes.
 */

export interface ChartGroup {
  readonly label: string;
  /** One value per series; null draws no bar (the client did not run there). */
  readonly values: readonly (number | null)[];
}

export interface Chart {
  readonly title: string;
  readonly subtitle: string;
  readonly series: readonly string[];
  readonly groups: readonly ChartGroup[];
  /** Where the dashed reference line is drawn, and its label. */
  readonly reference: { readonly value: number; readonly label: string };
}

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759'];
const WIDTH = 760;
const LABEL_W = 170;
const PLOT_X = LABEL_W + 10;
const PLOT_W = WIDTH - PLOT_X - 70; // room on the right for the value of the longest bar
const BAR_H = 13;
const BAR_GAP = 3;
const GROUP_GAP = 12;
const TOP = 66;
const STEPS = [0.25, 0.5, 1, 2, 5, 10, 20, 50];

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function barChart(chart: Chart): string {
  const n = chart.series.length;
  const groupH = n * BAR_H + (n - 1) * BAR_GAP + GROUP_GAP;
  const plotH = chart.groups.length * groupH;
  const height = TOP + plotH + 40;
  const all = chart.groups.flatMap((g) => g.values.filter((v): v is number => v !== null));
  // About eight grid lines whatever the range; the axis ends on a grid line past the largest value.
  const largest = Math.max(chart.reference.value * 1.1, ...all);
  const step = STEPS.find((st) => largest / st <= 8) ?? Math.ceil(largest / 8);
  const top = Math.ceil(largest / step) * step;
  const x = (v: number): number => PLOT_X + (v / top) * PLOT_W;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12" role="img" aria-label="${esc(chart.title)}">`,
    `<title>${esc(chart.title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600" fill="#222">${esc(chart.title)}</text>`,
    `<text x="12" y="40" fill="#555">${esc(chart.subtitle)}</text>`,
  ];
  chart.series.forEach((name, i) => {
    const lx = PLOT_X + i * 190;
    out.push(`<rect x="${lx}" y="48" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`);
    out.push(`<text x="${lx + 17}" y="58" fill="#333">${esc(name)}</text>`);
  });
  for (let t = 0; t <= top + 1e-9; t += step) {
    const tx = x(t).toFixed(1);
    out.push(`<line x1="${tx}" y1="${TOP - 4}" x2="${tx}" y2="${TOP + plotH}" stroke="#e6e6e6"/>`);
    out.push(
      `<text x="${tx}" y="${TOP + plotH + 16}" text-anchor="middle" fill="#666">${t.toFixed(2)}</text>`,
    );
  }
  chart.groups.forEach((g, gi) => {
    const gy = TOP + gi * groupH;
    const mid = gy + (n * BAR_H + (n - 1) * BAR_GAP) / 2;
    out.push(
      `<text x="${LABEL_W}" y="${(mid + 4).toFixed(1)}" text-anchor="end" fill="#222">${esc(g.label)}</text>`,
    );
    g.values.forEach((v, si) => {
      const y = gy + si * (BAR_H + BAR_GAP);
      if (v === null) return;
      const w = Math.max(1, x(v) - PLOT_X);
      out.push(
        `<rect x="${PLOT_X}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${COLORS[si % COLORS.length]}"/>`,
      );
      out.push(
        `<text x="${(PLOT_X + w + 4).toFixed(1)}" y="${y + BAR_H - 2}" fill="#333">${v.toFixed(2)}×</text>`,
      );
    });
  });
  const rx = x(chart.reference.value).toFixed(1);
  out.push(
    `<line x1="${rx}" y1="${TOP - 4}" x2="${rx}" y2="${TOP + plotH}" stroke="#222" stroke-dasharray="4 3"/>`,
    `<text x="${rx}" y="${TOP + plotH + 32}" text-anchor="middle" fill="#222">${esc(chart.reference.label)}</text>`,
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}
