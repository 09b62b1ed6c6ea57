/**
 * Reading an OCDS file (Open Contracting Data Standard) into the canonical tables: a release package, a
 * record package, JSON Lines of releases, records or compiled releases (or of packages), a JSON array of
 * releases, or one release or record.
 *
 * The file is opened as any input (source.ts: gzip, standard input, encoding) and scanned one item at a
 * time (json-items.ts), so a package larger than one string is read too. Each release is cut down to the
 * fields the mapping reads and held by ocid until the end of the file, where the releases of each ocid are
 * merged (ocds-merge.ts; a record's compiledRelease is used as it is) and mapped to rows (ocds-map.ts). The
 * rows go through the CSV loader's column builders (load.ts canonicalRows): the model does not know the
 * file was JSON, and the detectors do not know how it was read.
 */
import { InputError } from './errors.js';
import { JsonItemSplitter, JsonSyntaxError, type JsonItemHandlers } from './json-items.js';
import { canonicalRows, ReadAborted, type CanonicalRows, type ParsedTable, type ReadOptions, type RejectedRow } from './load.js';
import { compile, isObject, project, READ_SHAPE, type Json, type JsonObject } from './ocds-merge.js';
import { mapRelease, OCDS_BID_COLUMNS, OCDS_COMPANY_COLUMNS, OCDS_TENDER_COLUMNS, OCDS_WRITTEN } from './ocds-map.js';
import { openText, type TextSource } from './source.js';
import { plural } from '../util/format.js';

/** What an OCDS file holds, as `inspect` says it. */
export interface OcdsSummary {
  /** e.g. 'release package', 'JSON Lines of compiled releases', 'record package' */
  format: string;
  /** top-level JSON values (lines of a JSON Lines file) */
  values: number;
  packages: number;
  /** release objects read: releases, compiled releases, a record's compiledRelease or embedded releases */
  releases: number;
  /** of which compiled (tagged "compiled", or a record's compiledRelease) */
  compiledReleases: number;
  records: number;
  ocids: number;
  /** ocids whose releases were merged (more than one release, no compiled release) */
  mergedOcids: number;
  /** processes read from the bid extension, from tenderers only, and without any bid (tenders rows) */
  tendersWithBids: number;
  tendersWithTenderersOnly: number;
  tendersWithoutBids: number;
  /** processes with nothing to read (no tender, bids, awards or contracts: planning only) */
  withoutTender: number;
  /** distinct party ids over all releases, any role */
  parties: number;
}

export interface OcdsRead {
  tables: ParsedTable[];
  summary: OcdsSummary;
}

interface Held {
  /** the releases of the ocid, cut down to what is read */
  releases: JsonObject[];
  compiled: boolean;
  /** where the first of them stood, and its line */
  path: string;
  line: number;
}

const EMBEDDED = ['tender', 'awards', 'contracts', 'bids', 'parties', 'buyer', 'planning'];

/** Where an element stood, for messages: `releases[3]`, `records[0]`, `[3]` in a top-level array. */
function pathOf(member: string, index: number): string {
  return member ? `${member}[${index}]` : `[${index}]`;
}

/** An item that cannot be mapped, rejected once the whole file is known to be OCDS. */
interface Reject {
  table: 'bids' | 'companies';
  line: number;
  reason: string;
  path: string;
  record: Json;
}

function emptySummary(): OcdsSummary {
  return {
    format: '',
    values: 0,
    packages: 0,
    releases: 0,
    compiledReleases: 0,
    records: 0,
    ocids: 0,
    mergedOcids: 0,
    tendersWithBids: 0,
    tendersWithTenderersOnly: 0,
    tendersWithoutBids: 0,
    withoutTender: 0,
    parties: 0,
  };
}

const ocidOf = (o: JsonObject) => (typeof o.ocid === 'string' || typeof o.ocid === 'number' ? String(o.ocid).trim() : '');
const isRecord = (o: JsonObject) => isObject(o.compiledRelease) || Array.isArray(o.releases);
const within = (where: string, path: string) => (where ? `${where}.${path}` : path);

