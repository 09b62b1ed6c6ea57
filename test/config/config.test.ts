import { describe, expect, it } from 'vitest';
import { applyConfigFile, applySelection, applySets, checkParam, defaultConfig, initText } from '../../src/config/config.js';
import { DETECTORS } from '../../src/detectors/index.js';
import { UsageError } from '../../src/io/errors.js';

const base = defaultConfig(DETECTORS);

describe('config', () => {
  it('defaults hold every detector parameter', () => {
    for (const d of DETECTORS) for (const [k, s] of Object.entries(d.params)) expect(base.detectors[d.id].params[k]).toEqual(s.default);
  });

  it('a JSON-with-comments file overrides defaults; --set overrides the file', () => {
    const cfg = applyConfigFile(base, '// c\n{ "detectors": { "near-estimate-win": { "ratio": 0.98, /* x */ } }, }', 'c.jsonc', DETECTORS);
    expect(cfg.detectors['near-estimate-win'].params.ratio).toBe(0.98);
    const set = applySets(cfg, ['near-estimate-win.ratio=0.995'], DETECTORS);
    expect(set.detectors['near-estimate-win'].params.ratio).toBe(0.995);
    expect(base.detectors['near-estimate-win'].params.ratio).toBe(0.99);
  });

  it('rejects unknown detectors, parameters, settings and bad values with a usage error', () => {
    expect(() => applyConfigFile(base, '{"detectors": {"nope": {}}}', 'c', DETECTORS)).toThrow(/unknown detector "nope"/);
    expect(() => applyConfigFile(base, '{"detectors": {"single-bidder": {"x": 1}}}', 'c', DETECTORS)).toThrow(/unknown parameter "x"/);
    expect(() => applyConfigFile(base, '{"colour": true}', 'c', DETECTORS)).toThrow(/unknown setting "colour"/);
    expect(() => applyConfigFile(base, '{ "detectors": ', 'c', DETECTORS)).toThrow(UsageError);
    expect(() => applySets(base, ['repeat-winner.min_awards=2.5'], DETECTORS)).toThrow(/whole number/);
    expect(() => applySets(base, ['repeat-winner.min_share=-1'], DETECTORS)).toThrow(/≥ 0/);
    expect(() => applySets(base, ['single-bidder.procedures=open,auction'], DETECTORS)).toThrow(/unknown value "auction"/);
    expect(() => applySets(base, ['nonsense'], DETECTORS)).toThrow(/detector.param=value/);
  });

  it('coerces --set strings by the parameter type', () => {
    expect(checkParam('d', 'p', { default: true, description: '' }, 'false')).toBe(false);
    expect(checkParam('d', 'p', { default: ['a'], description: '' }, 'a, b')).toEqual(['a', 'b']);
    expect(checkParam('d', 'p', { default: 1, description: '' }, '2.5')).toBe(2.5);
  });

  it('--detectors keeps only those, --exclude drops', () => {
    const only = applySelection(base, ['single-bidder'], undefined, DETECTORS);
    expect(Object.entries(only.detectors).filter(([, d]) => d.enabled).map(([id]) => id)).toEqual(['single-bidder']);
    const ex = applySelection(base, undefined, ['single-bidder'], DETECTORS);
    expect(ex.detectors['single-bidder'].enabled).toBe(false);
    expect(ex.detectors['repeat-winner'].enabled).toBe(true);
  });

  it('init text parses back to the defaults', () => {
    const cfg = applyConfigFile(base, initText(DETECTORS), 'init', DETECTORS);
    expect(cfg.detectors).toEqual(base.detectors);
    expect(cfg.tables).toEqual(base.tables);
  });

  it('validates legal tables', () => {
    expect(() => applyConfigFile(base, '{"tables": {"designated_ceilings": [{"from": "2025", "recurrent": 1}]}}', 'c', DETECTORS)).toThrow(/yyyy-mm-dd/);
    const cfg = applyConfigFile(base, '{"tables": {"invoice_only_ceiling": 1000}}', 'c', DETECTORS);
    expect(cfg.tables.invoice_only_ceiling).toBe(1000);
    expect(cfg.tables.designated_ceilings.length).toBe(4);
  });
});
