import { createServer } from 'node:net';

/**
 * A TCP port nothing listens on right now on 127.0.0.1, chosen by the kernel.
 * Another process could take it before we bind it; callers that start servers on
 * it therefore fail loudly (and the caller retries or reports) rather than share.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('freeLoopbackPort: the kernel gave no port'));
      });
    });
  });
}
