/** A one-line progress bar on stderr, drawn only when stderr is a terminal. */
export class ProgressBar {
  private last = -1;
  private readonly enabled: boolean;

  /** A bar labelled `label`; silent unless stderr is a TTY (and CI is not set). */
  constructor(private readonly label: string) {
    this.enabled = process.stderr.isTTY === true && !process.env['CI'];
  }

  /** Shows `fraction` (0..1) done. */
  update(fraction: number): void {
    if (!this.enabled) return;
    const pct = Math.floor(fraction * 100);
    if (pct === this.last) return;
    this.last = pct;
    const width = 30;
    const full = Math.round((pct / 100) * width);
    process.stderr.write(`\r${this.label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(pct).padStart(3)}%`);
  }

  /** Clears the line. */
  done(): void {
    if (this.enabled && this.last >= 0) process.stderr.write(`\r${' '.repeat(this.label.length + 40)}\r`);
  }
}
