/**
 * Child-process entry of the mixed attack: `node --import tsx server/testing/attack-main.ts <port> <boardId> <ms>`.
 * Prints the counts as one JSON line when done.
 */
import { runAttack } from './attackers';

const [port, boardId, ms] = process.argv.slice(2);
if (!port || !boardId || !ms || !/^\d+$/.test(port) || !/^\d+$/.test(ms)) {
  console.error('usage: attack-main.ts <port> <boardId> <ms>');
  process.exit(2);
}
const counts = await runAttack({ port: Number(port), boardId, until: Date.now() + Number(ms) });
console.log(JSON.stringify(counts));
process.exit(0);
