// parseDumpNodes on drbdadm dump: the recording of drbd-utils 9.22 (drbd-host/dump) and hand-built variants.
import { describe, expect, it } from 'vitest';
import { parseDumpNodes } from '../../../lib/drbd/dump.js';
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
