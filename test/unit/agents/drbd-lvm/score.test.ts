// promotionScore on hand-built DRBD states: Pacemaker promotes the best data, and never stale data.
import { describe, expect, it } from 'vitest';
import { promotionScore } from '../../../../agents/drbd-lvm/score.js';
import { diskStates, downStatus } from '../../../../lib/drbd/status.js';
import { params, peer, status } from './params.js';

const defaults = params();

describe('promotionScore', () => {
  it('uses the declared defaults: 10000 connected, 1000 alone, 10 Consistent', () => {
    expect(defaults.score_uptodate_connected).toBe(10000);
    expect(defaults.score_uptodate_alone).toBe(1000);
    expect(defaults.score_consistent).toBe(10);
    expect(defaults.allow_consistent).toBe(false);
  });

  it('gives no score to a resource that is not up, whatever its last disk state', () => {
    expect(promotionScore(downStatus('r0'), defaults)).toBeUndefined();
    expect(promotionScore(status({ up: false, disk: 'UpToDate' }), defaults)).toBeUndefined();
  });

  it('UpToDate Secondary with a connected peer: the connected score', () => {
    expect(promotionScore(status({ peers: [peer()] }), defaults)).toBe(10000);
  });

  it.each(['connecting', 'standalone', 'disconnecting'] as const)(
    'UpToDate Secondary with the peer %s: the lower score (the peer may have newer data)',
    (link) => {
      expect(
        promotionScore(status({ peers: [peer({ link, role: 'Unknown', disk: 'DUnknown' })] }), defaults),
      ).toBe(1000);
    },
  );

  it('UpToDate Secondary without any peer: the lower score', () => {
    expect(promotionScore(status({ peers: [] }), defaults)).toBe(1000);
  });

  it('UpToDate Primary keeps the top score when its peer is lost (its data is the newest)', () => {
    expect(promotionScore(status({ role: 'Primary', peers: [peer()] }), defaults)).toBe(10000);
    expect(
      promotionScore(
        status({ role: 'Primary', peers: [peer({ link: 'connecting', role: 'Unknown' })] }),
        defaults,
      ),
    ).toBe(10000);
    expect(promotionScore(status({ role: 'Primary', peers: [] }), defaults)).toBe(10000);
  });

  it('the first connected peer decides, not the first listed (three-node resource)', () => {
    const peers = [peer({ name: 'node3', link: 'connecting' }), peer({ name: 'node2' })];
    expect(promotionScore(status({ peers }), defaults)).toBe(10000);
  });

  it('Consistent: no score unless allow_consistent, then score_consistent', () => {
    expect(promotionScore(status({ disk: 'Consistent', peers: [peer()] }), defaults)).toBeUndefined();
    const allowed = params({ allow_consistent: 'true', score_consistent: '7' });
    expect(promotionScore(status({ disk: 'Consistent', peers: [peer()] }), allowed)).toBe(7);
    expect(promotionScore(status({ disk: 'Consistent', role: 'Primary' }), allowed)).toBe(7);
  });

  it('takes the configured scores', () => {
    const p = params({ score_uptodate_connected: '777', score_uptodate_alone: '55' });
    expect(promotionScore(status({ peers: [peer()] }), p)).toBe(777);
    expect(promotionScore(status({ peers: [peer({ link: 'standalone' })] }), p)).toBe(55);
  });

  it.each(diskStates.filter((d) => d !== 'UpToDate' && d !== 'Consistent'))(
    '%s data gets no score, even with allow_consistent',
    (disk) => {
      const allowed = params({ allow_consistent: 'true' });
      expect(promotionScore(status({ disk, peers: [peer()] }), allowed)).toBeUndefined();
      expect(promotionScore(status({ disk, role: 'Primary' }), allowed)).toBeUndefined();
    },
  );
});
