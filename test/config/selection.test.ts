/** --set values as typed, detector selection and its reasons, column-map table names, messages naming the config file. */
import { describe, expect, it } from 'vitest';
import { applyConfigFile, applySelection, applySets, checkMapTables, checkSomeEnabled, defaultConfig } from '../../src/config/config.js';
import { DETECTORS } from '../../src/detectors/index.js';
import { UsageError } from '../../src/io/errors.js';

const base = defaultConfig(DETECTORS);

describe('--set values', () => {
  it('a list as JSON, comma-separated or one JSON string', () => {
    for (const v of ['["open","restricted"]', 'open,restricted', ' ["open", "restricted"] '])
      expect(applySets(base, [`single-bidder.procedures=${v}`], DETECTORS).detectors['single-bidder'].params.procedures).toEqual(['open', 'restricted']);
    expect(applySets(base, ['single-bidder.procedures="open"'], DETECTORS).detectors['single-bidder'].params.procedures).toEqual(['open']);
    expect(applySets(base, ['single-bidder.procedures=[]'], DETECTORS).detectors['single-bidder'].params.procedures).toEqual([]);
  });

  it('a string as written or JSON-quoted, as `redflag detectors` shows it', () => {
    expect(applySets(base, ['bid-screens.combine="geometric"'], DETECTORS).detectors['bid-screens'].params.combine).toBe('geometric');
    expect(applySets(base, ['bid-screens.combine=geometric'], DETECTORS).detectors['bid-screens'].params.combine).toBe('geometric');
  });

  it('bad JSON, wrong element types and unknown values are usage errors naming the parameter', () => {
    expect(() => applySets(base, ['single-bidder.procedures=["open",'], DETECTORS)).toThrow(/single-bidder\.procedures: .*not valid JSON/);
    expect(() => applySets(base, ['single-bidder.procedures=[1,2]'], DETECTORS)).toThrow(/single-bidder\.procedures must be a list of strings/);
    expect(() => applySets(base, ['single-bidder.procedures=["open","auction"]'], DETECTORS)).toThrow(/unknown value "auction"/);
    expect(() => applySets(base, ['single-bidder.procedures={"a":1}'], DETECTORS)).toThrow(UsageError);
  });
});

describe('detector selection', () => {
  it('records why a detector is left out', () => {
    const only = applySelection(base, ['single-bidder'], undefined, DETECTORS);
    expect(only.detectors['repeat-winner']).toMatchObject({ enabled: false, disabledBy: 'not selected (--detectors)' });
    expect(only.detectors['single-bidder'].disabledBy).toBeUndefined();
    const ex = applySelection(base, undefined, ['repeat-winner'], DETECTORS);
    expect(ex.detectors['repeat-winner']).toMatchObject({ enabled: false, disabledBy: 'disabled (--exclude)' });
    const file = applyConfigFile(base, '{"detectors": {"repeat-winner": {"enabled": false}}}', 'my.jsonc', DETECTORS);
    expect(file.detectors['repeat-winner']).toMatchObject({ enabled: false, disabledBy: 'disabled in the config (my.jsonc)' });
    // --detectors wins over the file, as before
    expect(applySelection(file, ['repeat-winner'], undefined, DETECTORS).detectors['repeat-winner']).toMatchObject({ enabled: true });
    expect(applySelection(file, ['repeat-winner'], undefined, DETECTORS).detectors['repeat-winner'].disabledBy).toBeUndefined();
    const set = applySets(base, ['repeat-winner.enabled=false'], DETECTORS);
    expect(set.detectors['repeat-winner'].disabledBy).toBe('disabled (--set repeat-winner.enabled=false)');
  });

  it('nothing left to run is a usage error saying which choice left none', () => {
    const none = applySelection(base, ['single-bidder'], ['single-bidder'], DETECTORS);
    expect(() => checkSomeEnabled(none, ['single-bidder'], ['single-bidder'])).toThrow(
      'no detector left to run: --exclude single-bidder removes every detector chosen with --detectors single-bidder',
    );
    const all = applySelection(base, undefined, DETECTORS.map((d) => d.id), DETECTORS);
    expect(() => checkSomeEnabled(all, undefined, DETECTORS.map((d) => d.id))).toThrow(/no detector left to run: --exclude/);
    expect(() => checkSomeEnabled(base)).not.toThrow();
  });
});

describe('messages about the config file and column maps', () => {
  it('an unknown detector or parameter in the file names the file', () => {
    expect(() => applyConfigFile(base, '{"detectors": {"singel-bidder": {}}}', 'team.jsonc', DETECTORS)).toThrow(/^team\.jsonc: unknown detector "singel-bidder"/);
    expect(() => applyConfigFile(base, '{"detectors": {"single-bidder": {"x": 1}}}', 'team.jsonc', DETECTORS)).toThrow(/^team\.jsonc: unknown parameter "x"/);
  });

  it('records which file set max_reject_rate', () => {
    expect(applyConfigFile(base, '{"max_reject_rate": 0.01}', 'team.jsonc', DETECTORS).setIn).toEqual({ max_reject_rate: 'team.jsonc' });
    expect(base.setIn).toBeUndefined();
  });

  it('a per-table map under a name that is not a table says so', () => {
    expect(() => checkMapTables({ bid: { Gói: 'tender_id' } }, 'map.json')).toThrow('map.json: "bid" is not a table (bids, tenders, companies, invoices)');
    expect(() => applyConfigFile(base, '{"columns": {"invoice": {"Paid Date": "issue_date"}}}', 'team.jsonc', DETECTORS)).toThrow(/^team\.jsonc: "invoice" is not a table/);
    expect(() => checkMapTables({ invoices: { 'Paid Date': 'issue_date' } }, 'map.json')).not.toThrow();
    expect(() => checkMapTables({ 'Paid Date': 'issue_date', Type: null }, 'map.json')).not.toThrow();
  });
});