/**
 * The items of a file as the splitter hands them on: the releases held by ocid, the items without one, and
 * the counts. The elements of a top-level value wait for its end, which says what the value is (a package,
 * or a record whose `releases` were streamed).
 */
class OcdsScan implements JsonItemHandlers {
  readonly held = new Map<string, Held>();
  readonly rejects: Reject[] = [];
  readonly summary = emptySummary();
  private readonly packageKinds = new Set<string>();
  private readonly itemKinds = new Set<string>();
  private topArray = false;
  private pending: { member: string; obj: JsonObject; where: string; line: number }[] = [];

  constructor(private readonly name: string) {}

  onElement(text: string, member: string, index: number, _value: number, line: number): void {
    this.pending.push({ member, obj: parseJson(text, this.name, line) as JsonObject, where: pathOf(member, index), line });
  }

  onValue(skeleton: string, _value: number, line: number): void {
    this.summary.values++;
    const top = parseJson(skeleton, this.name, line);
    const items = this.pending;
    this.pending = [];
    if (Array.isArray(top)) {
      this.topArray = true;
      for (const it of items) (isRecord(it.obj) ? this.record(it.obj, it.where, it.line) : this.release(it.obj, it.where, it.line));
      return;
    }
    const obj = top as JsonObject;
    if (ocidOf(obj) && isRecord(obj)) {
      // a record on its own: the streamed elements are its releases
      this.record(obj, '', line, items.filter((it) => it.member === 'releases').map((it) => ({ rel: it.obj, where: it.where, line: it.line })));
    } else if (ocidOf(obj)) this.release(obj, '', line);
    else if (Array.isArray(obj.releases) || Array.isArray(obj.records)) {
      this.summary.packages++;
      if (Array.isArray(obj.records)) this.packageKinds.add('record package');
      if (Array.isArray(obj.releases)) this.packageKinds.add('release package');
      for (const it of items) (it.member === 'records' ? this.record(it.obj, it.where, it.line) : this.release(it.obj, it.where, it.line));
    } else this.rejects.push({ table: 'bids', line, reason: 'a release with no ocid', path: '', record: obj });
  }

  /** The form of the file, for inspect ('release package', 'JSON Lines of compiled releases'…). */
  format(): string {
    const s = this.summary;
    const kinds = (set: Set<string>) => {
      if (set.size === 2 && set.has('release') && set.has('compiled release')) return 'release';
      return set.size ? [...set].join(' and ') : 'release';
    };
    if (s.packages) {
      const kind = kinds(this.packageKinds);
      return s.values > 1 ? `JSON Lines of ${kind}s` : kind;
    }
    const kind = kinds(this.itemKinds);
    if (this.topArray) return `JSON array of ${kind}s`;
    return s.values > 1 ? `JSON Lines of ${kind}s` : kind;
  }

  private release(rel: Json, where: string, line: number): void {
    if (!isObject(rel)) return;
    const ocid = ocidOf(rel);
    if (!ocid) {
      this.rejects.push({ table: 'bids', line, reason: 'a release with no ocid', path: where, record: rel });
      return;
    }
    const compiled = Array.isArray(rel.tag) && rel.tag.includes('compiled');
    this.summary.releases++;
    if (compiled) this.summary.compiledReleases++;
    this.itemKinds.add(compiled ? 'compiled release' : 'release');
    this.hold(ocid, rel, compiled, where, line);
  }

