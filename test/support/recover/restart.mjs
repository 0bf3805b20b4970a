// The restart command recover's tests give --restart-cmd (with fixtures/app): stops the server whose pid is in PIDFILE, starts
// COMMAND again in the background (same environment), records its pid, and returns at once without waiting
// for it to listen, like `systemctl restart` of a slow-starting service.
// Usage: node restart.mjs PIDFILE COMMAND [ARGS...]
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [pidFile, command, ...args] = process.argv.slice(2);
const old = Number(readFileSync(pidFile, 'utf8'));
console.log(`stopping app pid ${old}`);
process.kill(old, 'SIGTERM');
const alive = () => { try { process.kill(old, 0); return true; } catch { return false; } };
while (alive()) await new Promise((r) => setTimeout(r, 50));
const child = spawn(command, args, { detached: true, stdio: 'ignore' });
child.unref();
writeFileSync(pidFile, String(child.pid));
console.log(`started app pid ${child.pid}`);
