// Names handed to LVM, also inside --config strings: hostile ones are refused before any tool runs.
import { describe, expect, it } from 'vitest';
import { lvNameProblem, systemIdProblem, tagProblem, vgNameProblem } from '../../../lib/lvm/names.js';

describe('LVM names', () => {
  it.each(['vg1', 'vg_lxc1', 'VG.data+1', 'a-b'])('accepts VG name %s', (name) =>
    expect(vgNameProblem(name)).toBeUndefined(),
  );
  it.each([
    '',
    '-vg',
    '.',
    '..',
    'vg 1',
    'vg;reboot',
    'vg$(id)',
    'vg"]}',
    'vg/x',
    'x'.repeat(128),
    'snapshot',
  ])('refuses VG name %j', (name) => expect(vgNameProblem(name)).toBeDefined());
  it('refuses reserved LV name parts', () => {
    expect(lvNameProblem('data_tmeta')).toBeDefined();
    expect(lvNameProblem('ct1')).toBeUndefined();
  });
  it('tags and system IDs', () => {
    expect(tagProblem('pacemaker-node1')).toBeUndefined();
    expect(tagProblem('a b')).toBeDefined();
    expect(tagProblem('a"b')).toBeDefined();
    expect(systemIdProblem('node1.example')).toBeUndefined();
    expect(systemIdProblem('node"]} x')).toBeDefined();
  });
});
