// The rejection corpus: 1,920 seeded mutations of the bundled scenarios and of a file with every
// field (one or two slips each, or three to six at once), and a sample of the bad-input property
// test's own. Each gets exactly the lines recorded from the hand-written parser that the schemas
// replaced (test/scenario/fixtures/rejections.json): the same problems, paths and words, in the same
// order, and every file accepted then is accepted now.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answer, CORPUS_TEST_TIMEOUT_MS, rejectionCases } from '../support/rejection-cases.js';

interface Recorded {
  id: string;
  what: string[];
  lines: string[] | null;
}

const recorded = JSON.parse(readFileSync(new URL('./fixtures/rejections.json', import.meta.url), 'utf8')) as Recorded[];

describe('the rejection corpus', () => {
  it('is the recorded one (the mutations are seeded)', () => {
    const cases = rejectionCases();
    expect(cases.map((c) => c.id)).toEqual(recorded.map((r) => r.id));
    expect(cases.map((c) => c.what)).toEqual(recorded.map((r) => r.what));
  }, CORPUS_TEST_TIMEOUT_MS);

  it('every case gets the recorded answer, line for line', () => {
    const wrong: string[] = [];
    const cases = rejectionCases();
    cases.forEach((c, i) => {
      const want = recorded[i]!;
      const got = answer(c);
      if (JSON.stringify(got) !== JSON.stringify(want.lines)) wrong.push(`${c.id} (${c.what.join('; ')}):\n  want ${JSON.stringify(want.lines)}\n  got  ${JSON.stringify(got)}`);
    });
    expect(wrong.slice(0, 10).join('\n')).toBe('');
    // Most cases are rejected: the corpus tests the messages, not only acceptance.
    expect(recorded.filter((r) => r.lines !== null).length).toBeGreaterThan(1000);
  }, CORPUS_TEST_TIMEOUT_MS);
});
