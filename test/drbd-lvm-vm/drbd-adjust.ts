// Scenario: drbd-lvm start applies an edited DRBD option to a resource that is already up
// (drbdadm adjust, as ocf:linbit:drbd), on the VM's real DRBD 8.4. Called by main.ts after `start`.
import type { Vm } from '../cluster/vm.js';

type Check = (name: string, ok: boolean, details: string) => void;
type Start = () => Promise<{ code: number; reason: string }>;

export async function editedOptionTakesEffect(vm: Vm, resource: string, start: Start, check: Check) {
  const file = `/etc/drbd.d/${resource}.res`;
  const show = async (): Promise<string> =>
    (await vm.exec(['drbdsetup', 'show', resource], { timeoutS: 60 })).stdout;
  const edit = (from: string, to: string) =>
    vm.run(['sed', '-i', `s/connect-int ${from};/connect-int ${to};/`, file], { timeoutS: 30 });
  const before = await show();
  check('adjust-precondition-connect-int-5', /connect-int\s+5/.test(before), oneLine(before, 'connect-int'));
  await edit('5', '7');
  try {
    const r = await start();
    const after = await show();
    check(
      'start-of-an-up-resource-applies-an-edited-net-option',
      r.code === 0 && /connect-int\s+7/.test(after),
      `start → ${r.code}${r.reason === '' ? '' : `: ${r.reason}`}; ${oneLine(after, 'connect-int')}`,
    );
  } finally {
    await edit('7', '5');
  }
  const r = await start();
  check(
    'start-restores-the-option',
    r.code === 0 && /connect-int\s+5/.test(await show()),
    `start → ${r.code}`,
  );
}

const oneLine = (text: string, word: string): string =>
  text
    .split('\n')
    .find((l) => l.includes(word))
    ?.trim() ?? `(no ${word} line)`;
