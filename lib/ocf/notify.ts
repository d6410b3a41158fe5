// What Pacemaker tells a clone instance in a notify action (OCF_RESKEY_CRM_meta_notify_*): which
// operation happened or will happen, before or after, and on which nodes.

export type NotifyType = 'pre' | 'post';
export type NotifyOperation = 'start' | 'stop' | 'promote' | 'demote';

export interface NotifyEvent {
  readonly type: NotifyType;
  readonly operation: NotifyOperation;
  /** Node names per category, e.g. `start` (instances being started), `promoted`, `active`. */
  readonly nodes: Readonly<Record<string, readonly string[]>>;
}

const categories = [
  'start',
  'stop',
  'promote',
  'demote',
  'active',
  'inactive',
  'promoted',
  'unpromoted',
  'master',
  'slave',
  'available',
  'all',
];

const words = (value: string | undefined): string[] => (value ?? '').split(/\s+/).filter((w) => w !== '');

/** Undefined when the environment is not a well-formed notification. */
export function readNotifyEvent(meta: (name: string) => string | undefined): NotifyEvent | undefined {
  const type = meta('notify_type');
  const operation = meta('notify_operation');
  if (
    (type !== 'pre' && type !== 'post') ||
    !['start', 'stop', 'promote', 'demote'].includes(operation ?? '')
  )
    return undefined;
  const nodes: Record<string, string[]> = {};
  for (const c of categories) nodes[c] = words(meta(`notify_${c}_uname`));
  // Pacemaker 2.1 sends both the old (master/slave) and new (promoted/unpromoted) names; merge them.
  nodes.promoted = [...new Set([...(nodes.promoted ?? []), ...(nodes.master ?? [])])];
  nodes.unpromoted = [...new Set([...(nodes.unpromoted ?? []), ...(nodes.slave ?? [])])];
  return { type, operation: operation as NotifyOperation, nodes };
}
