// Formats the one exit-reason line Pacemaker shows in crm_mon and pcs status.
import { flattenControlCharacters } from '../system/text.js';
/** One line, control characters flattened, so the manager can parse it. */
export function formatExitReason(prefix: string, reason: string): string {
  const oneLine = flattenControlCharacters(reason).replace(/ {2,}/g, ' ').trim();
  return `${prefix}${oneLine}\n`;
}
