import type { ConnectOutcome } from './stats.js';

/**
 * One plain WebSocket upgrade before supabase-js connects. realtime-js retries forever and reports a
 * refused upgrade only as a generic socket error; this single attempt tells "wrong key" (HTTP 401)
 * apart from "nothing listening" (ECONNREFUSED) and a wrong host (ENOTFOUND).
 */
export async function preflight(socketUrl: string, timeoutMs: number): Promise<ConnectOutcome> {
  const { default: WebSocket } = await import('ws');
  return new Promise((resolve) => {
    let done = false;
    const ws = new WebSocket(socketUrl, { handshakeTimeout: timeoutMs });
    const finish = (outcome: ConnectOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, code: 'ETIMEDOUT', message: `no answer within ${timeoutMs} ms` }), timeoutMs + 100);
    ws.on('open', () => finish({ ok: true }));
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      finish({ ok: false, httpStatus: res.statusCode ?? 0, message: `HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim() });
    });
    ws.on('error', (err: NodeJS.ErrnoException) => {
      finish({ ok: false, code: err.code ?? (/timed out/i.test(err.message) ? 'ETIMEDOUT' : 'EUNKNOWN'), message: err.message });
    });
  });
}
