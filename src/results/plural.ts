/** `1 point`, `3 points`: a count with its noun, for the lines people read. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
