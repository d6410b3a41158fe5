// The one mapping of a client's ToolError onto OCF: a missing tool is this node's lack (5), anything else
// fails the action (1) with the tool's own message. The agents hand it to agentMain as their error hook.
import { ToolError } from '../exec/tool-error.js';
import { genericError, notInstalledError, type OcfError } from './exit-codes.js';

export function toolFailure(error: unknown): OcfError | undefined {
  if (!(error instanceof ToolError)) return undefined;
  if (error.result.missing) return notInstalledError(`${error.result.command} is not installed on this node`);
  return genericError(error.message, error);
}
