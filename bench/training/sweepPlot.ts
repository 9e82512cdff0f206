/**
 * A line plot of test Dice against a budget, one line per method (mean over seeds, each seed's point shown), written
 * as SVG and rendered to PNG with the machine's Chromium when it is installed.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { launchBrowser } from '../../tests/e2e/support/launchBrowser';

export interface PlotSeries {
  name: string;
  points: { x: number; y: number }[];
}

const colours = ['#d62728', '#9467bd', '#1f77b4', '#2ca02c', '#ff7f0e', '#8c564b'];

export async function renderSweepPlot(
  basePath: string,
  title: string,
  xLabel: string,
  series: PlotSeries[],
  /** The top of the Dice axis (1 unless the curves stay low). */
  yMax = 1
): Promise<string[]> {
  const svg = buildSvg(title, xLabel, series, yMax);
  const written = [`${basePath}.svg`];
  writeFileSync(`${basePath}.svg`, svg);
  if (existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: plotWidth(series), height: 560 } });
      await page.setContent(`<html><body style="margin:0;background:#fff">${svg}</body></html>`);
      await page.screenshot({ path: `${basePath}.png` });
      written.push(`${basePath}.png`);
    } finally {
      await browser.close();
    }
  }
  return written;
}

/** Wide enough for the longest legend entry (about 7 px a character at 13 px). */
function plotWidth(series: PlotSeries[]): number {
  return 670 + Math.max(230, 70 + 7 * Math.max(0, ...series.map((s) => s.name.length)));
}

function buildSvg(title: string, xLabel: string, series: PlotSeries[], yMax: number): string {
  const width = plotWidth(series);
  const height = 560;
  const margin = { left: 70, right: width - 670, top: 50, bottom: 60 };
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const xMax = Math.max(1, ...xs);
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const px = (x: number) => margin.left + (x / xMax) * plotW;
  const py = (y: number) => margin.top + (1 - y / yMax) * plotH;
  const parts: string[] = [];
  parts.push(
    `<text x="${width / 2}" y="28" text-anchor="middle" font-size="15" font-family="sans-serif">${escape(title)}</text>`
  );
  for (let i = 0; i <= 10; i++) {
    const y = (i / 10) * yMax;
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${py(y)}" y2="${py(y)}" stroke="#e5e5e5"/>`);
    parts.push(
      `<text x="${margin.left - 8}" y="${py(y) + 4}" text-anchor="end" font-size="12" font-family="sans-serif">${y.toFixed(yMax < 1 ? 2 : 1)}</text>`
    );
  }
  const ticks = [...new Set([0, ...xs])].sort((a, b) => a - b);
  for (const x of ticks) {
    parts.push(
      `<text x="${px(x)}" y="${margin.top + plotH + 18}" text-anchor="middle" font-size="12" font-family="sans-serif">${x}</text>`
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`
  );
  parts.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 18}" text-anchor="middle" font-size="13" font-family="sans-serif">${escape(xLabel)}</text>`
  );
  parts.push(
    `<text x="18" y="${margin.top + plotH / 2}" transform="rotate(-90 18 ${margin.top + plotH / 2})" text-anchor="middle" font-size="13" font-family="sans-serif">test Dice</text>`
  );
  series.forEach((s, index) => {
    const colour = colours[index % colours.length]!;
    const byX = new Map<number, number[]>();
    for (const p of s.points) byX.set(p.x, [...(byX.get(p.x) ?? []), p.y]);
    const means = [...byX.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([x, ys]) => ({ x, y: ys.reduce((a, b) => a + b, 0) / ys.length }));
    if (means.length > 1) {
      parts.push(
        `<polyline fill="none" stroke="${colour}" stroke-width="2.5" points="${means.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')}"/>`
      );
    }
    for (const p of s.points)
      parts.push(`<circle cx="${px(p.x)}" cy="${py(p.y)}" r="3.5" fill="${colour}" fill-opacity="0.6"/>`);
    const legendY = margin.top + 20 + index * 24;
    parts.push(
      `<line x1="${width - margin.right + 20}" x2="${width - margin.right + 48}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="3"/>`
    );
    parts.push(
      `<text x="${width - margin.right + 56}" y="${legendY + 4}" font-size="13" font-family="sans-serif">${escape(s.name)}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
