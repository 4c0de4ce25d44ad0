// The chart of seed demo 2: per-message cost against the number of events, one line per layout
// (partitions × inventory instances), log scale on the count. Self-contained HTML + SVG, no library.
export interface ScalingPoint {
  partitions: number;
  consumers: number;
  events: number;
  perMessageMs: number;
  eventsPerSecond: number;
}

const COLORS = ['#2457c5', '#c0262d', '#1a7f37', '#8250df', '#bf8700', '#0a7ea4', '#6e7781', '#d1242f'];

export function scalingChartPage(report: { command: string; date: string; rows: ScalingPoint[] }): string {
  const layouts = [...new Set(report.rows.map((row) => `${row.partitions}×${row.consumers}`))];
  const counts = [...new Set(report.rows.map((row) => row.events))].sort((a, b) => a - b);
  const width = 900;
  const height = 360;
  const pad = 56;
  const maxMs = Math.max(0.001, ...report.rows.map((row) => row.perMessageMs));
  const [low, high] = [Math.log10(counts[0]), Math.log10(counts[counts.length - 1])];
  const x = (events: number) => pad + ((width - 2 * pad) * (Math.log10(events) - low)) / Math.max(1e-9, high - low);
  const y = (ms: number) => height - pad - ((height - 2 * pad) * ms) / maxMs;
  const lines = layouts
    .map((layout, index) => {
      const color = COLORS[index % COLORS.length];
      const points = report.rows
        .filter((row) => `${row.partitions}×${row.consumers}` === layout)
        .sort((a, b) => a.events - b.events)
        .map((row) => `${x(row.events).toFixed(1)},${y(row.perMessageMs).toFixed(1)}`);
      const [partitions, consumers] = layout.split('×');
      const legend = `<text x="${width - pad + 6}" y="${pad + index * 16}" font-size="11" fill="${color}">${partitions} partitions, ${consumers} instance(s)</text>`;
      return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>${legend}`;
    })
    .join('');
  const ticks = counts
    .map((events) => `<text x="${x(events).toFixed(1)}" y="${height - pad + 16}" font-size="11" text-anchor="middle">${events.toLocaleString('en')}</text>`)
    .join('');
  const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html><html><head><meta charset="utf-8"><title>time vs message count</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5rem;color:#1d2330}svg{background:#fff;border:1px solid #dde1e6}</style></head><body>
<h1>Per-message cost against message count</h1><p><code>${esc(report.command)}</code> · ${esc(report.date)}</p>
<p>Total processing time ÷ events (ms per message), for a burst of OrderCreated events through inventory-service. Flat = linear scaling.</p>
<svg width="${width + 170}" height="${height}" viewBox="0 0 ${width + 170} ${height}">
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#999"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#999"/>
<text x="${pad - 6}" y="${pad + 4}" font-size="11" text-anchor="end">${maxMs.toFixed(2)} ms</text><text x="${pad - 6}" y="${height - pad}" font-size="11" text-anchor="end">0</text>
<text x="${width / 2}" y="${height - 14}" font-size="11" text-anchor="middle">events (log scale)</text>${ticks}${lines}</svg></body></html>
`;
}
