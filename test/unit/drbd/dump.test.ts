// parseDumpNodes and parseDumpFencing on drbdadm dump: the recording of drbd-utils 9.22 (drbd-host/dump) and hand-built variants.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDumpFencing, parseDumpNodes } from '../../../lib/drbd/dump.js';
import { repoRoot } from '../../helpers/paths.js';
import { hostRecording } from './recorded.js';

describe('parseDumpNodes', () => {
  it('reads the two nodes of the recorded resource (this host is vm there)', () => {
    expect(parseDumpNodes(hostRecording('drbd-host', 'dump').stdout, 'r0')).toEqual(['vm', 'node2']);
  });

  it('counts every on section of a three-node DRBD 9 resource, not the connection-mesh hosts (hand-built)', () => {
    const three = [
      'resource r0 {',
      '    device               /dev/drbd0 minor 0;',
      '    on a {',
      '        node-id 0;',
      '    }',
      '    on b {',
      '        node-id 1;',
      '    }',
      '    on c {',
      '        node-id 2;',
      '    }',
      '    connection-mesh {',
      '        hosts a b c;',
      '    }',
      '}',
    ].join('\n');
    expect(parseDumpNodes(three, 'r0')).toEqual(['a', 'b', 'c']);
  });

  it('only the named resource, floating sections too, comments ignored', () => {
    const text =
      '# on x {\nresource r1 {\n    on x {\n    }\n}\nresource r0 {\n    floating ipv4 10.0.0.1:7789 {\n    }\n' +
      '    on y { # a comment {\n        address ipv4 10.0.0.2:7789;\n    }\n}\n';
    expect(parseDumpNodes(text, 'r0')).toEqual(['floating ipv4 10.0.0.1:7789', 'y']);
    expect(parseDumpNodes('', 'r0')).toEqual([]);
  });
});

describe('parseDumpFencing', () => {
  const vm84 = readFileSync(
    path.join(repoRoot, 'test/fixtures/drbd-8.4/secondary-connected.drbdadm-dump.stdout'),
    'utf8',
  );

  it('DRBD 8.4 (recorded in the cluster VMs): the policy of disk {}', () => {
    expect(parseDumpFencing(vm84, 'r0')).toEqual({ policy: 'resource-only' });
    const stonith = vm84.replace('fencing          resource-only;', 'fencing          resource-and-stonith;');
    expect(parseDumpFencing(stonith, 'r0')).toEqual({ policy: 'resource-and-stonith' });
  });

  it('none set (the recorded drbd-utils 9.22 dump): undefined, DRBD’s default dont-care', () => {
    expect(parseDumpFencing(hostRecording('drbd-host', 'dump').stdout, 'r0')).toEqual({ policy: undefined });
  });

  it('DRBD 9 (hand-built): net {} of the resource or of a connection, the strictest wins', () => {
    const nine = [
      'resource r0 {',
      '    net {',
      '        fencing          resource-only;',
      '    }',
      '    connection {',
      '        host a;',
      '        host b;',
      '        net { fencing resource-and-stonith; }',
      '    }',
      '}',
    ].join('\n');
    expect(parseDumpFencing(nine, 'r0')).toEqual({ policy: 'resource-and-stonith' });
  });

  it('another resource’s policy is not this one’s; an unknown word is reported', () => {
    const two = `resource r1 {\n    disk { fencing resource-and-stonith; }\n}\n${vm84}`;
    expect(parseDumpFencing(two, 'r0')).toEqual({ policy: 'resource-only' });
    expect(parseDumpFencing('resource r0 {\n disk { fencing sometimes; }\n}\n', 'r0')).toEqual({
      unknown: 'sometimes',
    });
  });
});
