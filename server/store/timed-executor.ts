import type { Binding, Executor } from './executor';

/** Told how long each statement took (its SQL text, seconds); failed statements count too. */
export type QueryObserver = (text: string, seconds: number) => void;

/**
 * An executor that times every statement for the metrics. One clock read before and after: cheap
 * next to any statement, and without an observer the backends skip it altogether.
 */
export function timedExecutor(executor: Executor, observe: QueryObserver | undefined): Executor {
  if (!observe) return executor;
  const timed = async <T>(text: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      observe(text, (performance.now() - started) / 1000);
    }
  };
  return {
    dialect: executor.dialect,
    all: <R>(text: string, params?: readonly Binding[]) => timed(text, () => executor.all<R>(text, params)),
    get: <R>(text: string, params?: readonly Binding[]) => timed(text, () => executor.get<R>(text, params)),
    values: <R extends unknown[]>(text: string, params?: readonly Binding[]) => timed(text, () => executor.values<R>(text, params)),
    run: (text: string, params?: readonly Binding[]) => timed(text, () => executor.run(text, params)),
  };
}
