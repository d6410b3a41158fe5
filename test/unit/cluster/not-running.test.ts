// What the cluster harness reports when a stack never counts as running (helpers.ts notRunning): the
// members not Started beside the Promoted clone, and failed ones.
import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../../cluster/cluster.js';
import { notRunning, placement } from '../../cluster/helpers.js';

const running: ClusterState = {
  online: ['node1', 'node2'],
  resources: [
    { id: 'p_drbdlvm_r0', role: 'Promoted', node: 'node1', failed: false },
    { id: 'p_fs_lxc1', role: 'Started', node: 'node1', failed: false },
    { id: 'p_ct1', role: 'Started', node: 'node1', failed: false },
    { id: 'p_ct2', role: 'Started', node: 'node1', failed: false },
    { id: 'p_drbdlvm_r1', role: 'Promoted', node: 'node1', failed: false },
    { id: 'p_fs_lxc2', role: 'Started', node: 'node1', failed: false },
    { id: 'p_ct3', role: 'Started', node: 'node1', failed: false },
  ],
};

describe('notRunning', () => {
  it('says nothing keeps a running stack back', () => {
    expect(placement(running, 'lxcha')).toEqual({ r0: 'node1', r1: 'node1' });
    expect(notRunning(running, 'lxcha')).toBe('nothing');
  });

  it('names a failed member, one on another node and a clone not promoted', () => {
    const state: ClusterState = {
      ...running,
      resources: running.resources.map((r) =>
        r.id === 'p_ct1'
          ? { ...r, failed: true }
          : r.id === 'p_ct3'
            ? { ...r, node: 'node2' }
            : r.id === 'p_drbdlvm_r0'
              ? { ...r, role: 'Unpromoted' }
              : r,
      ),
    };
    expect(placement(state, 'lxcha')).toBeUndefined();
    expect(notRunning(state, 'lxcha')).toBe(
      'p_drbdlvm_r0 not Promoted, p_fs_lxc1 Started on node1, p_ct1 Started on node1 (failed), p_ct2 Started on node1, p_ct3 Started on node2',
    );
  });
});
