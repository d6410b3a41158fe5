// cloneMetaProblems on hand-built environments: the clone's meta attributes, where Pacemaker set them.
import { describe, expect, it } from 'vitest';
import { cloneMetaProblems } from '../../../../agents/drbd-lvm/validate.js';
import { readEnvironment } from '../../../../lib/ocf/environment.js';

const meta = (attributes: Record<string, string>): string[] => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes)) env[`OCF_RESKEY_CRM_meta_${k}`] = v;
  return cloneMetaProblems(readEnvironment('validate-all', 'drbd-lvm', env));
};

describe('cloneMetaProblems', () => {
  it('none when Pacemaker passed no meta attributes (crm_resource --validate, pcs, ocf-tester)', () => {
    expect(meta({})).toEqual([]);
  });

  it('none for the clone the agent needs (any spelling of true, 1 with spaces)', () => {
    expect(
      meta({
        notify: 'true',
        promotable: 'yes',
        clone_node_max: '1',
        promoted_node_max: ' 1 ',
        master_node_max: '1',
        promoted_max: '1',
        master_max: '1',
      }),
    ).toEqual([]);
    for (const yes of ['TRUE', 'on', '1', 'y', ' true '])
      expect(meta({ notify: yes, promotable: yes })).toEqual([]);
  });

  it('promotable must be true where set; notify may be either (the clone works without notifications)', () => {
    expect(meta({ promotable: 'no' })).toEqual(['meta promotable=no: drbd-lvm must be a promotable clone']);
    for (const value of ['false', 'no', '0', ''])
      expect(meta({ notify: value, promotable: 'true' })).toEqual([]);
  });

  it.each(['clone_node_max', 'promoted_node_max', 'master_node_max', 'promoted_max', 'master_max'])(
    '%s must be 1 (dual-primary is not supported)',
    (name) => {
      expect(meta({ [name]: '2' })).toEqual([
        `meta ${name.replaceAll('_', '-')}=2: must be 1 (one Primary, exclusive volume group; dual-primary is not supported)`,
      ]);
    },
  );

  it('reads the hyphenated names Pacemaker passes with underscores', () => {
    expect(
      readEnvironment('validate-all', 'drbd-lvm', { OCF_RESKEY_CRM_meta_promoted_max: '2' }).meta(
        'promoted-max',
      ),
    ).toBe('2');
  });

  it('reports every problem, in declaration order', () => {
    expect(meta({ master_max: '2', notify: 'no', promotable: 'false', clone_node_max: '0' })).toEqual([
      'meta promotable=false: drbd-lvm must be a promotable clone',
      'meta clone-node-max=0: must be 1 (one Primary, exclusive volume group; dual-primary is not supported)',
      'meta master-max=2: must be 1 (one Primary, exclusive volume group; dual-primary is not supported)',
    ]);
  });
});