  /** A record: its compiledRelease when it has one, else its embedded releases (`streamed` when they came apart). */
  private record(rec: JsonObject, where: string, line: number, streamed?: { rel: JsonObject; where: string; line: number }[]): void {
    this.summary.records++;
    this.itemKinds.add('record');
    const ocid = ocidOf(rec);
    if (!ocid) {
      this.rejects.push({ table: 'bids', line, reason: 'a record with no ocid', path: where, record: rec });
      return;
    }
    if (isObject(rec.compiledRelease)) {
      this.summary.releases++;
      this.summary.compiledReleases++;
      this.hold(ocid, { ...rec.compiledRelease, ocid: ocidOf(rec.compiledRelease) || ocid }, true, within(where, 'compiledRelease'), line);
      return;
    }
    const embedded = streamed ?? list(rec.releases).map((r, i) => ({ rel: r as JsonObject, where: within(where, `releases[${i}]`), line }));
    const full = embedded.filter((e) => isObject(e.rel) && EMBEDDED.some((k) => k in e.rel));
    if (!full.length) {
      const reason = 'a record with neither a compiledRelease nor embedded releases (linked releases only)';
      this.rejects.push({ table: 'bids', line, reason, path: where, record: { ocid, releases: embedded.length } });
      return;
    }
    for (const e of full) {
      this.summary.releases++;
      this.hold(ocid, { ...e.rel, ocid: ocidOf(e.rel) || ocid }, false, e.where, e.line);
    }
  }

  private hold(ocid: string, release: JsonObject, compiled: boolean, where: string, line: number): void {
    const r = project(release, READ_SHAPE) as JsonObject;
    const h = this.held.get(ocid);
    if (!h) this.held.set(ocid, { releases: [r], compiled, path: where, line });
    else if (compiled && !h.compiled) {
      // a compiled release stands for the releases of its ocid
      h.releases = [r];
      h.compiled = true;
    } else if (compiled === h.compiled) h.releases.push(r);
  }
}

/** Scan the whole text; JSON errors become input errors naming the file and the line. */
async function scanText(src: TextSource, name: string, opts: ReadOptions): Promise<OcdsScan> {
  const scan = new OcdsScan(name);
  const splitter = new JsonItemSplitter(scan);
  let chars = 0;
  try {
    for await (const chunk of src.chunks()) {
      if (opts.abort?.aborted) throw new ReadAborted();
      chars += chunk.length;
      splitter.push(chunk);
      opts.onProgress?.(chars);
    }
    splitter.end();
  } catch (e) {
    src.close();
    if (e instanceof JsonSyntaxError) {
      // a CSV table given as --ocds
      const hint = e.message.startsWith('does not start with') ? '; CSV tables are given with --bids, --tenders, --companies or --invoices' : '';
      throw new InputError(`${name}: not valid JSON: ${e.message} (line ${e.line})${hint}`, name, e.line);
    }
    if (e instanceof InputError || e instanceof ReadAborted) throw e;
    throw new InputError(`${name}: cannot read: ${(e as Error).message}`, name);
  }
  if (scan.summary.values === 0) throw new InputError(`${name}: empty (no JSON in the file)`, name);
  if (!scan.held.size && !scan.summary.packages && !scan.summary.records)
    throw new InputError(`${name}: JSON but not OCDS: no "releases" or "records" list (a package) and no item with an "ocid" (JSON Lines of releases or records)`, name);
  scan.summary.format = scan.format();
  if (!scan.held.size && !scan.rejects.length) throw new InputError(`${name}: an OCDS ${scan.summary.format} with no releases`, name);
  return scan;
}

/**
 * Merge and map each ocid's releases, in the order ocids were first met, into the rows of the bids, tenders
 * and companies tables; the tables that received rows (or rejects) are finished.
 */
