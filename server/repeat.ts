/**
 * Runs `job` every `ms` on this node, as the background sweeps do (presence, sessions, escalations,
 * retention…); returns what stops it. The timer never keeps the process alive: a node that is
 * asked to stop is not held up by its next sweep.
 * @example this.stopSweep = repeat(() => this.sweep(), 1000); … this.stopSweep();
 */
export function repeat(job: () => Promise<unknown>, ms: number): () => void {
  const timer = setInterval(() => void job(), ms);
  timer.unref();
  return () => clearInterval(timer);
}
