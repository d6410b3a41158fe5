// validate-all and DRBD 9 resources of more than two nodes (issue 12, item 5): the built agent against the fakes
// of test/fakes/drbd-lvm, whose `drbdadm dump` prints the recorded layout (drbd-host/dump).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, removeAgentCopy, World } from './drbd-lvm-world.js';

beforeAll(ensureBuilt);
afterAll(removeAgentCopy);

let world: World | undefined;
afterEach(() => {
  world?.dispose();
  world = undefined;
});

describe('validate-all counts the DRBD resource’s nodes in drbd.conf', () => {
  it('passes a two-node resource, also while it is down, with one drbdadm dump', async () => {
    world = new World({ module: '9' });
    const r = await world.run('validate-all');
    expect(r.code, r.stderr).toBe(0);
    expect(world.calls().filter((c) => c[0] === 'drbdadm' && c.includes('dump'))).toEqual([
      ['drbdadm', 'dump', 'r0'],
    ]);
  });

  it('refuses a DRBD 9 resource with two peers: rc 6 and a reason saying it is untested', async () => {
    world = new World({ module: '9' });
    world.edit((s) => {
      s.drbd.resources.r0.extraPeers = ['node3'];
    });
    const r = await world.run('validate-all');
    expect(r.code).toBe(6);
    expect(r.reason).toMatch(/DRBD resource r0 has 2 peers \(nodes node1, node2, node3\)/);
    expect(r.reason).toMatch(/tested on two-node resources only .*refused until that is proven/);
  });

  it('monitor does not count (no drbdadm dump on the hot path)', async () => {
    world = new World({ module: '9' });
    await world.run('start');
    const before = world.calls().length;
    await world.run('monitor');
    expect(
      world
        .calls()
        .slice(before)
        .some((c) => c.includes('dump')),
    ).toBe(false);
  });
});
