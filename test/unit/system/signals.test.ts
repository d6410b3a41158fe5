import { describe, expect, it } from 'vitest';
import { parseSignal } from '../../../lib/system/signals.js';

describe('signals', () => {
  it('reads LXC signal spellings', () => {
    expect(parseSignal('SIGPWR')).toBe('SIGPWR');
    expect(parseSignal('usr1')).toBe('SIGUSR1');
    expect(parseSignal('15')).toBe('SIGTERM');
    expect(parseSignal('SIGRTMIN+3')).toBe(37);
    expect(parseSignal('SIGNOPE')).toBeUndefined();
  });
});
