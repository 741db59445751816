// Loaded into the fuzzed server's own process (`node --expose-gc --import tsx --import <this> server/cli.ts`),
// so the product gets no endpoint for it: on the fuzzer's IPC message it collects garbage and answers with
// the memory it then holds, and when the fuzzer goes away the server does too.
import { MEMORY_REQUEST, type MemoryReply } from './probe-protocol';

if (process.send) {
  process.on('message', (message) => {
    if (message !== MEMORY_REQUEST) return;
    const { gc } = globalThis;
    // Twice: the first pass may only queue finalizers (weak maps, closed sockets) whose memory the second frees.
    gc?.();
    gc?.();
    const usage = process.memoryUsage();
    process.send?.({ type: MEMORY_REQUEST, rss: usage.rss, heapUsed: usage.heapUsed, collected: gc !== undefined } satisfies MemoryReply);
  });
  process.on('disconnect', () => process.exit(0));
}
