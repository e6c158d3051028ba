import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
/**
 * What every bench child (the app and its peers) tells the bench over the
 * IPC channel: its address once it listens, and its CPU time and memory when
 * asked. A child stops when the bench goes away.
 */
export function ready(url: string): void {
  process.on("message", (message: unknown) => {
    if (message === "stats") {
      process.send?.({ type: "stats", cpu: process.cpuUsage(), memory: process.memoryUsage() });
    } else if (message === "retained") {
      // What the heap holds after a full collection (V8's gc, reached without --expose-gc on the command line).
      setFlagsFromString("--expose-gc");
      (runInNewContext("gc") as () => void)();
      process.send?.({ type: "retained", heapUsed: process.memoryUsage().heapUsed });
    }
  });
  process.on("disconnect", () => process.exit(0));
  process.send?.({ type: "ready", url });
}

/** What the bench passes in the environment; a missing one is a bench bug. */
export function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bench child: ${name} is not set`);
  return value;
}
