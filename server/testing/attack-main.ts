/**
 * Child-process entry of the mixed attack: `node --import tsx server/testing/attack-main.ts <port> <boardId> <ms>`.
 * Prints the counts as one JSON line when done.
 */
import { ATTACK_KINDS, runAttack, type AttackKind } from './attackers';

const [port, boardId, ms] = process.argv.slice(2);
if (!port || !boardId || !ms || !/^\d+$/.test(port) || !/^\d+$/.test(ms)) {
  console.error('usage: attack-main.ts <port> <boardId> <ms>');
  process.exit(2);
}
// ATTACK_KINDS=fragments,pings narrows the attack (to see what each class costs)
const only = process.env.ATTACK_KINDS?.split(',').filter((k): k is AttackKind => (ATTACK_KINDS as readonly string[]).includes(k));
const counts = await runAttack({ port: Number(port), boardId, until: Date.now() + Number(ms), ...(only?.length ? { kinds: only } : {}) });
console.log(JSON.stringify(counts));
process.exit(0);
