// promotionRefusal on hand-built DRBD states: only UpToDate data is promoted (Consistent when allowed).
import { describe, expect, it } from 'vitest';
import { promotionRefusal } from '../../../../agents/drbd-lvm/promote.js';
import { params, peer, status } from './params.js';

const defaults = params();

describe('promotionRefusal', () => {
  it('UpToDate data may be promoted, connected or not', () => {
    expect(promotionRefusal(status({ peers: [peer()] }), defaults)).toBeUndefined();
    expect(promotionRefusal(status({ peers: [] }), defaults)).toBeUndefined();
  });

  it('Consistent data is refused unless allow_consistent', () => {
    expect(promotionRefusal(status({ disk: 'Consistent' }), defaults)).toBe(
      "local data is Consistent, not UpToDate (it may be older than the peer's; set allow_consistent=true to promote it anyway)",
    );
    expect(
      promotionRefusal(status({ disk: 'Consistent' }), params({ allow_consistent: 'true' })),
    ).toBeUndefined();
  });

  it('Outdated and Inconsistent data are refused, also with allow_consistent', () => {
    const allowed = params({ allow_consistent: 'true' });
    for (const p of [defaults, allowed]) {
      expect(promotionRefusal(status({ disk: 'Outdated' }), p)).toBe(
        'local data is Outdated: the peer has newer data (resync from it, or drbdadm primary --force by hand after checking)',
      );
      expect(promotionRefusal(status({ disk: 'Inconsistent' }), p)).toBe(
        'local data is Inconsistent (a resync to this node has not finished)',
      );
    }
  });

  it.each(['Diskless', 'Failed'] as const)('%s: no local data to promote', (disk) => {
    expect(promotionRefusal(status({ disk }), defaults)).toBe(
      `local disk is ${disk}: no local data to promote`,
    );
  });

  it.each(['Attaching', 'Detaching', 'Negotiating', 'DUnknown'] as const)('%s: not settled', (disk) => {
    expect(promotionRefusal(status({ disk }), defaults)).toBe(`local disk is ${disk}: not settled`);
  });

  it('judges the local data only: a Primary peer is refused elsewhere (promote), not here', () => {
    expect(promotionRefusal(status({ peers: [peer({ role: 'Primary' })] }), defaults)).toBeUndefined();
  });
});
