// One action at the process boundary: picks its handler, prepares its context, runs it, and owns the exit code.
import {
  defaultTimeout,
  type ActionLoader,
  type AgentDefinition,
  type ParameterSet,
  type ParameterValues,
} from './agent.js';
import { Deadline } from '../system/deadline.js';
import { readEnvironment, speaksOcf11, type Env, type OcfEnvironment } from './environment.js';
import { OcfError, OcfExit, type OcfExitCode } from './exit-codes.js';
import { formatExitReason } from './exit-reason.js';
import { writeSync } from 'node:fs';
import type { Logger } from './log.js';
import { lazyLogger, type LazyLogger } from './lazy-logger.js';
import { parseParameters } from './parameters.js';

export interface ActionContext<P extends ParameterSet> {
  readonly definition: AgentDefinition<P>;
  readonly params: ParameterValues<P>;
  readonly ocf: OcfEnvironment;
  readonly log: Logger;
  /** The operation's budget: CRM_meta_timeout, or the action's declared default timeout. */
  readonly deadline: Deadline;
}

/**
 * An action's implementation. Declared as a method's type so that an agent's handlers, written for its own
 * parameters, still fit the generic AgentDefinition the generators take (method parameters are bivariant).
 */
export type ActionHandler<P extends ParameterSet> = {
  handle(context: ActionContext<P>): Promise<OcfExitCode>;
}['handle'];
/** Action name → lazy loader, so a run loads only the module of the action it runs. */
export type ActionTable<P extends ParameterSet> = Readonly<Record<string, ActionLoader<P>>>;

/** Turns a failure an action let through (a client's ToolError) into its OCF error; undefined: not mine. */
export type ErrorMapper = (error: unknown) => OcfError | undefined;

export interface ActionIo {
  readonly env?: Env;
  readonly write?: (text: string) => void;
  /** Where exit reasons and log lines go; fd 2 by default. */
  readonly writeErr?: (text: string) => void;
  readonly mapError?: ErrorMapper;
}

/** Runs one action and returns its OCF exit code; every failure leaves one exit reason on stderr. */
export async function runAction<P extends ParameterSet>(
  definition: AgentDefinition<P>,
  actions: ActionTable<P>,
  action: string,
  options: ActionIo = {},
): Promise<OcfExitCode> {
  const env = options.env ?? process.env;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const ocf = readEnvironment(action, definition.name, env);
  const writeErr = options.writeErr ?? ((text: string) => void writeSync(2, text));
  let log: LazyLogger | undefined;
  try {
    switch (action) {
      case 'meta-data': {
        const { buildMetadata } = await import('./metadata.js');
        write(buildMetadata(definition, speaksOcf11(ocf.managerVersion) ? '1.1' : '1.0'));
        return OcfExit.SUCCESS;
      }
      case 'usage':
      case 'help': {
        const { usageText } = await import('./usage.js');
        write(usageText(definition));
        return OcfExit.SUCCESS;
      }
    }
    const load = Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (load === undefined)
      throw new OcfError(
        OcfExit.ERR_UNIMPLEMENTED,
        `action '${action}' is not implemented by ${definition.name}`,
      );
    const actionLog = lazyLogger({
      agent: definition.name,
      instance: ocf.instance,
      env,
      write: writeErr,
      ...(action === 'validate-all' ? { stderrLevel: 'warn' as const } : {}),
    });
    log = actionLog;
    // stop and probes depend only on what identifies the resource: other parameter errors are warnings.
    const lenient = action === 'stop' || ocf.isProbe;
    const params = parseParameters(
      definition,
      env,
      lenient ? { lenient: (problem) => actionLog.warn(`ignored for ${action}: ${problem}`) } : {},
    );
    const deadline = Deadline.start(ocf.timeoutMs ?? defaultTimeout(definition, action) * 1000);
    const handler = (await load()).default;
    const code = await handler({ definition, params, ocf, log: actionLog, deadline });
    await actionLog.flush();
    return code;
  } catch (error) {
    // Log lines first, then the exit reason: the reason is the last word.
    await log?.flush();
    const failure = error instanceof OcfError ? error : (options.mapError?.(error) ?? error);
    if (failure instanceof OcfError) {
      writeErr(formatExitReason(ocf.exitReasonPrefix, failure.reason));
      return failure.code;
    }
    writeErr(
      formatExitReason(
        ocf.exitReasonPrefix,
        `internal error in ${action}: ${(failure as Error).message ?? String(failure)}`,
      ),
    );
    return OcfExit.ERR_GENERIC;
  }
}
