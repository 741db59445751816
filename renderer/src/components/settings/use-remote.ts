import { useCallback, useEffect, useRef, useState } from 'react';
import type { Args, RequestName, Result } from '../../../../common/bridge';
import { bridge } from '../../store/bridge-ref';
import { shownError } from '../../store/errors';
import type { ShownError } from '../../store/types';

export interface Remote<T> {
  value: T | null;
  error: ShownError | null;
  loading: boolean;
  reload(): void;
}

/**
 * One bridge request's answer for a settings screen, fetched when shown and again on `reload`.
 * Settings show the server's current state, so nothing of it is kept in the desk's store.
 */
export function useRemote<K extends RequestName>(name: K, args: Args<K>): Remote<Result<K>> {
  const [value, setValue] = useState<Result<K> | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  // Args are plain data: their JSON says when they changed.
  const key = JSON.stringify(args);
  const latest = useRef(args);
  latest.current = args;
  useEffect(() => {
    let current = true;
    setLoading(true);
    bridge()
      .invoke(name, latest.current)
      .then(
        (answer) => {
          if (!current) return;
          setValue(answer);
          setError(null);
        },
        (failure: unknown) => {
          if (current) setError(shownError(failure));
        },
      )
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [name, key, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { value, error, loading, reload };
}
