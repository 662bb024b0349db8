import { useCallback, useEffect, useRef, useState, type DependencyList, type ReactNode } from 'react';
import { describeError } from '../api/client';
import { useI18n } from '../i18n/i18n';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change; a newer run wins over an older one still in flight. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ error, loading: false });
      },
    );
    return () => controller.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Loading, error (with retry) or the content. */
export function AsyncView<T>({
  state,
  children,
}: {
  state: AsyncState<T>;
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (state.error !== undefined) {
    return (
      <div className="notice notice-error" role="alert">
        {t('app.error')}: {describeError(state.error)}{' '}
        <button type="button" onClick={state.reload}>
          {t('app.retry')}
        </button>
      </div>
    );
  }
  if (state.data === undefined) {
    return (
      <div className="notice" role="status">
        {t('app.loading')}
      </div>
    );
  }
  return <>{children(state.data)}</>;
}
