import { describe, expect, it } from 'vitest';
import { containerNameProblem } from '../../../lib/lxc/names.js';
import { absolutePathProblem } from '../../../lib/system/paths.js';

describe('names', () => {
  it.each(['ct0', 'web-1.example', 'a_b'])('accepts container name %s', (n) =>
    expect(containerNameProblem(n)).toBeUndefined(),
  );
  it.each(['', '-x', 'a b', 'a;rm -rf', '$(id)', 'a/b', '..', 'x'.repeat(65)])(
    'rejects container name %j',
    (n) => expect(containerNameProblem(n)).toBeDefined(),
  );
  it('wants absolute paths without .. components', () => {
    expect(absolutePathProblem('/lxc1/ct0/config')).toBeUndefined();
    expect(absolutePathProblem('lxc1/config')).toMatch(/absolute/);
    expect(absolutePathProblem('/lxc1/../etc/shadow')).toMatch(/\.\./);
  });
});
