// Signal names as LXC's config spells them (SIGPWR, PWR, 30, SIGRTMIN+3) into Node's names or numbers.
import { constants } from 'node:os';

const byNumber = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]),
);

/** The signal to send, or undefined when the text names no signal. */
export function parseSignal(text: string): NodeJS.Signals | number | undefined {
  const t = text.trim().toUpperCase();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n > 0 && n < 65 ? (byNumber.get(n) ?? n) : undefined;
  }
  const name = (t.startsWith('SIG') ? t : `SIG${t}`) as NodeJS.Signals;
  if (name in constants.signals) return name;
  // Real-time signals: SIGRTMIN is 34 on Linux (glibc reserves 32 and 33).
  const rt = /^SIGRT(MIN|MAX)([+-]\d+)?$/.exec(name);
  if (rt !== null) {
    const n = (rt[1] === 'MIN' ? 34 : 64) + Number(rt[2] ?? 0);
    return n >= 34 && n <= 64 ? n : undefined;
  }
  return undefined;
}
