// The man page ocf_lxcha_<agent>(7) of an agent, in roff, generated from its declaration like the metadata,
// so `man ocf_lxcha_lxc` says exactly what `crm ra info` and `pcs resource describe` say.
import type { AgentDefinition } from '../lib/ocf/agent.js';
import { OcfExit } from '../lib/ocf/exit-codes.js';
import { typeText } from './doc-tables.js';

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
    '    promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=false',
  ],
};

/** What each OCF exit code means to an administrator; typed by OcfExit, so a new code needs its words. */
const exitCodeMeanings: Readonly<Record<keyof typeof OcfExit, string>> = {
  SUCCESS: 'success (monitor: running)',
  ERR_GENERIC: 'generic error',
  ERR_ARGS: 'invalid argument',
  ERR_UNIMPLEMENTED: 'unimplemented action',
  ERR_PERM: 'insufficient privileges',
  ERR_INSTALLED: 'not installed on this node',
  ERR_CONFIGURED: 'not configured (wrong everywhere)',
  NOT_RUNNING: 'not running',
  RUNNING_PROMOTED: 'running promoted',
  FAILED_PROMOTED: 'failed promoted',
  DEGRADED: 'degraded',
  DEGRADED_PROMOTED: 'degraded promoted',
};

const exitCodesText = (Object.keys(OcfExit) as (keyof typeof OcfExit)[])
  .map((name) => `${OcfExit[name]} ${exitCodeMeanings[name]}`)
  .join(', ');

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
    `OCF exit codes: ${exitCodesText}. Every failure prints its exit reason on standard error.`,
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
