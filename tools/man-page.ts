// The man page ocf_lxcha_<agent>(7) of an agent, in roff, generated from its declaration like the metadata,
// so `man ocf_lxcha_lxc` says exactly what `crm ra info` and `pcs resource describe` say.
import type { AgentDefinition, ParameterSpec } from '../lib/ocf/agent.js';

/** Typographic characters of the declarations as groff glyphs; anything else non-ASCII as \[uXXXX]. */
const glyphs: Readonly<Record<string, string>> = {
  '×': '\\(mu',
  '→': '\\(->',
  '…': '.\\|.\\|.',
  '—': '\\(em',
  '–': '\\(en',
};

/** Text safe in a roff line: backslashes, non-ASCII, and a leading control character escaped. */
export function roffText(text: string): string {
  const escaped = [...text.replaceAll('\\', '\\e')]
    .map(
      (c) =>
        glyphs[c] ??
        (c.charCodeAt(0) > 0x7e
          ? `\\[u${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0') ?? ''}]`
          : c),
    )
    .join('');
  return escaped.replace(/^([.'])/, '\\&$1').replace(/\n([.'])/g, '\n\\&$1');
}

function typeText(spec: ParameterSpec): string {
  if (spec.type === 'select') return `one of ${spec.options.join(', ')}`;
  if (spec.type === 'integer' && (spec.min !== undefined || spec.max !== undefined))
    return `integer ${spec.min ?? ''}..${spec.max ?? ''}`;
  if (spec.type === 'seconds') return 'duration: 30, 30s, 2min';
  return spec.type;
}

/** How an administrator configures each agent; the full setups are in the examples folder. */
const examples: Readonly<Record<string, readonly string[]>> = {
  lxc: [
    'crm configure primitive p_ct0 ocf:lxcha:lxc \\',
    '    params container=ct0 config=/lxc1/ct0/config \\',
    '        memory_limit=512M cpu_weight=200 \\',
    '    op start timeout=120s op stop timeout=180s \\',
    '    op monitor interval=30s timeout=60s',
    '.sp',
    'pcs resource create p_ct0 ocf:lxcha:lxc \\',
    '    container=ct0 config=/lxc1/ct0/config memory_limit=512M \\',
    '    op stop timeout=180s --agent-validation',
  ],
  'drbd-lvm': [
    'crm configure primitive p_drbdlvm_r0 ocf:lxcha:drbd-lvm \\',
    '    params drbd_resource=r0 vgname=vg_lxc1 \\',
    '    op monitor interval=29s role=Promoted timeout=60s \\',
    '    op monitor interval=31s role=Unpromoted timeout=60s',
    '.sp',
    'crm configure clone ms_drbdlvm_r0 p_drbdlvm_r0 meta promotable=true \\',
    '    promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=true',
  ],
};

const seeAlso: Readonly<Record<string, string>> = {
  lxc: '.BR lxc\\-start (1),\n.BR lxc.container.conf (5),\n.BR ocf_lxcha_drbd\\-lvm (7),',
  'drbd-lvm': '.BR drbdadm (8),\n.BR drbd.conf (5),\n.BR lvmsystemid (7),\n.BR ocf_lxcha_lxc (7),',
};

export function manPage(definition: AgentDefinition): string {
  const name = `ocf_lxcha_${definition.name}`;
  const agent = definition.name.replaceAll('-', '\\-');
  const lines: string[] = [
    `.\\" generated from the agent declaration by \`npm run generate\`; do not edit`,
    `.TH ${name.toUpperCase().replaceAll('-', '\\-')} 7 "" "lxcha ${definition.version}" "OCF resource agents"`,
    '.SH NAME',
    `${name.replaceAll('-', '\\-')} \\- ${roffText(definition.shortdesc)}`,
    '.SH SYNOPSIS',
    `.B $OCF_ROOT/resource.d/lxcha/${agent}`,
    '.I action',
    '.PP',
    `where
.I action
is one of ${[...new Set(definition.actions.map((a) => a.name))].map((a) => a.replaceAll('-', '\\-')).join(', ')}.
Pacemaker passes the parameters in
.BI OCF_RESKEY_ name
environment variables; an administrator may run an action by hand with flags instead
.RB ( "${agent} \\-\\-help" ).`,
    '.SH DESCRIPTION',
    roffText(definition.longdesc),
    '.SH PARAMETERS',
  ];
  for (const [param, spec] of Object.entries(definition.parameters)) {
    const notes = [
      typeText(spec),
      spec.required === true ? 'required' : undefined,
      spec.default === undefined ? undefined : `default ${String(spec.default)}`,
      spec.unique === true ? 'unique' : undefined,
      spec.reloadable === true ? 'reloadable' : undefined,
      spec.deprecated === undefined ? undefined : 'deprecated',
    ].filter((n) => n !== undefined);
    lines.push('.TP', `.BR ${param} " (${roffText(notes.join(', '))})"`, roffText(spec.longdesc));
    if (spec.deprecated !== undefined) {
      const replaced =
        spec.deprecated.replacedWith === undefined ? '' : ` Replaced with ${spec.deprecated.replacedWith}.`;
      lines.push('.IP', `Deprecated: ${roffText(spec.deprecated.desc)}${replaced}`);
    }
  }
  lines.push('.SH ACTIONS', 'Default timeouts and intervals, as the metadata advertises them:');
  for (const a of definition.actions) {
    const details = [
      `timeout ${a.timeout}s`,
      a.interval === undefined ? undefined : `interval ${a.interval}s`,
      a.depth === undefined ? undefined : `depth ${a.depth}`,
      a.role === undefined ? undefined : `role ${a.role}`,
    ].filter((d) => d !== undefined);
    lines.push('.TP', `.B ${a.name.replaceAll('-', '\\-')}`, details.join(', '));
  }
  lines.push(
    '.SH EXIT STATUS',
    'OCF exit codes: 0 success (monitor: running), 1 generic error, 2 invalid argument, 3 unimplemented action, ' +
      '4 insufficient privileges, 5 not installed on this node, 6 not configured (wrong everywhere), 7 not running, ' +
      '8 running promoted, 9 failed promoted, 190 degraded, 191 degraded promoted. ' +
      'Every failure prints its exit reason on standard error.',
    '.SH EXAMPLE',
    '.nf',
    ...(examples[definition.name] ?? []).map((l) => (l === '.sp' ? l : roffText(l))),
    '.fi',
    '.PP',
    'Complete two-server setups for crm and pcs: /usr/share/doc/lxcha/examples/.',
    '.SH SEE ALSO',
    ...[seeAlso[definition.name]].filter((s) => s !== undefined),
    '.BR crm (8),',
    '.BR pcs (8),',
    '.BR crm_resource (8)',
    '',
  );
  return lines.join('\n');
}
