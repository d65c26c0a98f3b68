import { describe, expect, it } from 'vitest';
import { malformedMessage } from '../../src/io/strategy-error.js';

describe('malformedMessage', () => {
  it('names the field and what was expected', () => {
    expect(malformedMessage({ kind: 'state', cell: 'c1' }, 'outbox[0]')).toBeNull();
    expect(malformedMessage(null, 'outbox[0]')).toBe('outbox[0]: expected a message object, got null');
    expect(malformedMessage({ kind: 'vote', cell: 'c1' }, 'outbox[1]')).toBe('outbox[1].kind: expected one of state, perform, bid, reserve, release, claim, got "vote"');
    expect(malformedMessage({ kind: 'perform', cell: 'c1', work: { LRPs: [] } }, 'outbox[2]')).toBe('outbox[2].work: expected {LRPs: [...], Tasks: [...]}');
    expect(malformedMessage({ kind: 'bid', cell: 'c1' }, 'outbox[3]')).toBe('outbox[3].auction: expected the auction the message is about');
    expect(malformedMessage({ kind: '__proto__', cell: 'c1' }, 'o')).toBe('o.kind: expected one of state, perform, bid, reserve, release, claim, got "__proto__"');
  });
});