function toTables(scan: OcdsScan, name: string, src: TextSource, opts: ReadOptions, onReject: (r: RejectedRow) => void): ParsedTable[] {
  const { summary, rejects } = scan;
  const sinks: Record<'bids' | 'tenders' | 'companies', CanonicalRows> = {
    bids: canonicalRows('bids', name, [...OCDS_BID_COLUMNS], OCDS_WRITTEN, opts, onReject),
    tenders: canonicalRows('tenders', name, [...OCDS_TENDER_COLUMNS], OCDS_WRITTEN, opts, onReject),
    companies: canonicalRows('companies', name, [...OCDS_COMPANY_COLUMNS], OCDS_WRITTEN, opts, onReject),
  };
  const counts = { bids: 0, tenders: 0, companies: 0 };
  const push = (kind: keyof typeof counts, row: string[], line: number) => {
    sinks[kind].push(row, line);
    counts[kind]++;
  };
  const company = new Map<string, { fields: string[]; line: number }>();
  const partyKeys = new Set<string>();
  let multiLot = 0;
  let consortium = 0;
  for (const h of scan.held.values()) {
    summary.ocids++;
    const merged = h.releases.length > 1;
    if (merged && !h.compiled) summary.mergedOcids++;
    const m = mapRelease(compile(h.releases), merged ? { merged: h.releases.length } : h.path);
    if (m.source === 'bids') summary.tendersWithBids++;
    else if (m.source === 'tenderers') summary.tendersWithTenderersOnly++;
    else if (m.tenders.length) summary.tendersWithoutBids++;
    else if (!m.rejects.length) summary.withoutTender++;
    multiLot += m.multiLotBids;
    consortium += m.consortiumBids;
    for (const k of m.partyKeys) partyKeys.add(k);
    for (const row of m.bids) push('bids', row, h.line);
    for (const row of m.tenders) push('tenders', row, h.line);
    for (const c of m.companies) {
      const known = company.get(c.key);
      if (!known) company.set(c.key, { fields: c.fields, line: h.line });
      // a blank field of the first release that named the firm is taken from a later one
      else for (let i = 0; i < c.fields.length; i++) if (!known.fields[i]) known.fields[i] = c.fields[i];
    }
    for (const r of m.rejects) rejects.push({ ...r, line: h.line });
  }
  scan.held.clear();
  for (const { fields, line } of company.values()) push('companies', fields, line);
  summary.parties = partyKeys.size;
  // in the order of the file, whether found while scanning (no ocid) or while mapping (a bid with no tenderer)
  rejects.sort((a, b) => a.line - b.line);
  for (const r of rejects) {
    counts[r.table]++;
    sinks[r.table].reject(r.line, r.reason, JSON.stringify(r.record) ?? 'null', r.path);
  }

  const notes: string[] = [...src.warnings];
  if (multiLot) notes.push(`${plural(multiLot, 'bid')} for several lots: one row per lot, without the bid's amount (it is not split between lots)`);
  if (consortium) notes.push(`${plural(consortium, 'bid')} by several tenderers (a consortium): read as the first tenderer's`);
  if (summary.withoutTender) notes.push(`${plural(summary.withoutTender, 'ocid')} without a tender, bids, awards or contracts (planning only): nothing to read`);
  const source = { encoding: src.encoding, bom: src.bom, gzip: src.gzip, sizeBytes: src.sizeBytes };
  const tables: ParsedTable[] = [];
  for (const kind of ['bids', 'tenders', 'companies'] as const)
    if (counts[kind]) tables.push(sinks[kind].finish({ ...source, warnings: tables.length ? [] : notes }));
  // the parties of a publication are not a company registry: given beside one, the registry's names win
  for (const t of tables) if (t.kind === 'companies') t.notRegistry = true;
  return tables;
}

export async function parseOcds(path: string, opts: ReadOptions = {}, onReject: (r: RejectedRow) => void = () => {}): Promise<OcdsRead> {
  const name = path === '-' ? 'stdin' : path;
  const src = await openText(path, { encoding: opts.encoding, stdin: opts.stdin });
  const scan = await scanText(src, name, opts);
  const tables = toTables(scan, name, src, opts, onReject);
  if (!tables.length) throw new InputError(`${name}: an OCDS ${scan.summary.format} with no tender, bid, award or contract to read`, name);
  return { tables, summary: scan.summary };
}

function list(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

/** JSON.parse, its error as an input error naming the file and the line. */
function parseJson(text: string, name: string, line: number): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const at = pos ? line + (text.slice(0, Number(pos[1])).match(/\n/g)?.length ?? 0) : line;
    throw new InputError(`${name}: not valid JSON: ${msg} (line ${at})`, name, at);
  }
}
