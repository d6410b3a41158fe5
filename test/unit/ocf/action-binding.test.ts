// Each action is declared once with its handler: no declaration without a handler, no handler without one.
import { describe, expect, it } from 'vitest';
import { actionLoaders, builtinActions, defineAgent, type AgentDefinition } from '../../../lib/ocf/agent.js';
import { runAction } from '../../../lib/ocf/action.js';
import { OcfExit } from '../../../lib/ocf/exit-codes.js';
import { agentDefinitions } from '../../../tools/definitions.js';

const handler = () => Promise.resolve({ default: () => Promise.resolve(OcfExit.SUCCESS) });
const base = { name: 'demo', version: '1', shortdesc: 's', longdesc: 'l', parameters: {} };
const bound = [
  { name: 'start', timeout: 1, run: handler },
  { name: 'stop', timeout: 1, run: handler },
  { name: 'monitor', timeout: 1, run: handler },
  { name: 'validate-all', timeout: 1, run: handler },
  { name: 'meta-data', timeout: 1 },
] as const;

describe('actions bound to their handlers', () => {
  it('every action of the suite has its handler, and the dispatch knows only declared actions and aliases', () => {
    for (const definition of agentDefinitions) {
      const loaders = actionLoaders(definition);
      const declared = new Set(definition.actions.map((a) => a.name).filter((n) => !builtinActions.has(n)));
      expect([...loaders.keys()].sort()).toEqual(
        [...declared, ...Object.keys(definition.aliases ?? {})].sort(),
      );
    }
  });

  it('refuses an action declared without a handler once the agent binds handlers', () => {
    expect(() => defineAgent({ ...base, actions: [...bound, { name: 'promote', timeout: 1 }] })).toThrow(
      /action 'promote' is declared without a handler/,
    );
  });

  it('refuses a handler for a built-in action, and aliases of undeclared or declared actions', () => {
    expect(() =>
      defineAgent({ ...base, actions: [...bound, { name: 'usage', timeout: 1, run: handler }] }),
    ).toThrow(/'usage' is built in/);
    expect(() => defineAgent({ ...base, actions: bound, aliases: { status: 'promote' } })).toThrow(
      /alias 'status' names undeclared action 'promote'/,
    );
    expect(() => defineAgent({ ...base, actions: bound, aliases: { start: 'monitor' } })).toThrow(
      /alias 'start' is also declared/,
    );
  });

  it('refuses two handlers for one action declared twice', () => {
    const other = () => Promise.resolve({ default: () => Promise.resolve(OcfExit.SUCCESS) });
    expect(() =>
      defineAgent({ ...base, actions: [...bound, { name: 'monitor', timeout: 2, depth: 10, run: other }] }),
    ).toThrow(/'monitor' has different handlers/);
  });

  it('a declaration without handlers cannot run', () => {
    const declaration: AgentDefinition = defineAgent({
      ...base,
      actions: bound.map(({ name, timeout }) => ({ name, timeout })),
    });
    expect(() => actionLoaders(declaration)).toThrow(/binds no action/);
  });

  it('an alias runs its action', async () => {
    const agent = defineAgent({
      ...base,
      actions: [
        ...bound.filter((a) => a.name !== 'monitor'),
        {
          name: 'monitor',
          timeout: 1,
          run: () => Promise.resolve({ default: () => Promise.resolve(OcfExit.NOT_RUNNING) }),
        },
      ],
      aliases: { status: 'monitor' },
    });
    const table = Object.fromEntries(actionLoaders(agent));
    expect(await runAction(agent, table, 'status', { env: {}, writeErr: () => undefined })).toBe(7);
  });
});
