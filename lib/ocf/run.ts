// The executable's entry: `agent ACTION` as Pacemaker runs it, or the administrator's CLI for anything else.
import { actionLoaders, type AgentDefinition, type ParameterSet } from './agent.js';
import { runAction, type ErrorMapper } from './action.js';

export interface AgentHooks {
  /** Maps the failures of the agent's clients (ToolError) onto OCF exit codes, once, for every action. */
  readonly mapError?: ErrorMapper;
}

/**
 * Runs the agent for this process: `agent ACTION` with parameters in the environment, as Pacemaker runs it;
 * anything else (flags, --help, no action) is an administrator at a shell, served by the yargs CLI.
 * The dispatch table comes from the declaration, so only declared actions run.
 */
export async function agentMain<P extends ParameterSet>(
  definition: AgentDefinition<P>,
  hooks: AgentHooks = {},
): Promise<void> {
  const actions = Object.fromEntries(actionLoaders(definition));
  const args = process.argv.slice(2);
  const [action] = args;
  if (args.length === 1 && action !== undefined && !action.startsWith('-')) {
    process.exitCode = await runAction(definition, actions, action, hooks);
    return;
  }
  const { runCli } = await import('./cli.js');
  process.exitCode = await runCli(definition, actions, args, hooks);
}
