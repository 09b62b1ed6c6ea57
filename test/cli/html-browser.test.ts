/**
 * The HTML report in a real browser (Debian's chromium driven by playwright-core): it loads from a file
 * without console errors or network requests, its SVG charts render with a size, hostile names stay text,
 * and a screenshot is written to the temp directory. Skipped, with a message, where chromium or
 * playwright-core is missing, so `npm test` on a fresh clone still passes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'redflag.js');
const CHROMIUM = '/usr/bin/chromium';

function hasPlaywright(): boolean {
  try {
    createRequire(import.meta.url).resolve('playwright-core');
    return true;
  } catch {
    return false;
  }
}

const missing = [!existsSync(CHROMIUM) && CHROMIUM, !hasPlaywright() && 'playwright-core'].filter(Boolean);
if (missing.length) console.warn(`html-browser test skipped: ${missing.join(' and ')} not installed (apt-get install chromium; npm ci)`);

const HOSTILE = '<script>alert(1)</script>';
const FORMULA = "=cmd|' /C calc'!A0";

function writeInputs(dir: string) {
  const bids = ['tender_id,buyer_id,buyer_name,bidder_id,bidder_name,bid_amount,is_winner,estimated_value'];
  for (let t = 1; t <= 12; t++) {
    const est = 100_000_000 + t * 7_000_000;
    const firms: [string, string, number][] = [
      ['0100109106', HOSTILE, 0.991],
      ['0101243150', FORMULA.replace(/"/g, '""'), 0.995],
      ['0102100223', 'Công ty TNHH Xây dựng Sao Việt', 0.998],
    ];
    firms.forEach(([id, name, m], i) => bids.push(`IB24${String(t).padStart(6, '0')},CITY-HOSP,"Bệnh viện ${HOSTILE}",${id},"${name}",${Math.round(est * m)},${i === 0 ? 1 : 0},${est}`));
  }
  bids.push(`IB24999999,TOWN,Town,0100109106,"${HOSTILE}",50000000,1,60000000`);
  writeFileSync(join(dir, 'bids.csv'), bids.join('\n') + '\n');
}

describe('html report in a browser', () => {
  it.skipIf(missing.length > 0)('loads offline without errors, renders its SVG charts and takes a screenshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-html-'));
    writeInputs(dir);
    const page = join(dir, 'report.html');
    const r = spawnSync(process.execPath, [bin, 'analyze', '--bids', join(dir, 'bids.csv'), '--format', 'html', '--output', page, '--fail-on', 'never', '--quiet'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const tab = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      const problems: string[] = [];
      const requests: string[] = [];
      let dialogs = 0;
      tab.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      tab.on('requestfailed', (q) => problems.push(`failed: ${q.url()}`));
      tab.on('request', (q) => requests.push(q.url()));
      tab.on('dialog', (d) => {
        dialogs++;
        void d.dismiss();
      });
      await tab.goto(`file://${page}`, { waitUntil: 'load' });

      expect(problems).toEqual([]);
      expect(requests).toEqual([`file://${page}`]);
      expect(dialogs).toBe(0);
      expect(await tab.title()).toMatch(/^redflag report: \d+ findings?/);

      // every chart has a size on the page, and its bars or points do too
      const charts = await tab.locator('figure svg').evaluateAll((svgs) =>
        svgs.map((s) => {
          const box = s.getBoundingClientRect();
          const marks = [...s.querySelectorAll('rect.bar, circle.node, circle.point')].map((m) => m.getBoundingClientRect());
          return { id: s.closest('figure')!.id, w: box.width, h: box.height, marks: marks.length, sized: marks.filter((m) => m.width > 0 && m.height > 0).length };
        }),
      );
      expect(charts.map((c) => c.id)).toEqual(expect.arrayContaining(['chart-ratio', 'chart-bidders']));
      for (const c of charts) {
        expect(c.w, c.id).toBeGreaterThan(100);
        expect(c.h, c.id).toBeGreaterThan(100);
        expect(c.sized, c.id).toBeGreaterThan(0);
      }
      // the hostile name is shown as text, not run
      expect(await tab.locator('body').innerText()).toContain(HOSTILE);
      expect(await tab.locator('script').count()).toBe(0);

      const shot = join(tmpdir(), 'redflag-report.png');
      await tab.screenshot({ path: shot, fullPage: false });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
