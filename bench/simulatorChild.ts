/**
 * Simulated BBB nodes in a process of their own, as real nodes are other machines: `tsx bench/simulatorChild.ts
 * <secret>…` starts one per secret and prints their API URLs as one JSON line; it ends when its stdin closes.
 * bench/benchProduct.ts starts it when a bench asks for `nodesIn: 'child'`.
 */
import { BbbNodeSimulator } from '../src/simulator/bbbNodeSimulator.js';

const simulators = await Promise.all(process.argv.slice(2).map((secret) => new BbbNodeSimulator({ secret }).start()));
process.stdout.write(`${JSON.stringify(simulators.map((s) => s.apiUrl))}\n`);
process.stdin.resume();
process.stdin.on('end', () => void Promise.all(simulators.map((s) => s.stop())).then(() => process.exit(0)));
