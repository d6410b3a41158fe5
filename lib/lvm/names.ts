// Names the agent passes to LVM: checked before use, since they also end up inside --config strings.

/** lvm(8) VALID NAMES: A-Z a-z 0-9 + _ . - , not starting with '-', not '.' or '..', at most 127 characters. */
export function vgNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (name.length > 127) return 'is longer than 127 characters';
  if (!/^[A-Za-z0-9+_.-]+$/.test(name)) return 'may contain only A-Z a-z 0-9 + _ . - (lvm(8) VALID NAMES)';
  if (name.startsWith('-')) return "must not start with '-'";
  if (name === '.' || name === '..') return "must not be '.' or '..'";
  if (/^(snapshot|pvmove)$/.test(name)) return 'is a name LVM reserves';
  return undefined;
}

export function lvNameProblem(name: string): string | undefined {
  const basic = vgNameProblem(name);
  if (basic !== undefined) return basic;
  if (
    /^(snapshot|pvmove)/.test(name) ||
    /_(cdata|cmeta|corig|mlog|mimage|pmspare|rimage|rmeta|tdata|tmeta|vorigin|vdata)/.test(name)
  )
    return 'contains a part LVM reserves';
  return undefined;
}

/** lvm(8) tags: A-Z a-z 0-9 _ + . - / = ! : # & , at most 1024 characters; the agent also refuses ',' and quotes. */
export function tagProblem(tag: string): string | undefined {
  if (tag === '') return 'is empty';
  if (tag.length > 1024) return 'is longer than 1024 characters';
  if (!/^[A-Za-z0-9_+.\-/=!:#&]+$/.test(tag)) return 'may contain only A-Z a-z 0-9 _ + . - / = ! : # &';
  return undefined;
}

/** lvmsystemid(7): a system ID is a string of printable characters; the agent accepts what uname(2) names allow. */
export function systemIdProblem(id: string): string | undefined {
  if (id === '') return 'is empty';
  if (id.length > 127) return 'is longer than 127 characters';
  if (!/^[A-Za-z0-9_+.\-:]+$/.test(id)) return 'may contain only A-Z a-z 0-9 _ + . - :';
  return undefined;
}
