/** One series of a bar chart. */
export interface Series {
  name: string;
  color: string;
  values: number[];
}

/** A bar chart: one group per label; several series stack. */
export interface BarChart {
  title: string;
  unit: string;
  labels: string[];
  series: Series[];
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const fmt = (n: number) =>
  Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en-US") : Number(n.toPrecision(3)).toString();

/** A stacked bar chart as inline SVG (no script, no external assets). */
export function svgBarChart(chart: BarChart, width = 760, height = 280): string {
  const pad = { left: 70, right: 16, top: 16, bottom: 48 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const totals = chart.labels.map((_, i) =>
    chart.series.reduce((s, se) => s + Math.max(0, se.values[i] ?? 0), 0),
  );
  const max = Math.max(1e-9, ...totals);
  const band = w / Math.max(1, chart.labels.length);
  const barW = Math.max(2, band * 0.7);
  const parts: string[] = [];
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4;
    const y = pad.top + h - (h * t) / 4;
    parts.push(`<line x1="${pad.left}" x2="${pad.left + w}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${pad.left - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#6b7280">${esc(fmt(v))}</text>`,
    );
  }
  chart.labels.forEach((label, i) => {
    const x = pad.left + band * i + (band - barW) / 2;
    let y = pad.top + h;
    for (const se of chart.series) {
      const v = Math.max(0, se.values[i] ?? 0);
      const bh = (h * v) / max;
      y -= bh;
      if (bh > 0) {
        parts.push(
          `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${bh.toFixed(1)}" fill="${se.color}"><title>${esc(`${label} · ${se.name}: ${fmt(v)} ${chart.unit}`)}</title></rect>`,
        );
      }
    }
    if (chart.labels.length <= 40 || i % Math.ceil(chart.labels.length / 40) === 0) {
      parts.push(
        `<text x="${(x + barW / 2).toFixed(1)}" y="${pad.top + h + 16}" text-anchor="middle" font-size="11" fill="#374151">${esc(label)}</text>`,
      );
    }
  });
  const legend = chart.series
    .map(
      (se, i) =>
        `<rect x="${pad.left + i * 170}" y="${height - 18}" width="10" height="10" fill="${se.color}"/><text x="${pad.left + i * 170 + 14}" y="${height - 9}" font-size="11" fill="#374151">${esc(se.name)}</text>`,
    )
    .join("");
  return `<figure><figcaption>${esc(chart.title)} <span class="unit">(${esc(chart.unit)})</span></figcaption><svg class="chart" role="img" aria-label="${esc(chart.title)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}${legend}</svg></figure>`;
}

/** One self-contained HTML page: title, key figures, charts and an HTML table. */
export function renderReport(page: {
  title: string;
  subtitle: string;
  figures: [string, string][];
  charts: BarChart[];
  table: { head: string[]; rows: (string | number)[][] };
}): string {
  const figures = page.figures
    .map(([k, v]) => `<div class="fig"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div></div>`)
    .join("");
  const head = page.table.head.map((h) => `<th>${esc(h)}</th>`).join("");
  const rows = page.table.rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(String(c))}</td>`).join("")}</tr>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(page.title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;color:#111827;margin:32px;max-width:900px}
h1{font-size:22px;margin:0 0 4px}.sub{color:#6b7280;margin-bottom:20px}
.figs{display:flex;gap:16px;flex-wrap:wrap;margin:16px 0 24px}.fig{border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;min-width:150px}
.k{color:#6b7280;font-size:12px}.v{font-size:20px;font-weight:600}
figure{margin:0 0 28px}figcaption{font-weight:600;margin-bottom:6px}.unit{color:#6b7280;font-weight:400}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}
</style></head><body>
<h1>${esc(page.title)}</h1><div class="sub">${esc(page.subtitle)}</div>
<div class="figs">${figures}</div>
${page.charts.map((c) => svgBarChart(c)).join("\n")}
<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>
</body></html>
`;
}
