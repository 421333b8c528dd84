import { createServer } from 'node:net';

/** A free port on 127.0.0.1: the one the system picks, or a random one of [from, to) when given. */
export function freePort(range?: { from: number; to: number }): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(range ? range.from + Math.floor(Math.random() * (range.to - range.from)) : 0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}
