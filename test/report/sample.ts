/**
 * A small report with one finding of each kind the charts picture (Benford digits, a ring of firms, a
 * split-purchase burst), untrusted names in every place data can appear, and the dataset it came from.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/analyze.js';
import { loadDataset, type InputSpec } from '../../src/io/dataset.js';
import type { Dataset } from '../../src/model/dataset.js';
import { rankEntities, toFinding } from '../../src/scoring/rank.js';

export const SCRIPT = '<script>alert(1)</script>';
export const FORMULA = "=cmd|' /C calc'!A0";

export function writeFiles(files: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'redflag-report-'));
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) writeFileSync((out[name] = join(dir, name)), text);
  return out;
}

/**
 * Bids: T1 (3 bids: ACME wins at 99 of 100), T2 (ACME, BETA, GAMMA; BETA wins at 80 of 100), T3 (one bid,
 * 120 of 100), T4 (ACME and GAMMA, no estimate). Invoices: ACME issues 10 amounts starting 1,1,1,2,3,5,8,9,9,9.
 */
export const BIDS =
  'tender_id,buyer_id,buyer_name,bidder_id,bidder_name,bid_amount,is_winner,estimated_value\n' +
  `T1,CITY-HOSP,"${SCRIPT}",ACME,"${SCRIPT}",99,1,100\n` +
  `T1,CITY-HOSP,"${SCRIPT}",BETA,"${FORMULA.replace(/"/g, '""')}",101,0,100\n` +
  'T1,CITY-HOSP,x,GAMMA,Gamma Ltd,102,0,100\n' +
  'T2,CITY-HOSP,x,ACME,x,85,0,100\n' +
  'T2,CITY-HOSP,x,BETA,x,80,1,100\n' +
  'T2,CITY-HOSP,x,GAMMA,x,90,0,100\n' +
  'T3,TOWN,Town,DELTA,Delta,120,1,100\n' +
  'T4,TOWN,Town,ACME,x,50,1,\n' +
  'T4,TOWN,Town,GAMMA,x,55,0,\n';

export const INVOICES =
  'number,seller_id,buyer_id,issue_date,amount\n' +
  [1000, 1500, 1999, 2500, 3000, 5000, 8000, 9000, 9100, 9900].map((a, i) => `${i + 1},ACME,CITY-HOSP,2024-01-${String(i + 1).padStart(2, '0')},${a}`).join('\n') +
  '\n';

export async function sampleDataset(withInvoices = true): Promise<Dataset> {
  const f = writeFiles({ 'bids.csv': BIDS, 'invoices.csv': INVOICES });
  const specs: InputSpec[] = [{ kind: 'bids', path: f['bids.csv'] }];
  if (withInvoices) specs.push({ kind: 'invoices', path: f['invoices.csv'] });
  return (await loadDataset(specs)).dataset;
}

const acme = { type: 'company' as const, id: 'ACME', name: SCRIPT };
const beta = { type: 'company' as const, id: 'BETA', name: FORMULA };
const gamma = { type: 'company' as const, id: 'GAMMA', name: 'Gamma Ltd' };

