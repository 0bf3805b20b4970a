// The restart command recover's tests give --restart-cmd: stops the app whose pid is in PIDFILE, starts a
// new one in the background and returns at once (not waiting for it to listen), like `systemctl restart`
// of a slow-starting service. Usage: node restart.mjs PORT PIDFILE
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [port, pidFile] = process.argv.slice(2);
const old = Number(readFileSync(pidFile, 'utf8'));
console.log(`stopping app pid ${old}`);
process.kill(old, 'SIGTERM');
const alive = () => { try { process.kill(old, 0); return true; } catch { return false; } };
while (alive()) await new Promise((r) => setTimeout(r, 50));
const child = spawn(process.execPath, [path.join(import.meta.dirname, 'app.mjs'), port, pidFile], { detached: true, stdio: 'ignore' });
child.unref();
console.log(`started app pid ${child.pid}`);
