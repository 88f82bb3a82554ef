/**
 * Lets @kubernetes/client-node 2 run on Node 20. Its HTTP stack (undici 8) is written for Node >= 22.19
 * and, on load or on first request, calls three things Node 20 lacks. Each is filled in only where
 * missing, with what it means on Node 22: no zstd decoding (a Kubernetes API server never sends zstd
 * unless asked), an uncloneable marker that is only an optimisation, and `Promise.withResolvers`.
 * Import this module before @kubernetes/client-node.
 */
import zlib from 'node:zlib';
import workerThreads from 'node:worker_threads';

const mutableZlib = zlib as unknown as Record<string, unknown>;
if (typeof mutableZlib['createZstdDecompress'] !== 'function') {
  mutableZlib['createZstdDecompress'] = () => {
    throw new Error('zstd content encoding needs Node.js 22.15 or later');
  };
}
const mutableWorkerThreads = workerThreads as unknown as Record<string, unknown>;
if (typeof mutableWorkerThreads['markAsUncloneable'] !== 'function') mutableWorkerThreads['markAsUncloneable'] = () => {};
const promiseConstructor = Promise as unknown as Record<string, unknown>;
if (typeof promiseConstructor['withResolvers'] !== 'function') {
  promiseConstructor['withResolvers'] = function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    return { promise, resolve, reject };
  };
}