export function sampleReport(): Report {
  const findings = [
    toFinding('shared-identity', {
      score: 0.9,
      title: `3 bidders in T1 share phone 0912 (${SCRIPT})`,
      entities: [{ type: 'tender', id: 'T1' }, acme, beta, gamma],
      amount: 99,
      evidence: { shared: { phone: '0912', note: SCRIPT }, [SCRIPT]: FORMULA, rows: [{ file: 'bids.csv', line: 2 }] },
      explanation: `${SCRIPT} and ${FORMULA} share a phone.`,
    }),
    toFinding('shared-identity', {
      score: 0.85,
      title: '3 bidders in T2 share phone 0912',
      entities: [{ type: 'tender', id: 'T2' }, gamma, beta, acme],
      amount: 80,
      evidence: { shared: { phone: '0912' } },
      explanation: 'The same three firms again.',
    }),
    toFinding('benford', {
      score: 0.7,
      title: `Sales of ${SCRIPT}: first digits nonconforming to Benford`,
      entities: [acme],
      key: 'seller',
      // the tested amounts by first digit: 1000 1500 1999 2500 3000 5000 8000 9000 9100 9900
      evidence: { side: 'seller', firstDigit: { n: 10, mad: 0.05, worstDigits: [{ digit: 9, actual: 0.3, expected: 0.046, z: 3.1 }], counts: [3, 1, 1, 0, 1, 0, 0, 1, 3] } },
      explanation: 'The amounts do not follow Benford.',
    }),
    toFinding('split-purchases', {
      score: 0.6,
      title: '3 awards to ACME within 20 days just under the ceiling',
      entities: [{ type: 'buyer', id: 'CITY-HOSP', name: SCRIPT }, acme],
      amount: 285,
      evidence: {
        ceiling: 100,
        contracts: [
          { tender: 'S2', amount: 96, date: '2024-03-11', ratioToCeiling: 0.96 },
          { tender: `S1 ${SCRIPT}`, amount: 95, date: '2024-03-01', ratioToCeiling: 0.95 },
          { tender: 'S3', amount: 94, date: '2024-03-21', ratioToCeiling: 0.94 },
        ],
        sum: 285,
      },
      explanation: 'One purchase may have been split.',
    }),
    toFinding('single-bidder', {
      score: 0.55,
      title: 'T3: one bid in an open tender',
      entities: [{ type: 'tender', id: 'T3' }],
      amount: 120,
      evidence: { bids: 1 },
      explanation: 'No competition.',
    }),
  ];
  const bySeverity = { high: 2, medium: 3, low: 0 };
  return {
    schemaVersion: 1,
    tool: { name: 'redflag', version: '9.9.9' },
    config: {},
    inputs: [{ path: `bids ${SCRIPT}.csv`, kind: 'bids', rows: 9, rejected: 0, columns: { bidder_name: FORMULA } }],
    detectors: [
      { id: 'shared-identity', title: 'Bidders sharing identity', family: 'group', status: 'ran', applied: 4, findings: 2, bySeverity: { high: 2, medium: 0, low: 0 }, notApplicable: { [SCRIPT]: 1 } },
      { id: 'benford', title: 'Benford', family: 'invoice', status: 'ran', applied: 1, findings: 1, bySeverity: { high: 0, medium: 1, low: 0 }, cutoffs: { mad: 0.015 } },
      { id: 'split-purchases', title: 'Split purchases', family: 'threshold', status: 'ran', applied: 3, findings: 1, bySeverity: { high: 0, medium: 1, low: 0 } },
      { id: 'single-bidder', title: 'Single bidder', family: 'competition', status: 'ran', applied: 4, findings: 1, bySeverity: { high: 0, medium: 1, low: 0 } },
      { id: 'circular-invoicing', title: 'Circular invoicing', family: 'invoice', status: 'skipped', reason: `missing: ${SCRIPT}` },
    ],
    findings,
    entities: rankEntities(findings),
    summary: { findings: 5, bySeverity, detectors: { ran: 4, skipped: 1, error: 0 } },
    warnings: [`odd value ${SCRIPT}`],
  };
}

/** A report with nothing found and no bids: the coverage chart is the only picture. */
export function emptyReport(): Report {
  return {
    ...sampleReport(),
    findings: [],
    entities: [],
    detectors: [{ id: 'benford', title: 'Benford', family: 'invoice', status: 'ran', applied: 7, findings: 0, bySeverity: { high: 0, medium: 0, low: 0 } }],
    summary: { findings: 0, bySeverity: { high: 0, medium: 0, low: 0 }, detectors: { ran: 1, skipped: 0, error: 0 } },
    warnings: [],
  };
}
