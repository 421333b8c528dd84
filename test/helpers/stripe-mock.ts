import { spawn } from 'node:child_process';
import { freePort } from './ports.js';

/** Starts stripe-mock on a free port and resolves once it answers. */
export async function startStripeMock(binary: string): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(binary, ['-http-addr', `127.0.0.1:${port}`, '-https-addr', '127.0.0.1:'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolveReady, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Listening for HTTP')) resolveReady();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // It serves HTTPS too, on a port the system picks, so that a stripe-mock already on its default ports is no obstacle.
    child.once('exit', (code) => reject(new Error(`stripe-mock exited with ${code}: ${output}`)));
  });
  return { url, stop: () => child.kill() };
}
