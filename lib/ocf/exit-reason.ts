// Writes the one exit-reason line Pacemaker shows in crm_mon and pcs status.
/** One line, control characters flattened, so the manager can parse it. */
export function formatExitReason(prefix: string, reason: string): string {
  const oneLine = reason.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f]/g, '').trim();
  return `${prefix}${oneLine}\n`;
}
