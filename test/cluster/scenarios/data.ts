// data: across the stack's data checks (every scenario with checksData that ran), for every writer, no
// acknowledged number missing and the writer moving on. Runs after them all.
import type { Scenario } from '../context.js';

export const scenario: Scenario = {
  name: 'data',
  stacks: ['lxcha', 'anchor'],
  run(ctx) {
    return Promise.resolve(ctx.data.verdict());
  },
};
