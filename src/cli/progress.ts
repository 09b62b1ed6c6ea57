/**
 * Progress on stderr for long runs, only when stderr is a terminal: which file is being read, how much of
 * it, and which stage runs. Silent otherwise, so pipes and CI logs stay clean.
 */
export class Progress {
  private readonly start = Date.now();
  private label = '';
  private last = 0;
  private shown = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly enabled: boolean,
  ) {}

  file(path: string): void {
    this.label = `reading ${path === '-' ? 'stdin' : path}`;
    this.draw(this.label, true);
  }

  update(chars: number): void {
    this.draw(`${this.label} … ${(chars / 1e6).toFixed(1)} M characters`);
  }

  stage(label: string): void {
    this.label = label;
    this.draw(`${label} …`, true);
  }

  done(): void {
    if (this.enabled && this.shown) this.out.write('\r\x1b[2K');
    this.shown = false;
  }

  /** ", 1.2 s" — for the summary line on stderr (never in the report itself). */
  elapsed(): string {
    return `, ${((Date.now() - this.start) / 1000).toFixed(1)} s`;
  }

  private draw(text: string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 200) return;
    this.last = now;
    this.shown = true;
    this.out.write(`\r\x1b[2K${text.slice(0, 100)}`);
  }
}
